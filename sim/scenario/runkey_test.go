package scenario

import (
	"testing"
	"time"

	"httpsim/sim/tls"
)

// perturbations change one setting of a scenario and of its variants.
var perturbations = []struct {
	name   string
	change func(s *Scenario)
}{
	{"h1 connections", func(s *Scenario) { s.H1.MaxConns = s.H1.MaxConns%6 + 1 }},
	{"h1 pipelining", func(s *Scenario) { s.H1.Pipelining = !s.H1.Pipelining }},
	{"hpack table", func(s *Scenario) { s.H2.HeaderTableSize = (s.H2.HeaderTableSize + 512) % 8192 }},
	{"h2 scheduler", func(s *Scenario) { s.H2.Scheduler = nextScheduler[s.H2.Scheduler] }},
	{"qpack table", func(s *Scenario) {
		if s.H3.QPACKTableCapacity == 0 {
			s.H3.QPACKTableCapacity, s.H3.QPACKBlockedStreams = 4096, 16
		} else {
			s.H3.QPACKTableCapacity, s.H3.QPACKBlockedStreams = 0, 0
		}
	}},
	{"h3 scheduler", func(s *Scenario) { s.H3.Scheduler = nextScheduler[s.H3.Scheduler] }},
	{"quic ack delay", func(s *Scenario) { s.QUIC.MaxAckDelay += 5 * time.Millisecond }},
	{"tcp initial window", func(s *Scenario) { s.TCP.InitialWindow = s.TCP.InitialWindow%10 + 2 }},
	{"tls version", func(s *Scenario) {
		s.TLS.Version = map[tls.Version]tls.Version{tls.TLS12: tls.TLS13, tls.TLS13: tls.TLS12, tls.None: tls.TLS13}[s.TLS.Version]
	}},
}

var nextScheduler = map[string]string{"seq": "rr", "rr": "urgency", "urgency": "seq", "": "seq"}

// keyedRun runs s asking for run keys and reusing nothing; it returns each
// load's key and trace hash.
func keyedRun(t *testing.T, s *Scenario) (keys, hashes []string) {
	t.Helper()
	res, err := Run(s, Options{Reuse: func(string) *ProtocolRun { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	for _, run := range res.Runs {
		keys = append(keys, run.Key)
		hashes = append(hashes, run.TraceHash)
	}
	return keys, hashes
}

// TestRunKeySameTrace changes one setting at a time in every page scenario
// of the library: a load whose key stays the same must give the same trace
// (the promise callers that reuse runs rely on), and a change of a setting
// a protocol reads must change that protocol's key.
func TestRunKeySameTrace(t *testing.T) {
	reused, rerun := 0, 0
	for _, name := range Names() {
		base, err := Builtin(name)
		if err != nil {
			t.Fatal(err)
		}
		if base.Workload != WorkloadPage {
			continue
		}
		keys, hashes := keyedRun(t, base)
		for _, p := range perturbations {
			s, _ := Builtin(name)
			p.change(s)
			for _, v := range s.Variants {
				p.change(v.Scenario)
			}
			if s.Validate() != nil {
				continue // not a setting this scenario can take
			}
			keys2, hashes2 := keyedRun(t, s)
			if len(keys2) != len(keys) {
				t.Fatalf("%s, %s: %d loads; want %d", name, p.name, len(keys2), len(keys))
			}
			jobs, baseJobs := s.jobs(), base.jobs()
			for i, j := range jobs {
				if keys[i] == "" {
					t.Fatalf("%s: load %d has no run key", name, i)
				}
				same := keys2[i] == keys[i]
				if same {
					reused++
					if hashes2[i] != hashes[i] {
						t.Errorf("%s, %s: %s load %d keeps its run key but its trace changed (%s → %s)", name, p.name, j.proto, i, hashes[i], hashes2[i])
					}
				} else {
					rerun++
				}
				if reads := readsChange(baseJobs[i].s, j); same == reads {
					t.Errorf("%s, %s: %s load %d: run key changed %v; the settings it reads changed %v", name, p.name, j.proto, i, !same, reads)
				}
			}
		}
	}
	if reused == 0 || rerun == 0 {
		t.Errorf("%d loads kept their keys, %d did not; the test needs both", reused, rerun)
	}
	t.Logf("%d loads kept their run keys and traces, %d were re-run", reused, rerun)
}

// readsChange reports whether a load of job j reads a configuration that
// differs from the one a load of base reads (a perturbation changes only
// configurations). A scheduler already at the end of its cycle, or a
// setting a scenario overrides, leaves the configuration, the key and the
// trace as they were.
func readsChange(base *Scenario, j job) bool {
	s, edge := j.s, j.s.Network.Edge != nil
	tlsOrTCP := base.TLS != s.TLS || base.TCP != s.TCP
	switch j.proto {
	case "h1":
		return base.H1 != s.H1 || tlsOrTCP || edge && base.H2 != s.H2
	case "h2":
		return base.H2 != s.H2 || tlsOrTCP
	case "h3":
		return base.H3 != s.H3 || base.QUIC != s.QUIC || base.TLS != s.TLS || edge && (base.H2 != s.H2 || base.TCP != s.TCP)
	}
	return false
}

// TestRunnerReuse runs the default page, changes the HPACK table size and
// runs it again reusing the first result: only HTTP/2 runs again, and the
// result is the one a fresh run gives.
func TestRunnerReuse(t *testing.T) {
	page := func() *Scenario {
		s, _ := Builtin("page")
		s.Protocols = []string{"h1", "h2", "h3"}
		return s
	}
	s := page()
	first, err := Run(s, Options{KeepTrace: true, Reuse: func(string) *ProtocolRun { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	byKey := func(res *Result, calls *int) func(string) *ProtocolRun {
		return func(key string) *ProtocolRun {
			*calls++
			for _, run := range res.Runs {
				if run.Key == key {
					return run
				}
			}
			return nil
		}
	}
	s2 := page()
	s2.H2.HeaderTableSize = 0
	calls := 0
	r, err := Start(s2, Options{KeepTrace: true, Reuse: byKey(first, &calls)})
	if err != nil {
		t.Fatal(err)
	}
	r.Step(0)
	got := r.Result()
	fresh, err := Run(s2, Options{KeepTrace: true})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 3 {
		t.Errorf("Reuse was asked %d times; want once per load (3)", calls)
	}
	for i, run := range got.Runs {
		if run.TraceHash != fresh.Runs[i].TraceHash || run.PLT != fresh.Runs[i].PLT || run.Proto != fresh.Runs[i].Proto {
			t.Errorf("load %d: %s %s PLT %v; fresh run %s %s PLT %v", i, run.Proto, run.TraceHash, run.PLT, fresh.Runs[i].Proto, fresh.Runs[i].TraceHash, fresh.Runs[i].PLT)
		}
		if wantReused := run.Proto != "h2"; (run.Log == first.Runs[i].Log) != wantReused {
			t.Errorf("load %d (%s): reused %v; want %v", i, run.Proto, run.Log == first.Runs[i].Log, wantReused)
		}
	}
	if got.TraceHash != fresh.TraceHash || got.Events != fresh.Events || got.TraceEvents != fresh.TraceEvents || got.Status != fresh.Status {
		t.Errorf("result %s, %d events, %d trace events, %s; fresh run %s, %d, %d, %s",
			got.TraceHash, got.Events, got.TraceEvents, got.Status, fresh.TraceHash, fresh.Events, fresh.TraceEvents, fresh.Status)
	}

	// The same settings again: nothing runs.
	r, err = Start(s2, Options{KeepTrace: true, Reuse: byKey(got, &calls)})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Step(1) || r.Progress() != 1 || r.Log() != nil || r.Now() != 0 {
		t.Errorf("every load reused: Step done %v, Progress %v, Log %v, Now %v; want true, 1, nil, 0", r.Step(1), r.Progress(), r.Log(), r.Now())
	}
	if again := r.Result(); again.TraceHash != fresh.TraceHash || len(again.Runs) != 3 {
		t.Errorf("every load reused: hash %s, %d runs; want %s, 3", again.TraceHash, len(again.Runs), fresh.TraceHash)
	}

	// A run kept without its events cannot stand for one that keeps them.
	lean, _ := Run(s2, Options{Reuse: func(string) *ProtocolRun { return nil }})
	r, _ = Start(s2, Options{KeepTrace: true, Reuse: byKey(lean, &calls)})
	r.Step(0)
	for i, run := range r.Result().Runs {
		if run.Log == lean.Runs[i].Log || run.Log.Kept() == 0 {
			t.Errorf("load %d reused a run that kept no events", i)
		}
	}
}
