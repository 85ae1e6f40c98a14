package app

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"httpsim/sim"
	"httpsim/sim/hol"
	"httpsim/sim/link"
	"httpsim/sim/qpack"
	"httpsim/sim/scenario"
	"httpsim/sim/trace"
	"httpsim/sim/web"
)

// runDefault runs p natively and indexes it.
func runViews(t testing.TB, p Params) (*scenario.Scenario, *scenario.Result, []*runView) {
	t.Helper()
	s, err := p.Build()
	if err != nil {
		t.Fatalf("%v.Build() = %v", p, err)
	}
	res, err := scenario.Run(s, scenario.Options{KeepTrace: true})
	if err != nil {
		t.Fatalf("scenario.Run(%v) = %v", p, err)
	}
	return s, res, buildViews(s, res, nil)
}

// lossyParams is the default comparison with enough loss for head-of-line
// blocking to show, and round-robin HTTP/2 so that streams interleave.
func lossyParams() Params {
	p := DefaultParams()
	p.LossPermille = 30
	p.Scheduler = "rr"
	return p
}

func TestRangeSetAdd(t *testing.T) {
	tests := []struct {
		name      string
		adds      [][2]int64
		want      rangeSet
		wantFresh int64
	}{
		{"in order", [][2]int64{{0, 10}, {10, 20}, {20, 25}}, rangeSet{{0, 25}}, 25},
		{"hole then fill", [][2]int64{{0, 10}, {20, 30}, {10, 20}}, rangeSet{{0, 30}}, 30},
		{"duplicate", [][2]int64{{0, 10}, {0, 10}, {5, 8}}, rangeSet{{0, 10}}, 10},
		{"overlap both", [][2]int64{{10, 20}, {30, 40}, {5, 45}}, rangeSet{{5, 45}}, 40},
		{"before all", [][2]int64{{50, 60}, {0, 10}}, rangeSet{{0, 10}, {50, 60}}, 20},
		{"between", [][2]int64{{0, 10}, {50, 60}, {20, 30}}, rangeSet{{0, 10}, {20, 30}, {50, 60}}, 30},
		{"empty", [][2]int64{{5, 5}}, nil, 0},
	}
	for _, tt := range tests {
		var s rangeSet
		var fresh int64
		for _, a := range tt.adds {
			s.add(a[0], a[1], func(x, y int64) {
				if y <= x {
					t.Errorf("%s: fresh(%d, %d) is empty", tt.name, x, y)
				}
				fresh += y - x
			})
		}
		if !slices.Equal(s, tt.want) || fresh != tt.wantFresh {
			t.Errorf("%s: set = %v, fresh bytes %d; want %v, %d", tt.name, s, fresh, tt.want, tt.wantFresh)
		}
	}
}

func TestCumSeries(t *testing.T) {
	var s cumSeries
	s.add(10, 5)
	s.add(10, 5)
	s.add(20, 1)
	tests := []struct{ t, want int64 }{{0, 0}, {9, 0}, {10, 10}, {15, 10}, {20, 11}, {99, 11}}
	for _, tt := range tests {
		if got := s.value(tt.t); got != tt.want {
			t.Errorf("value(%d) = %d; want %d", tt.t, got, tt.want)
		}
	}
}

// TestViewsAccountForEveryByte checks the indexes against the run: every
// packet matched with its arrival or loss, every resource's stream bytes
// arrived and delivered by the end, every receive buffer drained, every
// frame parsed, and head-of-line spans only where the run reports them.
func TestViewsAccountForEveryByte(t *testing.T) {
	_, res, views := runViews(t, lossyParams())
	if len(views) != len(res.Runs) {
		t.Fatalf("views = %d; want one per run (%d)", len(views), len(res.Runs))
	}
	for i, v := range views {
		run := res.Runs[i]
		if v.proto != run.Proto {
			t.Errorf("view %d proto = %s; want %s", i, v.proto, run.Proto)
		}
		// QUIC's count is of datagrams: packets coalesced in one count
		// once, are lost with it, and make it a retransmission if any
		// of them carries one.
		sent, lost, rtx := 0, 0, 0
		counted := false
		for _, p := range v.packets {
			if p.flags.Has(trace.FlagCoalesced) {
				if p.flags.Has(trace.FlagRetransmit) && !counted {
					rtx, counted = rtx+1, true
				}
				continue
			}
			sent++
			counted = p.flags.Has(trace.FlagRetransmit)
			if counted {
				rtx++
			}
			if p.lost {
				lost++
			}
			if p.end == inFlightForever && p.sent < v.end-v.rtt {
				t.Errorf("%s: packet sent at %d never arrived nor was dropped", v.proto, p.sent)
			}
		}
		if int64(sent) != run.PacketsSent || int64(lost) != run.PacketsLost || int64(rtx) != run.Retransmits {
			t.Errorf("%s: packets %d, lost %d, retransmissions %d; want %d, %d, %d", v.proto, sent, lost, rtx, run.PacketsSent, run.PacketsLost, run.Retransmits)
		}
		if len(v.losses) != int(run.PacketsLost) {
			t.Errorf("%s: loss marks %d; want %d", v.proto, len(v.losses), run.PacketsLost)
		}
		var hol int64
		for _, r := range v.rows {
			if r.cache == "fresh" || r.sent < 0 {
				continue
			}
			if r.total <= 0 {
				t.Errorf("%s %s: no bytes on the wire", v.proto, r.label)
				continue
			}
			if a, d := r.arrived.value(v.end), r.delivered.value(v.end); a != r.total || d != r.total {
				t.Errorf("%s %s: arrived %d, delivered %d by the end; want both %d", v.proto, r.label, a, d, r.total)
			}
			for _, s := range r.hol {
				if s.to < s.from {
					t.Errorf("%s %s: HoL span %d..%d runs backwards", v.proto, r.label, s.from, s.to)
				}
				if s.cause.String() == "transport" {
					hol++
				}
			}
		}
		if (run.HOL > 0) != (hol > 0) && v.proto != "h1" {
			t.Errorf("%s: %d cross-stream HoL spans; run's HOL total %v", v.proto, hol, run.HOL)
		}
		for _, c := range v.conns {
			if _, buf := c.buffered(v.end, nil); len(buf) != 0 {
				t.Errorf("%s conn %d: %v still buffered at the end", v.proto, c.conn, buf)
			}
		}
		for _, s := range v.streams {
			if _, buf := s.buffered(v.end, nil); len(buf) != 0 {
				t.Errorf("%s stream %d: %v still buffered at the end", v.proto, s.stream, buf)
			}
		}
		for _, f := range v.frames {
			if f.parsed < f.created {
				t.Errorf("%s: %s frame on stream %d written at %d parsed at %d", v.proto, f.name, f.stream, f.created, f.parsed)
				break
			}
		}
		if !slices.IsSorted(v.steps) {
			t.Errorf("%s: steps not sorted", v.proto)
		}
	}
}

// TestPacketsColouredByStream checks that data packets from the server
// carry the stream whose bytes they hold: the first packet of each response
// body belongs to that resource's row.
func TestPacketsColouredByStream(t *testing.T) {
	_, _, views := runViews(t, DefaultParams())
	for _, v := range views {
		withRow, data := 0, 0
		for _, p := range v.packets {
			if p.fromServer && p.n > 0 && p.label == "" {
				data++
				if p.row >= 0 {
					withRow++
				}
			}
		}
		// All server data but TLS records of the handshake and HTTP/2
		// control frames belong to a resource.
		if data == 0 || float64(withRow) < 0.9*float64(data) {
			t.Errorf("%s: %d of %d server data packets attributed to a resource; want at least 90%%", v.proto, withRow, data)
		}
	}
}

// Over TLS on TCP every byte the server sends in the handshakes lesson is
// a handshake record or a response: a segment that starts with a record's
// header is still the response's (drawn in its colour, not as an ACK), and
// every segment of a flight is handshake, not only the one its label is on.
func TestTLSPacketsColouredByWhatTheyCarry(t *testing.T) {
	// QUIC's handshake packets sent again (the lost-first-flight lesson)
	// are handshake too, as TCP's resent flight is.
	for _, v := range lessonViews(t, "lost-first-flight") {
		for _, p := range v.packets {
			if v.quic && (p.space == "initial" || p.space == "handshake") && p.n > 0 && !p.handshake {
				t.Errorf("%s: a %s packet of %d bytes at %v (flags %v) is not drawn as handshake", v.names[LangEN], p.space, p.n, time.Duration(p.sent), p.flags)
			}
		}
	}
	for _, v := range lessonViews(t, "handshakes") {
		if v.quic {
			continue
		}
		rows := 0
		for _, p := range v.packets {
			if !p.fromServer || p.n == 0 {
				continue
			}
			if p.row >= 0 {
				rows++
			} else if !p.handshake && p.label == "" {
				t.Errorf("%s: a server segment of %d bytes at %v is neither a response's nor the handshake's", v.names[LangEN], p.n, time.Duration(p.sent))
			}
		}
		if rows == 0 {
			t.Errorf("%s: no server segment carries the response", v.names[LangEN])
		}
	}
}

// A resource has one colour in every run side by side, though each run
// orders its lanes by when it sent the requests: HTTP/1.0's short
// connections and HTTP/1.1's six send them in different orders.
func TestResourceColourAcrossRuns(t *testing.T) {
	views := lessonViews(t, "keepalive")
	colour := map[string]string{}
	reordered := false
	for _, v := range views {
		for r, row := range v.rows {
			c := streamColor(v.hue(r))
			if prev, ok := colour[row.path]; ok && prev != c {
				t.Errorf("%s: %s is %s; %s in an earlier run", v.names[LangEN], row.path, c, prev)
			}
			colour[row.path] = c
			reordered = reordered || row.path != views[0].rows[r].path
		}
	}
	if !reordered {
		t.Error("every run has its lanes in one order: the test shows nothing")
	}
}

// TestBufferShowsHole finds an instant where a TCP receive buffer holds
// bytes behind a hole, as it must after a loss under HTTP/2.
func TestBufferShowsHole(t *testing.T) {
	_, _, views := runViews(t, lossyParams())
	for _, v := range views {
		if v.proto != "h2" {
			continue
		}
		found := false
		for _, p := range v.packets {
			if !p.lost || !p.fromServer {
				continue
			}
			c := &v.conns[p.conn]
			// Over TLS the first range may be bytes TCP delivered in a
			// record not yet whole: look for received bytes past a gap.
			prev, buf := c.buffered(p.end+v.rtt/2, nil)
			for _, r := range buf {
				found = found || r[0] > prev && r[1] > r[0]
				prev = r[1]
			}
			if found {
				break
			}
		}
		if !found {
			t.Errorf("h2 with loss: no instant with bytes buffered behind a hole")
		}
	}
}

func TestHPACKReplay(t *testing.T) {
	_, _, views := runViews(t, DefaultParams())
	for _, v := range views {
		if v.proto == "h3" {
			// Static-only QPACK by default: every section decodes.
			for _, tr := range append(v.hpackTracks(false), v.hpackTracks(true)...) {
				if !tr.qpack || tr.err != "" || len(tr.blocks) < 20 {
					t.Errorf("h3 track fromServer=%v: qpack %v, err %q, %d sections", tr.fromServer, tr.qpack, tr.err, len(tr.blocks))
				}
				for i := range tr.blocks {
					if rec, err := tr.blocks[i].decodeQPACK(); rec == nil || len(rec.Fields) == 0 {
						t.Errorf("h3 track fromServer=%v, section %d: %v, %q; want fields", tr.fromServer, i, rec, err)
					}
				}
			}
			continue
		}
		if v.proto != "h2" {
			if n := len(v.hpackTracks(false)) + len(v.hpackTracks(true)); n != 0 {
				t.Errorf("%s: %d HPACK tracks; want none", v.proto, n)
			}
			continue
		}
		tracks := append(v.hpackTracks(false), v.hpackTracks(true)...)
		if len(tracks) != 2 || tracks[0].fromServer || !tracks[1].fromServer {
			t.Fatalf("h2: %d HPACK tracks; want 2 (requests, then responses)", len(tracks))
		}
		for _, tr := range tracks {
			if tr.err != "" {
				t.Errorf("h2 track fromServer=%v: %s", tr.fromServer, tr.err)
			}
			if len(tr.blocks) < 20 {
				t.Errorf("h2 track fromServer=%v: %d blocks; want one per resource", tr.fromServer, len(tr.blocks))
			}
			// The table grows, and later blocks save bytes.
			last := tr.blocks[len(tr.blocks)-1]
			if last.rec.TableLen == 0 || len(last.table) != last.rec.TableLen {
				t.Errorf("h2 track fromServer=%v: final table %d entries, snapshot %d", tr.fromServer, last.rec.TableLen, len(last.table))
			}
			if last.rec.WireLen >= last.rec.PlainLen {
				t.Errorf("h2 track fromServer=%v: last block %d bytes for %d plain; want compression", tr.fromServer, last.rec.WireLen, last.rec.PlainLen)
			}
			if got := tr.at(-1); got != -1 {
				t.Errorf("at(-1) = %d; want -1", got)
			}
			if got := tr.at(inFlightForever - 1); got != len(tr.blocks)-1 {
				t.Errorf("at(end) = %d; want %d", got, len(tr.blocks)-1)
			}
		}
	}
}

// TestHPACKReplaySmallTable replays HTTP/2 runs whose decoders advertise a
// SETTINGS_HEADER_TABLE_SIZE below the initial 4096. The panel's decoder
// must hold the limit at 4096 until the sender's SETTINGS ACK, as the
// endpoint does: the sender's first blocks may precede our SETTINGS and
// carry no size update, and only the blocks after the ACK owe one
// (RFC 9113 §4.3.1). Lowered at once, the panel reported a missing size
// update on the first request.
func TestHPACKReplaySmallTable(t *testing.T) {
	for _, size := range []int{0, 100, 1024} {
		p := DefaultParams()
		p.HPACKTable = size
		_, _, views := runViews(t, p)
		for _, v := range views {
			if v.proto != "h2" {
				continue
			}
			for _, tr := range append(v.hpackTracks(false), v.hpackTracks(true)...) {
				if tr.err != "" || len(tr.blocks) < 20 {
					t.Errorf("table %d, track fromServer=%v: %d blocks, error %q; want one per resource, no error", size, tr.fromServer, len(tr.blocks), tr.err)
				}
			}
		}
	}
}

func TestFrameDetails(t *testing.T) {
	_, _, views := runViews(t, DefaultParams())
	for _, v := range views {
		kinds := map[string]bool{}
		for i := range v.frames {
			f := &v.frames[i]
			if kinds[f.name] {
				continue
			}
			kinds[f.name] = true
			for _, lang := range []Lang{LangEN, LangZH} {
				d := frameDetailsOf(v, i, v.end, lang)
				if !d.Has || d.Err != "" {
					t.Errorf("%s %s: details Has %v, Err %q", v.proto, f.name, d.Has, d.Err)
				}
				if v.proto == "h2" && (len(d.Fields) < 4 || d.Fields[0].Name != "Length") {
					t.Errorf("%s %s: fields %v; want the frame header's first", v.proto, f.name, d.Fields)
				}
				if v.proto == "h1" && d.Text == "" {
					t.Errorf("%s %s: no message head text", v.proto, f.name)
				}
				// Titles name frames as the RFCs do, streams in the
				// page's language.
				if v.proto == "h3" && !strings.Contains(d.Title, " · "+strings.ToUpper(f.name)) {
					t.Errorf("%s: title %q; want the frame named %s", v.proto, d.Title, strings.ToUpper(f.name))
				}
				// HTTP/1.x has no streams: its messages are
				// numbered on their connection, and named in the
				// page's language.
				stream := map[Lang]string{LangEN: " · stream ", LangZH: " · 流 "}[lang]
				if v.proto == "h1" {
					stream = map[Lang]string{LangEN: " · " + f.name + " · #", LangZH: " · 该连接上的 #"}[lang]
					if strings.Contains(d.Title, map[Lang]string{LangEN: "stream", LangZH: "流"}[lang]) {
						t.Errorf("%s %s: title %q names a stream", v.proto, f.name, d.Title)
					}
				}
				if f.stream >= 0 && !strings.Contains(d.Title, stream) {
					t.Errorf("%s %s: title %q lacks %q", v.proto, f.name, d.Title, stream)
				}
			}
		}
		if d := frameDetailsOf(v, -1, 0, LangEN); d.Has {
			t.Errorf("no selection: Has = true")
		}
		// Before its receiver parsed it, a frame says so in a sentence.
		f := &v.frames[len(v.frames)-1]
		want := map[bool]string{true: "written at " + formatTime(f.created) + ", parsed at " + formatTime(f.parsed),
			false: "written at " + formatTime(f.created) + ", not yet parsed at this moment"}
		if f.whole { // DATA
			want = map[bool]string{true: "written at " + formatTime(f.created) + ", received whole at " + formatTime(f.parsed),
				false: "written at " + formatTime(f.created) + ", not yet received whole at this moment"}
		}
		for _, at := range []int64{f.parsed, f.parsed - 1} {
			if f.parsed < 0 || f.created > at {
				continue
			}
			if d := frameDetailsOf(v, len(v.frames)-1, at, LangEN); d.When != want[at >= f.parsed] {
				t.Errorf("%s, last frame at %d: %q; want %q", v.proto, at, d.When, want[at >= f.parsed])
			}
		}
	}
}

func TestBulkView(t *testing.T) {
	p := ParamsFrom(scenario.Bulk())
	p.LossPermille = 20
	_, res, views := runViews(t, p)
	if len(views) != 1 || views[0].proto != "tcp" {
		t.Fatalf("bulk views = %d (%v); want one tcp view", len(views), views)
	}
	v := views[0]
	if v.summary.PLT != int64(res.Completion) || v.summary.Hash != res.TraceHash {
		t.Errorf("bulk summary %+v; want completion %v, hash %s", v.summary, res.Completion, res.TraceHash)
	}
	r := v.rows[0]
	if got := r.delivered.value(v.end); got != int64(res.BytesDelivered) {
		t.Errorf("bulk delivered %d; want %d", got, res.BytesDelivered)
	}
	if v.series.Len() == 0 || v.series.Ssthresh == nil {
		t.Errorf("bulk series: %d samples, ssthresh %v; want samples with ssthresh (one connection)", v.series.Len(), v.series.Ssthresh != nil)
	}
}

func TestSeriesSumsConnections(t *testing.T) {
	ev := func(at int64, conn int32, cwnd, flight int64) trace.Event {
		return trace.Event{At: 0, Kind: trace.MetricsUpdated, Side: trace.Server, Conn: conn, Cwnd: cwnd, InFlight: flight}
	}
	events := []trace.Event{ev(0, 0, 100, 10), ev(0, 1, 50, 5), ev(0, 0, 200, 20),
		{Kind: trace.MetricsUpdated, Side: trace.Client, Conn: 0, Cwnd: 999}}
	log := trace.NewLog(true)
	for _, e := range events {
		log.Emit(e)
	}
	s := buildSeries(log)
	if !slices.Equal(s.Cwnd, []int64{100, 150, 250}) || !slices.Equal(s.InFlight, []int64{10, 15, 25}) {
		t.Errorf("cwnd %v, in flight %v; want [100 150 250], [10 15 25]", s.Cwnd, s.InFlight)
	}
	if s.Conns != 2 || s.Ssthresh != nil {
		t.Errorf("conns %d, ssthresh %v; want 2 and no ssthresh", s.Conns, s.Ssthresh)
	}
}

// TestEveryBuiltinRuns runs every built-in scenario with its own settings
// and with the page's controls moved, and indexes and draws every run: no
// scenario of the library may break the page.
func TestEveryBuiltinRuns(t *testing.T) {
	for _, e := range Library() {
		s, err := scenario.Builtin(e.Name)
		if err != nil {
			t.Fatal(err)
		}
		p := ParamsFrom(s)
		p.LossPermille, p.Seed = 10, 7
		for _, params := range []Params{ParamsFrom(s), p} {
			_, _, views := runViews(t, params)
			if len(views) == 0 {
				t.Errorf("%s: no views", e.Name)
			}
			var c Canvas
			for _, v := range views {
				if v.names[LangEN] == "" || v.names[LangZH] == "" {
					t.Errorf("%s: a view has no name: %q", e.Name, v.names)
				}
				for _, t0 := range []int64{0, v.end / 3, v.end} {
					drawAll(&c, v, t0, v.end)
				}
			}
		}
	}
}

// drawAll records every view of v at time t.
func drawAll(c *Canvas, v *runView, t, span int64) {
	var ls ladderScratch
	var bs bufferScratch
	for _, lang := range []Lang{LangEN, LangZH} {
		c.Reset(600, 400)
		plotLadder(c, v, t, ladderWindow([]*runView{v}, v.end), lang, &ls)
		c.Reset(600, 400)
		plotLanes(c, v, t, span, lang)
		c.Reset(600, 300)
		plotBuffers(c, v, t, lang, &bs)
		c.Reset(600, frameStripH)
		plotFrames(c, v, t, 0, lang, nil)
		c.Reset(600, chartsHeight)
		plotCharts(c, v, t, span, chartScaleOf([]*runView{v}), lang)
		c.Reset(600, 20)
		plotScrubMarks(c, []*runView{v}, span, lang, scrubPad)
	}
}

// A QPACK section that refers to the dynamic table decodes once the
// encoder's instructions have reached the decoder, and until then the
// panel says the stream waits for them (RFC 9204 §2.2.1).
func TestQPACKReplayWaitsForTheEncoderStream(t *testing.T) {
	// Required Insert Count 1 (encoded 2 with 128 entries at most), Base 1,
	// then the indexed field line of dynamic relative index 0 (§4.5.1,
	// §4.5.2): absolute entry 0.
	section := []byte{0x02, 0x00, 0x80}
	enc := qpack.AppendEncoderInstruction(nil, qpack.EncoderInstruction{Type: qpack.SetDynamicTableCapacity, Capacity: 4096})
	enc = qpack.AppendEncoderInstruction(enc, qpack.EncoderInstruction{Type: qpack.InsertWithLiteralName, Name: "x-lesson", Value: "qpack"})
	tr := &hpackTrack{qpack: true, qpackCapacity: 4096,
		blocks:  []hpackBlock{{at: 2, stream: 0, section: []byte{0x00, 0x00, 0xd9}}, {at: 3, stream: 4, section: section}},
		batches: []qpackBatch{{at: 5, raw: enc}}}
	if r := tr.decodeQPACKAt(1, 4); r.rec != nil || !r.waiting || r.need != 1 || r.have != 0 || r.tableLen != 0 {
		t.Errorf("at 4: %+v; want stream 4 waiting for 1 insertion, an empty table", r)
	}
	// The panel says so in the reader's language, and shows the table.
	tr.fromServer = true
	v := &runView{proto: "h3", quic: true}
	v.hpackDirs[1].built, v.hpackDirs[1].tracks = true, []*hpackTrack{tr}
	views := []*runView{v}
	for lang, want := range map[Lang]string{LangEN: "Stream 4 waits for the encoder stream", LangZH: "流 4 正在等待编码器流"} {
		col := hpackCols(views, 4, "resp", noSel, lang)[0]
		html := app.HTMLString((&HPACKPanel{Lang: lang}).column(0, col))
		if !strings.Contains(html, want) || strings.Contains(html, "hs-error") {
			t.Errorf("panel at 4 (%s): %s; want %q as a note", lang.Code(), html, want)
		}
		// Beside it, the last section decoded by then: stream 0's
		// prefix and :status 200 (0xd9: indexed field line, static #25).
		if !col.HasBlock || col.BlockStream != 0 || len(col.Fields) != 2 || col.Fields[0].Bytes != 2 || col.Fields[1].Value != "200" {
			t.Errorf("panel at 4: block %v on stream %d, fields %+v; want stream 0's :status 200", col.HasBlock, col.BlockStream, col.Fields)
		}
	}
	r := tr.decodeQPACKAt(1, 6)
	if r.rec == nil || len(r.rec.Fields) != 1 || r.rec.Fields[0].Name != "x-lesson" || r.rec.Fields[0].Value != "qpack" {
		t.Fatalf("at 6: %+v; want x-lesson: qpack from the dynamic table", r)
	}
	if r.tableLen != 1 || len(r.table) != 1 || r.table[0].Size != len("x-lesson")+len("qpack")+32 || r.capacity != 4096 {
		t.Errorf("at 6: table %+v (%d entries of %d), capacity %d; want the one entry", r.table, r.tableLen, r.tableSize, r.capacity)
	}
	static := hpackBlock{stream: 4, section: section}
	if _, err := static.decodeQPACK(); !strings.HasPrefix(err, "stream 4: ") {
		t.Errorf("decodeQPACK with no dynamic table = %q; want the decoder's error for stream 4", err)
	}
}

// lessonViews runs built-in lesson name as the page opens it from the
// picker's list (ParamsFrom) and returns its views.
func lessonViews(t testing.TB, name string) []*runView {
	t.Helper()
	s, err := scenario.Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	_, _, views := runViews(t, ParamsFrom(s))
	return views
}

// summaryCols are the summary's columns for views.
func summaryCols(views []*runView) []SummaryCol {
	cols := make([]SummaryCol, len(views))
	for i, v := range views {
		cols[i] = v.summary
	}
	return cols
}

// A packet's label names every handshake record that starts in it, as the
// first flight's label does.
func TestTakeHandshake(t *testing.T) {
	recs := func() []handshakeRecord {
		return []handshakeRecord{{off: 0, msgs: "ServerHello"}, {off: 127, msgs: "EncryptedExtensions,Certificate,CertificateVerify,Finished"},
			{off: 4491, msgs: "ChangeCipherSpec"}, {off: 4497, msgs: "Finished"}}
	}
	tests := []struct {
		off, n int64
		want   string
	}{
		{0, 1460, "ServerHello…Finished"},
		{0, 127, "ServerHello"},
		{1460, 1460, ""},
		{4491, 51, "ChangeCipherSpec, Finished"},
		{4492, 51, "Finished"},
	}
	for _, tt := range tests {
		if got := takeHandshake(recs(), tt.off, tt.n); got != tt.want {
			t.Errorf("takeHandshake(recs, %d, %d) = %q; want %q", tt.off, tt.n, got, tt.want)
		}
	}
	// A record is labelled once.
	r := recs()
	if takeHandshake(r, 0, 1460); takeHandshake(r, 0, 1460) != "" {
		t.Errorf("takeHandshake twice: labelled again; want once")
	}
}

// The ladder labels the packets that carry each flight: over TLS 1.3 the
// server's first names ServerHello through Finished, and the client's
// second the dummy ChangeCipherSpec of middlebox compatibility mode (RFC
// 8446 Appendix D.4) with its Finished; over TLS 1.2 the
// second flights name Finished; over QUIC the labels sit on packets with
// CRYPTO data, never on an ACK-only one.
func TestHandshakeLabels(t *testing.T) {
	tests := []struct {
		tls  string
		want []string // side and label of some of connection 0's packets, in order
	}{
		{"1.3", []string{"C ClientHello", "S ServerHello…Finished", "C ChangeCipherSpec, Finished"}},
		{"1.2", []string{"C ClientHello", "S ServerHello…ServerHelloDone", "C ClientKeyExchange…Finished", "S ChangeCipherSpec, Finished"}},
	}
	for _, tt := range tests {
		p := DefaultParams()
		p.TLS, p.Protos = tt.tls, "h2,h3"
		_, _, views := runViews(t, p)
		if len(views) != 2 {
			t.Fatalf("TLS %s: %d views; want h2 and h3", tt.tls, len(views))
		}
		for _, v := range views {
			var got []string
			client := false
			for _, pk := range v.packets {
				if pk.conn != 0 || pk.label == "" {
					continue
				}
				side := "C "
				if pk.fromServer {
					side = "S "
				}
				got = append(got, side+pk.label)
				if v.quic && pk.n == 0 {
					t.Errorf("TLS %s h3: %s%s labels a packet with no CRYPTO data", tt.tls, side, pk.label)
				}
				client = client || (!pk.fromServer && pk.label == "Handshake")
			}
			if v.quic {
				if !client {
					t.Errorf("TLS %s h3: labels %q; want the client's Handshake flight", tt.tls, got)
				}
				continue
			}
			rest := got
			for _, w := range tt.want {
				i := slices.Index(rest, w)
				if i < 0 {
					t.Errorf("TLS %s h2: labels %q; want %q, in order %q", tt.tls, got, w, tt.want)
					break
				}
				rest = rest[i+1:]
			}
		}
	}
}

// The RTT chart plots each sample the trace marks as one (FlagRTTSample),
// equal or not to the one before: on a quiet simulated path samples repeat
// to the nanosecond, and only the first of a run of them was drawn. A
// metrics event that only repeats the latest RTT is no sample.
func TestSeriesRTTSamples(t *testing.T) {
	metrics := func(at int64, rtt time.Duration, sample bool) trace.Event {
		e := trace.Event{At: sim.Time(at), Kind: trace.MetricsUpdated, Side: trace.Server, Conn: 0, Cwnd: 100, RTT: rtt, SRTT: rtt}
		if sample {
			e.Flags = trace.FlagRTTSample
		}
		return e
	}
	log := trace.NewLog(true)
	for _, e := range []trace.Event{metrics(1, 100, true), metrics(2, 100, false), metrics(3, 100, true), metrics(4, 120, false)} {
		log.Emit(e)
	}
	r := buildSeries(log).RTT[0]
	if !slices.Equal(r.SampleAt, []int64{1, 3}) || !slices.Equal(r.Sample, []int64{100, 100}) {
		t.Errorf("RTT samples at %v: %v; want at [1 3]: [100 100]", r.SampleAt, r.Sample)
	}
}

// A connection leaves the sums of windows and bytes in flight when the
// trace says it closed, and its later metrics do not bring it back.
func TestSeriesDropsClosedConnections(t *testing.T) {
	metrics := func(at int64, conn int32, cwnd, flight int64) trace.Event {
		return trace.Event{At: sim.Time(at), Kind: trace.MetricsUpdated, Side: trace.Server, Conn: conn, Cwnd: cwnd, InFlight: flight}
	}
	state := func(at int64, side trace.Side, conn int32, name string) trace.Event {
		return trace.Event{At: sim.Time(at), Kind: trace.ConnectionStateUpdated, Side: side, Conn: conn, Name: name}
	}
	log := trace.NewLog(true)
	for _, e := range []trace.Event{
		metrics(1, 0, 100, 10), metrics(2, 1, 50, 5), metrics(3, 2, 20, 2),
		state(4, trace.Client, 0, "peer_closed"), // the client's view: no change
		state(5, trace.Server, 0, "peer_closed"), // TCP: the client's FIN
		metrics(6, 0, 200, 0),                    // an ACK of the server's FIN
		state(7, trace.Server, 1, "closed"),      // QUIC
		state(8, trace.Server, 1, "closed"),
		state(9, trace.Server, 2, "established"),
	} {
		log.Emit(e)
	}
	s := buildSeries(log)
	want := ccSeries{At: []int64{1, 2, 3, 5, 7}, Cwnd: []int64{100, 150, 170, 70, 20}, InFlight: []int64{10, 15, 17, 7, 2}}
	if !slices.Equal(s.At, want.At) || !slices.Equal(s.Cwnd, want.Cwnd) || !slices.Equal(s.InFlight, want.InFlight) {
		t.Errorf("buildSeries: at %v, cwnd %v, in flight %v; want %v, %v, %v", s.At, s.Cwnd, s.InFlight, want.At, want.Cwnd, want.InFlight)
	}
	if s.Conns != 3 {
		t.Errorf("buildSeries: %d connections; want 3 seen", s.Conns)
	}
}

// HTTP/1.0 opens a connection per request: at the end of the keepalive
// lesson the charts add up the windows of the connections still open, those
// whose server has not had the client's FIN, not of all thirty.
func TestSeriesKeepaliveEnd(t *testing.T) {
	s, _ := scenario.Builtin("keepalive")
	_, res, views := runViews(t, ParamsFrom(s))
	for vi, v := range views {
		cwnd, fin := map[int32]int64{}, map[int32]bool{}
		for e := range res.Runs[vi].Log.All() {
			switch {
			case e.Side != trace.Server:
			case e.Kind == trace.MetricsUpdated:
				cwnd[e.Conn] = e.Cwnd
			case e.Kind == trace.PacketReceived && e.Flags.Has(trace.FlagFIN):
				fin[e.Conn] = true
			}
		}
		var want int64
		for c, w := range cwnd {
			if !fin[c] {
				want += w
			}
		}
		se := &v.series
		if got := se.Cwnd[se.Len()-1]; got != want {
			t.Errorf("%s: window at the end %s over %d connections; want %s, the %d still open",
				v.names[0], formatBytes(got), se.Conns, formatBytes(want), len(cwnd)-len(fin))
		}
	}
}

// The migration lesson's HTTP/2 window starts over on the new path, as its
// text says: the first connection, which the server drops at the move,
// leaves the charts' sums (its 223 kB window and 222 kB in flight stayed in
// them to the end of the run).
func TestSeriesDropTheConnectionAPathChangeEnds(t *testing.T) {
	s, _ := scenario.Builtin("migration")
	_, res, views := runViews(t, ParamsFrom(s))
	v, log := views[0], res.Runs[0].Log
	if v.proto != "h2" {
		t.Fatalf("the first view is %s; want h2", v.proto)
	}
	// At each time, the sum over the server's connections still open.
	cwnd, flight, closed := map[int32]int64{}, map[int32]int64{}, map[int32]bool{}
	se := &v.series
	k := 0
	for e := range log.All() {
		if e.Side != trace.Server {
			continue
		}
		switch {
		case e.Kind == trace.MetricsUpdated && !closed[e.Conn]:
			cwnd[e.Conn], flight[e.Conn] = e.Cwnd, e.InFlight
		case e.Kind == trace.ConnectionStateUpdated && closedState(e.Name):
			closed[e.Conn] = true
		default:
			continue
		}
		for k+1 < se.Len() && se.At[k+1] <= int64(e.At) {
			k++
		}
		if se.At[k] != int64(e.At) {
			continue // a later event at the same time, or none charted
		}
		var wantCwnd, wantFlight int64
		for c := range cwnd {
			if !closed[c] {
				wantCwnd, wantFlight = wantCwnd+cwnd[c], wantFlight+flight[c]
			}
		}
		if se.Cwnd[k] != wantCwnd || se.InFlight[k] != wantFlight {
			t.Fatalf("at %v: window %s, in flight %s; want %s and %s, of the connections open", e.At, formatBytes(se.Cwnd[k]), formatBytes(se.InFlight[k]), formatBytes(wantCwnd), formatBytes(wantFlight))
		}
	}
	at := sort.Search(se.Len(), func(i int) bool { return se.At[i] > 650_000_000 }) - 1
	if se.Cwnd[at] > 20_000 || se.InFlight[at] > 20_000 {
		t.Errorf("at 650 ms, after the move: window %s, in flight %s; want the new connection's alone", formatBytes(se.Cwnd[at]), formatBytes(se.InFlight[at]))
	}
}

// A request sent again after its connection failed keeps its colour on
// the connection it was first sent on: in the migration lesson's HTTP/2
// run, the first connection's 812 segments of responses were grey, as
// ACKs, and its frames uncoloured. Its lane still counts the last
// attempt's bytes, so it ends whole.
func TestFirstAttemptsKeepTheirResourcesColour(t *testing.T) {
	// HTTP/3 retries too when the server resets its connections.
	s := scenario.Page()
	s.Protocols = []string{"h2", "h3"}
	s.Network.ServerResets = []time.Duration{700 * time.Millisecond}
	res, err := scenario.Run(s, scenario.Options{KeepTrace: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range append(lessonViews(t, "migration"), buildViews(s, res, nil)...) {
		for _, p := range v.packets {
			if v.quic {
				continue
			}
			if p.fromServer && p.stream > 0 && p.row < 0 {
				t.Errorf("%s: a segment of stream %d on connection %d at %v belongs to no resource", v.names[LangEN], p.stream, p.conn, time.Duration(p.sent))
				break
			}
		}
		for _, f := range v.frames {
			// HTTP/2's stream 0 is the connection's; HTTP/3's requests
			// go on client-initiated bidirectional streams (RFC 9000
			// §2.1), the others are control and QPACK streams.
			if f.fromServer && f.stream > 0 && (!v.quic || f.stream%4 == 0) && f.row < 0 {
				t.Errorf("%s: frame %s of stream %d on connection %d belongs to no resource", v.names[LangEN], f.name, f.stream, f.conn)
				break
			}
		}
		retried := 0
		for _, r := range v.rows {
			if r.done >= 0 && r.total > 0 && (r.delivered.value(v.end) != r.total || r.arrived.value(v.end) != r.total) {
				t.Errorf("%s: %s arrived %d and delivered %d of %d bytes by its end", v.names[LangEN], r.label, r.arrived.value(v.end), r.delivered.value(v.end), r.total)
			}
			for _, s := range []*cumSeries{&r.arrived, &r.delivered} {
				for k, n := range s.sum {
					if n < 0 || n > r.total || k > 0 && s.at[k] < s.at[k-1] {
						t.Errorf("%s: %s counts %d of %d bytes at %v", v.names[LangEN], r.label, n, r.total, time.Duration(s.at[k]))
						break
					}
				}
			}
			if !r.retried {
				continue
			}
			// Its lane counts the attempt in progress: the first
			// attempt's bytes, then from 0 again (the migration lesson's
			// video read 0 % until the move, its first 787 kB uncounted).
			retried++
			drops := 0
			for k := 1; k < len(r.arrived.sum); k++ {
				if r.arrived.sum[k] < r.arrived.sum[k-1] {
					drops++
					if r.arrived.sum[k] != 0 || r.arrived.sum[k-1] == 0 {
						t.Errorf("%s: %s's count goes from %d to %d at %v; want back to 0", v.names[LangEN], r.label, r.arrived.sum[k-1], r.arrived.sum[k], time.Duration(r.arrived.at[k]))
					}
				}
			}
			if r.label == "clip.mp4" && v.proto == "h2" && (drops != 1 || r.arrived.value(590_000_000) < 500_000 || r.delivered.value(590_000_000) < 100_000) {
				t.Errorf("%s: the video has %d bytes arrived and %d delivered at 590 ms, %d restarts; want its first attempt's, then one restart", v.names[LangEN], r.arrived.value(590_000_000), r.delivered.value(590_000_000), drops)
			}
		}
		if retried == 0 && i != 1 { // the migration lesson's HTTP/3 moves, and retries nothing
			t.Errorf("%s: no lane of a retried request", v.names[LangEN])
		}
		for _, sr := range v.streams {
			// Requests go on client-initiated bidirectional streams
			// (RFC 9000 §2.1): 0, 4, 8…
			if sr.colour < 0 && sr.stream%4 == 0 && v.quic {
				t.Errorf("%s: QUIC stream %d on connection %d belongs to no resource", v.names[LangEN], sr.stream, sr.conn)
			}
		}
	}
}

// A response's HEADERS whose field section waits for the QPACK encoder
// stream is not parsed until its insertions arrive: the frame strip keeps
// it outlined as long as the lanes hatch the wait (the qpack lesson's
// HTML, read at 420 ms and decoded at 520 ms).
func TestQPACKBlockedHeadersAreParsedWhenDecoded(t *testing.T) {
	waits := 0
	views := lessonViews(t, "qpack")
	for i, v := range views {
		for r, row := range v.rows {
			for _, h := range row.hol {
				if h.cause != holCauseOf(hol.CauseQPACK) {
					continue
				}
				waits++
				// Meanwhile the panel shows the section waiting, as the
				// lesson says.
				if col := hpackCols(views, (h.from+h.to)/2, "resp", noSel, LangEN)[i]; col.Need == 0 {
					t.Errorf("%s: at %v, inside %s's QPACK wait, the panel shows no stream waiting", v.names[LangEN], time.Duration((h.from+h.to)/2), row.label)
				}
				for _, f := range v.frames {
					if f.fromServer && f.name == "headers" && f.row == r && f.parsed >= h.from && f.parsed < h.to {
						t.Errorf("%s: %s's HEADERS parsed at %v, inside its QPACK wait %v to %v", v.names[LangEN], row.label, time.Duration(f.parsed), time.Duration(h.from), time.Duration(h.to))
					}
				}
			}
		}
	}
	if waits == 0 {
		t.Fatal("no QPACK wait in the qpack lesson")
	}
}

// An HTTP/1.x response's box counts its body: it is filled once the body
// has all arrived, as a DATA frame is, not when its head is read (in the
// keepalive lesson, app1.js's box was filled with 8,760 of its 90,225
// bytes delivered).
func TestHTTP1ResponsesAreParsedWhole(t *testing.T) {
	checked := 0
	for _, v := range lessonViews(t, "keepalive") {
		for _, f := range v.frames {
			if !f.fromServer || f.name != "response" || f.row < 0 || f.parsed < 0 {
				continue
			}
			checked++
			if row := v.rows[f.row]; f.parsed != row.done {
				t.Errorf("%s: %s's response parsed at %v; complete at %v", v.names[LangEN], row.label, time.Duration(f.parsed), time.Duration(row.done))
			}
		}
	}
	if checked == 0 {
		t.Fatal("no HTTP/1.x response in the keepalive lesson")
	}
}

// HTTP/3 counts datagrams, as TCP counts segments: packets sent, lost and
// retransmitted alike. In the lost-first-flight lesson a resent Initial
// and Handshake travel coalesced in one datagram: one retransmission.
func TestQUICCountsDatagrams(t *testing.T) {
	s, err := scenario.Builtin("lost-first-flight")
	if err != nil {
		t.Fatal(err)
	}
	_, res, views := runViews(t, LessonParams(s))
	coalesced := 0
	for i, v := range views {
		if !v.quic {
			continue
		}
		sent, rtx, counted := 0, 0, false
		for _, p := range v.packets {
			if !p.flags.Has(trace.FlagCoalesced) {
				sent++
				counted = false
			} else {
				coalesced++
			}
			if p.flags.Has(trace.FlagRetransmit) && !counted {
				rtx, counted = rtx+1, true
			}
		}
		if run := res.Runs[i]; int64(sent) != run.PacketsSent || int64(rtx) != run.Retransmits {
			t.Errorf("%s: %d datagrams, %d with a retransmission; the run counts %d and %d", v.names[LangEN], sent, rtx, run.PacketsSent, run.Retransmits)
		}
	}
	if coalesced == 0 {
		t.Fatal("no coalesced packet in the lost-first-flight lesson")
	}
}

// The charts' scrub-time values fit their chart: a narrow one (several
// runs side by side, a 1200-pixel figure of five) gives the short names;
// the full text ran off its left edge ("ngestion window 13.5 kB").
func TestChartsOverlayTextFits(t *testing.T) {
	_, _, views := runViews(t, DefaultParams())
	v := views[1]
	for _, w := range []float64{600, 240} {
		for _, lang := range []Lang{LangEN, LangZH} {
			var c Canvas
			c.Reset(w, chartsHeight)
			plotChartsOverlay(&c, v, v.end/2, v.end, lang, true)
			var text string
			for _, s := range strings.Split(c.Strings(), "\n") {
				if strings.Contains(s, lang.T("legend.inflight.short")) { // a part of the full name too
					text = s
				}
			}
			if text == "" || textWidthAt(text, 11) > w-chartRight-4 {
				t.Errorf("%v, %v px: values %q (%.0f px) do not fit in %v px", lang, w, text, textWidthAt(text, 11), w-chartRight-4)
			}
			if full := strings.Contains(text, lang.T("legend.inflight")); full != (w == 600) && lang == LangEN {
				t.Errorf("%v px: %q; want the full names only where they fit", w, text)
			}
		}
	}
}

// spanUnion is how long spans of the causes keep cover, together.
func spanUnion(spans []holSpan, keep func(holCause) bool) int64 {
	var iv [][2]int64
	for _, s := range spans {
		if keep(s.cause) && s.to > s.from {
			iv = append(iv, [2]int64{s.from, s.to})
		}
	}
	slices.SortFunc(iv, func(a, b [2]int64) int { return cmp.Compare(a[0], b[0]) })
	var total, end int64 = 0, math.MinInt64
	for _, v := range iv {
		if v[0] > end {
			total += v[1] - v[0]
			end = v[1]
		} else if v[1] > end {
			total += v[1] - end
			end = v[1]
		}
	}
	return total
}

// The lanes draw what the tables count: for every resource, the waits
// hatched in its lane add up to its head-of-line time and its own-loss
// delay, between its request and its completion. After a move at 850 ms in
// h2-hol, the bytes held behind the hole on the dead connection waited
// until then: the tables counted it against the requests sent again on the
// new one, and the lanes drew nothing, as they looked at the last attempt's
// connection only. In the push lesson at 3 % loss (seed 3) the lanes drew
// the pushed font /fonts/body.woff2 waiting for another stream's loss from
// 892.7 ms, and for its own for 236.4 ms from 899.3, before the browser
// asked for it at 1016.3; the table said HoL 0 and own loss 119.4 ms. Bytes
// pushed ahead of the request delayed nothing the page waited for.
func TestLanesAgreeWithTheTables(t *testing.T) {
	tests := []struct {
		name string
		make func() *scenario.Scenario
		// retried: a request sent again after its connection died
		// waited on it; pushed: a pushed response waited before it was
		// asked for.
		retried, pushed bool
	}{
		{"h2-hol, the client moves at 850 ms", func() *scenario.Scenario {
			s, _ := scenario.Builtin("h2-hol")
			s.Network.PathChanges = []scenario.PathChange{{At: 850 * time.Millisecond}}
			return s
		}, true, false},
		{"h2-hol over pipelined HTTP/1.1, the client moves at 850 ms", func() *scenario.Scenario {
			s, _ := scenario.Builtin("h2-hol")
			s.Protocols = []string{"h1"}
			s.H1.MaxConns, s.H1.Pipelining = 1, true
			s.Network.PathChanges = []scenario.PathChange{{At: 850 * time.Millisecond}}
			return s
		}, true, false},
		{"push at 3 % loss, seed 3", func() *scenario.Scenario {
			s, _ := scenario.Builtin("push")
			s = s.Variants[slices.IndexFunc(s.Variants, func(v scenario.Variant) bool { return v.Name == "push" })].Scenario
			s.Seed = 3
			l := link.Loss{Model: link.Bernoulli, Rate: 0.03}
			s.Network.Down.Loss, s.Network.Up.Loss = l, l
			return s
		}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.make()
			res, err := scenario.Run(s, scenario.Options{KeepTrace: true})
			if err != nil {
				t.Fatal(err)
			}
			views := buildViews(s, res, nil)
			for i, v := range views {
				run := res.Runs[i]
				waited := false
				for _, r := range v.rows {
					if r.res < 0 {
						continue
					}
					x := run.Resources[r.res]
					own := spanUnion(r.hol, func(c holCause) bool { return c == holCauseOf(hol.CauseLoss) })
					other := spanUnion(r.hol, func(c holCause) bool { return c != holCauseOf(hol.CauseLoss) })
					if own != int64(x.LossDelay) || other != int64(x.HOL) {
						t.Errorf("%s %s: the lane hatches %v of own loss and %v of HoL; the table counts %v and %v",
							v.names[LangEN], x.URL, time.Duration(own), time.Duration(other), x.LossDelay, x.HOL)
					}
					if tt.retried {
						waited = waited || x.Retries > 0 && x.HOL+x.LossDelay > 0
					}
					if tt.pushed {
						waited = waited || earlyWaits(run.Log, x)
					}
				}
				if !waited {
					t.Errorf("%s: nothing waited where it should (a retried request on its dead connection, a pushed one before it was asked for)", v.names[LangEN])
				}
			}
		})
	}
}

// earlyWaits reports whether the trace has x's bytes waiting before the
// browser asked for it.
func earlyWaits(log *trace.Log, x web.ResourceState) bool {
	for e := range log.All() {
		if e.Kind == trace.HOLBlocked && e.Conn == x.Conn && e.Stream == x.Stream && e.Arrived < x.Sent {
			return true
		}
	}
	return false
}
