package app

import (
	"sync"
	"time"

	"httpsim/sim/scenario"
	"httpsim/sim/tls"
	"httpsim/sim/trace"
)

// keptLoads are the page loads of the last finished runs, with their
// views. The next run offers them to scenario.Options.Reuse by run key, so
// that a change of a setting only some protocols read (the HPACK or QPACK
// table size, HTTP/1.1's connections or pipelining, a scheduler, a protocol
// ticked on or off) re-runs those protocols alone, and going back to
// recent settings (pipelining off again, the seed before the reroll) re-runs
// nothing: a load is a pure function of its key, so the result is the one a
// full re-run gives, trace hash included. A reused load keeps its indexed
// view too, when the view would be built from the same inputs under the
// same names.
type keptLoads struct {
	mu    sync.Mutex // a superseded run may still be finishing
	loads []keptLoad // the latest run's first, then older ones'
}

// keptEvents bounds the trace events kept beside the latest run's: about
// four runs of the default comparison (some 10,000 events, 2 MB each).
const keptEvents = 40_000

type keptLoad struct {
	run    *scenario.ProtocolRun
	view   *runView
	inputs viewInputs
	names  [2]string
}

// viewInputs are what buildPageView reads from a load's scenario besides
// the load itself.
type viewInputs struct {
	rtt           time.Duration
	hpackTable    uint32
	qpackCapacity uint64
	qpackBlocked  uint64 // SETTINGS_QPACK_BLOCKED_STREAMS, with a table
	tls           tls.Version
}

// viewInputsOf returns the inputs of a view of proto's load of s. The
// HPACK table size counts only where HTTP/2 runs (the browser's, or an
// edge's to its origin), the QPACK capacity only for HTTP/3: a change of
// the HPACK table size keeps the HTTP/1.1 and HTTP/3 views.
func viewInputsOf(s *scenario.Scenario, proto string) viewInputs {
	// An "origin only" variant's round trip is longer than the slider's
	// (cache-location's 170 ms against 20), and its ladder's window and
	// lost packets' halfway marks follow it.
	in := viewInputs{rtt: s.Network.BrowserRTT(), tls: s.TLS.Version}
	if proto == "h2" || s.Network.HasEdge() {
		in.hpackTable = s.H2.HeaderTableSize
	}
	if proto == "h3" {
		in.qpackCapacity = s.H3.QPACKTableCapacity
		if in.qpackCapacity > 0 {
			in.qpackBlocked = s.H3.QPACKBlockedStreams
		}
	}
	return in
}

// reuse returns the kept load with run key key, or nil (Options.Reuse).
func (k *keptLoads) reuse(key string) *scenario.ProtocolRun {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, l := range k.loads {
		if l.run.Key == key {
			return l.run
		}
	}
	return nil
}

// view returns the kept view of run (a reused load: it shares the kept
// load's trace), if it was built from the same inputs and names; nil
// otherwise.
func (k *keptLoads) view(run *scenario.ProtocolRun, in viewInputs, names [2]string) *runView {
	if k == nil || run.Log == nil {
		return nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, l := range k.loads {
		if l.run.Log == run.Log && l.inputs == in && l.names == names {
			return l.view
		}
	}
	return nil
}

// keep puts a finished run's loads first, then as many of the loads kept
// before as keptEvents allows, newest first.
func (k *keptLoads) keep(loads []keptLoad) {
	if k == nil {
		return
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	counted := map[*trace.Log]bool{}
	for _, l := range loads {
		counted[l.run.Log] = true
	}
	latest := len(loads)
	events := 0
outer:
	for _, l := range k.loads {
		for _, m := range loads[:latest] {
			if m.run.Log == l.run.Log && m.view == l.view {
				continue outer // reused by the latest run
			}
		}
		if !counted[l.run.Log] && l.run.Log != nil {
			if events+l.run.Log.Kept() > keptEvents {
				break
			}
			events += l.run.Log.Kept()
			counted[l.run.Log] = true
		}
		loads = append(loads, l)
	}
	k.loads = loads
}
