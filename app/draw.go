package app

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// drawer draws every canvas of the page in one batch: one frame of commands
// with a Target per canvas, handed to draw.js in a single call.
type drawer struct {
	c      Canvas
	p      painter
	ladder []ladderScratch
	buf    bufferScratch
	boxes  [][]frameBox
	ids    []string
	sizes  map[string][2]float64
	attrs  []string // the attributes redraw set, attrSlots per view (setAttr)
	// dirty says the layout may have changed since the sizes were read;
	// stale that the static layers (the marks, the lanes and charts of the
	// whole run) must be drawn again. A layout change makes them stale.
	dirty, stale bool
	// fixed, if set, is every canvas's size (tests: no browser to ask).
	fixed [2]float64
	// frames counts the batches drawn; commands the values of the last.
	frames   int
	commands int
}

// canvasID is the element id of a view's canvas.
func canvasID(panel string, view int) string { return "cv-" + panel + "-" + strconv.Itoa(view) }

// marksID is the id of the timeline's marks canvas.
const marksID = "cv-marks"

// scrubPad is the scrubber's inset from the marks canvas's edges: half a
// range thumb, so that marks line up with the thumb.
const scrubPad = 8

// size returns a canvas's size in CSS pixels, asking the browser only when
// the layout may have changed.
func (d *drawer) size(id string) (float64, float64) {
	if d.fixed[0] > 0 {
		return d.fixed[0], d.fixed[1]
	}
	if !app.IsClient {
		return 0, 0
	}
	if d.sizes == nil {
		d.sizes = map[string][2]float64{}
	}
	if s, ok := d.sizes[id]; ok && !d.dirty {
		return s[0], s[1]
	}
	w, h := cssSize(app.Window().GetElementByID(id))
	d.sizes[id] = [2]float64{w, h}
	return w, h
}

// overlayID is the id of the canvas stacked on a view's canvas for what
// changes with the scrub time.
func overlayID(panel string, view int) string { return canvasID(panel+"x", view) }

// redraw draws every open view at the scrub time. The static layers are
// drawn only when stale: scrubbing redraws the ladder, the buffers, the
// frame strip and the overlays.
func (c *Page) redraw() {
	start := perfNow()
	d := &c.draw
	if len(c.views) == 0 {
		return
	}
	if d.dirty {
		d.stale = true
		if d.sizes != nil {
			clear(d.sizes)
		}
		clear(d.attrs)
	}
	stale := d.stale
	t := c.now()
	lang := c.st.Lang
	d.c.Reset(0, 0)
	d.ids = d.ids[:0]
	target := func(id string) bool {
		w, h := d.size(id)
		if w <= 0 || h <= 0 {
			return false
		}
		d.c.Target(len(d.ids), w, h)
		d.ids = append(d.ids, id)
		return true
	}
	for len(d.ladder) < len(c.views) {
		d.ladder = append(d.ladder, ladderScratch{})
	}
	for len(d.boxes) < len(c.views) {
		d.boxes = append(d.boxes, nil)
	}
	if stale && target(marksID) {
		plotScrubMarks(&d.c, c.views, c.span, lang, scrubPad)
	}
	p := c.st.Panels
	ladderW := ladderWindow(c.views, c.span)
	at := lang.T("tl.at", formatTime(t)) // the text alternatives' time
	for i, v := range c.views {
		if p.Has(PanelLadder) && target(canvasID("ladder", i)) {
			plotLadder(&d.c, v, t, ladderW, lang, &d.ladder[i])
			d.setAttr("ladder", i, attrLadder, "aria-label", lang.T("ladder.aria", v.names[lang])+lang.Space()+at+lang.Space()+ladderState(v, t, lang))
		}
		if p.Has(PanelLanes) {
			if stale && target(canvasID("lanes", i)) {
				plotLanesBase(&d.c, v, c.span, lang)
			}
			if target(overlayID("lanes", i)) {
				plotLanesOverlay(&d.c, v, t, c.span, true)
				d.setAttr("lanes", i, attrLanes, "aria-label", lang.T("lanes.aria", v.names[lang])+lang.Space()+at+lang.Space()+lanesState(v, t, lang))
			}
		}
		if p.Has(PanelBuffers) && target(canvasID("buffers", i)) {
			plotBuffers(&d.c, v, t, lang, &d.buf)
			d.setAttr("buffers", i, attrBuffers, "aria-label", lang.T("buffers.aria", v.names[lang])+lang.Space()+at+d.buf.said)
		}
		if p.Has(PanelFrames) && target(canvasID("frames", i)) {
			sel := -1
			if c.sel.view == i {
				sel = c.sel.frame
			}
			d.boxes[i] = plotFrames(&d.c, v, t, sel, lang, d.boxes[i])
			now, text := c.frameValue(i)
			d.setAttr("frames", i, attrFrameNow, "aria-valuenow", now)
			d.setAttr("frames", i, attrFrameText, "aria-valuetext", text)
		}
		if p.Has(PanelCharts) {
			if stale && target(canvasID("charts", i)) {
				plotChartsBase(&d.c, v, c.span, c.charts, lang)
			}
			if target(overlayID("charts", i)) {
				plotChartsOverlay(&d.c, v, t, c.span, lang, true)
				d.setAttr("charts", i, attrCharts, "aria-label", lang.T("charts.aria", v.names[lang])+lang.Space()+at+lang.Space()+chartsState(v, t, lang))
			}
		}
	}
	d.dirty, d.stale = false, false
	d.frames++
	d.commands = d.c.Len()
	recorded := perfNow()
	d.p.paintBatch(d.ids, &d.c)
	perfMeasureSince("httpsim:record", start, recorded)
	perfMeasureSince("httpsim:paint", recorded, perfNow())
}
