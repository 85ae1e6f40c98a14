package main

import (
	"errors"
	"flag"
	"fmt"
	"net/url"
	"slices"
	"strings"

	ui "httpsim/app"
	"httpsim/sim/scenario"
)

// urlCompatible are the flags that may go with --url: a page link gives
// every setting of its runs, but the command line may still pick among its
// protocols and bound the run.
var urlCompatible = []string{"url", "proto", "max-time", "max-events"}

// pageScenario builds the scenario a page link shows: the page's own
// reading of its query (lesson, sliders, checkboxes; the scrub time, panels
// and language change no run), so that the command line's figures and trace
// hashes are the page's. The page puts its loss slider on the server's
// direction only, where --loss means both: with the link, the numbers
// agree. It returns the notices the page would show for the link, in
// English.
func pageScenario(link string) (*scenario.Scenario, []string, error) {
	if strings.TrimSpace(link) == "" {
		return nil, nil, fmt.Errorf("--url: empty: give a page link, or its query (?s=h2-hol&loss=3)")
	}
	// The fragment first: in https://host/#?s=h2-hol the page has no
	// query, and opens its default comparison.
	query, _, _ := strings.Cut(link, "#")
	address, q, hasQuery := strings.Cut(query, "?")
	isLink := strings.Contains(address, "://") || strings.HasPrefix(address, "/")
	switch {
	case isLink:
		if _, err := url.Parse(address); err != nil {
			return nil, nil, fmt.Errorf("--url: %q is not a page link: %v", link, errors.Unwrap(err))
		}
	case !hasQuery && !isQuery(address):
		// "garbage" or "%zz" ran the default page without a word.
		return nil, nil, fmt.Errorf("--url: %q is not a page link or its query (like http://host/?s=h2-hol&loss=3, or ?s=h2-hol&loss=3)", link)
	}
	if hasQuery {
		query = q
	} else if isLink {
		query = "" // a link with no query
	}
	st, notices := ui.ParseRawQuery(query)
	s, err := st.Params.Build()
	if err != nil {
		return nil, nil, fmt.Errorf("--url: %v", err)
	}
	var notes []string
	for _, n := range notices {
		notes = append(notes, "note: --url: "+ui.LangEN.Notice(n))
	}
	return s, notes, nil
}

// isQuery reports whether text reads as a query without its "?": pairs
// key=value joined by "&".
func isQuery(text string) bool {
	for _, pair := range strings.Split(text, "&") {
		if k, _, ok := strings.Cut(pair, "="); !ok || k == "" {
			return false
		}
	}
	return true
}

// urlConflicts names the flags given with --url that it cannot take.
func (f *scenarioFlags) urlConflicts() []string {
	var out []string
	f.fs.Visit(func(fl *flag.Flag) {
		if !slices.Contains(urlCompatible, fl.Name) && f.own[fl.Name] {
			out = append(out, "--"+fl.Name)
		}
	})
	return out
}

// narrowTo keeps, of the link's runs, those over the protocols proto names
// (a comma-separated list, or all): each run keeps the protocols of its own
// that proto names, and a variant with none left is dropped. Picking among
// them keeps the page's runs (a run's trace does not depend on the others);
// none left is an error naming the protocols the page runs.
func narrowTo(s *scenario.Scenario, proto string) error {
	if s.Workload != scenario.WorkloadPage {
		// As without a link (it said "pick among" an empty list).
		return fmt.Errorf("--proto: applies to page scenarios, not %q", s.Name)
	}
	want := strings.Split(proto, ",")
	if strings.TrimSpace(proto) == "all" {
		want = scenario.Protocols()
	}
	for i := range want {
		want[i] = strings.TrimSpace(want[i])
		// As --proto without a link: h4 was dropped without a word.
		if !slices.Contains(scenario.Protocols(), want[i]) {
			return fmt.Errorf("--proto: %q is not a protocol (use %s, or all)", want[i], strings.Join(scenario.Protocols(), ", "))
		}
	}
	keep := func(protos []string) []string {
		var out []string
		for _, p := range protos {
			if slices.Contains(want, p) {
				out = append(out, p)
			}
		}
		return out
	}
	var shown []string
	if len(s.Variants) == 0 {
		shown = s.Protocols
		if s.Protocols = keep(s.Protocols); len(s.Protocols) > 0 {
			return nil
		}
	} else {
		var variants []scenario.Variant
		for _, v := range s.Variants {
			shown = append(shown, v.Scenario.Protocols...)
			if k := keep(v.Scenario.Protocols); len(k) > 0 {
				v.Scenario.Protocols = k
				variants = append(variants, v)
			}
		}
		if s.Variants = variants; len(variants) > 0 {
			return nil
		}
	}
	shown = slices.Clone(shown)
	slices.Sort(shown)
	return fmt.Errorf("--proto: the link's page runs none of %s; pick among %s", proto, strings.Join(slices.Compact(shown), ", "))
}
