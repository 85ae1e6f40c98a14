package app

import (
	"strconv"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
	"golang.org/x/net/html"

	"httpsim/sim/qpack"
)

// Protocols without header compression get one line naming them, not a
// column: the tables of those that have it keep the width.
func TestHPACKPanelColumns(t *testing.T) {
	h1 := HPACKCol{Names: [2]string{"HTTP/1.1", "HTTP/1.1"}}
	h10 := HPACKCol{Names: [2]string{"HTTP/1.0", "HTTP/1.0"}}
	h2 := HPACKCol{Names: [2]string{"HTTP/2", "HTTP/2"}, Applicable: true}
	h3 := HPACKCol{Names: [2]string{"HTTP/3", "HTTP/3"}, Applicable: true, QPACK: true}
	tests := []struct {
		cols      []HPACKCol
		wantCols  int
		wantPlain string // "" when no line is expected
	}{
		{[]HPACKCol{h1, h2, h3}, 2, "HTTP/1.1: header fields travel as plain text"},
		{[]HPACKCol{h10, h1, h2}, 1, "HTTP/1.0, HTTP/1.1: header fields"},
		{[]HPACKCol{h2, h3}, 2, ""},
		{[]HPACKCol{h10, h1}, 0, "Header compression applies to HTTP/2 (HPACK) and HTTP/3 (QPACK)."},
	}
	for _, tt := range tests {
		html := app.HTMLString(&HPACKPanel{Cols: tt.cols, Dir: "resp"})
		names := make([]string, len(tt.cols))
		for i, c := range tt.cols {
			names[i] = c.Names[0]
		}
		if got := strings.Count(html, `class="hs-col"`); got != tt.wantCols {
			t.Errorf("%v: %d columns; want %d", names, got, tt.wantCols)
		}
		hasPlain := strings.Contains(html, `id="hpack-plain"`)
		switch {
		case tt.wantPlain == "" && hasPlain:
			t.Errorf("%v: a plain-text line; want none", names)
		case tt.wantPlain != "" && !strings.Contains(html, tt.wantPlain):
			t.Errorf("%v: HTML lacks %q:\n%s", names, tt.wantPlain, html)
		}
	}
}

// The boxes that scroll the tables are named regions a keyboard reaches:
// Chromium made them focusable by itself, and a screen reader announced
// unnamed groups.
func TestHPACKTablesAreNamedRegions(t *testing.T) {
	col := HPACKCol{Names: [2]string{"HTTP/2", "HTTP/2"}, Applicable: true, TableLen: 1, TableSize: 40, MaxSize: 4096,
		Entries: []HPACKEntry{{Index: 62, Name: "cookie", Value: "a=b", Size: 40}}, HasBlock: true,
		Fields: []HPACKField{{Name: "cookie", Value: "a=b", Rep: "indexed", Bytes: 1, Saved: 10}}}
	root := parseHTML(t, app.HTMLString(&HPACKPanel{Cols: []HPACKCol{col}, Dir: "resp"}))
	regions := elements(root, func(n *html.Node) bool { r, _ := attr(n, "role"); return r == "region" })
	if len(regions) != 2 {
		t.Fatalf("%d regions; want the dynamic table's and the header block's", len(regions))
	}
	for _, r := range regions {
		id, _ := attr(r, "aria-labelledby")
		tab, _ := attr(r, "tabindex")
		named := elements(root, func(n *html.Node) bool { v, _ := attr(n, "id"); return v == id && textOf(n) != "" })
		if len(named) != 1 || tab != "0" {
			t.Errorf("region labelled by %q (%d elements with text), tabindex %q; want one caption and tabindex 0", id, len(named), tab)
		}
	}
}

// Each QPACK representation is named in both languages with the entry it
// refers to: static index, or the dynamic entry's absolute index.
func TestQPACKRepText(t *testing.T) {
	tests := []struct {
		f      qpack.FieldRecord
		en, zh string
	}{
		{qpack.FieldRecord{Rep: qpack.Indexed, Static: true, Index: 25},
			"indexed field line (static #25)", "索引字段行（静态表 #25）"},
		{qpack.FieldRecord{Rep: qpack.Indexed, Index: 0, Absolute: 7},
			"indexed field line (dynamic #7)", "索引字段行（动态表 #7）"},
		{qpack.FieldRecord{Rep: qpack.IndexedPostBase, Index: 1, Absolute: 9},
			"indexed field line with post-base index (dynamic #9)", "基址后索引字段行（动态表 #9）"},
		{qpack.FieldRecord{Rep: qpack.LiteralNameRef, Static: true, Index: 6, ValueHuffman: true},
			"literal field line with name reference (static #6), Huffman", "带名称引用的字面字段行（静态表 #6），哈夫曼编码"},
		{qpack.FieldRecord{Rep: qpack.LiteralPostBaseNameRef, Index: 0, Absolute: 3, Never: true},
			"literal field line with post-base name reference (dynamic #3), never indexed", "带基址后名称引用的字面字段行（动态表 #3），永不索引"},
		{qpack.FieldRecord{Rep: qpack.LiteralName, NameHuffman: true},
			"literal field line with literal name, Huffman", "带字面名称的字面字段行，哈夫曼编码"},
	}
	for _, tt := range tests {
		if got := qpackRepText(tt.f, LangEN); got != tt.en {
			t.Errorf("qpackRepText(%+v, en) = %q; want %q", tt.f, got, tt.en)
		}
		if got := qpackRepText(tt.f, LangZH); got != tt.zh {
			t.Errorf("qpackRepText(%+v, zh) = %q; want %q", tt.f, got, tt.zh)
		}
	}
}

// qpackTrackWaiting is a QPACK track whose second section (stream 4, parsed
// at 3 µs) needs the one insertion of an encoder batch that reaches the
// decoder at 5 µs.
func qpackTrackWaiting(conn int32) *hpackTrack {
	enc := qpack.AppendEncoderInstruction(nil, qpack.EncoderInstruction{Type: qpack.SetDynamicTableCapacity, Capacity: 4096})
	enc = qpack.AppendEncoderInstruction(enc, qpack.EncoderInstruction{Type: qpack.InsertWithLiteralName, Name: "x-lesson", Value: "qpack"})
	return &hpackTrack{conn: conn, fromServer: true, qpack: true, qpackCapacity: 4096,
		blocks: []hpackBlock{{at: 2000, stream: 0, section: []byte{0x00, 0x00, 0xd9}},
			{at: 3000, stream: 4, section: []byte{0x02, 0x00, 0x80}}},
		batches: []qpackBatch{{at: 5000, raw: enc}}}
}

// viewWithTracks is an HTTP/3 view whose response tracks are trs.
func viewWithTracks(trs ...*hpackTrack) *runView {
	v := &runView{proto: "h3", quic: true, end: 10000}
	v.hpackDirs[1].built, v.hpackDirs[1].tracks = true, trs
	return v
}

// The panel's cache follows what the panel shows: an encoder batch that
// reaches the decoder changes the table and ends the wait while the last
// section stays the same (RFC 9204 §2.2.1); in any view of a lesson's
// many.
func TestHPACKCacheFollowsEncoderStream(t *testing.T) {
	views := []*runView{{proto: "h1"}, {proto: "h1"}, {proto: "h1"}, {proto: "h1"}, {proto: "h1"}, viewWithTracks(qpackTrackWaiting(0))}
	c := &Page{views: views, span: 10000, sel: noSel, st: State{Params: DefaultParams(), HPACKDir: "resp"}}
	tests := []struct {
		us                 int64
		tableLen, need     int
		hasBlock           bool
		blockStream        int64
		changedSinceBefore bool
	}{
		{4, 0, 1, true, 0, true},  // stream 4 waits; stream 0's section shown
		{6, 1, 0, true, 4, true},  // the batch arrived: stream 4 decodes
		{7, 1, 0, true, 4, false}, // nothing new
	}
	for _, tt := range tests {
		c.st.TimeUS = tt.us
		cols, changed := c.hpackColsCached()
		col := cols[5]
		if col.TableLen != tt.tableLen || int(col.Need) != tt.need || col.HasBlock != tt.hasBlock || col.BlockStream != tt.blockStream || changed != tt.changedSinceBefore {
			t.Errorf("hpackColsCached() at %d µs = table %d, need %d, block %v on stream %d, changed %v; want %d, %d, %v, %d, %v",
				tt.us, col.TableLen, col.Need, col.HasBlock, col.BlockStream, changed, tt.tableLen, tt.need, tt.hasBlock, tt.blockStream, tt.changedSinceBefore)
		}
	}
}

// With several connections the panel shows the one that received the
// latest header block, names it, and its cache follows the switch.
func TestHPACKShowsLatestConnection(t *testing.T) {
	a, b := qpackTrackWaiting(0), qpackTrackWaiting(3)
	a.blocks = a.blocks[:1] // conn 0: stream 0 at 2 µs
	b.blocks[0].at = 2500   // conn 3: stream 0 at 2.5 µs, stream 4 at 3 µs
	a.blocks[0].stream = 8  // tell them apart
	b.batches[0].at = 2600  // stream 4 need not wait
	c := &Page{views: []*runView{viewWithTracks(a, b)}, span: 10000, sel: noSel, st: State{Params: DefaultParams(), HPACKDir: "resp"}}
	tests := []struct {
		us     int64
		conn   int32
		stream int64
	}{{2, 0, 8}, {3, 3, 4}}
	for _, tt := range tests {
		c.st.TimeUS = tt.us
		cols, _ := c.hpackColsCached()
		col := cols[0]
		if col.Conn != tt.conn || col.BlockStream != tt.stream {
			t.Errorf("panel at %d µs: conn %d, stream %d; want conn %d, stream %d", tt.us, col.Conn, col.BlockStream, tt.conn, tt.stream)
		}
		for lang, want := range map[Lang]string{LangEN: "Connection " + strconv.Itoa(int(tt.conn)) + ", the latest of 2", LangZH: "连接 " + strconv.Itoa(int(tt.conn)) + "：2 个连接中"} {
			if html := app.HTMLString((&HPACKPanel{Lang: lang}).column(0, col)); !strings.Contains(html, want) {
				t.Errorf("panel at %d µs (%s) lacks %q: %s", tt.us, lang.Code(), want, html)
			}
		}
	}
	// One connection: no caption to say which.
	if html := app.HTMLString((&HPACKPanel{Lang: LangEN}).column(0, hpackCols([]*runView{viewWithTracks(a)}, 9000, "resp", noSel, LangEN)[0])); strings.Contains(html, "Connection ") {
		t.Errorf("one connection: %s; want no connection caption", html)
	}
}

// On the migration lesson the run ends on a newer connection than the
// first: the panel shows its last block and table, not connection 0's.
func TestHPACKMigrationShowsNewConnection(t *testing.T) {
	checked := false
	for _, v := range lessonViews(t, "migration") {
		if v.proto != "h2" {
			continue
		}
		checked = true
		trs := v.hpackTracks(true)
		if len(trs) < 2 {
			t.Fatalf("migration h2: %d response tracks; want several connections", len(trs))
		}
		want := trs[0]
		for _, tr := range trs {
			if tr.blocks[len(tr.blocks)-1].at >= want.blocks[len(want.blocks)-1].at {
				want = tr
			}
		}
		last := want.blocks[len(want.blocks)-1]
		col := hpackCols([]*runView{v}, v.end, "resp", noSel, LangEN)[0]
		if col.Conn != want.conn || col.BlockStream != last.stream || col.TableLen != last.rec.TableLen || col.Conns != len(trs) {
			t.Errorf("migration h2 at the end: conn %d stream %d table %d (of %d conns); want conn %d stream %d table %d (of %d)",
				col.Conn, col.BlockStream, col.TableLen, col.Conns, want.conn, last.stream, last.rec.TableLen, len(trs))
		}
	}
	if !checked {
		t.Fatal("migration: no HTTP/2 run")
	}
}

// The panel's rows add up to its caption: a QPACK section's prefix and an
// HPACK block's dynamic table size update are bytes of the block, with a
// row of their own (they had none, and the rows summed to a byte or two
// more saved than the caption said).
func TestHPACKRowsAddUpToTheBlock(t *testing.T) {
	for _, lesson := range []string{"hpack", "qpack", "h3-hol"} {
		views := lessonViews(t, lesson)
		var span int64
		for _, v := range views {
			span = max(span, v.end)
		}
		rows, updates, prefixes := 0, 0, 0
		for _, dir := range []string{"resp", "req"} {
			for k := 0; k <= 200; k++ {
				for _, col := range hpackCols(views, span*int64(k)/200, dir, noSel, LangEN) {
					if !col.HasBlock {
						continue
					}
					bytes, saved := 0, 0
					for _, f := range col.Fields {
						bytes += f.Bytes
						saved += f.Saved
						rows++
						switch {
						case strings.HasPrefix(f.Rep, "dynamic table size update"):
							updates++
						case strings.HasPrefix(f.Rep, "section prefix"):
							prefixes++
						}
					}
					if bytes != col.BlockWire || saved != col.BlockPlain-col.BlockWire {
						t.Errorf("%s %s, %s stream %d at %v: rows %d bytes, %d saved; caption %d bytes, %d saved", lesson, col.Proto, dir, col.BlockStream, formatTime(col.BlockAt), bytes, saved, col.BlockWire, col.BlockPlain-col.BlockWire)
					}
				}
			}
		}
		if rows == 0 || lesson == "hpack" && updates == 0 || lesson == "qpack" && prefixes == 0 {
			t.Errorf("%s: %d rows, %d size updates, %d prefixes; the test shows nothing", lesson, rows, updates, prefixes)
		}
	}
}

// noSel selects no frame.
var noSel = frameSel{-1, -1}

// Selecting a frame that carries a header block shows that block: in the
// push lesson three PUSH_PROMISE blocks and the page's HEADERS are read
// at one instant, and only the last of them could be seen.
func TestSelectingAFrameShowsItsHeaderBlock(t *testing.T) {
	views := lessonViews(t, "push")
	seen := map[string]bool{}
	for i, v := range views {
		for f := range v.frames {
			fr := &v.frames[f]
			if !fr.fromServer || fr.name != "PUSH_PROMISE" || fr.parsed < 0 {
				continue
			}
			col := hpackCols(views, fr.parsed, "resp", frameSel{i, f}, LangEN)[i]
			if !col.HasBlock || col.BlockAt != fr.parsed || col.BlockStream != fr.stream {
				t.Fatalf("%s: PUSH_PROMISE %d selected: block %v on stream %d at %v; want its own", v.names[LangEN], f, col.HasBlock, col.BlockStream, col.BlockAt)
			}
			var path string
			for _, x := range col.Fields {
				if x.Name == ":path" {
					path = x.Value
				}
			}
			seen[path] = true
			// Its captions say so: not the last block, and HPACK's table
			// after it, not at the scrub time.
			html := app.HTMLString((&HPACKPanel{Lang: LangEN}).column(i, col))
			if !col.Selected || !strings.Contains(html, "Header block of the selected frame (stream ") || !strings.Contains(html, "Dynamic table after the selected block: ") {
				t.Errorf("%s: PUSH_PROMISE %d selected: %s; want the selected block's captions", v.names[LangEN], f, html)
			}
			// Unselected, the panel shows the last block of that
			// instant, the response's HEADERS (no :path).
			plain := hpackCols(views, fr.parsed, "resp", noSel, LangEN)[i]
			for _, x := range plain.Fields {
				if x.Name == ":path" {
					t.Errorf("%s: unselected, the panel shows the promise of %s; want the HEADERS read with it", v.names[LangEN], x.Value)
				}
			}
			if html := app.HTMLString((&HPACKPanel{Lang: LangEN}).column(i, plain)); plain.Selected || !strings.Contains(html, "Last header block (stream ") || !strings.Contains(html, "Dynamic table at t: ") {
				t.Errorf("%s: unselected: %s; want the latest block's captions", v.names[LangEN], html)
			}
		}
	}
	if len(seen) < 3 {
		t.Errorf("promised paths shown: %v; want the stylesheet and both fonts", seen)
	}
}
