package app

import (
	"sort"
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// The canvases' text alternatives that follow the scrub time: the lanes
// and the receive buffers say what they show at t, and the frame strip, a
// slider, names the selected frame. Redraw sets them on the elements as the
// time or the selection moves, without a render, and the page renders what
// redraw set last.

// Attributes redraw keeps up to date on each view's canvases: their slots
// in drawer.attrs, attrSlots per view.
const (
	attrLanes = iota
	attrBuffers
	attrLadder
	attrCharts
	attrFrameNow
	attrFrameText
	attrSlots
)

// setAttr sets attribute name of the canvas of view i in panel to val,
// unless redraw set it to val already (slot remembers). The slots are
// emptied when the layout may have changed (drawer.dirty): go-app may have
// made the canvases anew.
func (d *drawer) setAttr(panel string, i, slot int, name, val string) {
	k := i*attrSlots + slot
	for len(d.attrs) <= k {
		d.attrs = append(d.attrs, "")
	}
	if d.attrs[k] == val {
		return
	}
	d.attrs[k] = val
	if app.IsClient {
		if e := app.Window().GetElementByID(canvasID(panel, i)); e.Truthy() {
			e.Call("setAttribute", name, val)
		}
	}
}

// attr is what redraw last set in slot of view i's canvases, or def: the
// page renders it, so that a render keeps what the canvases show.
func (d *drawer) attr(i, slot int, def string) string {
	if k := i*attrSlots + slot; slot >= 0 && k < len(d.attrs) && d.attrs[k] != "" {
		return d.attrs[k]
	}
	return def
}

// holSaid are the message keys that count the rows held back by each
// head-of-line cause, in holCauseNames's order.
var holSaid = [holCauseOther]string{"lanes.handshake", "lanes.http", "lanes.loss", "lanes.qpack", "lanes.transport"}

// lanesState says how far v's resources are at t: how many are done, how
// many each head-of-line cause holds back, and the packets lost so far.
func lanesState(v *runView, t int64, l Lang) string {
	done := 0
	var held [holCauseOther + 1]int // an unknown cause last, unsaid
	for k := range v.rows {
		r := &v.rows[k]
		if r.done >= 0 && r.done <= t {
			done++
			continue
		}
		// A row held by two causes at once (the lanes cross-hatch it)
		// counts under each.
		var by [holCauseOther + 1]bool
		for _, h := range r.hol { // by start: none after t can hold it
			if h.from > t {
				break
			}
			if t < h.to && !by[h.cause] {
				by[h.cause] = true
				held[h.cause]++
			}
		}
	}
	// The losses are in the trace's order, which is time's.
	lost := sort.Search(len(v.losses), func(k int) bool { return v.losses[k] > t })
	s := l.T("lanes.state", done, len(v.rows), lost)
	for k, key := range holSaid {
		if held[k] > 0 {
			s += l.Space() + l.T(key, held[k])
		}
	}
	return s
}

// ladderState says what v's ladder shows at t: the packets sent so far,
// those in flight and those lost, and, past its end, that the run ended.
func ladderState(v *runView, t int64, l Lang) string {
	// The packets are in order of sending; those in flight at t are the
	// ones the ladder draws there, sent within its reach (a scrub redraws
	// this: no walk from the run's start).
	sent := sort.Search(len(v.packets), func(k int) bool { return v.packets[k].sent > t })
	reach := v.flightReach()
	from := sort.Search(sent, func(k int) bool { return v.packets[k].sent >= t-reach-1 })
	flying := 0
	for k := from; k < sent; k++ {
		if v.packets[k].end > t {
			flying++
		}
	}
	lost := sort.Search(len(v.losses), func(k int) bool { return v.losses[k] > t })
	s := l.T("ladder.state", sent, flying, lost)
	if t >= v.end {
		if limit := limitKey(v.summary.Status); limit != "" {
			s += l.Space() + l.T("ladder.stopped", formatTime(v.end), l.T(limit))
		} else {
			s += l.Space() + l.T("ladder.ended", formatTime(v.end))
		}
	}
	return s
}

// chartsState says what v's charts show at t: the congestion window and
// the bytes in flight of the latest sample, as the chart writes them.
func chartsState(v *runView, t int64, l Lang) string {
	s := &v.series
	i := sort.Search(len(s.At), func(k int) bool { return s.At[k] > t }) - 1
	if i < 0 {
		if len(s.At) == 0 {
			return l.T("charts.nonesaid")
		}
		return l.T("charts.nosample")
	}
	return l.T("charts.state", formatBytes(s.Cwnd[i]), formatBytes(s.InFlight[i]))
}

// frameValue is view i's frame strip's value as a slider: the selected
// frame's index and title, or, with none selected, how to select one.
func (c *Page) frameValue(i int) (now, text string) {
	v := c.views[i]
	if len(v.frames) == 0 {
		return "0", c.st.Lang.T("frames.notapp")
	}
	if c.sel.view != i || c.sel.frame < 0 || c.sel.frame >= len(v.frames) {
		return "0", c.st.Lang.T("frames.nosel")
	}
	return strconv.Itoa(c.sel.frame), frameTitle(v, &v.frames[c.sel.frame], c.st.Lang)
}
