package app

import (
	"fmt"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"httpsim/sim/link"
	"httpsim/sim/scenario"
	"httpsim/sim/tls"
)

func TestStateQueryRoundTrip(t *testing.T) {
	bulk := ParamsFrom(scenario.Bulk())
	bulk.LossPermille, bulk.Burst, bulk.Seed = 5, 4, 1<<63+7
	page := DefaultParams()
	page.Scheduler, page.H1Conns, page.Pipelining, page.TLS, page.ZeroRTT = "rr", 2, true, "1.3", true
	page.HPACKTable, page.Warm, page.BandwidthKbps, page.RTTMillis = 0, true, 2500, 37
	page.QPACKTable = 4096
	states := []State{
		DefaultState(),
		{Params: bulk, Panels: PanelLadder | PanelCharts, TimeUS: 123456, Lang: LangZH, HPACKDir: "resp"},
		{Params: page, Panels: PanelLanes, TimeUS: 0, Lang: LangEN, Embed: true, HPACKDir: "resp"},
		{Params: page, Panels: 0, TimeUS: 0, Lang: LangEN, HPACKDir: "resp"},
		// The HPACK panel's direction is part of what a link shows.
		{Params: page, Panels: PanelHPACK, TimeUS: TimeEnd, Lang: LangEN, HPACKDir: "req"},
	}
	for _, st := range states {
		q := st.Query()
		got, notes := ParseState(q)
		if got != st || len(notes) != 0 {
			t.Errorf("ParseState(%s) = %+v, notices %v; want %+v, none", encodeQuery(q), got, notes, st)
		}
		// The URL's text form parses the same.
		if got, notes := ParseRawQuery(encodeQuery(q)); got != st || len(notes) > 0 {
			t.Errorf("ParseRawQuery(%s) = %+v, %v; want %+v and no notice", encodeQuery(q), got, notes, st)
		}
	}
}

func TestParseStateBadInput(t *testing.T) {
	def := DefaultState()
	tests := []struct {
		query   string
		check   func(State) bool
		notices []string // keys, in order
	}{
		{"", func(s State) bool { return s == def }, nil},
		// Simplified Chinese for a Traditional Chinese reader: said.
		{"lang=zh-TW", func(s State) bool { return s.Lang == LangZH }, []string{"notice.lang.simplified"}},
		{"lang=zh-Hant-CN", func(s State) bool { return s.Lang == LangZH }, []string{"notice.lang.simplified"}},
		{"lang=zh-Hans-HK", func(s State) bool { return s.Lang == LangZH }, nil},
		{"lang=zh-CN", func(s State) bool { return s.Lang == LangZH }, nil},
		{"loss=abc", func(s State) bool { return s.Params.LossPermille == def.Params.LossPermille }, []string{"notice.nan"}},
		// A negative number is out of range, not "not a number".
		{"loss=-3", func(s State) bool { return s.Params.LossPermille == 0 }, []string{"notice.clamped"}},
		{"hpack=-5", func(s State) bool { return s.Params.HPACKTable == 0 }, []string{"notice.clamped"}},
		{"seed=-1", func(s State) bool { return s.Params.Seed == 0 }, []string{"notice.clamped"}},
		{"loss=--3", func(s State) bool { return s.Params.LossPermille == def.Params.LossPermille }, []string{"notice.nan"}},
		{"seed=-x", func(s State) bool { return s.Params.Seed == def.Params.Seed }, []string{"notice.nan.whole"}},
		// A seed is a whole number: seed=1.5 was told "want a number".
		{"seed=1.5", func(s State) bool { return s.Params.Seed == def.Params.Seed }, []string{"notice.nan.whole"}},
		// Rounded, then clamped: one notice, with the value used.
		{"bw=0.0001", func(s State) bool { return s.Params.BandwidthKbps == MinBandwidthKbps }, []string{"notice.clamped"}},
		{"loss=99", func(s State) bool { return s.Params.LossPermille == MaxLossPermille }, []string{"notice.clamped"}},
		{"loss=2.25", func(s State) bool { return s.Params.LossPermille == 23 }, []string{"notice.rounded"}},
		// Rounded to nothing is rounded too (a tolerance called it exact).
		{"loss=1e-400", func(s State) bool { return s.Params.LossPermille == 0 }, []string{"notice.rounded"}},
		{"loss=0." + strings.Repeat("0", 100000) + "1", func(s State) bool { return s.Params.LossPermille == 0 }, []string{"notice.rounded"}},
		{"loss=2.50000", func(s State) bool { return s.Params.LossPermille == 25 }, nil},
		{"loss=NaN", func(s State) bool { return s.Params.LossPermille == def.Params.LossPermille }, []string{"notice.nan"}},
		// A number in exponent notation is a number, as in a saved file.
		{"loss=1e3", func(s State) bool { return s.Params.LossPermille == MaxLossPermille }, []string{"notice.clamped"}},
		{"loss=25e-1", func(s State) bool { return s.Params.LossPermille == 25 }, nil},
		{"loss=1e", func(s State) bool { return s.Params.LossPermille == def.Params.LossPermille }, []string{"notice.nan"}},
		{"loss=1e1.5", func(s State) bool { return s.Params.LossPermille == def.Params.LossPermille }, []string{"notice.nan"}},
		{"seed=-3e0", func(s State) bool { return s.Params.Seed == 0 }, []string{"notice.clamped"}},
		{"rtt=0", func(s State) bool { return s.Params.RTTMillis == MinRTTMillis }, []string{"notice.clamped"}},
		// A number too large for the units it is counted in is clamped, the
		// same on every machine: converted, it overflowed, natively to a
		// negative number and in WebAssembly to the largest one.
		{"rtt=99999999999999999999", func(s State) bool { return s.Params.RTTMillis == MaxRTTMillis }, []string{"notice.clamped"}},
		{"rtt=9999999999999999", func(s State) bool { return s.Params.RTTMillis == MaxRTTMillis }, []string{"notice.clamped"}},
		{"bw=1000000000000000Gbps", func(s State) bool { return s.Params.BandwidthKbps == MaxBandwidthKbps }, []string{"notice.clamped"}},
		{"bw=" + strings.Repeat("9", 400), func(s State) bool { return s.Params.BandwidthKbps == MaxBandwidthKbps }, []string{"notice.clamped"}},
		{"loss=9223372036854775807.5", func(s State) bool { return s.Params.LossPermille == MaxLossPermille }, []string{"notice.clamped"}},
		{"t=99999999999999999", func(s State) bool { return s.TimeUS == maxTimeMillis*1000 }, []string{"notice.clamped"}},
		{"seed=18446744073709551616", func(s State) bool { return s.Params.Seed == 1<<64-1 }, []string{"notice.clamped"}},
		{"bw=0.01", func(s State) bool { return s.Params.BandwidthKbps == MinBandwidthKbps }, []string{"notice.clamped"}},
		{"s=nope", func(s State) bool { return s.Params.Scenario == "page" }, []string{"notice.bad"}},
		{"s=bulk", func(s State) bool { return s.Params.Scenario == "bulk" }, nil},
		{"proto=h2,quic", func(s State) bool { return s.Params.Protos == "h2" }, []string{"notice.bad"}},
		{"proto=,,", func(s State) bool { return s.Params.Protos == def.Params.Protos }, []string{"notice.proto.none"}},
		{"sched=fifo", func(s State) bool { return s.Params.Scheduler == def.Params.Scheduler }, []string{"notice.bad"}},
		{"tls=1.2&0rtt=1", func(s State) bool { return !s.Params.ZeroRTT && s.Params.TLS == "1.2" }, []string{"notice.0rtt"}},
		{"pipe=maybe", func(s State) bool { return !s.Params.Pipelining }, []string{"notice.bad"}},
		{"panels=ladder,bogus", func(s State) bool { return s.Panels == PanelLadder }, []string{"notice.panel"}},
		// A typo alone is ignored: the default panels stay open.
		{"panels=ladr", func(s State) bool { return s.Panels == DefaultState().Panels }, []string{"notice.panel"}},
		{"panels=", func(s State) bool { return s.Panels == 0 }, nil},
		{"hdir=both", func(s State) bool { return s.HPACKDir == "resp" }, []string{"notice.bad"}},
		{"t=12.5", func(s State) bool { return s.TimeUS == 12500 }, nil},
		{"t=-4", func(s State) bool { return s.TimeUS == 0 }, []string{"notice.clamped"}},
		{"lang=fr", func(s State) bool { return s.Lang == LangEN }, []string{"notice.bad"}},
		{"lang=zh-CN", func(s State) bool { return s.Lang == LangZH }, nil},
		{"s=page", func(s State) bool { return s == def }, nil},
		// The last of a key given twice, and a notice that says so.
		{"embed=1&loss=1&loss=3", func(s State) bool { return s.Embed && s.Params.LossPermille == 30 }, []string{"notice.twice"}},
	}
	for _, tt := range tests {
		q, err := url.ParseQuery(tt.query)
		if err != nil {
			t.Fatal(err)
		}
		st, notes := ParseState(q)
		var keys []string
		for _, n := range notes {
			keys = append(keys, n.Key)
			for _, l := range []Lang{LangEN, LangZH} {
				if msg := l.Notice(n); strings.Contains(msg, "%!") || msg == n.Key {
					t.Errorf("ParseState(%q): notice %v reads %q in %s", tt.query, n, msg, l.Code())
				}
			}
		}
		if !tt.check(st) || !slices.Equal(keys, tt.notices) {
			t.Errorf("ParseState(%q) = %+v, notices %v; want notices %v and the state checked", tt.query, st, keys, tt.notices)
		}
		if _, err := st.Params.Build(); err != nil {
			t.Errorf("ParseState(%q).Params.Build() = %v; want a valid scenario", tt.query, err)
		}
	}
}

func TestFixed(t *testing.T) {
	tests := []struct {
		s        string
		decimals int
		n        int64
		exact    bool
		err      bool
	}{
		{"2", 1, 20, true, false},
		{"2.5", 1, 25, true, false},
		{"0.125", 3, 125, true, false},
		{"0.1234", 3, 123, false, false},
		{"10", 3, 10000, true, false},
		{"", 1, 0, false, true},
		{"1.2.3", 1, 0, false, true},
		{"+1", 1, 0, false, true},
		{".", 1, 0, false, true},
		{"1e5", 0, 100000, true, false}, // JSON's exponents (RFC 8259 §6)
		{"125e-4", 3, 13, false, false},
		{"1e", 0, 0, false, true},
	}
	for _, tt := range tests {
		n, exact, err := parseFixed(tt.s, tt.decimals)
		if (err != nil) != tt.err || (!tt.err && (n != tt.n || exact != tt.exact)) {
			t.Errorf("parseFixed(%q, %d) = %d, %v, %v; want %d, %v, error %v", tt.s, tt.decimals, n, exact, err, tt.n, tt.exact, tt.err)
		}
	}
	formats := []struct {
		n        int64
		decimals int
		want     string
	}{{25, 1, "2.5"}, {20, 1, "2"}, {10000, 3, "10"}, {5, 3, "0.005"}, {0, 1, "0"}, {123456, 3, "123.456"}}
	for _, tt := range formats {
		if got := formatFixed(tt.n, tt.decimals); got != tt.want {
			t.Errorf("formatFixed(%d, %d) = %q; want %q", tt.n, tt.decimals, got, tt.want)
		}
	}
}

func TestParamsBuild(t *testing.T) {
	tests := []struct {
		name  string
		p     func() Params
		check func(*scenario.Scenario) bool
	}{
		{"default compares every protocol at 2% loss", DefaultParams, func(s *scenario.Scenario) bool {
			return s.Network.Down.Loss.Model == link.Bernoulli && s.Network.Down.Loss.Rate == 0.02 &&
				slices.Equal(s.Protocols, availableProtocols)
		}},
		{"no loss", func() Params { p := DefaultParams(); p.LossPermille = 0; return p }, func(s *scenario.Scenario) bool {
			return s.Network.Down.Loss.Model == link.NoLoss && s.Network.Down.Loss.Rate == 0
		}},
		{"bursts", func() Params { p := DefaultParams(); p.Burst = 4; return p }, func(s *scenario.Scenario) bool {
			return s.Network.Down.Loss.Model == link.Burst && s.Network.Down.Loss.MeanBurst == 4
		}},
		{"0-RTT resumes", func() Params { p := DefaultParams(); p.ZeroRTT = true; return p }, func(s *scenario.Scenario) bool {
			return s.TLS.Version == tls.TLS13 && s.TLS.Resume && s.TLS.EarlyData
		}},
		{"HTTP settings", func() Params {
			p := DefaultParams()
			p.Scheduler, p.H1Conns, p.Pipelining, p.HPACKTable, p.Warm, p.TLS = "seq", 3, true, 256, true, "none"
			return p
		}, func(s *scenario.Scenario) bool {
			return s.H2.Scheduler == "seq" && s.H1.MaxConns == 3 && s.H1.Pipelining && s.H2.HeaderTableSize == 256 &&
				s.Visit.Repeat && s.TLS.Version == tls.None
		}},
		{"bulk keeps its data-only loss", func() Params { p := ParamsFrom(scenario.Bulk()); p.LossPermille = 10; return p }, func(s *scenario.Scenario) bool {
			return s.Workload == scenario.WorkloadBulk && s.Network.Down.Loss.DataOnly && s.Network.Down.Loss.Rate == 0.01
		}},
		{"out of range is clamped", func() Params { p := DefaultParams(); p.RTTMillis, p.LossPermille = 1e9, -4; return p }, func(s *scenario.Scenario) bool {
			return s.Network.RTT.Milliseconds() == MaxRTTMillis && s.Network.Down.Loss.Model == link.NoLoss
		}},
	}
	for _, tt := range tests {
		s, err := tt.p().Build()
		if err != nil {
			t.Errorf("%s: Build() = %v", tt.name, err)
			continue
		}
		if !tt.check(s) {
			t.Errorf("%s: Build() = %+v; the check failed", tt.name, s)
		}
	}
}

func TestParamsFromRoundTrip(t *testing.T) {
	for _, name := range scenario.Names() {
		s, _ := scenario.Builtin(name)
		p := ParamsFrom(s)
		if p != p.Clamped() {
			t.Errorf("ParamsFrom(%s) = %v is not within the controls' limits", name, p)
		}
		b, err := p.Build()
		if err != nil {
			t.Fatalf("ParamsFrom(%s).Build() = %v", name, err)
		}
		if ParamsFrom(b) != p {
			t.Errorf("ParamsFrom(ParamsFrom(%s).Build()) = %v; want %v", name, ParamsFrom(b), p)
		}
	}
}

func TestI18nCatalogue(t *testing.T) {
	for k, m := range messages {
		if m[LangEN] == "" && k != "sum.metric" {
			t.Errorf("message %q has no English", k)
		}
		if m[LangZH] == "" && k != "sum.metric" {
			t.Errorf("message %q has no Chinese", k)
		}
		if strings.Count(m[LangEN], "%") != strings.Count(m[LangZH], "%") {
			t.Errorf("message %q: English and Chinese take different arguments: %q, %q", k, m[LangEN], m[LangZH])
		}
	}
	for _, e := range Library() {
		if e.Explanation[LangEN] == "" || e.Explanation[LangZH] == "" {
			t.Errorf("built-in scenario %s has no explanation in both languages", e.Name)
		}
	}
	if got := LangZH.T("no.such.key"); got != "no.such.key" {
		t.Errorf("T(missing) = %q; want the key", got)
	}
}

// A clamped value's notice names the accepted range.
func TestClampedNoticeNamesTheRange(t *testing.T) {
	_, notes := ParseState(url.Values{"rtt": {"0"}, "loss": {"99"}})
	want := []string{
		"loss=99 is out of range (0 to " + formatFixed(MaxLossPermille, 1) + "%); using " + formatFixed(MaxLossPermille, 1) + "%.",
		"rtt=0 is out of range (" + formatFixed(MinRTTMillis, 0) + " to 1000 ms); using 1 ms.",
	}
	var got []string
	for _, n := range notes {
		got = append(got, LangEN.Notice(n))
	}
	if !slices.Equal(got, want) {
		t.Errorf("notices %q; want %q", got, want)
	}
	// A value that is no number says what would be.
	_, notes = ParseState(url.Values{"bw": {"fast"}})
	if len(notes) != 1 || LangEN.Notice(notes[0]) != "Ignored bw=fast: want a number, 0.1–1000 Mbps." {
		t.Errorf("bw=fast: notices %v; want one naming the range and unit", notes)
	}
}

// Values may carry the unit their notices name, and a query the standard
// parser would drop pairs of ("2%", ";") keeps the rest and says what it
// ignored.
func TestParseQueryForgives(t *testing.T) {
	for v, kbps := range map[string]int{"1Gbps": 1_000_000, "500kbps": 500, "2.5Mbps": 2500} {
		if st, notes := ParseState(url.Values{"bw": {v}}); st.Params.BandwidthKbps != kbps || len(notes) != 0 {
			t.Errorf("bw=%s: %d kbps, notices %v; want %d", v, st.Params.BandwidthKbps, notes, kbps)
		}
	}
	q, _ := parseQuery("loss=2%&rtt=50ms&bw=10Mbps&seed=7&conns=3;pipe=1&x=%zz&s=p%61ge")
	st, notes := ParseState(q)
	p := st.Params
	if p.LossPermille != 20 || p.RTTMillis != 50 || p.BandwidthKbps != 10000 || p.Seed != 7 || p.Scenario != "page" {
		t.Errorf("loss %d‰, rtt %d ms, bw %d kbps, seed %d, %s; want 20, 50, 10000, 7, page", p.LossPermille, p.RTTMillis, p.BandwidthKbps, p.Seed, p.Scenario)
	}
	if len(notes) != 1 || notes[0].Key != "notice.nan" || notes[0].Args[1] != "3;pipe=1" {
		t.Errorf("notices %v; want one, for conns=3;pipe=1", notes)
	}
	// An embedded page without a panel would show nothing.
	st, notes = ParseState(url.Values{"embed": {"1"}, "panels": {","}})
	if st.Panels != DefaultState().Panels || len(notes) != 1 || notes[0].Key != "notice.panels.none" {
		t.Errorf("embed=1&panels=,: panels %b, notices %v; want the default panels and a notice", st.Panels, notes)
	}
}

// A key for a setting the scenario has no control for is ignored with a
// notice, and the scenario keeps its own value: HTTP/1.0 from the URL
// turned pipelining off in lessons that cannot turn it back on.
func TestParseStateIgnoresSettingsTheScenarioLacks(t *testing.T) {
	for _, tt := range []struct {
		query string
		check func(Params) bool
	}{
		{"s=bulk&size=50", func(p Params) bool { return p.SizeKB == ParamsFrom(scenario.Bulk()).SizeKB }},
		{"s=page&http10=1&pipe=1", func(p Params) bool { return !p.HTTP10 && p.Pipelining }},
		// The scenario's own value spelled otherwise ("no" where the page
		// leaves http10 out) is not a change to refuse: only size is said.
		{"s=bulk&size=50&http10=no", func(p Params) bool { return p.SizeKB == ParamsFrom(scenario.Bulk()).SizeKB }},
	} {
		q, _ := url.ParseQuery(tt.query)
		st, notes := ParseState(q)
		if len(notes) != 1 || notes[0].Key != "notice.unexposed" || !tt.check(st.Params) {
			t.Errorf("ParseState(%s) = %v, notices %v; want the scenario's own value and one notice", tt.query, st.Params, notes)
		}
	}
}

// A notice repeats at most maxEcho characters of a value: a megabyte
// pasted into a URL was shown in full, in the text and its aria-label.
func TestNoticesShortenValues(t *testing.T) {
	long := strings.Repeat("长", 1<<20)
	for _, k := range []string{"loss", "s", "pipe", "sched", "lang", "seed", "proto", "panels"} {
		_, notes := ParseState(url.Values{k: {long}})
		if len(notes) == 0 {
			t.Errorf("%s=(1M characters): no notice", k)
			continue
		}
		want := k + "=" + strings.Repeat("长", maxEcho) + "…"
		if k == "panels" {
			want = strings.Repeat("长", maxEcho) + "…"
		}
		if msg := LangEN.Notice(notes[0]); len(msg) > 1000 || !strings.Contains(msg, want) {
			t.Errorf("%s=(1M characters): notice %.1000q; want it with %q", k, msg, want)
		}
	}
	if got := echo("short"); got != "short" {
		t.Errorf("echo(short) = %q; want it as it is", got)
	}
}

// TestParseStateNamesMisspelledKeys: a key one slip from a setting's
// (LOSS=5, los=5) changed nothing without a word; it gets a notice that
// names the setting meant, while keys that are no slip of the page's
// (tracking parameters a link picks up) still pass in silence.
func TestParseStateNamesMisspelledKeys(t *testing.T) {
	tests := []struct {
		query string
		want  [][]string // notice.slip arguments, in key order
	}{
		{"LOSS=5", [][]string{{"LOSS", "loss"}}},
		{"los=5&rtt=50&bww=5Mbps", [][]string{{"bww", "bw"}, {"los", "loss"}}},
		{"lsos=5&Seed=3", [][]string{{"Seed", "seed"}, {"lsos", "loss"}}},
		{"S=page&T=5", [][]string{{"S", "s"}, {"T", "t"}}},
		{"fbclid=abc&utm_source=x&x=1&tt=2&loss=5", nil},
		// A key given twice is no slip (TestParseStateSaysAKeyTwice).
		{"loss=1&loss=2", nil},
		// The names `httpsim show` lists a scenario's controls by.
		{"s=hpack&hpack_table=1024&bandwidth=5&scheduler=seq&Warm_Cache=1&rtt=50", [][]string{{"Warm_Cache", "warm"}, {"bandwidth", "bw"}, {"hpack_table", "hpack"}, {"scheduler", "sched"}}},
	}
	for _, tt := range tests {
		_, notes := ParseRawQuery(tt.query)
		if got := noticeArgs(notes, "notice.slip"); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseState(%s) slips = %q; want %q", tt.query, got, tt.want)
		}
	}
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"loss", "loss", true}, {"los", "loss", true}, {"losss", "loss", true}, {"lsos", "loss", true},
		{"lost", "loss", true}, {"lo", "loss", false}, {"sol", "loss", false}, {"rtts", "rtt", true}, {"tr", "rtt", false},
	} {
		if got := oneSlipApart(tt.a, tt.b); got != tt.want {
			t.Errorf("oneSlipApart(%q, %q) = %v; want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestEverySettingOfTheControlsBuilds: whatever the controls allow
// together, Build runs it; the page never shows an error for a combination
// of its own controls (plain HTTP with 0-RTT: 0-RTT is off there).
func TestEverySettingOfTheControlsBuilds(t *testing.T) {
	for _, name := range scenario.Names() {
		s, err := scenario.Builtin(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, version := range tlsVersions {
			for _, protos := range []string{"h1", "h2", "h3", "h1,h2", "h1,h2,h3"} {
				for _, zero := range []bool{false, true} {
					p := LessonParams(s)
					p.TLS, p.Protos, p.ZeroRTT = version, protos, zero
					if _, err := p.Build(); err != nil {
						t.Errorf("%s with tls=%s proto=%s 0rtt=%v: Build() = %v; want a run", name, version, protos, zero, err)
					}
				}
			}
		}
	}
}

func TestPlainDecimal(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"2.5", "2.5", true},
		{"1e9", "1000000000", true},
		{"25E-1", "2.5", true},
		{"-3e0", "-3", true},
		{"1.25e1", "12.5", true},
		{"5e-3", "0.005", true},
		{".5e1", "5", true},
		{"9007199254740993e0", "9007199254740993", true},
		// Trailing zeros after the point go ("1.00e1" is the seed 10).
		{"1.00e1", "10", true},
		{"12.0e0", "12", true},
		{"10e-1", "1", true},
		{"1.50e1", "15", true},
		// Zero at any exponent; beyond ±maxExponent, written at the bound.
		{"0e5000", "0", true},
		{"0.0e-99999999999999999999", "0", true},
		{"1e1001", "1" + strings.Repeat("0", maxExponent), true},
		{"1e-1001", "0." + strings.Repeat("0", maxExponent-1) + "1", true},
		{"1e99999999999999999999", "1" + strings.Repeat("0", maxExponent), true},
		{"1e", "", false},
		{"e5", "", false},
		{"1e1.5", "", false},
		{"1x2e3", "", false},
	}
	for _, tt := range tests {
		if got, ok := plainDecimal(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("plainDecimal(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// A key given twice with different values: the last is read, as URL parsers
// do, and said; the same value twice says nothing. s=page&s=bulk opened the
// bulk lesson without a word.
func TestParseStateSaysAKeyTwice(t *testing.T) {
	tests := []struct {
		query  string
		want   [][]string // notice.twice arguments, in the page's key order
		lesson string
	}{
		{"s=page&s=bulk", [][]string{{"s", "2", "bulk"}}, "bulk"},
		{"loss=1&loss=1&loss=3&rtt=50&rtt=50", [][]string{{"loss", "3", "3"}}, "page"},
		{"rtt=50&rtt=50", nil, "page"},
	}
	for _, tt := range tests {
		st, notes := ParseRawQuery(tt.query)
		if got := noticeArgs(notes, "notice.twice"); !reflect.DeepEqual(got, tt.want) || st.Params.Scenario != tt.lesson {
			t.Errorf("ParseState(%s): twice %q, lesson %s; want %q, %s", tt.query, got, st.Params.Scenario, tt.want, tt.lesson)
		}
	}
	if got := LangEN.Notice(Notice{Key: "notice.twice", Args: []string{"s", "2", "bulk"}}); got != "s is given 2 times with different values; only the last, bulk, is read." {
		t.Errorf("the notice reads %q", got)
	}
}

// noticeArgs is the arguments of each of notes with key, in order.
func noticeArgs(notes []Notice, key string) [][]string {
	var args [][]string
	for _, n := range notes {
		if n.Key == key {
			args = append(args, n.Args)
		}
	}
	return args
}

// A notice's echo of a value is one line of plain text: a direction
// override (?s=%E2%80%AEegap) turned the rest of the notice's line around.
func TestEchoIsPlainText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"short", "short"},
		{"\u202eegap", "\ufffdegap"},
		{"a\x00b\nc\rd\te", "a\ufffdb\ufffdc\ufffdd\ufffde"},
		{"a\u2066b\u2069", "a\ufffdb\ufffd"},
		{"a\xffb", "a\ufffdb"},
		{"名字", "名字"},
		{strings.Repeat("\u202e", maxEcho+1), strings.Repeat("\ufffd", maxEcho) + "…"},
	}
	for _, tt := range tests {
		if got := echo(tt.in); got != tt.want {
			t.Errorf("echo(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
	_, notes := ParseRawQuery("s=%E2%80%AEegap")
	if len(notes) != 1 || strings.ContainsFunc(LangEN.Notice(notes[0]), scenario.ControlCharacter) {
		t.Errorf("ParseState(s=%%E2%%80%%AEegap) notices = %q; want one, without the override", notes)
	}
}

// seed=1.5 is a number, only not a whole one: the notice says so, in both
// languages.
func TestSeedNoticeWantsAWholeNumber(t *testing.T) {
	_, notes := ParseRawQuery("seed=1.5")
	if len(notes) != 1 {
		t.Fatalf("ParseState(seed=1.5) notices = %v; want one", notes)
	}
	for _, tt := range []struct {
		l    Lang
		want string
	}{
		{LangEN, "Ignored seed=1.5: want a whole number, 0–18446744073709551615."},
		{LangZH, "已忽略 seed=1.5：应为整数，0–18446744073709551615。"},
	} {
		if got := tt.l.Notice(notes[0]); got != tt.want {
			t.Errorf("Notice(seed=1.5) in %s = %q; want %q", tt.l.Code(), got, tt.want)
		}
	}
}

// notice.unexposed names the scenario in the language the page shows it
// in: the URL's lang=zh stayed in the notice after a switch to English.
func TestUnexposedNoticeFollowsTheLanguage(t *testing.T) {
	st, notes := ParseRawQuery("s=h2-hol&lang=zh&tls=1.2")
	if st.Lang != LangZH || len(notes) != 1 {
		t.Fatalf("ParseState(s=h2-hol&lang=zh&tls=1.2) = %v, notices %v; want Chinese and one notice", st.Lang, notes)
	}
	e, _ := LibraryLookup("h2-hol")
	for _, l := range []Lang{LangEN, LangZH} {
		if got, want := l.Notice(notes[0]), l.T("notice.unexposed", "tls", "1.2", e.Title[l]); got != want {
			t.Errorf("Notice(s=h2-hol&lang=zh&tls=1.2) in %s = %q; want %q", l.Code(), got, want)
		}
	}
}

// A query of more than 10,000 pairs, empty ones included, opened the
// default page without a word: url.ParseQuery refuses it (Go 1.24) and
// its error was dropped. Empty pairs are skipped; past maxQueryPairs
// others, the rest are ignored with a notice that says how many.
func TestParseRawQueryManyPairs(t *testing.T) {
	tests := []struct {
		raw      string
		scenario string
		loss     int
		timeUS   int64
		notes    [][]string // notice.query.many arguments
	}{
		{"s=h2-hol&loss=3&t=450" + strings.Repeat("&", 10000), "h2-hol", 30, 450000, nil},
		{strings.Repeat("&", 20000) + "s=h2-hol&&&loss=3&;&t=450", "h2-hol", 30, 450000, nil},
		{"s=h2-hol&loss=3&" + strings.Repeat("x=1&", maxQueryPairs-2) + "t=450&y=2&z=3", "h2-hol", 30, TimeEnd, [][]string{{"1000", "3"}}},
	}
	for _, tt := range tests {
		st, notes := ParseRawQuery(tt.raw)
		if got := noticeArgs(notes, "notice.query.many"); st.Params.Scenario != tt.scenario || st.Params.LossPermille != tt.loss || st.TimeUS != tt.timeUS || !reflect.DeepEqual(got, tt.notes) {
			t.Errorf("ParseRawQuery(%.40q…) = %s, %d‰, t %d µs, notice.query.many %q; want %s, %d‰, t %d µs, %q",
				tt.raw, st.Params.Scenario, st.Params.LossPermille, st.TimeUS, got, tt.scenario, tt.loss, tt.timeUS, tt.notes)
		}
	}
}

// One parameter gives one notice, naming each bad value once and the
// first few of them only: panels=x,x,… gave 300,000 notices (25 MB), and
// proto=h4,h4,h4 three the same.
func TestNoticesPerKeyAreFew(t *testing.T) {
	many := func(prefix string, n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "%s%d,", prefix, i)
		}
		return b.String()
	}
	tests := []struct {
		query string
		keys  []string // the notices' keys, in order
		args  []string // the first notice's arguments, "" for any
	}{
		{"proto=h4,h4,h2,h4", []string{"notice.bad"}, []string{"proto", "h4", ""}},
		{"proto=h4,h5,h4,h2", []string{"notice.bad"}, []string{"proto", "h4, h5", ""}},
		{"proto=" + strings.Repeat("h9,", 300000), []string{"notice.bad", "notice.proto.none"}, []string{"proto", "h9", ""}},
		{"proto=" + many("h", 300000), []string{"notice.bad.more"}, []string{"proto", "h0, h4, h5, h6, h7, h8, h9, h10, h11", "299988", ""}},
		{"panels=" + strings.Repeat("x,", 300000), []string{"notice.panel"}, []string{"x", ""}},
		{"panels=x,ladder,y,x", []string{"notice.panels.unknown"}, []string{"x, y", ""}},
		{"panels=" + many("p", 300000), []string{"notice.panels.unknown.more"}, []string{"p0, p1, p2, p3, p4, p5, p6, p7, p8, p9", "299990", ""}},
		{"panels=" + strings.Repeat("長", 100) + "," + strings.Repeat("x", 100), []string{"notice.panels.unknown.more"}, []string{strings.Repeat("長", maxEcho) + "…", "1", ""}},
	}
	for _, tt := range tests {
		_, notes := ParseRawQuery(tt.query)
		var keys []string
		size := 0
		for _, n := range notes {
			keys = append(keys, n.Key)
			size += len(LangEN.Notice(n)) + len(LangZH.Notice(n))
		}
		if !slices.Equal(keys, tt.keys) || size > 2000 {
			t.Errorf("ParseRawQuery(%.40s…) notices = %q, %d bytes; want %q, a few hundred bytes", tt.query, keys, size, tt.keys)
			continue
		}
		for i, want := range tt.args {
			if got := notes[0].Args[i]; want != "" && got != want {
				t.Errorf("ParseRawQuery(%.40s…) %s argument %d = %q; want %q", tt.query, keys[0], i, got, want)
			}
		}
	}
}

// However many notices a link gives, the page lists maxNotices of them
// and says how many more there were.
func TestNoticesAreCapped(t *testing.T) {
	// Every spelling of loss, burst and seed but their own in case: 61
	// slips, a notice each.
	var pairs []string
	for _, k := range []string{"loss", "burst", "seed"} {
		for m := 1; m < 1<<len(k); m++ {
			b := []byte(k)
			for i := range b {
				if m&(1<<i) != 0 {
					b[i] -= 'a' - 'A'
				}
			}
			pairs = append(pairs, string(b)+"=1")
		}
	}
	_, notes := ParseRawQuery(strings.Join(pairs, "&"))
	if len(notes) != maxNotices+1 || noticeArgs(notes, "notice.slip") == nil {
		t.Fatalf("ParseRawQuery(61 slips) gave %d notices; want %d", len(notes), maxNotices+1)
	}
	if got, want := notes[maxNotices], (Notice{Key: "notice.more", Args: []string{"41"}}); !reflect.DeepEqual(got, want) {
		t.Errorf("ParseRawQuery(61 slips) last notice = %v; want %v", got, want)
	}
	for _, l := range []Lang{LangEN, LangZH} {
		if msg := l.Notice(notes[maxNotices]); !strings.Contains(msg, "41") || strings.Contains(msg, "%!") {
			t.Errorf("notice.more in %s reads %q", l.Code(), msg)
		}
	}
}

// notice.twice repeats the last value shortened, as other notices do (a
// megabyte was repeated in full), and says it is read, not used: what
// became of it is its own notice's to say. bw=10&bw=abc said abc "is
// used" beside "Ignored bw=abc", and rtt=100&rtt=5000 that 5000 was,
// where 1000 ms was.
func TestTwiceNoticeIsShortAndTrue(t *testing.T) {
	tests := []struct {
		query string
		keys  []string // the notices' keys, in order
		twice []string // notice.twice's arguments
		en    string   // notice.twice in English, "" to skip
	}{
		{"s=h2-hol&s=" + strings.Repeat("z", 1<<20), []string{"notice.bad", "notice.twice"}, []string{"s", "2", strings.Repeat("z", maxEcho) + "…"}, ""},
		{"bw=10&bw=abc", []string{"notice.nan", "notice.twice"}, []string{"bw", "2", "abc"}, "bw is given 2 times with different values; only the last, abc, is read."},
		{"rtt=100&rtt=5000", []string{"notice.clamped", "notice.twice"}, []string{"rtt", "2", "5000"}, "rtt is given 2 times with different values; only the last, 5000, is read."},
		{"s=page&s=%E2%80%AEx", []string{"notice.bad", "notice.twice"}, []string{"s", "2", "\ufffdx"}, ""},
	}
	for _, tt := range tests {
		_, notes := ParseRawQuery(tt.query)
		var keys []string
		for _, n := range notes {
			keys = append(keys, n.Key)
		}
		twice := noticeArgs(notes, "notice.twice")
		if !slices.Equal(keys, tt.keys) || len(twice) != 1 {
			t.Errorf("ParseRawQuery(%.40s…) notices = %q; want %q", tt.query, keys, tt.keys)
			continue
		}
		if !slices.Equal(twice[0], tt.twice) {
			t.Errorf("ParseRawQuery(%.40s…) notice.twice arguments = %.200q; want %q", tt.query, twice[0], tt.twice)
		}
		if tt.en != "" {
			if got := LangEN.Notice(Notice{Key: "notice.twice", Args: twice[0]}); got != tt.en {
				t.Errorf("ParseRawQuery(%.40s…) notice.twice = %q; want %q", tt.query, got, tt.en)
			}
		}
	}
}
