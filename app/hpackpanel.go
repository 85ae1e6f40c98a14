package app

import (
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"httpsim/sim/hpack"
	"httpsim/sim/qpack"
)

// HPACKCol is what the header-compression panel shows for one protocol at
// the scrub time: the decoder's dynamic table and the last header block.
type HPACKCol struct {
	Proto string
	Names [2]string
	// Applicable is false for protocols without header compression.
	Applicable bool
	// QPACK is true for HTTP/3's header compression.
	QPACK bool
	// Conn is the connection shown; Conns, once a block has been
	// received, how many of the run's connections carry header blocks
	// this way (the caption names Conn when there are several).
	Conn      int32
	Conns     int
	Entries   []HPACKEntry
	TableLen  int
	TableSize int
	MaxSize   int
	// HasBlock says Block* describe the last block decoded by then, or
	// with Selected the block of the frame selected in the strip (and,
	// for HPACK, the table after it).
	HasBlock    bool
	Selected    bool
	BlockStream int64
	BlockAt     int64
	BlockWire   int
	BlockPlain  int
	Fields      []HPACKField
	Err         string
	// Waiting is the last QPACK section's stream when it still waits for
	// the encoder stream at the scrub time (RFC 9204 §2.2.1), Need and
	// Have the insertions it needs and those that have arrived.
	Waiting    int64
	Need, Have uint64
}

// HPACKEntry is one dynamic table entry.
type HPACKEntry struct {
	Index       int
	Name, Value string
	Size        int
	New         bool // added by the last block
}

// HPACKField is one field of a header block and how it was sent.
type HPACKField struct {
	Name, Value string
	Rep         string
	Bytes       int
	Saved       int
}

// hpackCols computes the panel's columns at time t for direction dir
// ("resp": the server's encoder, or "req").
func hpackCols(views []*runView, t int64, dir string, sel frameSel, lang Lang) []HPACKCol {
	out := make([]HPACKCol, len(views))
	for i, v := range views {
		col := HPACKCol{Proto: v.proto, Names: v.names}
		out[i] = col
		if v.proto != "h2" && v.proto != "h3" {
			continue
		}
		col.Applicable = true
		trs := v.hpackTracks(dir == "resp")
		if len(trs) == 0 {
			out[i] = col
			continue
		}
		sh := hpackShownAt(trs, t, sel.of(i))
		tr := trs[sh.track]
		col.Selected = sh.selected
		col.Conn = tr.conn
		col.Err = tr.err
		k := sh.block
		if k < 0 {
			out[i] = col
			continue
		}
		col.Conns = len(trs)
		b := &tr.blocks[k]
		if tr.qpack {
			col.QPACK = true
			var q *qpack.SectionRecord
			var err string
			if tr.qpackCapacity == 0 {
				q, err = b.decodeQPACK()
				if q != nil {
					col.TableLen, col.TableSize, col.MaxSize = q.TableLen, q.TableSize, q.Capacity
				}
			} else {
				r := tr.decodeQPACKAt(k, t)
				q, err = r.rec, r.err
				col.TableLen, col.TableSize, col.MaxSize = r.tableLen, r.tableSize, r.capacity
				for _, e := range r.table {
					col.Entries = append(col.Entries, HPACKEntry{Index: int(e.Index), Name: e.Name, Value: e.Value, Size: e.Size})
				}
				if r.waiting {
					// Say which stream waits, and show the last section
					// that had been decoded by then (a few back at most:
					// streams rarely wait long).
					col.Waiting, col.Need, col.Have = b.stream, r.need, r.have
					for j := k - 1; j >= max(0, k-8); j-- {
						if rj := tr.fallbackQPACKAt(j, t); rj.rec != nil {
							k, b, q, err = j, &tr.blocks[j], rj.rec, ""
							break
						}
					}
				}
			}
			if q == nil {
				col.Err = err
				out[i] = col
				continue
			}
			col.HasBlock, col.BlockStream, col.BlockAt = true, b.stream, b.at
			col.BlockWire, col.BlockPlain = q.WireLen, q.PlainLen
			// The section's prefix (RFC 9204 §4.5.1) is bytes of it too:
			// a row, so that the rows add up to the caption.
			col.Fields = append(col.Fields, HPACKField{Rep: lang.T("qrep.prefix", q.RequiredInsertCount, q.Base), Bytes: q.PrefixLen, Saved: -q.PrefixLen})
			for _, f := range q.Fields {
				col.Fields = append(col.Fields, HPACKField{Name: f.Name, Value: f.Value, Rep: qpackRepText(f, lang), Bytes: f.WireLen, Saved: f.Saved()})
			}
			out[i] = col
			continue
		}
		col.TableLen, col.TableSize, col.MaxSize = b.rec.TableLen, b.rec.TableSize, b.rec.MaxTableSize
		inserted := map[string]bool{}
		for _, e := range b.rec.Inserted {
			inserted[e.Name+"\x00"+e.Value] = true
		}
		for _, e := range b.table {
			col.Entries = append(col.Entries, HPACKEntry{Index: e.Index, Name: e.Name, Value: e.Value, Size: e.Size,
				New: inserted[e.Name+"\x00"+e.Value]})
		}
		col.HasBlock, col.BlockStream, col.BlockAt = true, b.stream, b.at
		col.BlockWire, col.BlockPlain = b.rec.WireLen, b.rec.PlainLen
		// A dynamic table size update opens the block (RFC 7541 §4.2,
		// §6.3): its bytes are the block's, and it is where the table
		// shrinks.
		for _, size := range b.rec.SizeUpdates {
			n := hpack.IntLen(5, uint64(size))
			col.Fields = append(col.Fields, HPACKField{Rep: lang.T("rep.sizeupdate", size), Bytes: n, Saved: -n})
		}
		for _, f := range b.rec.Fields {
			col.Fields = append(col.Fields, HPACKField{Name: f.Name, Value: f.Value, Rep: repText(f, lang), Bytes: f.WireLen, Saved: f.Saved()})
		}
		out[i] = col
	}
	return out
}

// hpackShown is what the panel shows of one view at a time: the track
// (connection) whose last header block decoded by then is the latest, that
// block (-1: none yet), and, for QPACK, how many encoder-stream batches had
// reached its decoder, which change its table and whether the section
// still waits (RFC 9204 §2.2.1) while the block stays the same.
type hpackShown struct {
	track, block, batches int
	selected              bool // the block is the selected frame's
}

// hpackShownAt picks what the panel shows of trs (not empty) at t: the
// block of frame sel (an index into the view's frames, or -1) if the
// receiver has parsed it by t, or else the newest block. A run opens
// several connections after a migration or a server reset: the newest
// header block, not connection 0's, is the one the page is at. Several
// blocks parsed at one instant (the push lesson's PUSH_PROMISE frames and
// the HEADERS they go with) are each shown by selecting their frame.
func hpackShownAt(trs []*hpackTrack, t int64, sel int) hpackShown {
	s := hpackShown{block: -1}
	latest := int64(-1)
	for i, tr := range trs {
		if k := tr.at(t); k >= 0 && tr.blocks[k].at >= latest {
			s.track, s.block, latest = i, k, tr.blocks[k].at
		}
	}
	if sel >= 0 { // with none selected, a scrub looks for nothing more
		for i, tr := range trs {
			for k := range tr.blocks {
				if b := &tr.blocks[k]; (b.first == sel || b.frame == sel) && b.at <= t {
					s.track, s.block, s.selected = i, k, true
				}
			}
		}
	}
	s.batches = trs[s.track].arrived(t)
	return s
}

// repText describes a field's representation (RFC 7541 §6).
func repText(f hpack.FieldRecord, lang Lang) string {
	var s string
	switch f.Rep {
	case hpack.Indexed:
		return lang.T("rep.indexed") + " #" + strconv.Itoa(f.Index)
	case hpack.LiteralIncremental:
		s = lang.T("rep.incr")
	case hpack.LiteralWithoutIndexing:
		s = lang.T("rep.noindex")
	case hpack.LiteralNeverIndexed:
		s = lang.T("rep.never")
	default:
		s = f.Rep.String()
	}
	if f.Index > 0 {
		s += lang.T("rep.nameidx", f.Index)
	}
	if f.NameHuffman || f.ValueHuffman {
		s += lang.T("rep.huffman")
	}
	return s
}

// qpackRepKeys name the message for each QPACK field line representation
// (RFC 9204 §4.5.2-§4.5.6).
var qpackRepKeys = [...]string{
	qpack.Indexed:                "qrep.indexed",
	qpack.IndexedPostBase:        "qrep.postbase",
	qpack.LiteralNameRef:         "qrep.nameref",
	qpack.LiteralPostBaseNameRef: "qrep.postbasenameref",
	qpack.LiteralName:            "qrep.literal",
}

// qpackRepText describes a QPACK field line's representation (RFC 9204
// §4.5), with the table entry it refers to: a static index, or the absolute
// index of a dynamic entry (§3.2.4), which is how the panel numbers the
// dynamic table whatever relative or post-Base index the wire carried.
func qpackRepText(f qpack.FieldRecord, lang Lang) string {
	var s string
	if int(f.Rep) < len(qpackRepKeys) && qpackRepKeys[f.Rep] != "" {
		s = lang.T(qpackRepKeys[f.Rep])
	} else {
		s = f.Rep.String()
	}
	switch {
	case f.Dynamic():
		s += lang.T("qrep.dynamic", f.Absolute)
	case f.Rep == qpack.Indexed || f.Rep == qpack.LiteralNameRef:
		s += lang.T("qrep.static", f.Index)
	}
	if f.Never {
		s += lang.T("qrep.never")
	}
	if f.NameHuffman || f.ValueHuffman {
		s += lang.T("rep.huffman")
	}
	return s
}

// HPACKPanel shows the HPACK (later QPACK) state of each protocol side by
// side.
type HPACKPanel struct {
	app.Compo

	Lang Lang
	Dir  string
	Cols []HPACKCol

	page *Page
}

// OnMount registers the panel with the page, which updates it as the scrub
// time changes.
func (c *HPACKPanel) OnMount(ctx app.Context) {
	if c.page != nil {
		c.page.hp = c
	}
}

// OnDismount unregisters it.
func (c *HPACKPanel) OnDismount() {
	if c.page != nil && c.page.hp == c {
		c.page.hp = nil
	}
}

// Render lays out the direction choice and a column per protocol that
// compresses its headers. Protocols that do not (HTTP/1.x) get one line
// above the columns instead of a column of their own, so that the two
// tables of HTTP/2 and HTTP/3 have the width their five columns need.
func (c *HPACKPanel) Render() app.UI {
	l := c.Lang
	var cols []app.UI
	var plain []string
	for i, col := range c.Cols {
		if !col.Applicable {
			plain = append(plain, col.Names[l])
			continue
		}
		cols = append(cols, app.Div().Class("hs-col").Body(
			app.H3().Text(col.Names[l]),
			c.column(i, col),
		))
	}
	body := []app.UI{
		app.Label().Class("hs-inline").Body(
			app.Span().Text(l.T("hpack.dir")+" "),
			app.Select().ID("hpack-dir").OnChange(c.onDir).Body(
				app.Option().Value("resp").Selected(c.Dir == "resp").Text(l.T("hpack.resp")),
				app.Option().Value("req").Selected(c.Dir == "req").Text(l.T("hpack.req")),
			),
		),
	}
	switch {
	case len(cols) == 0:
		body = append(body, app.P().ID("hpack-plain").Class("hs-note").Text(l.T("hpack.notapp")))
	case len(plain) > 0:
		body = append(body, app.P().ID("hpack-plain").Class("hs-note").Text(l.T("hpack.plain", strings.Join(plain, ", "))))
	}
	return app.Div().ID("hpack-view").Body(append(body, app.Div().Class("hs-cols hs-cols-tables").Body(cols...))...)
}

func (c *HPACKPanel) onDir(ctx app.Context, e app.Event) {
	ctx.NewActionWithValue(actionHPACK, ctx.JSSrc().Get("value").String())
}

func (c *HPACKPanel) column(i int, col HPACKCol) app.UI {
	l := c.Lang
	var parts []app.UI
	switch {
	case col.Need > 0:
		parts = append(parts, app.P().Class("hs-note").Text(l.T("hpack.qwaiting", col.Waiting, col.Need, col.Have)))
	case col.Err != "":
		parts = append(parts, app.P().Class("hs-error").Text(l.T("hpack.error", col.Err)))
	}
	// A block chosen by selecting its frame is not the latest, and
	// HPACK's table is the one after it, not at the scrub time.
	connKey, tableKey, blockKey := "hpack.conn", "hpack.table", "hpack.block"
	if col.Selected {
		connKey, blockKey = "hpack.conn.sel", "hpack.block.sel"
		if !col.QPACK {
			tableKey = "hpack.table.sel"
		}
	}
	if col.Conns > 1 {
		parts = append(parts, app.P().Class("hs-caption").Text(l.T(connKey, col.Conn, col.Conns)))
	}
	parts = append(parts, app.P().ID("hpack-table-"+strconv.Itoa(i)).Class("hs-caption").Text(
		l.T(tableKey, col.TableLen, col.TableSize, col.MaxSize)))
	if len(col.Entries) == 0 {
		parts = append(parts, app.P().Class("hs-note").Text(l.T("hpack.empty")))
	} else {
		rows := make([]rawRow, 0, len(col.Entries))
		for _, e := range col.Entries {
			r := rawRow{cells: []rawCell{
				{text: strconv.Itoa(e.Index)},
				{class: "hs-mono hs-name", text: e.Name},
				{class: "hs-mono hs-value", text: e.Value},
				{text: strconv.Itoa(e.Size)},
			}}
			if e.New {
				r.class = "hs-new"
			}
			rows = append(rows, r)
		}
		parts = append(parts, scrollRegion("hpack-table-"+strconv.Itoa(i)).Body(rawTable("hs-table hs-table-small",
			[]string{l.T("hpack.index"), l.T("hpack.name"), l.T("hpack.value"), l.T("hpack.size")}, rows)))
	}
	if !col.HasBlock {
		return app.Div().Body(append(parts, app.P().Class("hs-note").Text(l.T("hpack.noblock")))...)
	}
	saved := col.BlockPlain - col.BlockWire
	parts = append(parts, app.P().ID("hpack-block-"+strconv.Itoa(i)).Class("hs-caption").Text(
		l.T(blockKey, col.BlockStream, formatTime(col.BlockAt), col.BlockWire, col.BlockPlain, formatBytes(int64(saved)))))
	rows := make([]rawRow, 0, len(col.Fields))
	for _, f := range col.Fields {
		rows = append(rows, rawRow{cells: []rawCell{
			{class: "hs-mono hs-name", text: f.Name},
			{class: "hs-mono hs-value", text: f.Value},
			{text: f.Rep},
			{text: strconv.Itoa(f.Bytes)},
			{text: strconv.Itoa(f.Saved)},
		}})
	}
	parts = append(parts, scrollRegion("hpack-block-"+strconv.Itoa(i)).Body(rawTable("hs-table hs-table-small",
		[]string{l.T("hpack.name"), l.T("hpack.value"), l.T("hpack.rep"), l.T("hpack.bytes"), l.T("hpack.saved")}, rows)))
	return app.Div().Body(parts...)
}

// scrollRegion is a box that scrolls a long table, named by the caption
// with id label. Chromium makes a scrolling box focusable by itself, and
// a screen reader announced an unnamed group; as a named region in the
// tab order it can be found and scrolled with the keyboard.
func scrollRegion(label string) app.HTMLDiv {
	return app.Div().Class("hs-scroll").Attr("role", "region").Aria("labelledby", label).TabIndex(0)
}
