package app

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"httpsim/sim/scenario"
	"httpsim/sim/web"
)

// The summary tells queue overflows apart from the other losses, so that a
// student who sets the loss to 0 % and still sees packets lost can read why.
func TestSummaryShowsQueueDrops(t *testing.T) {
	run := &scenario.ProtocolRun{Proto: "h2", PacketsSent: 900, PacketsLost: 80, PacketsLostQueue: 77}
	col := summaryOfRun(run)
	if col.Lost != 80 || col.QueueLost != 77 {
		t.Fatalf("summaryOfRun: lost %d, queue %d; want 80 and 77", col.Lost, col.QueueLost)
	}
	col.Names = [2]string{"HTTP/2", "HTTP/2"}
	html := app.HTMLString(&Summary{Cols: []SummaryCol{col}, State: "done"})
	for _, want := range []string{"of which dropped by a full queue", `id="summary-queuelost-0">77<`} {
		if !strings.Contains(html, want) {
			t.Errorf("summary HTML lacks %q", want)
		}
	}
}

// Over QUIC the summary's packets are UDP datagrams, where the ladder draws
// each coalesced packet (a lost datagram crosses several): the labels say
// so when a column is QUIC's, and only then.
func TestSummarySaysQUICCountsDatagrams(t *testing.T) {
	h2 := summaryOfRun(&scenario.ProtocolRun{Proto: "h2", PacketsSent: 900})
	h3 := summaryOfRun(&scenario.ProtocolRun{Proto: "h3", PacketsSent: 800})
	for _, tt := range []struct {
		cols []SummaryCol
		want string
	}{
		{[]SummaryCol{h2}, ">Packets sent<"},
		{[]SummaryCol{h2, h3}, ">Packets sent (over QUIC: UDP datagrams)<"},
	} {
		if html := app.HTMLString(&Summary{Cols: tt.cols, State: "done"}); !strings.Contains(html, tt.want) {
			t.Errorf("summary of %d columns lacks %q", len(tt.cols), tt.want)
		}
	}
}

// With an edge cache the summary counts its hits and misses, and each
// resource's completion says how the edge answered (X-Cache).
func TestSummaryShowsEdgeVerdicts(t *testing.T) {
	views := lessonViews(t, "cache-location")
	cols := summaryCols(views)
	sum := &Summary{Cols: cols, Resources: summaryResources(views), State: "done"}
	if !sum.hasEdge() {
		t.Fatalf("no edge verdicts in %+v", cols)
	}
	html := app.HTMLString(sum)
	// The bytes it counts cross both hops, which the views do not show:
	// the labels say so.
	for _, want := range []string{`id="summary-edgehits-2">29<`, `id="summary-edgemisses-1">30<`, `id="summary-edgereval-2">1<`, "· HIT", "· MISS", "· REVALIDATED",
		LangEN.T("sum.wire.edge"), LangEN.T("sum.headers.edge")} {
		if !strings.Contains(html, want) {
			t.Errorf("summary HTML lacks %q", want)
		}
	}
	// Without an edge, no such rows.
	_, _, plain := runViews(t, DefaultParams())
	if (&Summary{Cols: []SummaryCol{plain[0].summary}}).hasEdge() {
		t.Error("the default comparison has edge rows")
	}
	if html := app.HTMLString(&Summary{Cols: []SummaryCol{plain[0].summary}, State: "done"}); strings.Contains(html, "both hops") || !strings.Contains(html, LangEN.T("sum.headers")) {
		t.Error("the default comparison's byte rows speak of hops")
	}
}

// Through an edge the views draw the browser's connection, with the edge
// as its server: the edge's answers appear (packets and frames from the
// server side), and the edge's own connection to the origin does not.
func TestEdgeViewsShowTheBrowsersConnection(t *testing.T) {
	s, err := scenario.Builtin("cache-location")
	if err != nil {
		t.Fatal(err)
	}
	_, res, views := runViews(t, ParamsFrom(s))
	for i, v := range views {
		browser := map[int32]bool{}
		for _, r := range res.Runs[i].Resources {
			if r.Conn >= 0 {
				browser[r.Conn] = true
			}
		}
		fromServer, framesFromServer := 0, 0
		for _, p := range v.packets {
			if !browser[p.conn] {
				t.Errorf("%s: a packet on connection %d, which is not the browser's", res.Runs[i].Variant, p.conn)
				break
			}
			if p.fromServer {
				fromServer++
			}
		}
		for _, f := range v.frames {
			if f.fromServer {
				framesFromServer++
			}
		}
		if fromServer == 0 || framesFromServer == 0 {
			t.Errorf("%s: %d packets and %d frames from the server side; want the edge's (or the origin's) answers", res.Runs[i].Variant, fromServer, framesFromServer)
		}
		// The ladder names the browser's peer: the edge, or the origin
		// when the edge is bypassed.
		var c Canvas
		var ls ladderScratch
		c.Reset(600, 440)
		plotLadder(&c, v, v.end/2, ladderWindow([]*runView{v}, v.end), LangEN, &ls)
		origin := res.Runs[i].Variant == "origin"
		if got := strings.Contains(c.Strings(), "edge"); got == origin {
			t.Errorf("%s: ladder labels %q; want the peer named edge: %v", res.Runs[i].Variant, c.Strings(), !origin)
		}
	}
}

// A run its time limit stopped says so under the table: its "not loaded"
// and its counts cover only the time until the limit.
func TestSummarySaysWhenALimitStoppedARun(t *testing.T) {
	p := DefaultParams()
	p.BandwidthKbps, p.RTTMillis, p.LossPermille, p.Protos, p.H1Conns, p.Seed = MinBandwidthKbps, MaxRTTMillis, MaxLossPermille, "h1,h2", 1, 40
	_, _, views := runViews(t, p)
	cols := summaryCols(views)
	if cols[1].Status != "time limit" {
		t.Fatalf("HTTP/2 at 100 kbit/s, 1 s and 20 %% loss: status %q; want the time limit (the setting no longer reaches it?)", cols[1].Status)
	}
	html := app.HTMLString(&Summary{Cols: cols, State: "done"})
	if want := cols[1].Names[LangEN] + " stopped at the scenario&#39;s limit of simulated time before it finished"; !strings.Contains(html, want) {
		t.Errorf("summary HTML lacks %q", want)
	}
}

// Differences are marked only where a reader sees one and less is better:
// interleave showed "943.5 ms ▼ +0%" beside 943.5 ms, and a run whose
// upload failed was green for sending fewer bytes, as was one whose
// document was answered with a status the page does not declare.
func TestSummaryMarks(t *testing.T) {
	cols := []SummaryCol{
		{PLT: 943_500_000, Wire: 100_000, Packets: 100, Names: [2]string{"a", "a"}},
		{PLT: 943_500_400, Wire: 99_000, Packets: 99, Names: [2]string{"b", "b"}},
		{PLT: 500_000_000, Wire: 20_000, Packets: 20, Failed: 1, Names: [2]string{"c", "c"}},
		// A document answered with an error (a 431) loads nothing else.
		{PLT: 300_000_000, Wire: 10_000, Packets: 10, Unexpected: 1, Names: [2]string{"d", "d"}},
	}
	html := app.HTMLString(&Summary{Cols: cols, State: "done"})
	for _, want := range []struct{ id, class, text string }{
		{"summary-plt-1", "", "943.5 ms"},
		{"summary-packets-1", "hs-better", "99 ▼ −1%"},
		{"summary-plt-2", "", "500.0 ms"},
		{"summary-wire-2", "", "20.0 kB"},
		{"summary-failed-2", "hs-worse", "1 ▲"},
		{"summary-plt-3", "", "300.0 ms"},
		{"summary-wire-3", "", "10.0 kB"},
		{"summary-unexpected-3", "hs-worse", "1 ▲"},
	} {
		// go-app writes attributes in map order.
		m := regexp.MustCompile(`<td([^>]*) id="` + want.id + `"([^>]*)>([^<]*)<`).FindStringSubmatch(html)
		if m == nil || m[3] != want.text || strings.Contains(m[1]+m[2], "hs-") != (want.class != "") || !strings.Contains(m[1]+m[2], want.class) {
			t.Errorf("cell %s: %q; want %q, class %q", want.id, m, want.text, want.class)
		}
	}
}

// The resource table gives what the lessons point at: each resource's
// first byte and completion, its status unless 200, and its whole path
// (status-codes' /logo.png and /brand/logo.png were two rows of "logo.png").
func TestResourceTableSaysARequestWasSentAgain(t *testing.T) {
	// After the migration lesson's move, HTTP/2 sends seven requests
	// again; their first byte is the first any attempt received. HTTP/3 migrates and
	// sends none again.
	views := lessonViews(t, "migration")
	html := app.HTMLString(&Summary{Lang: LangEN, Cols: summaryCols(views), Resources: summaryResources(views), State: "done"})
	if n := strings.Count(html, " · sent again after its connection failed"); n != 7 {
		t.Errorf("resource table marks %d requests sent again; want HTTP/2's 7", n)
	}
}

func TestResourceTableShowsStatusAndFirstByte(t *testing.T) {
	views := lessonViews(t, "status-codes")
	html := app.HTMLString(&Summary{Lang: LangEN, Cols: []SummaryCol{views[0].summary}, Resources: summaryResources(views), State: "done"})
	for _, want := range []string{"/logo.png", "/brand/logo.png", " · 404", " · 500", " · 301", " ms → "} {
		if !strings.Contains(html, want) {
			t.Errorf("resource table lacks %q", want)
		}
	}
}

// In the loss sweep each HTTP/3 column is compared with the HTTP/2 column
// at its own loss, which is what the lesson asks about; every column was
// compared with the first, HTTP/2 without loss.
func TestSummaryComparesWithinAVariant(t *testing.T) {
	views := lessonViews(t, "loss-sweep")
	cols := summaryCols(views)
	sum := &Summary{Lang: LangEN, Cols: cols, State: "done"}
	if got, want := sum.baseColumns(), []int{0, 0, 0, 2, 0, 4, 0, 6}; !slices.Equal(got, want) {
		t.Errorf("columns compared with %v; want %v (each HTTP/3 with its variant's HTTP/2)", got, want)
	}
	if html := app.HTMLString(sum); !strings.Contains(html, "compared with the first column of its setting") {
		t.Error("the summary does not say what each column is compared with")
	}
}

// Under the head-of-line total the summary says what held the resources
// back, a row for each cause some column has, in both languages: in each
// lesson below one cause holds everything back, so its row repeats the
// total's cells, marks included, and no other cause has a row.
func TestSummarySplitsHOLByCause(t *testing.T) {
	tests := []struct {
		lesson string
		id     string // the cause's row
		en, zh string
	}{
		{"h2-hol", "hol-transport", "of which: behind a lost TCP packet (another stream&#39;s, or TLS&#39;s)", "其中：排在丢失的 TCP 报文之后（其他流或 TLS 的）"},
		{"pipelining", "hol-http", "of which: behind an earlier response (HTTP/1.1)", "其中：排在先前的响应之后（HTTP/1.1）"},
		{"qpack", "hol-qpack", "of which: waiting for QPACK&#39;s encoder stream", "其中：等待 QPACK 编码器流"},
	}
	for _, tt := range tests {
		cols := summaryCols(lessonViews(t, tt.lesson))
		if len(cols) == 0 {
			t.Fatalf("%s: no columns", tt.lesson)
		}
		for _, l := range []Lang{LangEN, LangZH} {
			html := app.HTMLString(&Summary{Lang: l, Cols: cols, State: "done"})
			if label := [2]string{tt.en, tt.zh}[l]; !strings.Contains(html, ">"+label+"<") {
				t.Errorf("%s (%s): summary HTML lacks the row %q", tt.lesson, l.Code(), label)
			}
		}
		html := app.HTMLString(&Summary{Cols: cols, State: "done"})
		cell := func(id string) []string {
			// go-app writes attributes in map order.
			m := regexp.MustCompile(`<td([^>]*) id="` + id + `"([^>]*)>([^<]*)<`).FindStringSubmatch(html)
			if m == nil {
				return nil
			}
			return []string{m[1] + m[2], m[3]}
		}
		held := false
		for i, col := range cols {
			n := strconv.Itoa(i)
			total, got := cell("summary-hol-"+n), cell("summary-"+tt.id+"-"+n)
			if total == nil || !slices.Equal(got, total) {
				t.Errorf("%s: column %d: %s cell %q; want the total's, %q", tt.lesson, i, tt.id, got, total)
			}
			held = held || col.HOL > 0
		}
		if !held {
			t.Errorf("%s: no column held back; the lesson no longer shows the cause", tt.lesson)
		}
		if at := strings.Index(html, `id="summary-`+tt.id+`-0"`); at < strings.Index(html, `id="summary-hol-0"`) || at > strings.Index(html, `id="summary-lossdelay-0"`) {
			t.Errorf("%s: the %s row is not between the total and the own-loss row", tt.lesson, tt.id)
		}
		for _, r := range holCauseRows {
			if r.id != tt.id && strings.Contains(html, `id="summary-`+r.id+`-`) {
				t.Errorf("%s: a row %s for a cause no column has", tt.lesson, r.id)
			}
		}
	}
}

// The lost-first-flight lesson is the one whose runs wait for QUIC's
// handshake keys: each column's total is all of one cause, TCP's lost
// packet or QUIC's keys, and both rows are shown.
func TestSummaryShowsWaitsForHandshakeKeys(t *testing.T) {
	views := lessonViews(t, "lost-first-flight")
	cols := summaryCols(views)
	for _, l := range []Lang{LangEN, LangZH} {
		html := app.HTMLString(&Summary{Lang: l, Cols: cols, State: "done"})
		for _, key := range []string{"sum.hol.tcp", "sum.hol.keys"} {
			if label := strings.ReplaceAll(l.T(key), "'", "&#39;"); !strings.Contains(html, ">"+label+"<") {
				t.Errorf("%s: summary HTML lacks the row %q", l.Code(), label)
			}
		}
	}
	// The variants in order: TCP + TLS 1.3, the same with 0-RTT, QUIC,
	// QUIC with 0-RTT, and with a remembered RTT.
	const none = web.NumHOLCauses // no wait
	want := []web.HOLCause{none, web.HOLTransport, none, web.HOLHandshake, web.HOLHandshake}
	if len(cols) != len(want) {
		t.Fatalf("%d columns; want %d", len(cols), len(want))
	}
	for i, col := range cols {
		for c := range web.NumHOLCauses {
			if w := c == want[i]; (int64(col.HOLBy[c]) == col.HOL && col.HOL > 0) != w {
				t.Errorf("column %d (%s): %v of %v waiting for %s; want all of it: %v", i, views[i].names[0], col.HOLBy[c], time.Duration(col.HOL), c, w)
			}
		}
	}
}

// A row of times has one unit from a second up: past 10 s in one column,
// every time of a second or more is in seconds. "9870.4 ms" beside
// "10.21 s" made the reader convert.
func TestSummaryRowOfTimesHasOneUnit(t *testing.T) {
	a := summaryOfRun(&scenario.ProtocolRun{Proto: "h2", PLT: 9870400 * time.Microsecond, HOL: 300 * time.Millisecond, LossDelay: 12300 * time.Millisecond})
	b := summaryOfRun(&scenario.ProtocolRun{Proto: "h3", PLT: 10210 * time.Millisecond, HOL: 12 * time.Millisecond, LossDelay: 4300 * time.Microsecond})
	a.Names, b.Names = [2]string{"HTTP/2", "HTTP/2"}, [2]string{"HTTP/3", "HTTP/3"}
	html := app.HTMLString(&Summary{Cols: []SummaryCol{a, b}, State: "done"})
	for _, want := range []string{`id="summary-plt-0">9.87 s<`, `>10.21 s ▲ +3%<`, `id="summary-hol-0">300.0 ms<`, `>12.0 ms ▼ −96%<`,
		// Under a second, milliseconds: "0.00 s" read as nothing.
		`id="summary-lossdelay-0">12.30 s<`, `>4.3 ms ▼ −100%<`} {
		if !strings.Contains(html, want) {
			t.Errorf("summary HTML lacks %q", want)
		}
	}
}
