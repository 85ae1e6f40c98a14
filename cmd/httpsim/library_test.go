package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"httpsim/sim/scenario"
)

func TestList(t *testing.T) {
	code, out, errOut := runCLI("list")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	names := scenario.Names()
	if len(lines) != len(names) || len(names) != 24 {
		t.Fatalf("%d lines for %d scenarios; want the 22 lessons, bulk and page", len(lines), len(names))
	}
	for i, n := range names {
		if f := strings.Fields(lines[i]); len(f) < 2 || f[0] != n {
			t.Errorf("line %d: %q; want %s and its title", i, lines[i], n)
		}
	}
	if !strings.Contains(out, "h3-hol             The same loss under HTTP/3: only one stream waits") {
		t.Error("scenario 7's title is missing")
	}
	// Every title starts in one column, after the longest name and two spaces.
	column := strings.Index(lines[0], "One TCP transfer")
	for i, line := range lines {
		if title := strings.TrimLeft(line[len(names[i]):], " "); strings.Index(line, title) != column || line[column-2:column] != "  " {
			t.Errorf("line %d: %q; want its title at column %d", i, line, column)
		}
	}
	_, zh, _ := runCLI("list", "--lang", "zh")
	if !strings.Contains(zh, "队头阻塞") {
		t.Error("the Chinese titles do not use 队头阻塞 for head-of-line blocking")
	}
	if _, _, errOut := runCLI("list", "--lang", "fr"); errOut != "httpsim list: --lang: \"fr\" is not a language (use en or zh)\n" {
		t.Errorf("--lang fr: %q", errOut)
	}
}

func TestShow(t *testing.T) {
	code, out, errOut := runCLI("show", "migration")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"migration — Connection migration: Wi-Fi to cellular, TCP versus QUIC", "PATH_CHALLENGE", "path change at 600ms", "protocols   h2 over TCP with TLS 1.3; h3 over QUIC (TLS 1.3)", "control     rtt 10ms to 300ms, step 10ms\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("show migration lacks %q", want)
		}
	}
	// A scripted loss is named where the rates are: h2-hol's lost packet
	// ran at "loss 0%" with no other word.
	// Plain HTTP is said as such, not "over TLS none".
	if _, out, _ := runCLI("show", "keepalive"); !strings.Contains(out, "\nprotocols   h1 over plain TCP (no TLS)\n") {
		t.Errorf("show keepalive: no plain-TCP protocols line:\n%s", out)
	}
	if _, out, _ := runCLI("show", "h2-hol"); !strings.Contains(out, "loss none (data packet 120 dropped) down / none up\n") {
		t.Errorf("show h2-hol does not name the dropped packet:\n%s", out)
	}
	if _, out, _ := runCLI("run", "--scenario", "h2-hol"); !strings.Contains(out, "loss 0% (down: data packet 120 dropped),") {
		t.Errorf("run h2-hol does not name the dropped packet:\n%s", out)
	}
	_, zh, _ := runCLI("show", "--lang", "zh", "h3-hol")
	if !strings.Contains(zh, "同样的丢包在 HTTP/3 下") || !strings.Contains(zh, "队头阻塞") {
		t.Errorf("show --lang zh h3-hol:\n%s", zh)
	}
	// A control a page link names otherwise says its link key.
	if _, out, _ := runCLI("show", "hpack"); !strings.Contains(out, "control     hpack_table (in a page link: hpack=) 0 to 65536, step 1024\n") {
		t.Errorf("show hpack does not give hpack_table's link key:\n%s", out)
	}
	_, doc, _ := runCLI("show", "--json", "handshakes")
	if s, err := scenario.Decode([]byte(doc)); err != nil || len(s.Variants) != 8 {
		t.Errorf("show --json handshakes does not decode to its eight variants: %v", err)
	}
	// The scenarios written in Go show the page's explanation, in either
	// language.
	for _, c := range []struct{ lang, name, title, text string }{
		{"en", "bulk", "One TCP transfer", "SACK-based loss recovery"},
		{"zh", "bulk", "一次 TCP 传输", "丢包恢复"},
		{"en", "page", "Loading a web page", "head-of-line blocking"},
		{"zh", "page", "加载一个网页", "队头阻塞"},
	} {
		_, out, _ := runCLI("show", "--lang", c.lang, c.name)
		// Undo the wrapping: English breaks at spaces, Chinese anywhere.
		sep := map[string]string{"en": " ", "zh": ""}[c.lang]
		if head, _, _ := strings.Cut(out, "\n"); !strings.Contains(head, c.title) || !strings.Contains(strings.ReplaceAll(out, "\n", sep), c.text) {
			t.Errorf("show --lang %s %s:\n%s\nwant the title %q and an explanation with %q", c.lang, c.name, out, c.title, c.text)
		}
	}
	// The name is an argument, not --scenario's.
	if code, _, errOut := runCLI("show", "nosuch"); code != 2 || errOut != "httpsim show: \"nosuch\" is not a built-in scenario or a .json file (httpsim list shows the built-ins)\n" {
		t.Errorf("show nosuch: exit %d, %q", code, errOut)
	}
	// A file with a byte-order mark, as the page's import takes it.
	bom := filepath.Join(t.TempDir(), "bom.json")
	os.WriteFile(bom, []byte("\ufeff"+`{"version": 1, "name": "bom", "workload": {"kind": "bulk", "size": "20KB"}}`), 0o644)
	if code, out, errOut := runCLI("show", bom); code != 0 || !strings.HasPrefix(out, "bom — ") {
		t.Errorf("show a file with a BOM: exit %d, %q%q", code, out, errOut)
	}
	// The page's explanation describes the web page's default comparison;
	// show says so, since the CLI's page runs HTTP/1.1 without loss.
	if _, out, _ := runCLI("show", "page"); !strings.Contains(strings.ReplaceAll(out, "\n", " "), "opens this scenario with h1, h2, h3 at 2% loss from server to client") {
		t.Errorf("show page does not say what the web page opens with:\n%s", out)
	}
	if _, out, _ := runCLI("show", "--lang", "zh", "page"); !strings.Contains(strings.ReplaceAll(out, "\n", ""), "网页打开此场景时比较 h1, h2, h3") {
		t.Errorf("show --lang zh page does not say it in Chinese:\n%s", out)
	}
	// -h is help, as for every other command: exit 0, with the usage.
	if code, _, errOut := runCLI("show", "-h"); code != 0 || !strings.Contains(errOut, "usage: httpsim show NAME") {
		t.Errorf("show -h: exit %d, %q; want 0 and the usage", code, errOut)
	}
}

// TestShowTakesFlagsAroundTheName: flags go before the scenario's name,
// after it or both (show --json h2-hol --lang zh called --lang an
// unexpected argument), and all of them count.
func TestShowTakesFlagsAroundTheName(t *testing.T) {
	_, text, _ := runCLI("show", "--lang", "zh", "h3-hol")
	_, doc, _ := runCLI("show", "--json", "h3-hol")
	tests := []struct {
		args []string
		want string // what the flags before the name print
	}{
		{[]string{"show", "h3-hol", "--lang", "zh"}, text},
		{[]string{"show", "--lang=zh", "h3-hol"}, text},
		{[]string{"show", "--json", "h3-hol", "--lang", "zh"}, doc},
	}
	for _, tt := range tests {
		code, out, errOut := runCLI(tt.args...)
		if code != 0 || out != tt.want || tt.want == "" {
			t.Errorf("httpsim %s = exit %d, %q%q; want exit 0 and what the flags before the name print", strings.Join(tt.args, " "), code, errOut, out)
		}
	}
}

// Extra arguments are refused, not ignored.
func TestListAndShowRefuseExtraArguments(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"list", "extra"}, `httpsim list: unexpected argument "extra"`},
		{[]string{"show", "page", "bulk"}, `httpsim show: unexpected argument "bulk" (one scenario at a time)`},
		{[]string{"show", "--json", "page", "--lang", "zh", "bulk"}, `httpsim show: unexpected argument "bulk" (one scenario at a time)`},
		{[]string{"show", "--lang", "zh", "page", "--lang", "en"}, "httpsim show: --lang: given twice; give it once\n"},
		{[]string{"show", "page", "--lang", "fr"}, "httpsim show: --lang: \"fr\" is not a language (use en or zh)\n"},
	} {
		code, _, errOut := runCLI(tt.args...)
		if code != 2 || !strings.HasPrefix(errOut, tt.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tt.args, code, errOut, tt.want)
		}
	}
}

// TestTablesEndLinesCleanly: no line of a table ends in spaces, and a
// resource the browser's cache answered shows "-" for its connection and
// its X-Cache (they were -1 and an empty cell).
func TestTablesEndLinesCleanly(t *testing.T) {
	for _, args := range [][]string{{"run", "--scenario", "cache-location"}, {"run", "--scenario", "redirects"}, {"compare", "--scenario", "migration"}} {
		_, out, _ := runCLI(args...)
		for i, line := range strings.Split(out, "\n") {
			if strings.HasSuffix(line, " ") {
				t.Errorf("%s: line %d ends in spaces: %q", strings.Join(args, " "), i+1, line)
			}
		}
	}
	_, out, _ := runCLI("run", "--scenario", "cache-location", "--variant", "browser-cache")
	if !regexp.MustCompile(`\n  /css/style1\.css +200\* +- +530\.3 +- .* -\n`).MatchString(out) {
		t.Errorf("a resource the browser's cache answered:\n%s", out)
	}
}

func TestCompare(t *testing.T) {
	code, out, errOut := runCLI("compare", "--scenario", "page", "--loss", "1%")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"h1          h2          h3", "page load time (ms)", "HoL, summed over resources (ms)", "own-loss delay, summed over resources (ms)", "/img/photo18.jpg"} {
		if !strings.Contains(out, want) {
			t.Errorf("compare page lacks %q", want)
		}
	}
	// What differs between runs is named under the header, run by run:
	// the header said "30 resources" over bundling's pages of 61 and 22,
	// and loss-sweep's columns had no loss rate at all.
	for _, tt := range []struct{ scenario, want string }{
		{"bundling", "(seed 1)\nover 10Mbps, RTT 100ms, loss 0%, TLS 1.3\n  many-files/h1: 61 resources\n  bundled/h1: 22 resources\n  bundled-lazy/h1: 22 resources\n\n"},
		{"loss-sweep", "(seed 2)\n30 resources over 10Mbps, RTT 100ms, TLS 1.3 over TCP, TLS 1.3 in QUIC\n  no-loss/h2: loss 0%\n  no-loss/h3: loss 0%\n  random-1/h2: loss 1%\n"},
	} {
		if _, out, _ := runCLI("compare", "--scenario", tt.scenario); !strings.Contains(out, tt.want) {
			t.Errorf("compare %s: no %q in\n%s", tt.scenario, tt.want, out)
		}
	}
	if _, out, _ := runCLI("run", "--scenario", "bundling"); !strings.Contains(out, "scenario bundling: over 10Mbps, RTT 100ms, loss 0%, TLS 1.3, seed 1\n\nmany-files/h1 (61 resources): page load time") {
		t.Errorf("run bundling: each run's resources not named:\n%s", out)
	}
	_, out, _ = runCLI("compare", "--scenario", "handshakes")
	for _, v := range []string{"http/h1", "tls12/h1", "tls13/h1", "tls13-0rtt/h1", "tls13-0rtt-rejected/h1", "quic/h3", "quic-0rtt/h3", "quic-0rtt-rejected/h3"} {
		if !strings.Contains(out, v) {
			t.Errorf("compare handshakes lacks the column %q", v)
		}
	}
	// A tie, or a difference the figures round away, is no win: the
	// interleave lesson's three schedules end together (943.5088,
	// 943.5088 and 943.4912 ms), as its text says; a row where every
	// run shows the same has no star, and one where several share the
	// best stars each.
	_, out, _ = runCLI("compare", "--scenario", "interleave")
	if !regexp.MustCompile(`\npage load time \(ms\) +943\.5 +943\.5 +943\.5\n`).MatchString(out) {
		t.Errorf("compare interleave: a star on a tie:\n%s", out)
	}
	_, out, _ = runCLI("compare", "--scenario", "page")
	// Over QUIC the packets counted are UDP datagrams, as the page says.
	if !strings.Contains(out, "; over QUIC, packets are UDP datagrams: packets coalesced in one count once)") {
		t.Errorf("compare page: no word that QUIC's packets are datagrams:\n%s", out)
	}
	if _, run, _ := runCLI("run", "--scenario", "page", "--proto", "h3"); !regexp.MustCompile(`\nh3: page load time [0-9.]+ ms, 1 connection, [0-9]+ UDP datagrams \(`).MatchString(run) {
		t.Errorf("run page over h3: its packets are not called datagrams:\n%s", run)
	}
	if !regexp.MustCompile(`\nconnections +6 +1\* +1\*\n`).MatchString(out) || !regexp.MustCompile(`\nHoL, summed over resources \(ms\) +0\.0 +0\.0 +0\.0\n`).MatchString(out) {
		t.Errorf("compare page: the tied best are not all starred:\n%s", out)
	}
	// A failed fetch is shown as failed, never as the best completion;
	// a run with one is not the best of a total (it sent less because
	// its upload failed).
	_, out, _ = runCLI("compare", "--scenario", "get-vs-post")
	if !regexp.MustCompile(`/upload +[0-9.]+\* +failed\n`).MatchString(out) || !regexp.MustCompile(`failed fetches +0\* +1\n`).MatchString(out) ||
		!regexp.MustCompile(`\npage load time \(ms\) +[0-9.]+ +[0-9.]+\n`).MatchString(out) || !regexp.MustCompile(`\nbytes on the wire +[0-9]+ +[0-9]+\n`).MatchString(out) {
		t.Errorf("compare get-vs-post: the upload's row does not say failed:\n%s", out)
	}
	// An edge cache's answers are counted, and listed per resource by run.
	_, out, _ = runCLI("compare", "--scenario", "cache-location")
	if !regexp.MustCompile(`edge hits \(X-Cache\) +0 +0 +29\* +20\n`).MatchString(out) || !regexp.MustCompile(`edge misses +0\* +30 +0\* +0\*\n`).MatchString(out) ||
		!regexp.MustCompile(`edge revalidated +0 +0 +1 +1\n`).MatchString(out) {
		t.Errorf("compare cache-location: no edge hit, miss and revalidation rows:\n%s", out)
	}
	// The JSON counts them too, for runs through an edge only.
	_, out, _ = runCLI("run", "--scenario", "cache-location", "--json")
	var doc struct {
		Runs []struct {
			Variant string
			Edge    *struct{ Hits, Misses, Revalidated int }
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Runs) != 4 || doc.Runs[0].Edge != nil || doc.Runs[2].Edge == nil ||
		*doc.Runs[2].Edge != (struct{ Hits, Misses, Revalidated int }{29, 0, 1}) {
		t.Errorf("run cache-location --json: edge counts %+v (%v); want none for origin, 29 hits and 1 revalidation for edge-hit", doc.Runs, err)
	}
	if _, out, _ = runCLI("run", "--scenario", "cache-location"); !regexp.MustCompile(`/css/style1.css .* HIT\n`).MatchString(out) {
		t.Errorf("run cache-location: no X-Cache column:\n%s", out)
	}
	// compare runs every protocol of a page, so a flag for HTTP/2 or
	// HTTP/3 applies although the scenario's own list is HTTP/1.1 alone.
	if code, _, errOut := runCLI("compare", "--scenario", "page", "--scheduler", "rr"); code != 0 {
		t.Errorf("compare page --scheduler rr: exit %d, %q; want it run", code, errOut)
	}
	// A run a limit stopped says so, and has no latency rather than 0.
	_, out, _ = runCLI("compare", "--scenario", "updates", "--max-time", "1s")
	if !regexp.MustCompile(`mean latency \(ms\) +- +- +-\n`).MatchString(out) || !strings.Contains(out, "(websocket: stopped at the time limit after 0 of 20 updates)") {
		t.Errorf("compare updates stopped at 1 s: no blank latencies or no word of the limit:\n%s", out)
	}
	// A flag applies to every variant, even where the variant fixes the
	// field itself: said, since the comparison is no longer the lesson's.
	if _, _, errOut := runCLI("compare", "--scenario", "hpack", "--hpack-table", "1024"); errOut != "httpsim compare: note: --hpack-table also set what variant \"h2-static\" fixes itself (h2.header_table_size): it no longer differs there\n" {
		t.Errorf("compare hpack --hpack-table 1024: stderr %q; want a note on the variant without a dynamic table", errOut)
	}
	// --reject-0rtt=false sets rejection alone: it was said to set 0-RTT
	// and resumption too.
	want := "httpsim compare: note: --reject-0rtt=false also set what variant \"tls13-0rtt-rejected\" fixes itself (tls.reject_early_data): it no longer differs there\n" +
		"httpsim compare: note: --reject-0rtt=false also set what variant \"quic-0rtt-rejected\" fixes itself (tls.reject_early_data): it no longer differs there\n"
	if _, _, errOut := runCLI("compare", "--scenario", "handshakes", "--reject-0rtt=false"); errOut != want {
		t.Errorf("compare handshakes --reject-0rtt=false: stderr %q; want %q", errOut, want)
	}
	// Variants that differ only in what the protocols run do not read
	// load alike, and their columns show the same: said.
	for _, tt := range []struct{ args, want string }{
		{"keepalive --proto h2", `httpsim compare: note: over h2, variants "http10" and "keepalive" load the page alike: they differ only in settings h2 does not read` + "\n"},
		{"pipelining --proto h3", `httpsim compare: note: over h3, variants "one-connection", "pipelined" and "six-connections" load the page alike: they differ only in settings h3 does not read` + "\n"},
		{"push", ""},
	} {
		if _, _, errOut := runCLI(append([]string{"compare", "--scenario"}, strings.Fields(tt.args)...)...); errOut != tt.want {
			t.Errorf("compare --scenario %s: stderr %q; want %q", tt.args, errOut, tt.want)
		}
	}
	if _, _, errOut := runCLI("compare", "--scenario", "hpack", "--rtt", "50ms"); errOut != "" {
		t.Errorf("compare hpack --rtt 50ms: stderr %q; want none (no variant fixes the RTT)", errOut)
	}
	// It said "stopped at the running" for the event limit.
	_, out, _ = runCLI("compare", "--scenario", "updates", "--max-events", "50")
	if !strings.Contains(out, "(short-poll: stopped at the event limit after 0 of 20 updates)") {
		t.Errorf("compare updates stopped after 50 events: no word of the limit:\n%s", out)
	}
	_, out, _ = runCLI("compare", "--scenario", "page", "--max-time", "200ms")
	if !strings.Contains(out, "(h3: stopped at the time limit before the page loaded)") {
		t.Errorf("compare page stopped at 200 ms: no word of the limit:\n%s", out)
	}
	// A run a limit stopped sent fewer packets because it stopped: no
	// star for it (README), and none for the one run left to compare.
	_, out, _ = runCLI("compare", "--scenario", "page", "--max-time", "1200ms")
	for _, re := range []string{`packets sent +737 +833 +941\n`, `bytes on the wire +\d+ +\d+ +\d+\n`, `page load time \(ms\) +- +- +1088.9\*\n`} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("compare page stopped at 1.2 s: no line %s:\n%s", re, out)
		}
	}
	if code, _, errOut := runCLI("compare", "--scenario", "bulk"); code != 2 || !strings.Contains(errOut, "compare needs a page or updates scenario") {
		t.Errorf("compare bulk: exit %d, %q", code, errOut)
	}
}

// compare splits its HoL row by cause, a row for each cause some run has:
// in each lesson below one cause holds everything back, so its row repeats
// the total's, and no other cause has a row. The JSON names the same cause,
// with the total's time, and no cause for a run held back by none.
func TestCompareHOLByCause(t *testing.T) {
	tests := []struct {
		scenario string
		row      string // the cause's row
		cause    string // its name in hol_by_cause_ms
	}{
		{"h2-hol", "  of which behind others' lost TCP packets", "transport"},
		{"pipelining", "  of which pipelining", "http"},
		{"qpack", "  of which QPACK", "qpack"},
	}
	rowOf := func(out, name string) string {
		m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + `( .*)$`).FindStringSubmatch(out)
		if m == nil {
			return ""
		}
		return strings.Join(strings.Fields(m[1]), " ") // the cells, without the padding
	}
	for _, tt := range tests {
		code, out, errOut := runCLI("compare", "--scenario", tt.scenario)
		if code != 0 {
			t.Fatalf("compare %s: exit %d: %s", tt.scenario, code, errOut)
		}
		total := rowOf(out, holRow)
		if got := rowOf(out, tt.row); total == "" || got != total {
			t.Errorf("compare %s: row %q is %q; want the total's, %q:\n%s", tt.scenario, tt.row, got, total, out)
		}
		if !regexp.MustCompile(regexp.QuoteMeta(holRow) + ` .*\n` + regexp.QuoteMeta(tt.row) + ` `).MatchString(out) {
			t.Errorf("compare %s: row %q is not right under the total:\n%s", tt.scenario, tt.row, out)
		}
		for _, other := range holCauseRows {
			if other != tt.row && strings.Contains(out, other) {
				t.Errorf("compare %s: a row %q for a cause no run has:\n%s", tt.scenario, other, out)
			}
		}

		_, out, _ = runCLI("compare", "--scenario", tt.scenario, "--json")
		var doc struct {
			Runs []struct {
				Proto, Variant string
				HOLMs          float64            `json:"hol_ms"`
				ByCause        map[string]float64 `json:"hol_by_cause_ms"`
			}
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("compare %s --json: %v", tt.scenario, err)
		}
		held := 0
		for _, r := range doc.Runs {
			want := map[string]float64(nil)
			if r.HOLMs > 0 {
				want = map[string]float64{tt.cause: r.HOLMs}
				held++
			}
			if !reflect.DeepEqual(r.ByCause, want) {
				t.Errorf("compare %s --json: %s %s: hol_by_cause_ms %v (hol_ms %v); want %v", tt.scenario, r.Variant, r.Proto, r.ByCause, r.HOLMs, want)
			}
		}
		if held != 1 {
			t.Errorf("compare %s --json: %d runs held back by others; want 1", tt.scenario, held)
		}
	}
}

// show describes what each variant loads where it differs from the base:
// the rpc lesson's variants load a dashboard and its 50 calls from
// api.example.com, over HTTP/1.1 and HTTP/2, not the base's 30 resources.
func TestShowDescribesVariantsPages(t *testing.T) {
	code, out, errOut := runCLI("show", "rpc")
	want := regexp.MustCompile(`\nvariant +rpc-h2 +Binary RPC over HTTP/2\n +page of 51 resources on api\.example\.com, h2\n`)
	if code != 0 || !want.MatchString(out) {
		t.Errorf("show rpc = exit %d, %s%s; want the rpc-h2 variant's page (%v)", code, errOut, out, want)
	}
	if _, out, _ := runCLI("show", "h2-hol"); strings.Count(out, "page of") != 1 {
		t.Errorf("show h2-hol: %s; want one page line (its variants load the base's page)", out)
	}
	// The labels stay in one column past a long name.
	_, out, _ = runCLI("show", "handshakes")
	if !strings.Contains(out, "\nvariant     tls13-0rtt          TCP + TLS 1.3, 0-RTT\nvariant     tls13-0rtt-rejected TCP + TLS 1.3, 0-RTT rejected\n") {
		t.Errorf("show handshakes: the variants' labels out of line:\n%s", out)
	}
}

// TestCompareNamesTheNetwork: compare, and run on an updates scenario,
// say under the title what run's header says of the network: a link's
// loss (down only) and --loss (both ways) gave the same "page (seed 1)"
// over different tables.
func TestCompareNamesTheNetwork(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"compare", "--url", "?s=page&loss=2"}, "page (seed 1)\n30 resources over 10Mbps, RTT 100ms, loss 2% down, 0% up, TLS 1.3 over TCP, TLS 1.3 in QUIC\n\n"},
		{[]string{"compare", "--scenario", "page", "--loss", "2%"}, "page (seed 1)\n30 resources over 10Mbps, RTT 100ms, loss 2%, TLS 1.3 over TCP, TLS 1.3 in QUIC\n\n"},
		{[]string{"run", "--scenario", "updates", "--rtt", "50ms"}, "(seed 1)\n20 updates over 10Mbps, RTT 50ms, loss 0%, TLS 1.3\n\n"},
	}
	for _, tt := range tests {
		code, out, errOut := runCLI(tt.args...)
		if code != 0 || !strings.Contains(out, tt.want) {
			t.Errorf("httpsim %s = exit %d, %s%s; want %q under the title", strings.Join(tt.args, " "), code, errOut, out, tt.want)
		}
	}
	// The same words as run's own header.
	_, run, _ := runCLI("run", "--url", "?s=page&loss=2")
	if !strings.HasPrefix(run, "scenario page: 30 resources over 10Mbps, RTT 100ms, loss 2% down, 0% up, TLS 1.3 over TCP, TLS 1.3 in QUIC, seed 1\n") {
		t.Errorf("run --url ?s=page&loss=2: the header is not compare's line:\n%s", run)
	}
}

// TestSumsSayTheyAreSums: the HoL and own-loss totals are sums over the
// page's resources, and run and compare say so, and give the own-loss
// figure one name (it was run's "loss delay" and compare's "HoL, own
// loss").
func TestSumsSayTheyAreSums(t *testing.T) {
	_, run, _ := runCLI("run", "--scenario", "h2-hol")
	if want := "), summed over resources: HoL 612.1 ms, own-loss delay 154.0 ms\n"; !strings.Contains(run, want) {
		t.Errorf("run h2-hol lacks %q:\n%s", want, run)
	}
	_, cmp, _ := runCLI("compare", "--scenario", "h2-hol", "--proto", "h2,h3")
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`\nHoL, summed over resources \(ms\) +612\.1 +0\.0\*\n`),
		regexp.MustCompile(`\nown-loss delay, summed over resources \(ms\) +154\.0 +145\.2\*\n`),
	} {
		if !want.MatchString(cmp) {
			t.Errorf("compare h2-hol lacks a row %s:\n%s", want, cmp)
		}
	}
	if strings.Contains(run+cmp, ", loss delay ") || strings.Contains(cmp, "HoL, own loss") {
		t.Errorf("an old name of the own-loss figure is left:\n%s\n%s", run, cmp)
	}
}
