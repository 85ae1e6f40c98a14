package app

import (
	"errors"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"httpsim/sim/scenario"
)

// Panel is one of the page's views; a set of them is a bit mask.
type Panel uint16

// The views, in the order the page shows them.
const (
	PanelSummary Panel = 1 << iota
	PanelLadder
	PanelLanes
	PanelBuffers
	PanelFrames
	PanelHPACK
	PanelCharts

	allPanels = PanelSummary | PanelLadder | PanelLanes | PanelBuffers | PanelFrames | PanelHPACK | PanelCharts
)

// panelNames are the panels' names in URLs, in display order.
var panelNames = []struct {
	p    Panel
	name string
}{
	{PanelSummary, "summary"},
	{PanelLadder, "ladder"},
	{PanelLanes, "lanes"},
	{PanelBuffers, "buffers"},
	{PanelFrames, "frames"},
	{PanelHPACK, "hpack"},
	{PanelCharts, "charts"},
}

// Has reports whether the set holds p.
func (s Panel) Has(p Panel) bool { return s&p != 0 }

// String lists the set's names, comma-separated, in display order.
func (s Panel) String() string {
	var out []string
	for _, n := range panelNames {
		if s.Has(n.p) {
			out = append(out, n.name)
		}
	}
	return strings.Join(out, ",")
}

// State is everything a URL says: the settings, the open panels, the scrub
// time, the language and whether the page is embedded. Opening the same
// State anywhere shows the same thing.
type State struct {
	Params Params
	Panels Panel
	// TimeUS is the scrub time in microseconds of simulated time, or
	// TimeEnd for the end of the run.
	TimeUS int64
	Lang   Lang
	Embed  bool
	// HPACKDir is the direction the HPACK / QPACK panel shows: "resp",
	// the server's responses, or "req", the browser's requests.
	HPACKDir string
}

// TimeEnd is State.TimeUS when the page shows the end of the run.
const TimeEnd = -1

// DefaultState is the page as it opens without a query.
func DefaultState() State {
	return State{Params: DefaultParams(), Panels: allPanels, TimeUS: TimeEnd, Lang: LangEN, HPACKDir: hpackDirs[0]}
}

// Notice is a message about the URL or a file that the page shows: a
// message key (see i18n.go) and its arguments, so that it can be shown in
// either language.
type Notice struct {
	Key  string
	Args []string
}

// Query keys.
const (
	qScenario  = "s"
	qLoss      = "loss"
	qBurst     = "burst"
	qRTT       = "rtt"
	qBandwidth = "bw"
	qSeed      = "seed"
	qProto     = "proto"
	qScheduler = "sched"
	qConns     = "conns"
	qPipe      = "pipe"
	qHTTP10    = "http10"
	qPush      = "push"
	qSize      = "size"
	qTLS       = "tls"
	qZeroRTT   = "0rtt"
	qHPACK     = "hpack"
	qQPACK     = "qpack"
	qWarm      = "warm"
	qPanels    = "panels"
	qTime      = "t"
	qLang      = "lang"
	qEmbed     = "embed"
	qHPACKDir  = "hdir"
)

// hpackDirs are the HPACK panel's directions, the default first.
var hpackDirs = []string{"resp", "req"}

// Query encodes the state as URL query parameters. Every setting is written
// out, defaults included, so that a link means the same thing even if a
// default changes later.
func (s State) Query() url.Values {
	p := s.Params
	q := url.Values{}
	q.Set(qScenario, p.Scenario)
	q.Set(qLoss, formatFixed(int64(p.LossPermille), 1))
	q.Set(qBurst, strconv.Itoa(p.Burst))
	q.Set(qRTT, strconv.Itoa(p.RTTMillis))
	q.Set(qBandwidth, formatFixed(int64(p.BandwidthKbps), 3))
	q.Set(qSeed, strconv.FormatUint(p.Seed, 10))
	q.Set(qProto, p.Protos)
	q.Set(qScheduler, p.Scheduler)
	q.Set(qConns, strconv.Itoa(p.H1Conns))
	q.Set(qPipe, formatBool(p.Pipelining))
	q.Set(qHTTP10, formatBool(p.HTTP10))
	q.Set(qTLS, p.TLS)
	q.Set(qZeroRTT, formatBool(p.ZeroRTT))
	q.Set(qHPACK, strconv.Itoa(p.HPACKTable))
	q.Set(qQPACK, strconv.Itoa(p.QPACKTable))
	q.Set(qPush, formatBool(p.Push))
	q.Set(qWarm, formatBool(p.Warm))
	q.Set(qSize, strconv.Itoa(p.SizeKB))
	q.Set(qPanels, s.Panels.String())
	if s.HPACKDir != "" && s.HPACKDir != hpackDirs[0] {
		// Like the time, a view's setting is written when it is not the
		// default, so that most links stay short.
		q.Set(qHPACKDir, s.HPACKDir)
	}
	if s.TimeUS != TimeEnd {
		q.Set(qTime, formatFixed(s.TimeUS, 3))
	}
	q.Set(qLang, s.Lang.Code())
	if s.Embed {
		q.Set(qEmbed, "1")
	}
	return q
}

// ParseState reads a URL query. Every parameter is optional; a missing one
// keeps its default. A malformed parameter is ignored and one out of range is
// clamped, each with a notice: the page always opens.
func ParseState(q url.Values) (State, []Notice) { return parseState(q, true) }

// parseState is ParseState; exposure says whether to hold keys for settings
// the scenario has no control for to its own values (off when parseState
// reads one such value alone, to compare it with the scenario's).
func parseState(q url.Values, exposure bool) (State, []Notice) {
	st := DefaultState()
	var notes []Notice
	note := func(key string, args ...string) { notes = addNotice(notes, key, args) }
	ignored := map[string]bool{} // keys read as the scenario's own value
	get := func(k string) (string, bool) {
		v, ok := q[k]
		if !ok || len(v) == 0 || ignored[k] {
			return "", false
		}
		return strings.TrimSpace(v[len(v)-1]), true
	}

	if v, ok := get(qLang); ok {
		if l, ok := ParseLang(v); ok {
			st.Lang = l
			if traditionalChinese(v) {
				// Read as zh, and said: a reader of Traditional
				// Chinese gets Simplified.
				note("notice.lang.simplified", qLang, echo(v)) // the last argument is not cut (addNotice)
			}
		} else {
			note("notice.bad", qLang, v, "en, zh")
		}
	}
	if v, ok := get(qScenario); ok {
		if s, err := scenario.Builtin(v); err == nil {
			// As the picker opens it: ?s=page ran HTTP/1.1 alone at 0 %.
			st.Params = LessonParams(s)
		} else {
			note("notice.bad", qScenario, v, strings.Join(scenario.Names(), ", "))
		}
	}
	// A key for a setting the scenario has no control for changes nothing
	// in its run (Params.Build applies exposed controls only): it is read
	// as the scenario's own value, with a notice, so that the page shows
	// what runs. HTTP/1.0 from the URL used to turn pipelining off in a
	// lesson with no HTTP/1.0 control to turn it back on.
	// A value spelled otherwise than the page writes it ("http10=0" where
	// the page leaves the key out, "size=50KB") is read alone to tell
	// whether it is the scenario's own.
	if e, ok := LibraryLookup(st.Params.Scenario); ok && exposure {
		var own url.Values
		for _, c := range urlControls {
			if v, given := get(string(c)); given && !e.Has(c) {
				if own == nil {
					own = State{Params: st.Params}.Query()
				}
				if v != own.Get(string(c)) && !sameValue(own, string(c), v, st.Params) {
					// The scenario's name: Lang.Notice puts its title in
					// the page's language when the notice is shown.
					note("notice.unexposed", string(c), v, e.Name)
					ignored[string(c)] = true
				}
			}
		}
	}
	p := &st.Params

	// num reads a decimal with at most decimals digits after the point as
	// an integer in units of 10^-decimals, clamped to [lo, hi]. The value
	// may end with its unit ("2%", "100ms", "10Mbps"), which notices name.
	num := func(k string, decimals int, lo, hi int64, unit string, set func(int64)) {
		v, ok := get(k)
		if !ok {
			return
		}
		digits, dec := v, decimals
		if u := strings.TrimSpace(unit); u != "" && len(v) > len(u) && strings.EqualFold(v[len(v)-len(u):], u) {
			digits = strings.TrimSpace(v[:len(v)-len(u)])
		} else if k == qBandwidth && len(v) > 4 {
			// A bandwidth in Gbps or kbps, scaled to the Mbps the
			// parameter counts in (bw=1Gbps is 1000).
			switch strings.ToLower(v[len(v)-4:]) {
			case "gbps":
				digits, dec = strings.TrimSpace(v[:len(v)-4]), decimals+3
			case "kbps":
				digits, dec = strings.TrimSpace(v[:len(v)-4]), decimals-3
			}
		}
		// A negative number is a number, below every range here: it is
		// clamped like one above, not refused as "not a number".
		neg := strings.HasPrefix(digits, "-")
		n, exact, err := parseFixed(strings.TrimPrefix(digits, "-"), dec)
		if err != nil {
			note("notice.nan", k, v, formatFixed(lo, decimals)+"–"+formatFixed(hi, decimals)+unit)
			return
		}
		if neg {
			n = -n
		}
		// One notice, naming the value used: bw=0.0001 was said to be
		// rounded to 0, then clamped to 0.1.
		switch c := min(max(n, lo), hi); {
		case c != n:
			note("notice.clamped", k, v, formatFixed(lo, decimals), formatFixed(hi, decimals)+unit, formatFixed(c, decimals)+unit)
			n = c
		case !exact:
			note("notice.rounded", k, v, formatFixed(n, decimals))
		}
		set(n)
	}
	flag := func(k string, set func(bool)) {
		v, ok := get(k)
		if !ok {
			return
		}
		b, ok := parseBool(v)
		if !ok {
			note("notice.bad", k, v, "0, 1")
			return
		}
		set(b)
	}
	choice := func(k string, allowed []string, set func(string)) {
		v, ok := get(k)
		if !ok {
			return
		}
		if !slices.Contains(allowed, v) {
			note("notice.bad", k, v, strings.Join(allowed, ", "))
			return
		}
		set(v)
	}

	num(qLoss, 1, 0, MaxLossPermille, "%", func(n int64) { p.LossPermille = int(n) })
	num(qBurst, 0, MinBurst, MaxBurst, "", func(n int64) { p.Burst = int(n) })
	num(qRTT, 0, MinRTTMillis, MaxRTTMillis, " ms", func(n int64) { p.RTTMillis = int(n) })
	num(qBandwidth, 3, MinBandwidthKbps, MaxBandwidthKbps, " Mbps", func(n int64) { p.BandwidthKbps = int(n) })
	if v, ok := get(qSeed); ok {
		n, bad := readSeed(v, p.Seed)
		if bad != nil {
			notes = addNotice(notes, bad.Key, bad.Args)
		}
		p.Seed = n
	}
	if v, ok := get(qProto); ok {
		// One notice for the names it does not know, each named once:
		// proto=h9,h9,… gave a notice per name, 300,001 of them.
		var keep []string
		var unavailable, bad distinct
		for name := range strings.SplitSeq(v, ",") {
			name = strings.TrimSpace(name)
			switch {
			case name == "":
			case protocolAvailable(name):
				keep = append(keep, name)
			case slices.Contains(candidateProtocols, name):
				unavailable.add(name) // a few at most
			default:
				bad.add(name)
			}
		}
		for _, name := range unavailable.names {
			note("notice.proto.unavailable", name)
		}
		switch list, more := echoList(bad.names); {
		case more > 0:
			note("notice.bad.more", qProto, list, strconv.Itoa(more), strings.Join(availableProtocols, ", "))
		case list != "":
			note("notice.bad", qProto, list, strings.Join(availableProtocols, ", "))
		}
		if c := canonicalProtos(keep); c != "" {
			p.Protos = c
		} else {
			note("notice.proto.none", p.Protos)
		}
	}
	choice(qScheduler, schedulers, func(v string) { p.Scheduler = v })
	num(qConns, 0, MinH1Conns, MaxH1Conns, "", func(n int64) { p.H1Conns = int(n) })
	flag(qPipe, func(b bool) { p.Pipelining = b })
	flag(qHTTP10, func(b bool) { p.HTTP10 = b })
	choice(qTLS, tlsVersions, func(v string) { p.TLS = v })
	flag(qZeroRTT, func(b bool) { p.ZeroRTT = b })
	if p.ZeroRTT && p.TLS != "1.3" {
		p.ZeroRTT = false
		note("notice.0rtt")
	}
	num(qHPACK, 0, 0, MaxHPACKTable, " B", func(n int64) { p.HPACKTable = int(n) })
	num(qQPACK, 0, 0, MaxQPACKTable, " B", func(n int64) { p.QPACKTable = int(n) })
	flag(qPush, func(b bool) { p.Push = b })
	flag(qWarm, func(b bool) { p.Warm = b })
	num(qSize, 0, MinSizeKB, MaxSizeKB, " KB", func(n int64) { p.SizeKB = int(n) })
	if p.HTTP10 && p.Pipelining {
		p.Pipelining = false
		note("notice.http10")
	}
	*p = p.Clamped()

	flag(qEmbed, func(b bool) { st.Embed = b })
	if v, ok := get(qPanels); ok {
		st.Panels = 0
		var unknown distinct
		for name := range strings.SplitSeq(v, ",") {
			name = strings.TrimSpace(name)
			if name == "" {
				continue
			}
			i := slices.IndexFunc(panelNames, func(n struct {
				p    Panel
				name string
			}) bool {
				return n.name == name
			})
			if i < 0 {
				unknown.add(name)
				continue
			}
			st.Panels |= panelNames[i].p
		}
		// One notice for the names it does not know, each named once:
		// panels=x,x,… gave a notice per name, 300,000 of them.
		if len(unknown.names) > 0 {
			names := make([]string, len(panelNames))
			for j, n := range panelNames {
				names[j] = n.name
			}
			all := strings.Join(names, ", ")
			switch list, more := echoList(unknown.names); {
			case more > 0:
				note("notice.panels.unknown.more", list, strconv.Itoa(more), all)
			case len(unknown.names) > 1:
				note("notice.panels.unknown", list, all)
			default:
				note("notice.panel", list, all)
			}
		}
		switch {
		case st.Panels != 0:
		case len(unknown.names) > 0:
			// "panels=ladr", a typo: ignored, as its notice says, so the
			// panels stay as they were. Only "panels=" closes them all.
			st.Panels = DefaultState().Panels
		case st.Embed:
			// An embedded page with no panel would show nothing but the
			// timeline.
			st.Panels = DefaultState().Panels
			note("notice.panels.none", v)
		}
	}
	num(qTime, 3, 0, maxTimeMillis*1000, " ms", func(n int64) { st.TimeUS = n })
	choice(qHPACKDir, hpackDirs, func(v string) { st.HPACKDir = v })
	for _, slip := range misspelledKeys(q) {
		note("notice.slip", slip[0], slip[1])
	}
	// A key given twice with two values ("s=page&s=bulk"): the last is
	// read, as URL parsers do, and said, as a link pasted together from
	// two usually is a mistake. The notice says it is read, not used:
	// what became of it (ignored, clamped) is its own notice's to say;
	// bw=10&bw=abc said abc "is used". The value is the URL's, shortened
	// here: addNotice leaves a notice's last argument as it is.
	for _, k := range queryKeys() {
		if vs := q[k]; len(vs) > 1 && slices.ContainsFunc(vs, func(v string) bool { return strings.TrimSpace(v) != strings.TrimSpace(vs[len(vs)-1]) }) {
			note("notice.twice", k, strconv.Itoa(len(vs)), echo(strings.TrimSpace(vs[len(vs)-1])))
		}
	}
	return st, notes
}

// maxExponent bounds the exponent plainDecimal writes out: 1e1000 is a
// thousand digits. Beyond it a number is as far out of every setting's
// range, or as far below its last digit, as at it: plainDecimal writes it
// at the bound, which clamps or rounds it the same.
const maxExponent = 1000

// plainDecimal writes a number in exponent notation, as JSON allows one
// (RFC 8259 §6: "1e9", "25E-1", "-3e0", "1.00e1"), as a plain decimal
// without trailing zeros after the point ("1000000000", "2.5", "-3",
// "10"), exactly: through a float64, a seed past 2^53 would change. A
// number without an exponent comes back as it is; ok is false for an
// exponent that is not a whole number, or a mantissa that is not a
// decimal.
func plainDecimal(s string) (string, bool) {
	i := strings.IndexAny(s, "eE")
	if i < 0 {
		return s, true
	}
	mant, sign := s[:i], ""
	if strings.HasPrefix(mant, "-") {
		mant, sign = mant[1:], "-"
	}
	whole, frac, _ := strings.Cut(mant, ".")
	digits := whole + frac
	exp := s[i+1:]
	e, err := strconv.Atoi(exp)
	if errors.Is(err, strconv.ErrRange) {
		e, err = maxExponent, nil // a whole number, only far too large
		if strings.HasPrefix(exp, "-") {
			e = -maxExponent
		}
	}
	if err != nil || !isDigits(digits) {
		return "", false
	}
	if strings.Trim(digits, "0") == "" {
		return sign + "0", true // zero, at any exponent
	}
	e = min(max(e, -maxExponent), maxExponent)
	point := len(whole) + e // where the point goes in digits
	switch {
	case point <= 0:
		digits, point = strings.Repeat("0", 1-point)+digits, 1
	case point > len(digits):
		digits += strings.Repeat("0", point-len(digits))
	}
	if frac := strings.TrimRight(digits[point:], "0"); frac != "" {
		return sign + digits[:point] + "." + frac, true
	}
	return sign + digits[:point], true
}

// readSeed reads a seed as typed, in a URL or in the seed field: a number
// too large is clamped to the largest seed and a negative one to 0, and
// anything else leaves the seed at cur, each with a notice (nil if v is a
// seed).
func readSeed(v string, cur uint64) (uint64, *Notice) {
	w, ok := plainDecimal(v)
	n, err := strconv.ParseUint(w, 10, 64)
	switch {
	case !ok:
	case err == nil:
		return n, nil
	case errors.Is(err, strconv.ErrRange):
		// A number, only too large: clamped (n is the largest).
		return n, &Notice{Key: "notice.clamped", Args: []string{qSeed, v, "0", maxSeed, maxSeed}}
	case strings.HasPrefix(w, "-") && isDigits(w[1:]):
		return 0, &Notice{Key: "notice.clamped", Args: []string{qSeed, v, "0", maxSeed, "0"}}
	}
	// "a whole number": seed=1.5 was told it was not a number.
	return cur, &Notice{Key: "notice.nan.whole", Args: []string{qSeed, v, "0–" + maxSeed}}
}

// ParseRawQuery reads a URL's raw query (without its "?") as the page
// opens it: parseQuery, then ParseState, with a notice for the pairs past
// maxQueryPairs that it ignored.
func ParseRawQuery(raw string) (State, []Notice) {
	q, ignored := parseQuery(raw)
	var notes []Notice
	if ignored > 0 {
		notes = addNotice(notes, "notice.query.many", []string{strconv.Itoa(maxQueryPairs), strconv.Itoa(ignored)})
	}
	st, more := ParseState(q)
	return st, append(notes, more...)
}

// maxQueryPairs is how many key=value pairs of a query the page reads.
// It writes about twenty; url.ParseQuery refuses a query of more than
// 10,000 pairs (since Go 1.24), empty ones included, and its error was
// dropped: a link pasted with a run of "&&&" opened the default page
// without a word.
const maxQueryPairs = 1000

// parseQuery parses a URL's query as url.ParseQuery does, but keeps a "%"
// that starts no escape as it is ("loss=2%", as a teacher types it) and a
// ";" as part of a value, where the standard parser drops the whole pair
// without a word; the value then gets its notice from ParseState like any
// other. Empty pairs ("a=1&&b=2") are skipped, and only the first
// maxQueryPairs others are read: it returns how many it left, which
// ParseRawQuery says.
func parseQuery(raw string) (q url.Values, ignored int) {
	q = url.Values{}
	n := 0
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		if n == maxQueryPairs {
			ignored++
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k, err := url.QueryUnescape(forgiveEscapes(k))
		if err != nil {
			continue // unreachable: every escape is well formed now
		}
		v, err = url.QueryUnescape(forgiveEscapes(v))
		if err != nil {
			continue
		}
		q[k] = append(q[k], v)
		n++
	}
	return q, ignored
}

// forgiveEscapes escapes a "%" that starts no escape, and a ";", which
// url.QueryUnescape would refuse or the standard parser split on.
func forgiveEscapes(s string) string {
	if !strings.ContainsAny(s, "%;") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '%' && (i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2])):
			b.WriteString("%25")
		case c == ';':
			b.WriteString("%3B")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// sameValue reports whether key=v, read over the query own of params,
// gives params again.
func sameValue(own url.Values, key, v string, params Params) bool {
	q := url.Values{}
	for k, vs := range own {
		q[k] = vs
	}
	q.Set(key, v)
	st, _ := parseState(q, false)
	return st.Params == params
}

// urlControls are the controls the URL can set, in the order their
// notices are given.
var urlControls = []Control{CtlLoss, CtlBurst, CtlRTT, CtlBandwidth, CtlSeed, CtlProtocols, CtlScheduler,
	CtlConns, CtlPipe, CtlHTTP10, CtlTLS, CtlZeroRTT, CtlHPACK, CtlQPACK, CtlPush, CtlWarm, CtlSize}

// maxTimeMillis bounds the scrub time in the URL: a day, longer than any
// run (the page's runs stop at 10 or 20 simulated minutes).
const maxTimeMillis = 24 * 3600 * 1000

// isDigits reports whether s is one or more ASCII digits.
func isDigits(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool { return r < '0' || r > '9' })
}

// parseFixed parses a non-negative decimal such as "2", "2.5", "0.125" or
// "25e-1" as an integer count of 10^-decimals units, rounding extra digits;
// exact is false if it had to round. Signs, NaN and the like are errors.
// A number too large for an int64 gives math.MaxInt64, for the caller to
// clamp to its range: converting it would overflow, which Go leaves to the
// platform (1e21 became a negative number natively and the largest int64
// in WebAssembly, so one URL showed two states).
func parseFixed(s string, decimals int) (n int64, exact bool, err error) {
	s, ok := plainDecimal(s)
	if !ok || s == "" || strings.ContainsFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' }) ||
		strings.Count(s, ".") > 1 || s == "." {
		return 0, false, strconv.ErrSyntax
	}
	f, _ := strconv.ParseFloat(s, 64) // well formed: at worst +Inf, out of range
	scaled := f * math.Pow10(decimals)
	if scaled >= 1<<62 {
		return math.MaxInt64, true, nil
	}
	n = int64(math.Round(scaled))
	// Exact if no digit past the last one kept is other than 0, read from
	// the digits themselves: a difference below a tolerance called
	// loss=1e-400 exact, and it became 0 % without a word.
	exact = true
	if _, frac, ok := strings.Cut(s, "."); ok && len(frac) > decimals {
		exact = strings.Trim(frac[decimals:], "0") == ""
	}
	return n, exact, nil
}

// formatFixed prints n units of 10^-decimals as a decimal without trailing
// zeros: formatFixed(25, 1) = "2.5", formatFixed(10000, 3) = "10".
func formatFixed(n int64, decimals int) string {
	s := strconv.FormatInt(n, 10)
	if decimals == 0 {
		return s
	}
	neg := n < 0
	if neg {
		s = s[1:]
	}
	for len(s) <= decimals {
		s = "0" + s
	}
	whole, frac := s[:len(s)-decimals], strings.TrimRight(s[len(s)-decimals:], "0")
	if neg {
		whole = "-" + whole
	}
	if frac == "" {
		return whole
	}
	return whole + "." + frac
}

// maxSeed is the largest seed.
const maxSeed = "18446744073709551615"

// addNotice appends a notice about a URL to notes. A notice names what
// it accepts last; the arguments before, or the only one, may echo the
// URL, and are cut short (echo): a megabyte pasted in was shown in full,
// twice. It is not inlined: ParseState gives notices from a dozen places,
// and a copy of the loop in each cost 9 kB of app.wasm.
//
// Past maxNotices, a notice is only counted, in one notice.more at the
// end: each is a list item with a button, and a link can hold hundreds
// of settings the page does not read.
//
//go:noinline
func addNotice(notes []Notice, key string, args []string) []Notice {
	if len(notes) >= maxNotices {
		i := slices.IndexFunc(notes, func(n Notice) bool { return n.Key == "notice.more" })
		if i < 0 {
			return append(notes, Notice{Key: "notice.more", Args: []string{"1"}})
		}
		n, _ := strconv.Atoi(notes[i].Args[0])
		// A copy: notes may share its array with a slice the page holds.
		notes = slices.Clone(notes)
		notes[i] = Notice{Key: "notice.more", Args: []string{strconv.Itoa(n + 1)}}
		return notes
	}
	for i, a := range args {
		if i == 0 || i < len(args)-1 {
			args[i] = echo(a)
		}
	}
	return append(notes, Notice{Key: key, Args: args})
}

// maxNotices is how many notices the page lists; the rest it counts.
const maxNotices = 20

// distinct is a list of names in the order first given, each once.
type distinct struct {
	names []string
	seen  map[string]bool
}

func (d *distinct) add(name string) {
	if d.seen[name] {
		return
	}
	if d.seen == nil {
		d.seen = map[string]bool{}
	}
	d.seen[name] = true
	d.names = append(d.names, name)
}

// echoList is names as a notice lists them: each shortened (echo), as many
// as fit in maxEcho characters (the first always), joined with ", "; more
// is how many were left out.
func echoList(names []string) (list string, more int) {
	n := 0
	for i, name := range names {
		e := echo(name)
		if i > 0 {
			e = ", " + e
			if n+utf8.RuneCountInString(e) > maxEcho {
				return list, len(names) - i
			}
		}
		list += e
		n += utf8.RuneCountInString(e)
	}
	return list, 0
}

// traditionalChinese reports whether a language tag asks for Traditional
// Chinese (RFC 5646 script Hant, or a region that writes it), which the
// page does not have.
func traditionalChinese(tag string) bool {
	t := strings.ToLower(tag)
	if !strings.HasPrefix(t, "zh-") {
		return false
	}
	for _, sub := range strings.Split(t, "-")[1:] {
		switch sub {
		case "hant", "tw", "hk", "mo":
			return true
		case "hans":
			return false
		}
	}
	return false
}

// maxEcho is how many characters of names echoList puts in one notice:
// as many as echo keeps of one (units.Cut's 40).
const maxEcho = 40

// echo is a value as a notice repeats it (scenario.OneLine): cut to 40
// characters (units.Cut), a character that has no place in a line of text
// (scenario.ControlCharacter, as validName refuses in a saved name) or a
// byte that is not UTF-8 shown as U+FFFD. ?s=%E2%80%AEegap put a direction override into the notice,
// which turned the rest of its line around; a NUL or a line break broke it.
func echo(v string) string { return scenario.OneLine(v) }

func formatBool(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "1", "true", "yes", "on":
		return true, true
	case "0", "false", "no", "off":
		return false, true
	}
	return false, false
}
