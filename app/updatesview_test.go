package app

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"httpsim/sim/link"
	"httpsim/sim/scenario"
	"httpsim/sim/updates"
)

// The updates scenario (short polling, long polling, WebSocket) is compared
// by update latency, not by a page load time, and its lanes show each
// update from the server having it to the page having it.
func TestUpdatesViews(t *testing.T) {
	s, err := scenario.Builtin("updates")
	if err != nil {
		t.Fatal(err)
	}
	_, res, views := runViews(t, ParamsFrom(s))
	if len(views) != 3 {
		t.Fatalf("%d views; want short polling, long polling, WebSocket", len(views))
	}
	var means []int64
	for i, v := range views {
		u, run := v.summary.Updates, res.Runs[i].Updates
		if u == nil || run == nil {
			t.Fatalf("%s: no updates summary", v.proto)
		}
		if want := int64(run.Latency.Mean * 1e6); u.Mean < want-1 || u.Mean > want+1 || u.Delivered != int64(run.Delivered) {
			t.Errorf("%s: summary mean %d ns, %d delivered; want the run's %v ms, %d", v.proto, u.Mean, u.Delivered, run.Latency.Mean, run.Delivered)
		}
		means = append(means, u.Mean)
		if len(v.rows) != len(run.PerEvent) {
			t.Fatalf("%s: %d lane rows; want one per update (%d)", v.proto, len(v.rows), len(run.PerEvent))
		}
		for k, r := range v.rows {
			e := run.PerEvent[k]
			if got := float64(r.done-r.sent) / 1e6; e.LatencyMs >= 0 && (got < e.LatencyMs-1e-6 || got > e.LatencyMs+1e-6) {
				t.Errorf("%s update %d: lane spans %v ms; want its latency %v ms", v.proto, k, got, e.LatencyMs)
			}
		}
		var c Canvas
		c.Reset(500, float64(lanesHeight(len(v.rows))))
		plotLanes(&c, v, v.end, v.end, LangEN)
		if !strings.Contains(c.Strings(), "#1") {
			t.Errorf("%s lanes: no row labelled #1: %q", v.proto, c.Strings())
		}
	}
	// ORACLES.md's expectation: WebSocket < long polling < short polling.
	if !(means[2] < means[1] && means[1] < means[0]) {
		t.Errorf("mean latencies short polling, long polling, WebSocket = %v; want decreasing", means)
	}
	sum := Summary{Lang: LangEN, Cols: []SummaryCol{views[0].summary, views[1].summary, views[2].summary}}
	html := app.HTMLString(&sum)
	for _, want := range []string{"Update latency (mean)", "Answers with no update (204)", "HTTP requests"} {
		if !strings.Contains(html, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
	if strings.Contains(html, "Page load time") {
		t.Errorf("the updates summary shows a page load time")
	}
	if r := summaryResources(views); r != nil {
		t.Errorf("updates runs list resources: %v", r)
	}
}

// A fetch that failed (get-vs-post's upload on a reset connection) is listed
// as failed, not with its end time as a completion.
func TestFailedResourceIsNotACompletion(t *testing.T) {
	views := lessonViews(t, "get-vs-post")
	failed := 0
	for _, r := range summaryResources(views) {
		for i, d := range r.Done {
			if d == doneFailed {
				failed++
				if r.Label != "/upload" || i != 1 {
					t.Errorf("%s is listed as failed in %s; want only the reset variant's upload", r.Label, views[i].names[0])
				}
			}
		}
	}
	if failed != 1 {
		t.Errorf("%d failed fetches listed; want the reset variant's upload", failed)
	}
	// The summary counts them next to the load time, which they shorten.
	sum := Summary{Lang: LangEN, Cols: []SummaryCol{views[0].summary, views[1].summary}}
	if html := app.HTMLString(&sum); !regexp.MustCompile(`Failed fetches</th>\s*<td[^>]*id="summary-failed-0"[^>]*>0</td>\s*<td[^>]*id="summary-failed-1"[^>]*>1 ▲</td>`).MatchString(html) {
		t.Errorf("the summary does not count the failed upload:\n%s", html)
	}
}

// An updates run that delivered nothing has no latency (not a zero one, the
// best of its row), and a count against a zero base is marked without a
// ratio.
func TestUpdatesSummaryEdges(t *testing.T) {
	none := summaryOfRun(&scenario.ProtocolRun{Proto: "poll", Updates: &updates.Result{Requests: 3}})
	some := summaryOfRun(&scenario.ProtocolRun{Proto: "ws", Updates: &updates.Result{Delivered: 2, HOLEvents: 2,
		Latency: updates.LatencyStats{Count: 2, Mean: 50, Median: 50, P95: 60, Max: 60}}})
	if none.Updates.Mean != -1 || none.Updates.Max != -1 {
		t.Errorf("no update delivered: latency %+v; want -1 (none)", *none.Updates)
	}
	base := SummaryCol{Proto: "poll", Updates: &UpdatesSummary{Mean: 100e6, Median: 100e6, P95: 100e6, Max: 100e6}}
	sum := Summary{Lang: LangEN, Cols: []SummaryCol{base, none, some}}
	html := app.HTMLString(&sum)
	for _, want := range []string{`id="summary-latmean-1"[^>]*>–<`, `id="summary-holevents-2"[^>]*>2 ▲<`, `id="summary-latmean-2"[^>]*>50.0 ms ▼ −50%<`} {
		if !regexp.MustCompile(want).MatchString(html) {
			t.Errorf("summary lacks %s:\n%s", want, html)
		}
	}
}

// With the QPACK table size control on, HTTP/3 runs with a dynamic table:
// the header-compression panel replays the client's decoder, whose table
// fills as the server's encoder instructions arrive, and every response
// section decodes by the end of the run.
func TestQPACKDynamicTableOnThePage(t *testing.T) {
	p := DefaultParams()
	p.Protos, p.QPACKTable, p.LossPermille = "h3", 4096, 20
	s, _, views := runViews(t, p)
	if s.H3.QPACKTableCapacity != 4096 || s.H3.QPACKBlockedStreams != qpackBlockedStreams {
		t.Fatalf("scenario QPACK %d / %d blocked; want 4096 / %d", s.H3.QPACKTableCapacity, s.H3.QPACKBlockedStreams, qpackBlockedStreams)
	}
	v := views[0]
	cols := hpackCols(views, v.end, "resp", noSel, LangEN)
	if c := cols[0]; c.Err != "" || !c.HasBlock || c.TableLen == 0 || len(c.Entries) != c.TableLen || c.MaxSize != 4096 {
		t.Fatalf("QPACK panel at the end: err %q, %d entries (%d listed), capacity %d; want a filled table", c.Err, c.TableLen, len(c.Entries), c.MaxSize)
	}
	tr := v.hpackTracks(true)[0]
	dynamic := 0
	for k := range tr.blocks {
		r := tr.decodeQPACKAt(k, v.end)
		if r.rec == nil {
			t.Fatalf("section %d at the end: %s", k, r.err)
		}
		for _, f := range r.rec.Fields {
			if f.Dynamic() {
				dynamic++
			}
		}
	}
	if dynamic == 0 {
		t.Errorf("no response field used the dynamic table")
	}
	// The strip labels the encoder's instruction batches and knows when
	// each reached the decoder.
	qe := 0
	for i := range v.frames {
		f := &v.frames[i]
		if f.name == "qpack_encoder" {
			if qe == 0 {
				// Its instructions, named as RFC 9204 §4.3 names them,
				// described in the page's language.
				en, _, err := frameDetails(f, LangEN)
				zh, _, _ := frameDetails(f, LangZH)
				if err != nil || len(en) == 0 || en[0].Name != "Set Dynamic Table Capacity" || en[0].Value != "4096" || len(zh) != len(en) {
					t.Errorf("first encoder batch: %v, %v; want Set Dynamic Table Capacity 4096 first", en, err)
				}
				for k := range en {
					if strings.HasPrefix(en[k].Value, "name: ") && !strings.HasPrefix(zh[k].Value, "名称：") {
						t.Errorf("instruction %d in Chinese: %q", k, zh[k].Value)
					}
				}
			}
			qe++
			if f.abbrev != "QE" || f.parsed < f.created {
				t.Errorf("encoder batch written at %d, parsed at %d, labelled %q", f.created, f.parsed, f.abbrev)
			}
		}
	}
	if qe == 0 {
		t.Errorf("no QPACK encoder batches among %d frames", len(v.frames))
	}
}

// The updates lesson's frame strip names every frame and details it: the
// opening handshake, WebSocket frames (RFC 6455 §5.2) and the moments
// updates exist showed as "?" and read as broken HTTP/2 frames.
func TestUpdatesFrameDetails(t *testing.T) {
	p := DefaultParams()
	p.Scenario = "updates"
	_, _, views := runViews(t, p)
	kinds := map[string]bool{}
	// A WebSocket frame is labelled by its opcode (RFC 6455 §5.2): all
	// were "WS", so pings and the closing handshake hid among the updates.
	wsLabels := map[byte]string{0x1: "T", 0x8: "Cl", 0x9: "Pi", 0xA: "Po"}
	wsSeen := map[byte]bool{}
	for _, v := range views {
		for i, f := range v.frames {
			kinds[f.name] = true
			if title := frameTitle(v, &f, LangZH); (f.name == "ws_frame" || f.name == "event") && f.stream >= 0 && !strings.Contains(title, "#") ||
				strings.Contains(title, "ws_frame") || strings.Contains(title, "流") {
				t.Errorf("%s frame %d (%s, stream %d): Chinese title %q; want no internal names nor streams", v.names[LangEN], i, f.name, f.stream, title)
			}
			if f.name == "ws_frame" && len(f.raw) > 0 {
				op := f.raw[0] & 0x0F
				wsSeen[op] = true
				if f.abbrev != wsLabels[op] {
					t.Errorf("WebSocket frame %d, opcode %#x: label %q; want %q", i, op, f.abbrev, wsLabels[op])
				}
			}
			d := frameDetailsOf(v, i, v.end, LangEN)
			if f.abbrev == "?" || d.Err != "" || len(d.Fields) == 0 && d.Text == "" {
				t.Errorf("%s frame %d (%s): label %q, details %+v", v.names[LangEN], i, f.name, f.abbrev, d)
			}
		}
	}
	for _, op := range []byte{0x1, 0x8} { // the lesson's updates and its closing handshake
		if !wsSeen[op] {
			t.Errorf("no WebSocket frame with opcode %#x in the lesson", op)
		}
	}
	for _, k := range []string{"ws_upgrade", "ws_frame", "event", "request", "response"} {
		if !kinds[k] {
			t.Errorf("no %s frame in the lesson's runs (have %v)", k, kinds)
		}
	}
}

// Every label the frame strip can draw is explained under it, in both
// languages, and the explanation lists the labels of the runs shown.
func TestFrameLabelsAreExplained(t *testing.T) {
	names := []string{"DATA", "HEADERS", "SETTINGS", "WINDOW_UPDATE", "PRIORITY_UPDATE", "CANCEL_PUSH", "MAX_PUSH_ID",
		"QPACK_ENCODER", "PRIORITY", "CONTINUATION", "PUSH_PROMISE", "RST_STREAM", "GOAWAY", "PING", "request", "response",
		"ws_upgrade", "event", "no such frame"}
	var labels []string
	for _, n := range names {
		labels = append(labels, frameAbbrev(n, ""))
	}
	for _, op := range []string{"text", "binary", "continuation", "ping", "pong", "close", "reserved(0x3)"} {
		labels = append(labels, frameAbbrev("ws_frame", op))
	}
	for _, a := range labels {
		if m, ok := messages["frames.abbr."+a]; !ok || m[LangEN] == "" || m[LangZH] == "" {
			t.Errorf("label %q has no explanation in both languages", a)
		}
	}
	p := DefaultParams()
	p.Scenario = "updates"
	_, _, views := runViews(t, p)
	for l, want := range map[Lang][]string{LangEN: {"Labels: ", "req request head", "T WebSocket text frame", "Cl WebSocket close"}, LangZH: {"标签：", "up WebSocket 建立握手"}} {
		html := app.HTMLString(frameLabels(l, labelsOf(views)))
		for _, w := range want {
			if !strings.Contains(html, w) {
				t.Errorf("%s: labels explained as %q; want %q in it", l.Code(), html, w)
			}
		}
	}
}

func TestWebSocketFrameLabels(t *testing.T) {
	tests := []struct{ opcode, want string }{
		{"text", "T"}, {"binary", "B"}, {"continuation", "C"},
		{"ping", "Pi"}, {"pong", "Po"}, {"close", "Cl"}, {"reserved(0x3)", "WS"},
	}
	for _, tt := range tests {
		if got := frameAbbrev("ws_frame", tt.opcode); got != tt.want {
			t.Errorf("frameAbbrev(ws_frame, %q) = %q; want %q", tt.opcode, got, tt.want)
		}
	}
}

// The WebSocket ends with the closing handshake (RFC 6455 §7.1.2): a Close
// frame each way, named in the page's language and with its status code,
// 1000 (§7.4.1); the page's masked (§5.3), the server's not.
func TestUpdatesCloseFrames(t *testing.T) {
	p := DefaultParams()
	p.Scenario = "updates"
	_, _, views := runViews(t, p)
	v := views[len(views)-1]
	if v.proto != "websocket" {
		t.Fatalf("last view %s; want websocket", v.proto)
	}
	want := map[Lang]struct{ title, opcode, status string }{
		LangEN: {"WebSocket · frame · close (closing handshake)", "0x8 close (closing handshake)", "1000 normal closure"},
		LangZH: {"WebSocket · 帧 · close（关闭帧，关闭握手）", "0x8 close（关闭帧，关闭握手）", "1000 正常关闭"},
	}
	var fromServer []bool
	for i, f := range v.frames {
		if f.name != "ws_frame" || len(f.raw) < 2 || f.raw[0]&0x0F != 0x8 {
			continue
		}
		fromServer = append(fromServer, f.fromServer)
		for lang, w := range want {
			d := frameDetailsOf(v, i, v.end, lang)
			// The heading's colon is the page language's: an ASCII
			// one in Chinese text read as a typo.
			if html, head := app.HTMLString(d.Render()), map[Lang]string{LangEN: "Selected frame: WebSocket", LangZH: "选中的帧：WebSocket"}[lang]; !strings.Contains(html, head) {
				t.Errorf("Close frame %d in %s: details do not start %q", i, lang.Code(), head)
			}
			got := map[string]string{}
			for _, fl := range d.Fields {
				got[fl.Name] = fl.Value
			}
			if d.Err != "" || !strings.HasPrefix(d.Title, w.title) || got["Opcode"] != w.opcode || got["Status code"] != w.status ||
				got["MASK"] != map[bool]string{true: "false", false: "true"}[f.fromServer] || f.parsed < f.created {
				t.Errorf("Close frame %d (from server %v) in %s: title %q, fields %v, error %q, parsed %d; want %q, opcode %q, status %q",
					i, f.fromServer, lang.Code(), d.Title, d.Fields, d.Err, f.parsed, w.title, w.opcode, w.status)
			}
		}
	}
	if len(fromServer) != 2 || fromServer[0] || !fromServer[1] {
		t.Errorf("Close frames from the server: %v; want the page's, then the server's", fromServer)
	}
}

// The frame strip and the lanes of the updates lesson agree with the run:
// an answer carrying updates is parsed whole when the page has them (the
// "event" marks, not on the wire, shifted every later answer's end by their
// 200 bytes: long polling's last answers were never parsed); and the update
// an answer or a WebSocket frame carries shows the head-of-line wait the
// summary counts, under the number its lane has (seed 15 at 1 %, the case
// the lesson's text points to: update #5 waits behind #4's lost segment).
func TestUpdatesStripAndLanesAgreeWithTheRun(t *testing.T) {
	s, err := scenario.Builtin("updates")
	if err != nil {
		t.Fatal(err)
	}
	p := ParamsFrom(s)
	p.Seed, p.LossPermille = 15, 10
	_, res, views := runViews(t, p)
	for i, v := range views {
		run := res.Runs[i].Updates
		parsedAt := map[string]map[int64]int64{} // answers and marks by number
		for k, f := range v.frames {
			if !f.fromServer || f.name != "response" && f.name != "event" {
				continue
			}
			if f.parsed < f.created {
				t.Errorf("%s: %s %d created at %d ns, parsed at %d", v.names[LangEN], f.name, f.stream, f.created, f.parsed)
			}
			if parsedAt[f.name] == nil {
				parsedAt[f.name] = map[int64]int64{}
			}
			parsedAt[f.name][f.stream] = f.parsed
			if f.name == "event" {
				if want := fmt.Sprintf("new update · #%d", f.stream+1); !strings.Contains(frameTitle(v, &v.frames[k], LangEN), want) {
					t.Errorf("%s: mark of update %d titled %q; want %q, as its lane", v.names[LangEN], f.stream, frameTitle(v, &v.frames[k], LangEN), want)
				}
			}
		}
		var hol, want int64
		for k, r := range v.rows {
			e := run.PerEvent[k]
			if got := parsedAt["event"][int64(k)]; got != r.done {
				t.Errorf("%s: update %d's mark parsed at %d ns; want when the page had it, %d", v.names[LangEN], k+1, got, r.done)
			}
			if e.Request >= 0 {
				if got := parsedAt["response"][e.Request]; got != r.done {
					t.Errorf("%s: answer %d, carrying update %d, parsed at %d ns; want %d", v.names[LangEN], e.Request, k+1, got, r.done)
				}
			}
			for _, h := range r.hol {
				hol += h.to - h.from
			}
			want += msToNs(e.HOLMs)
		}
		if hol < want-1000 || hol > want+1000 {
			t.Errorf("%s: the lanes' head-of-line spans add up to %d ns; want the updates' waits, %d", v.names[LangEN], hol, want)
		}
		if v.names[LangEN] == "WebSocket" {
			if len(v.rows[4].hol) != 1 || v.rows[4].hol[0].cause.String() != "transport" {
				t.Errorf("WebSocket: update #5's spans %+v; want its wait behind #4's lost segment", v.rows[4].hol)
			}
			// The opening handshake's 101 is no update's bytes: with
			// updates numbered by stream, it was update #1's.
			if bm := v.conns[0].bm; bm == nil || len(bm.segs) == 0 || bm.segs[0].stream != -1 {
				t.Errorf("WebSocket: the server's first bytes (the 101) belong to %+v; want no update", bm)
			}
			// The receive buffer names the update waiting as its lane does.
			var c Canvas
			var bs bufferScratch
			c.Reset(560, 300)
			plotBuffers(&c, v, 2_900_000_000, LangEN, &bs)
			if got := c.Strings(); !strings.Contains(got, "hole (#5)") {
				t.Errorf("WebSocket buffer at 2.9 s: %q; want update #5 waiting", got)
			}
		}
	}
}

// A polling run stopped before every update arrived: the updates it never
// delivered were carried by no answer, and numbering stays the polls'
// (the WebSocket rule, an update a stream, took over whenever one update
// was missing: a blocked answer to poll 11 was drawn on update #12's lane).
func TestUpdatesStoppedPollingKeepsItsRows(t *testing.T) {
	lesson, err := scenario.Builtin("updates")
	if err != nil {
		t.Fatal(err)
	}
	s := lesson.Variants[0].Scenario
	if s.Updates.Mode != updates.ShortPoll {
		t.Fatalf("the first variant is %s; want short polling", s.Updates.Mode)
	}
	s.Network.Down.Loss = link.Loss{Model: link.Bernoulli, Rate: 0.1}
	s.Updates.PollInterval, s.Updates.EventSize = 300*time.Millisecond, 20000
	s.Limits.MaxTime = 8 * time.Second
	res, err := scenario.Run(s, scenario.Options{KeepTrace: true})
	if err != nil {
		t.Fatal(err)
	}
	v := buildViews(s, res, nil)[0]
	if v.updateNumbers {
		t.Error("short polling's buffer numbers updates; want its requests")
	}
	missing := 0
	for k, e := range res.Runs[0].Updates.PerEvent {
		if e.DeliveredMs >= 0 {
			continue
		}
		missing++
		if r := v.rows[k]; len(r.hol) > 0 {
			t.Errorf("update #%d never arrived, yet its lane waits %+v", k+1, r.hol)
		}
	}
	if missing == 0 {
		t.Fatal("every update arrived; want a run the limit stopped")
	}
}
