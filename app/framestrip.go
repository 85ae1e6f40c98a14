package app

import (
	"math"
	"strconv"
	"strings"
)

// The frame strip: HTTP/2 and HTTP/3 frames (HTTP/1.x message heads) in the order they
// were written, one strip per direction, coloured by stream. A frame the
// receiver has parsed by the scrub time (a DATA frame: received whole) is
// filled; one still on its way is outlined. The strip scrolls to keep the
// latest frame (or the selected one) in view.

// frameStripH is the frame strip canvas's height.
const frameStripH = 112

// frameBox is where a frame was drawn, for hit tests.
type frameBox struct {
	x0, y0, x1, y1 float64
	frame          int
}

// frameAbbrev is a frame type's label inside its box. HTTP/2 traces name
// frames as RFC 9113 does (DATA), HTTP/3 traces as qlog does (data, RFC
// 9114 §7.2), HTTP/1.x heads "request" and "response": case does not matter.
// A WebSocket frame's label is its opcode's (value, RFC 6455 §5.2), so that
// pings, pongs and the closing handshake stand out from the updates.
func frameAbbrev(name, value string) string {
	switch strings.ToUpper(name) {
	case "DATA":
		return "D"
	case "HEADERS":
		return "H"
	case "SETTINGS":
		return "S"
	case "WINDOW_UPDATE":
		return "W"
	case "PRIORITY_UPDATE":
		return "PU"
	case "CANCEL_PUSH":
		return "CP"
	case "MAX_PUSH_ID":
		return "MP"
	case "QPACK_ENCODER":
		return "QE" // a batch of QPACK encoder instructions
	case "PRIORITY":
		return "P"
	case "CONTINUATION":
		return "C"
	case "PUSH_PROMISE":
		return "PP"
	case "RST_STREAM":
		return "R"
	case "GOAWAY":
		return "G"
	case "PING":
		return "Pi"
	case "REQUEST":
		return "req"
	case "RESPONSE":
		return "resp"
	case "WS_UPGRADE":
		return "up" // the WebSocket opening handshake: Upgrade, then 101
	case "WS_FRAME":
		return wsAbbrev(value)
	case "EVENT":
		return "E" // the server has an update (not on the wire)
	}
	return "?"
}

// wsAbbrev labels a WebSocket frame by its opcode's name (updates.Opcode's
// String, RFC 6455 §5.2).
func wsAbbrev(opcode string) string {
	switch opcode {
	case "text":
		return "T"
	case "binary":
		return "B"
	case "continuation":
		return "C"
	case "ping":
		return "Pi"
	case "pong":
		return "Po"
	case "close":
		return "Cl"
	}
	return "WS"
}

// frameWidth is a frame's box width: logarithmic in its size, so a 9-byte
// SETTINGS ack and a 16 KB DATA frame both show.
func frameWidth(n int64) float64 {
	return math.Round(10 + 7*math.Log10(float64(max(n, 1))))
}

// plotFrames records v's frame strip at time t on c, with frame sel (an
// index into v.frames, or -1) selected, and returns the boxes drawn.
func plotFrames(c *Canvas, v *runView, t int64, sel int, lang Lang, boxes []frameBox) []frameBox {
	c.Clear()
	boxes = boxes[:0]
	const left, right = 8.0, 8.0
	if c.W-left-right < 60 {
		return boxes
	}
	if len(v.frames) == 0 {
		c.Font(chartFont)
		c.FillStyle(colorAxis)
		c.Text(lang.T("frames.notapp"), c.W/2, c.H/2, AlignCenter, BaselineMiddle)
		return boxes
	}
	n := framesUpTo(v.frames, t)
	if n == 0 {
		c.Font(chartFont)
		c.FillStyle(colorAxis)
		c.Text(lang.T("frames.none"), c.W/2, c.H/2, AlignCenter, BaselineMiddle)
		return boxes
	}
	avail := c.W - left - right
	for dir := 0; dir < 2; dir++ {
		fromServer := dir == 0
		y := 18 + float64(dir)*50
		// Lay the direction's frames out, then scroll.
		total, selX := 0.0, -1.0
		for i := 0; i < n; i++ {
			f := &v.frames[i]
			if f.fromServer != fromServer {
				continue
			}
			if i == sel {
				selX = total
			}
			total += frameWidth(f.n) + 2
		}
		offset := math.Max(0, total-avail)
		if selX >= 0 && selX < offset {
			offset = math.Max(0, selX-avail/3)
		}
		x := left - offset
		const h = 26.0
		before, after := 0, 0 // frames scrolled off the strip, left and right
		for i := 0; i < n; i++ {
			f := &v.frames[i]
			if f.fromServer != fromServer {
				continue
			}
			w := frameWidth(f.n)
			if x < left-0.5 {
				before++
			} else if x+w > c.W-right+0.5 {
				after++
			} else { // whole boxes only
				color, ink := streamColor(v.hue(f.row)), streamInk(v.hue(f.row))
				parsed := f.parsed >= 0 && f.parsed <= t
				if parsed {
					c.FillStyle(color)
					c.FillRect(x, y, w, h)
				} else {
					ink = colorInk
					c.FillStyle(colorWhite)
					c.FillRect(x, y, w, h)
					c.StrokeStyle(color)
					c.LineWidth(2)
					c.StrokeRect(x+1, y+1, w-2, h-2)
				}
				if w >= 14 {
					c.Font(tinyFont)
					c.FillStyle(ink)
					c.Text(f.abbrev, x+w/2, y+h/2-5, AlignCenter, BaselineMiddle)
					// HTTP/3's first request stream is 0, HTTP/2's
					// connection frames too.
					if num := strconv.FormatInt(f.stream, 10); f.stream >= 0 && tinyTextWidth(num) <= w-4 {
						c.Text(num, x+w/2, y+h/2+6, AlignCenter, BaselineMiddle)
					}
				}
				if i == sel {
					c.StrokeStyle(colorInk)
					c.LineWidth(3)
					c.StrokeRect(x-2, y-2, w+4, h+4)
				}
				boxes = append(boxes, frameBox{x, y, x + w, y + h, i})
			}
			x += w + 2
		}
		// The direction's name, and how many frames the strip cannot
		// show: at the end of a long run most of them, which a reader
		// would otherwise take for a connection that starts with DATA.
		label := lang.T("frames.s2c")
		if !fromServer {
			label = lang.T("frames.c2s")
		}
		if before > 0 || after > 0 {
			label = offStrip(lang, label, before, after)
		}
		c.Font(smallFont)
		c.FillStyle(colorAxis)
		c.Text(label, left, y-4, AlignLeft, BaselineBottom)
	}
	return boxes
}

// offStrip adds to a direction's label how many frames are off the strip,
// before and after the ones shown. Not inlined: the page draws the strip
// in one place, and the wasm is kept small.
//
//go:noinline
func offStrip(lang Lang, label string, before, after int) string {
	switch {
	case after == 0:
		return lang.T("frames.offbefore", label, before)
	case before == 0:
		return lang.T("frames.offafter", label, after)
	}
	return lang.T("frames.offboth", label, before, after)
}

// hit returns the frame at (x, y), or -1.
func hitFrame(boxes []frameBox, x, y float64) int {
	for _, b := range boxes {
		if x >= b.x0-1 && x <= b.x1+1 && y >= b.y0-2 && y <= b.y1+2 {
			return b.frame
		}
	}
	return -1
}
