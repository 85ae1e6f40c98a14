package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	ui "httpsim/app"
	"httpsim/sim/scenario"
)

// A page link on the command line runs what the page shows: the same runs,
// so the same trace hashes (the e2e tests check the page's against
// Params.Build's), and only the protocols the page compares.
func TestURLRunsWhatThePageShows(t *testing.T) {
	pageHashes := func(query string) []string {
		st, _ := ui.ParseRawQuery(query)
		s, err := st.Params.Build()
		if err != nil {
			t.Fatal(err)
		}
		res, err := scenario.Run(s, scenario.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range res.Runs {
			out = append(out, r.TraceHash)
		}
		return out
	}
	cliHashes := func(args ...string) []string {
		code, out, errOut := runCLI(append([]string{"compare", "--json"}, args...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		var doc struct {
			Runs []struct {
				TraceHash string `json:"trace_hash"`
			}
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		var hashes []string
		for _, r := range doc.Runs {
			hashes = append(hashes, r.TraceHash)
		}
		return hashes
	}
	tests := []struct {
		link  string
		query string // what the page reads of it
		runs  int
	}{
		{"http://127.0.0.1:8080/courses/httpsim/?s=h2-hol&loss=3&seed=7&t=900&panels=ladder#top", "s=h2-hol&loss=3&seed=7", 1},
		{"?loss=2", "loss=2", 3},
		{"s=handshakes&rtt=50", "s=handshakes&rtt=50", 8},
		{"https://example.org/?s=pipelining&conns=2&lang=zh", "s=pipelining&conns=2", 3},
		// No query before the fragment: the page's default comparison.
		{"https://example.org/httpsim/#?s=h2-hol", "", 3},
	}
	for _, tt := range tests {
		got, want := cliHashes("--url", tt.link), pageHashes(tt.query)
		if !slices.Equal(got, want) || len(got) != tt.runs {
			t.Errorf("compare --url %q: trace hashes %v; want the page's %v (%d runs)", tt.link, got, want, tt.runs)
		}
	}
	// The page's loss is the server's direction only; --loss is both.
	if slices.Equal(cliHashes("--url", "?loss=2"), cliHashes("--loss", "2%")) {
		t.Error("--url ?loss=2 and --loss 2% ran the same; the page's loss is one way")
	}
	// The page's scheduler (sched=) is HTTP/2's only; --scheduler, which
	// names no protocol, orders HTTP/3's responses too. The help says so.
	def, seq := cliHashes("--url", "?proto=h2,h3"), cliHashes("--url", "?proto=h2,h3&sched=seq")
	if def[0] == seq[0] || def[1] != seq[1] {
		t.Errorf("compare --url sched=seq: HTTP/2 %s, HTTP/3 %s; default %s, %s: want HTTP/2's changed alone", seq[0], seq[1], def[0], def[1])
	}
	def, seq = cliHashes("--proto", "h3"), cliHashes("--proto", "h3", "--scheduler", "seq")
	if slices.Equal(def, seq) {
		t.Error("--scheduler seq left HTTP/3's run as it was; want it to order HTTP/3's responses too")
	}
	if _, out, _ := runCLI("compare", "-h"); !strings.Contains(out, "over HTTP/2 and HTTP/3 both") || !strings.Contains(out, "sched= set HTTP/2's only") {
		t.Errorf("compare -h does not say --scheduler sets HTTP/3's scheduler too and the page's HTTP/2's only:\n%s", out)
	}
	// --proto picks among the link's runs: the page's HTTP/2 run alone;
	// the handshakes lesson's five variants over TCP, not its QUIC ones
	// over TCP too.
	if got := cliHashes("--url", "?loss=2", "--proto", "h2"); len(got) != 1 || got[0] != pageHashes("loss=2")[1] {
		t.Errorf("compare --url ?loss=2 --proto h2: %v; want the page's HTTP/2 run alone", got)
	}
	if got, all := cliHashes("--url", "?s=handshakes", "--proto", "h1"), pageHashes("s=handshakes"); !slices.Equal(got, all[:5]) {
		t.Errorf("compare --url ?s=handshakes --proto h1: %v; want the page's five runs over TCP, %v", got, all[:5])
	}
}

func TestURLBadInput(t *testing.T) {
	tests := []struct {
		args    []string
		code    int
		errPart string
	}{
		{[]string{"compare", "--url", "?loss=2", "--loss", "3%"}, 2, "httpsim compare: --url: the link gives every setting of the run; drop --loss (of the scenario's flags, only --proto, --max-time and --max-events may go with it)\n"},
		{[]string{"run", "--url", "?s=h2-hol", "--scenario", "h3-hol", "--seed", "4"}, 2, "httpsim run: --url: the link gives every setting of the run; drop --scenario, --seed (of the scenario's flags, only"},
		{[]string{"run", "--url", ""}, 2, "httpsim run: --url: empty: give a page link, or its query (?s=h2-hol&loss=3)\n"},
		{[]string{"run", "--url", "?loss=1", "--url", "?loss=2"}, 2, "httpsim run: --url: given twice; give it once\n"},
		// --proto picks among the link's protocols only: h2-hol's page
		// runs HTTP/2 alone.
		{[]string{"compare", "--url", "?s=h2-hol", "--proto", "h3"}, 2, "httpsim compare: --proto: the link's page runs none of h3; pick among h2\n"},
		// It said "pick among" an empty list.
		{[]string{"run", "--url", "?s=bulk", "--proto", "h1"}, 2, "httpsim run: --proto: applies to page scenarios, not \"bulk\"\n"},
		{[]string{"compare", "--url", "?s=updates", "--proto", "h1"}, 2, "httpsim compare: --proto: applies to page scenarios, not \"updates\"\n"},
		// An unknown protocol is refused as without a link, not dropped.
		{[]string{"compare", "--url", "?s=h2-hol", "--proto", "h4,h2"}, 2, "httpsim compare: --proto: \"h4\" is not a protocol (use h1, h2, h3, or all)\n"},
		// A variant's protocols are the link's lesson's, not the default
		// scenario's.
		{[]string{"export", "--url", "?s=handshakes", "--variant", "quic", "--proto", "h1", "--out", "-"}, 2, "httpsim export: --proto: variant \"quic\" runs h3, not h1"},
		{[]string{"export", "--format", "svg", "--panel", "ladder", "--url", "?s=handshakes", "--variant", "quic", "--proto", "h1", "--out", "-"}, 2, "httpsim export: --proto: variant \"quic\" runs h3, not h1"},
		// Neither a link nor a query: it ran the default page.
		{[]string{"run", "--url", "garbage"}, 2, "httpsim run: --url: \"garbage\" is not a page link or its query (like http://host/?s=h2-hol&loss=3, or ?s=h2-hol&loss=3)\n"},
		{[]string{"run", "--url", "%zz"}, 2, "httpsim run: --url: \"%zz\" is not a page link or its query"},
		{[]string{"run", "--url", "http://host/%zz/?s=h2-hol"}, 2, "httpsim run: --url: \"http://host/%zz/?s=h2-hol\" is not a page link: invalid URL escape \"%zz\"\n"},
		// The notices, whatever the export's format.
		{[]string{"export", "--url", "?s=h2-hol&loss=abc", "--out", "-"}, 0, "httpsim export: note: --url: Ignored loss=abc"},
		// The page's notices, as notes; the run goes on as the page's.
		{[]string{"compare", "--url", "?loss=abc&rtt=0"}, 0, "httpsim compare: note: --url: Ignored loss=abc: want a number, 0–20%.\nhttpsim compare: note: --url: rtt=0 is out of range"},
	}
	for _, tt := range tests {
		code, _, errOut := runCLI(tt.args...)
		if code != tt.code || !strings.HasPrefix(errOut, tt.errPart) {
			t.Errorf("%v: exit %d, %q; want %d and %q", tt.args, code, errOut, tt.code, tt.errPart)
		}
	}
}
