package app

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"httpsim/sim/scenario"
)

// other is b if v is a, and a otherwise: another value than v.
func other[T comparable](v, a, b T) T {
	if v == a {
		return b
	}
	return a
}

// changedBy returns p with control c set to another valid value.
func changedBy(p Params, c Control) Params {
	switch c {
	case CtlLoss:
		p.LossPermille = other(p.LossPermille, 0, 20)
	case CtlBurst:
		p.Burst = other(p.Burst, 1, 5)
	case CtlRTT:
		p.RTTMillis = other(p.RTTMillis, 50, 60)
	case CtlBandwidth:
		p.BandwidthKbps = other(p.BandwidthKbps, 5000, 6000)
	case CtlSeed:
		p.Seed++
	case CtlProtocols:
		p.Protos = other(p.Protos, "h2", "h1,h2")
	case CtlScheduler:
		p.Scheduler = other(p.Scheduler, "rr", "seq")
	case CtlConns:
		p.H1Conns = other(p.H1Conns, 2, 3)
	case CtlPipe:
		p.Pipelining = !p.Pipelining
	case CtlHTTP10:
		p.HTTP10 = !p.HTTP10
	case CtlTLS:
		p.TLS = other(p.TLS, "1.2", "1.3")
	case CtlZeroRTT:
		p.ZeroRTT = !p.ZeroRTT
	case CtlHPACK:
		p.HPACKTable = other(p.HPACKTable, 0, 4096)
	case CtlQPACK:
		p.QPACKTable = other(p.QPACKTable, 0, 4096)
	case CtlWarm:
		p.Warm = !p.Warm
	case CtlPush:
		p.Push = !p.Push
	case CtlSize:
		p.SizeKB = other(p.SizeKB, 100, 200)
	}
	return p
}

// fingerprint is every run's input in s: its variants', or its own if it
// has none.
func fingerprint(t *testing.T, s *scenario.Scenario) string {
	t.Helper()
	// What each load reads, when the loads have run keys: a setting a
	// load never reads (the HTTP/2 variant's connection count) changes no
	// key, though it changes the document.
	if keys := scenario.RunKeys(s); len(keys) > 0 && !slices.Contains(keys, "") {
		return strings.Join(keys, "\x00")
	}
	runs := variantScenarios(s)
	if len(runs) == 0 {
		runs = []*scenario.Scenario{s}
	}
	var b strings.Builder
	for _, x := range runs {
		doc, err := scenario.Encode(x)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(doc)
	}
	return b.String()
}

func variantScenarios(s *scenario.Scenario) []*scenario.Scenario {
	var out []*scenario.Scenario
	for _, v := range s.Variants {
		out = append(out, v.Scenario)
	}
	return out
}

// Every control a lesson shows changes what it runs. A control that every
// variant overrides (the interleave lesson's scheduler, the caching
// lesson's warm cache) does nothing, and a teacher who moves it sees no
// change and cannot tell why.
func TestEveryControlChangesTheRun(t *testing.T) {
	for _, e := range Library() {
		s, err := scenario.Builtin(e.Name)
		if err != nil {
			t.Fatal(err)
		}
		base := ParamsFrom(s)
		base.Scenario = e.Name
		if base.LossPermille == 0 {
			base.LossPermille = 10 // the burst length matters only with loss
		}
		if e.Has(CtlProtocols) {
			// An HTTP/2 setting matters once HTTP/2 is ticked.
			base.Protos = strings.Join(availableProtocols, ",")
		}
		for _, c := range e.Controls {
			a, err := base.Build()
			if err != nil {
				t.Fatalf("%s: %v", e.Name, err)
			}
			b, err := changedBy(base, c.ID).Build()
			if err != nil {
				t.Fatalf("%s, %s changed: %v", e.Name, c.ID, err)
			}
			if fingerprint(t, a) == fingerprint(t, b) {
				t.Errorf("%s: changing the %s control changes no run", e.Name, c.ID)
			}
		}
	}
}

// A value from a link outside the lesson's slider range widens the range,
// so that the thumb shows it: ?s=h2-hol&rtt=1000 had the thumb at the
// slider's 300 ms end under a label of 1000 ms.
func TestSliderRangeTakesInTheValue(t *testing.T) {
	q, _ := url.ParseQuery("s=h2-hol&rtt=1000")
	st, _ := ParseState(q)
	e, _ := LibraryLookup("h2-hol")
	html := app.HTMLString(&Controls{Lang: LangEN, Params: st.Params, Entry: e})
	m := regexp.MustCompile(`<input[^>]*id="rtt"[^>]*>`).FindString(html)
	if !strings.Contains(m, `max="1000"`) {
		t.Errorf("RTT slider %s; want its max widened to the value, 1000", m)
	}
}
