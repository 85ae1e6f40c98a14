package main

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"httpsim/sim/scenario"
)

// flagPaths are the scenario document's fields each flag sets, for the
// flags a lesson's variants fix themselves (the hpack lesson's variant
// without a dynamic table sets h2.header_table_size to 0).
var flagPaths = map[string][]string{
	"seed": {"seed"}, "rtt": {"network.rtt"}, "bw": {"network.bandwidth"}, "queue": {"network.queue"},
	"loss": {"network.down.loss", "network.up.loss"}, "loss-model": {"network.down.loss", "network.up.loss"},
	"burst": {"network.down.loss", "network.up.loss"}, "proto": {"protocols"},
	"tls": {"tls.version"}, "tls-record": {"tls.max_record"}, "0rtt": {"tls.early_data", "tls.resume"},
	"reject-0rtt": {"tls.reject_early_data", "tls.early_data", "tls.resume"},
	// --reject-0rtt=false turns rejection off and leaves 0-RTT alone.
	"reject-0rtt=false": {"tls.reject_early_data"},
	"conns":             {"h1.max_conns"}, "pipelining": {"h1.pipelining"}, "http1.0": {"h1.http10"},
	"push": {"h2.push"}, "hpack-table": {"h2.header_table_size"}, "qpack-table": {"h3.qpack_table_capacity"},
	"scheduler": {"h2.scheduler", "h3.scheduler"}, "repeat-visit": {"workload.visit"},
	"no-compression": {"workload.compression"},
}

// overrides says which flags set a field a variant fixes in its own patch:
// a flag applies to every variant, so the variant no longer differs from
// the others there, and its label may no longer describe it (the page,
// where a slider sets the base and each variant keeps what it fixes,
// shows another comparison).
func (f *scenarioFlags) overrides(s *scenario.Scenario) []string {
	set := f.set
	if f.set["reject-0rtt"] && !f.rejectZeroRTT {
		// --reject-0rtt=false sets tls.reject_early_data alone; it was
		// said to set early_data and resume too.
		set = maps.Clone(f.set)
		delete(set, "reject-0rtt")
		set["reject-0rtt=false"] = true
	}
	hits := variantHits(s, set)
	notes := append(slices.Clone(f.notes), hitNotes(hits)...) // the page link's notices first
	overridden := map[string]bool{}
	for _, h := range hits {
		overridden[h.variant] = true
	}
	return append(notes, alikeVariants(s, overridden)...)
}

// alikeVariants says which variants of s load the page alike over a
// protocol: their run keys are equal, so they differ only in settings
// that protocol does not read (keepalive's HTTP/1.0 and 1.1 variants over
// --proto h2, push's over --proto h1), and their columns show the same.
// Variants a flag overrode are said already (hitNotes).
func alikeVariants(s *scenario.Scenario, overridden map[string]bool) []string {
	type load struct{ variant, proto string }
	var loads []load
	for _, v := range s.Variants {
		for _, p := range v.Scenario.Protocols {
			loads = append(loads, load{v.Name, p})
		}
	}
	keys := scenario.RunKeys(s)
	if len(keys) != len(loads) {
		return nil // a scenario without variants, or of another workload
	}
	var notes []string
	said := make([]bool, len(loads))
	for i := range loads {
		if said[i] || keys[i] == "" || overridden[loads[i].variant] {
			continue
		}
		names := []string{fmt.Sprintf("%q", loads[i].variant)}
		for j := i + 1; j < len(loads); j++ {
			if keys[j] == keys[i] && loads[j].variant != loads[i].variant && !overridden[loads[j].variant] {
				names, said[j] = append(names, fmt.Sprintf("%q", loads[j].variant)), true
			}
		}
		if n := len(names); n > 1 {
			list := strings.Join(names[:n-1], ", ") + " and " + names[n-1]
			notes = append(notes, fmt.Sprintf("note: over %s, variants %s load the page alike: they differ only in settings %s does not read", loads[i].proto, list, loads[i].proto))
		}
	}
	return notes
}

// variantHit is a variant whose own fields (hit) flags set too.
type variantHit struct {
	variant    string
	flags, hit []string
}

// hitNotes says what each hit overrode.
func hitNotes(hits []variantHit) []string {
	var notes []string
	for _, h := range hits {
		notes = append(notes, fmt.Sprintf("note: %s also set what variant %q fixes itself (%s): it no longer differs there", strings.Join(h.flags, ", "), h.variant, strings.Join(h.hit, ", ")))
	}
	return notes
}

// variantHits finds, for each variant of s, the flags set that set a field
// the variant fixes itself.
func variantHits(s *scenario.Scenario, set map[string]bool) []variantHit {
	var hits []variantHit
	for _, v := range s.Variants {
		var fixed []string
		leafPaths("", v.Patch, &fixed)
		var flags, hit []string
		for name, paths := range flagPaths {
			if !set[name] {
				continue
			}
			if h := under(fixed, paths); len(h) > 0 {
				flags = append(flags, "--"+name)
				hit = append(hit, h...)
			}
		}
		if len(flags) > 0 {
			// The map's order is not the output's.
			sort.Strings(flags)
			sort.Strings(hit)
			hits = append(hits, variantHit{v.Name, flags, slices.Compact(hit)})
		}
	}
	return hits
}

// under returns the paths of fixed that are one of paths or lie under one.
func under(fixed, paths []string) []string {
	var out []string
	for _, x := range fixed {
		for _, p := range paths {
			if x == p || strings.HasPrefix(x, p+".") {
				out = append(out, x)
				break
			}
		}
	}
	return out
}

// leafPaths lists the dotted paths of a merge patch's leaves, sorted.
func leafPaths(at string, v any, out *[]string) {
	m, ok := v.(map[string]any)
	if !ok {
		if at != "" {
			*out = append(*out, at)
		}
		return
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p := k
		if at != "" {
			p = at + "." + k
		}
		leafPaths(p, m[k], out)
	}
}
