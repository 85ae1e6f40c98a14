package scenario

import (
	"encoding"
	"encoding/json"
	"reflect"
	"strings"
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

// sharedPerturbations change a setting every protocol's load reads: every
// key must change. They report false where the scenario has no such
// setting.
var sharedPerturbations = []struct {
	name   string
	change func(s *Scenario) bool
}{
	{"seed", func(s *Scenario) bool { s.Seed++; return true }},
	{"rtt", func(s *Scenario) bool { s.Network.RTT += 10 * time.Millisecond; return true }},
	{"bandwidth", func(s *Scenario) bool { s.Network.Bandwidth += s.Network.Bandwidth / 2; return true }},
	{"queue", func(s *Scenario) bool { s.Network.QueueBytes += 30000; return true }},
	{"scripted loss", func(s *Scenario) bool { s.Network.Down.Drop = append(s.Network.Down.Drop, 9); return true }},
	{"resource size", func(s *Scenario) bool {
		s.Page.Resources[len(s.Page.Resources)-1].Size += 1000
		return true
	}},
	{"warm cache", func(s *Scenario) bool { s.Visit.Repeat = !s.Visit.Repeat; return true }},
	{"limits", func(s *Scenario) bool { s.Limits.MaxEvents = 5_000_000 + s.Limits.MaxEvents%7; return true }},
	{"server reset", func(s *Scenario) bool {
		s.Network.ServerResets = append(s.Network.ServerResets, 700*time.Millisecond)
		return true
	}},
	{"edge", func(s *Scenario) bool {
		if s.Network.Edge == nil {
			return false
		}
		s.Network.Edge.RTT += 4 * time.Millisecond
		return true
	}},
	{"path change", func(s *Scenario) bool {
		if len(s.Network.PathChanges) == 0 {
			return false
		}
		s.Network.PathChanges[0].At += 50 * time.Millisecond
		return true
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
		type change struct {
			name   string
			shared bool
			apply  func(*Scenario) bool
		}
		var changes []change
		for _, p := range perturbations {
			changes = append(changes, change{p.name, false, func(s *Scenario) bool { p.change(s); return true }})
		}
		for _, p := range sharedPerturbations {
			changes = append(changes, change{p.name, true, p.change})
		}
		for _, p := range changes {
			s, _ := Builtin(name)
			changed := map[*Scenario]bool{s: p.apply(s)}
			applied := changed[s]
			for _, v := range s.Variants {
				changed[v.Scenario] = p.apply(v.Scenario)
				applied = applied || changed[v.Scenario]
			}
			if !applied || s.Validate() != nil {
				continue // not a setting this scenario has or can take
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
				if reads := p.shared && changed[j.s] || !p.shared && readsChange(baseJobs[i].s, j); same == reads {
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

// TestRunKeySeesEveryField walks the types a run key encodes: the key
// relies on JSON writing every field as it is, so every field must be
// exported and not skipped, no type may marshal itself (it could drop or
// round what it holds), and no field may hold an interface, a function or
// a channel, whose contents JSON cannot be trusted to show.
func TestRunKeySeesEveryField(t *testing.T) {
	skipped := map[string]bool{"Title": true, "Explanation": true, "Controls": true, "Variants": true} // cleared in keys
	jsonMarshaler := reflect.TypeFor[json.Marshaler]()
	textMarshaler := reflect.TypeFor[encoding.TextMarshaler]()
	seen := map[reflect.Type]bool{}
	var walk func(typ reflect.Type, path string)
	walk = func(typ reflect.Type, path string) {
		if seen[typ] {
			return
		}
		seen[typ] = true
		if typ.Implements(jsonMarshaler) || typ.Implements(textMarshaler) ||
			reflect.PointerTo(typ).Implements(jsonMarshaler) || reflect.PointerTo(typ).Implements(textMarshaler) {
			t.Errorf("%s (%v) marshals itself", path, typ)
		}
		switch typ.Kind() {
		case reflect.Interface, reflect.Func, reflect.Chan, reflect.UnsafePointer, reflect.Complex64, reflect.Complex128:
			t.Errorf("%s is a %v, which a JSON key cannot show", path, typ.Kind())
		case reflect.Pointer, reflect.Slice, reflect.Array:
			walk(typ.Elem(), path+"[]")
		case reflect.Map:
			if typ.Key().Kind() != reflect.String {
				t.Errorf("%s is a map keyed by %v", path, typ.Key())
			}
			walk(typ.Elem(), path+"[]")
		case reflect.Struct:
			for i := range typ.NumField() {
				f := typ.Field(i)
				if typ == reflect.TypeFor[Scenario]() && skipped[f.Name] {
					continue
				}
				if !f.IsExported() {
					t.Errorf("%s.%s is unexported: JSON leaves it out of run keys", path, f.Name)
				}
				if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); tag == "-" {
					t.Errorf("%s.%s is tagged json:\"-\": it is left out of run keys", path, f.Name)
				}
				walk(f.Type, path+"."+f.Name)
			}
		}
	}
	walk(reflect.TypeFor[Scenario](), "Scenario")
	if len(seen) < 20 {
		t.Errorf("walked %d types; the scenario has more", len(seen))
	}
}

// A string that is not valid UTF-8 gives no key: JSON would write it as
// another string does.
func TestRunKeyInvalidUTF8(t *testing.T) {
	keys := map[string]bool{}
	for _, end := range []string{"\xff", "\xfe"} {
		s, _ := Builtin("page")
		s.Page.Resources[len(s.Page.Resources)-1].URL += end
		if err := s.Validate(); err != nil {
			t.Skipf("the scenario no longer takes the URL: %v", err)
		}
		k, _ := keyedRun(t, s)
		for _, key := range k {
			if key != "" {
				keys[key] = true
			}
		}
	}
	if len(keys) != 0 {
		t.Errorf("loads of pages whose URLs differ in bytes that are not UTF-8 got run keys; want none")
	}
}
