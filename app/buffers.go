package app

import (
	"math"
	"sort"
	"strconv"
	"strings"
)

// The receive buffers: for the client's TCP connections at the scrub time
// (those receiving then, see bufferrows.go), the byte stream around the
// in-order edge. Bytes left of the edge
// were delivered; right of it, the holes (bytes still missing while later
// ones arrived, hatched in vermillion) and the bytes that arrived beyond
// them, coloured by stream and stuck until the holes fill: head-of-line
// blocking as it happens. Over TLS the edge is the application's: bytes TCP
// delivered in a record not yet whole are drawn stuck too, waiting for the
// record's rest (connRecv.buffered). That rest, when no byte after it has
// arrived, is not a hole but bytes still on their way, outlined in dashes:
// a record of 16 KB spans a dozen segments, and its first bytes wait for
// the last even when nothing is lost. QUIC
// keeps a buffer per stream instead, so a hole holds back only its own
// stream (drawn per stream when HTTP/3 runs).

// bufferRowH is the height of one connection's row; its bar starts
// bufferBarTop below the row's top, under two lines of text.
const (
	bufferRowH   = 58
	bufferBarTop = 32
	bufferBarH   = 18.0
)

// buffersHeight is the canvas height that fits conns connections.
func buffersHeight(conns int) int { return 8 + max(conns, 1)*bufferRowH }

// bufferScratch holds buffers between frames.
type bufferScratch struct {
	ranges [][2]int64
	conns  []int
	// dividers are the lines between adjacent bytes of two streams drawn
	// in the same colour, for Canvas.Lines.
	dividers []float64
	// said is the text the last plot drew, each part after a space, for
	// the canvas's text alternative (Page.redraw).
	said string
}

// plotBuffers records v's receive buffers at time t on c.
func plotBuffers(c *Canvas, v *runView, t int64, lang Lang, sc *bufferScratch) {
	c.Clear()
	sc.said = ""
	const left, right = 8.0, 8.0
	if c.W-left-right < 80 {
		return
	}
	if v.quic {
		plotStreamBuffers(c, v, t, lang, sc)
		return
	}
	x0, x1 := left, c.W-right
	sc.conns = v.buffersAt(t, v.bufferRows(), sc.conns)
	if len(sc.conns) == 0 {
		sc.said = lang.Space() + lang.T("buf.none")
		c.Font(chartFont)
		c.FillStyle(colorAxis)
		c.Text(lang.T("buf.none"), c.W/2, c.H/2, AlignCenter, BaselineMiddle)
		return
	}
	for row, i := range sc.conns {
		cr := &v.conns[i]
		y := 4 + float64(row)*bufferRowH
		edge, ranges := cr.buffered(t, sc.ranges)
		sc.ranges = ranges

		// The byte axis: some delivered context, then up to the last
		// byte received, or a little past the edge when nothing waits.
		hi := edge + 16*1460
		if n := len(ranges); n > 0 {
			hi = max(hi, ranges[n-1][1])
		}
		lo := max(0, edge-(hi-edge)/4)
		pos := func(off int64) float64 {
			return x0 + float64(off-lo)/float64(max(hi-lo, 1))*(x1-x0)
		}
		barY, barH := y+bufferBarTop, bufferBarH

		// Text: which connection, and what waits for what.
		name := lang.T("buf.conn", cr.conn)
		c.Font(smallFont)
		c.FillStyle(colorInk)
		c.Text(name, x0, y+2, AlignLeft, BaselineTop)
		var status string
		if len(ranges) == 0 {
			status = lang.T("buf.inorder", formatBytes(edge)) + " · " + lang.T("buf.empty")
		} else {
			g := gapsIn(edge, ranges)
			switch {
			case g.missing > 0:
				status = lang.T("buf.waiting", formatBytes(g.stuck), formatBytes(g.missing))
			case g.toCome > 0:
				status = lang.T("buf.record", formatBytes(g.stuck), formatBytes(g.toCome))
			default: // the record's end is past the run's last record
				status = lang.T("buf.recordopen", formatBytes(g.stuck))
			}
			// The streams whose bytes wait, if any: TLS's handshake
			// bytes belong to none.
			if s := streamsIn(v, cr, ranges); s != "" {
				status += lang.T("buf.streams", s)
			}
		}
		c.FillStyle(colorAxis)
		c.Text(status, x0, y+16, AlignLeft, BaselineTop)
		sc.said += lang.Space() + name + lang.T("tl.said") + status + lang.T("tl.stop")

		plotDeliveredAndHoles(c, pos, x0, edge, ranges, barY, barH)
		// Buffered bytes, by stream. Five colours serve every resource
		// (streamColors), so two streams' bytes side by side can share
		// one, resources 1 and 6 say: a divider keeps them two blocks. A
		// record's framing between them does not part them: its 22 or 29
		// bytes (recordOverhead) are a fraction of a pixel.
		sc.dividers = sc.dividers[:0]
		for _, r := range ranges {
			if cr.bm == nil {
				c.FillStyle(colorControl)
				c.FillRect(pos(r[0]), barY, pos(r[1])-pos(r[0]), barH)
				continue
			}
			covered := r[0]
			prevSt, prevColor := int64(0), ""
			cr.bm.split(r[0], r[1]-r[0], func(st, a, n int64) {
				if a > covered { // TLS framing between frames
					c.FillStyle(colorControl)
					c.FillRect(pos(covered), barY, pos(a)-pos(covered), barH)
				}
				row, ok := v.colourOf.get(cr.conn, st)
				if !ok {
					row = -1
				}
				color := streamColor(v.hue(row))
				if a > r[0] && st != prevSt && color == prevColor {
					xd := math.Round(pos(a)) + 0.5
					sc.dividers = append(sc.dividers, xd, barY+1, xd, barY+barH-1)
				}
				c.FillStyle(color)
				c.FillRect(pos(a), barY, math.Max(pos(a+n)-pos(a), 0.8), barH)
				covered, prevSt, prevColor = a+n, st, color
			})
			if covered < r[1] {
				c.FillStyle(colorControl)
				c.FillRect(pos(covered), barY, pos(r[1])-pos(covered), barH)
			}
		}
		if len(sc.dividers) > 0 {
			c.StrokeStyle(colorWhite)
			c.LineWidth(1)
			c.Lines(sc.dividers)
		}
		// Outline and the in-order edge.
		c.StrokeStyle(colorAxis)
		c.LineWidth(1)
		c.StrokeRect(x0+0.5, barY+0.5, x1-x0-1, barH-1)
		xe := math.Round(pos(edge)) + 0.5
		c.StrokeStyle(colorInk)
		c.LineWidth(2)
		c.Lines([]float64{xe, barY - 3, xe, barY + barH + 3})
	}
}

// plotDeliveredAndHoles draws a receive buffer's bar up to the buffered
// ranges, the same for TCP's buffer and QUIC's per-stream ones: the bytes
// delivered in order (grey, from x0 to the edge), then each hole before a
// buffered range, hatched and outlined, and the rest of a TLS record still
// on its way (before an empty last range), outlined in dashes.
func plotDeliveredAndHoles(c *Canvas, pos func(int64) float64, x0 float64, edge int64, ranges [][2]int64, barY, barH float64) {
	c.FillStyle(colorDelivered)
	c.FillRect(x0, barY, pos(edge)-x0, barH)
	c.LineWidth(1.2)
	prev := edge
	for i, r := range ranges {
		if r[0] > prev {
			xa, xb := pos(prev), pos(r[0])
			if recordEnd(ranges, i) {
				c.StrokeStyle(colorAxis)
				c.Dash(3, 2)
				c.StrokeRect(xa+0.5, barY+0.5, math.Max(xb-xa-1, 1), barH-1)
				c.Dash()
			} else {
				c.StrokeStyle(colorHole)
				c.HatchRect(xa, barY, xb-xa, barH, 4, HatchDiagonal)
				c.StrokeRect(xa+0.5, barY+0.5, math.Max(xb-xa-1, 1), barH-1)
			}
		}
		prev = r[1]
	}
}

// quicBufferRows is how many QUIC streams the buffers panel shows at once.
const quicBufferRows = 5

// plotStreamBuffers records a QUIC run's per-stream receive buffers at t:
// each stream that holds bytes behind a hole of its own, and nothing about
// the others, which a loss on another stream does not hold back.
func plotStreamBuffers(c *Canvas, v *runView, t int64, lang Lang, sc *bufferScratch) {
	const left, right = 8.0, 8.0
	x0, x1 := left, c.W-right
	shown := 0
	var more, moreBytes int64 // streams holding bytes beyond the rows
	for i := range v.streams {
		s := &v.streams[i]
		edge, ranges := s.buffered(t, sc.ranges)
		sc.ranges = ranges
		if len(ranges) == 0 {
			continue
		}
		if shown == quicBufferRows {
			more++
			moreBytes += gapsIn(edge, ranges).stuck
			continue
		}
		y := 4 + float64(shown)*bufferRowH
		shown++
		hi := max(edge+4*1460, ranges[len(ranges)-1][1])
		lo := max(0, edge-(hi-edge)/4)
		pos := func(off int64) float64 { return x0 + float64(off-lo)/float64(max(hi-lo, 1))*(x1-x0) }
		barY, barH := y+bufferBarTop, bufferBarH
		g := gapsIn(edge, ranges)
		label := lang.T("stream.n", s.stream)
		if s.colour >= 0 && s.colour < len(v.rows) {
			label += " · " + v.rows[s.colour].label
		} else if s.qpackEncoder {
			label += " · " + lang.T("buf.qpackenc")
		}
		c.Font(smallFont)
		c.FillStyle(colorInk)
		c.Text(label, x0, y+2, AlignLeft, BaselineTop)
		waiting := lang.T("buf.waiting", formatBytes(g.stuck), formatBytes(g.missing)) + lang.T("buf.streams", "#"+strconv.FormatInt(s.stream, 10))
		c.FillStyle(colorAxis)
		c.Text(waiting, x0, y+16, AlignLeft, BaselineTop)
		sc.said += lang.Space() + label + lang.T("tl.said") + waiting + lang.T("tl.stop")
		plotDeliveredAndHoles(c, pos, x0, edge, ranges, barY, barH)
		c.FillStyle(streamColor(v.hue(s.colour)))
		for _, r := range ranges {
			c.FillRect(pos(r[0]), barY, math.Max(pos(r[1])-pos(r[0]), 0.8), barH)
		}
		c.StrokeStyle(colorAxis)
		c.LineWidth(1)
		c.StrokeRect(x0+0.5, barY+0.5, x1-x0-1, barH-1)
	}
	if more > 0 {
		// The rows are full: the rest are counted, so that the panel
		// accounts for every byte the timeline's "Most held back" says,
		// on a line under the last row's bar.
		key := "buf.more"
		if more == 1 {
			key = "buf.more1"
		}
		text := lang.T(key, more, formatBytes(moreBytes))
		c.Font(smallFont)
		c.FillStyle(colorAxis)
		c.Text(text, x1, 4+float64(quicBufferRows-1)*bufferRowH+bufferBarTop+bufferBarH+1, AlignRight, BaselineTop)
		sc.said += lang.Space() + text + lang.T("tl.stop")
	}
	if shown == 0 {
		sc.said = lang.Space() + lang.T("buf.empty")
		c.Font(chartFont)
		c.FillStyle(colorAxis)
		c.Text(lang.T("buf.empty"), c.W/2, c.H/2, AlignCenter, BaselineMiddle)
	}
}

// quicBuffersNote is the note under a QUIC run's buffers: one buffer per
// stream, and, with a QPACK dynamic table whose references may block a
// stream (RFC 9204 §2.1.2: not with SETTINGS_QPACK_BLOCKED_STREAMS 0;
// qpackBlocked is 0 without a table), the one way a stream's loss holds
// back others.
func quicBuffersNote(v *runView, l Lang) string {
	if v.qpackBlocked > 0 {
		return l.T("buf.quic.qpack")
	}
	return l.T("buf.quic")
}

// streamsIn names the resources whose bytes lie in ranges, as the lanes
// and QUIC's buffers do (a stream number meant nothing to the reader; one
// that is no lane's keeps its number); with updates, the updates,
// numbered from 1 as their lanes are. It names a few, then says how many
// more there are, to fit the panel's line.
func streamsIn(v *runView, cr *connRecv, ranges [][2]int64) string {
	if cr.bm == nil {
		return ""
	}
	var ids []int64
	seen := map[int64]bool{}
	for _, r := range ranges {
		cr.bm.split(r[0], r[1]-r[0], func(st, _, _ int64) {
			if !seen[st] {
				seen[st] = true
				ids = append(ids, st)
			}
		})
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var parts []string
	for _, id := range ids {
		if v.updateNumbers {
			if id < 0 {
				continue // the opening handshake, a ping or the close: no update
			}
			parts = append(parts, "#"+strconv.FormatInt(id+1, 10))
		} else if r, ok := v.rowOf.get(cr.conn, id); ok && r < len(v.rows) {
			parts = append(parts, v.rows[r].label)
		} else {
			parts = append(parts, "#"+strconv.FormatInt(id, 10))
		}
	}
	more := ""
	if len(parts) > streamsNamed {
		parts, more = parts[:streamsNamed], " +"+strconv.Itoa(len(parts)-streamsNamed)
	}
	return strings.Join(parts, ", ") + more
}

// streamsNamed is how many resources a TCP buffer's line names.
const streamsNamed = 3

// bufferGaps are the bytes of a receive buffer past its in-order edge.
type bufferGaps struct {
	stuck   int64 // received, held back
	missing int64 // in holes: missing, while bytes after them arrived
	toCome  int64 // the rest of a TLS record, beyond every byte received
}

// recordEnd reports whether ranges[i] is the empty last range that marks
// the end of the TLS record being read (connRecv.buffered): the gap before
// it is the record's rest, still on its way, not a hole.
func recordEnd(ranges [][2]int64, i int) bool {
	return i == len(ranges)-1 && ranges[i][0] == ranges[i][1]
}

// gapsIn sums the gaps of the byte ranges received beyond the in-order
// edge (sorted, disjoint; an empty last range marks the end of the TLS
// record being read, see connRecv.buffered).
func gapsIn(edge int64, ranges [][2]int64) bufferGaps {
	var g bufferGaps
	prev := edge
	for i, r := range ranges {
		if recordEnd(ranges, i) {
			g.toCome += r[0] - prev
		} else {
			g.missing += r[0] - prev
		}
		g.stuck += r[1] - r[0]
		prev = r[1]
	}
	return g
}
