package app

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// scrubSteps is the scrubber's resolution: the run's span in this many
// steps. The scrub time itself is kept to the microsecond.
const scrubSteps = 10000

// Timeline is the player: play and pause, the speed, stepping between
// events, the scrubber with its marks, and the time label.
//
// Scrubbing is the page's hottest path, so the scrubber's input events do
// not go through go-app's event handling, which would re-render the page
// and its every ancestor: a plain listener hands them to the page, which
// redraws the canvases at once and updates only the components whose
// content changed (this one for the label).
type Timeline struct {
	app.Compo

	Lang     Lang
	Has      bool
	Playing  bool
	Running  bool
	Pos      int // the scrubber's position, 0 to scrubSteps
	TimeText string
	Status   string
	Speed    int    // index in speeds
	Views    int    // runs shown: the marks canvas has a row for each
	Said     string // the settled run's result, announced (Page.announce)
	Marks    string // the message key of the note on the marks (marksNote)
	Peak     string // where the most bytes waited behind holes, once asked (Page.jumpToPeak)

	page    *Page
	onInput app.Func
	input   app.Value
}

// timelineProps are the timeline's fields for the page's current state.
func (c *Page) timelineProps() Timeline {
	l := c.st.Lang
	t := c.now()
	pos := 0
	if c.span > 0 {
		pos = int((t*scrubSteps + c.span/2) / c.span)
	}
	status := ""
	switch {
	case c.errText != "":
		status = c.errStatus()
	case c.running:
		status = l.T("tl.running", int(c.progress*100))
	default:
		// A run a limit stopped is said where every page shows it, the
		// embedded one too: the summary that explains it may be hidden.
		status = c.limitStatus()
	}
	peakText := ""
	if c.peak.shown && c.has {
		if c.peak.note == "" || c.peak.noteLang != l {
			c.peak.note, c.peak.noteLang = peakNote(c.views, c.peak.at, c.peak.ok, l), l
		}
		peakText = c.peak.note
	}
	marks := "tl.marks"
	if len(c.views) > 0 {
		marks = marksNote(c.views[0].summary)
	}
	return Timeline{
		Marks: marks, Lang: l, Has: c.has, Playing: c.playing, Running: c.running, Pos: pos,
		TimeText: l.T("tl.time", formatTime(t), formatTime(c.span)),
		Status:   status, Speed: c.speed, Views: len(c.views), Said: c.said, page: c,
		Peak: peakText,
	}
}

// limitStatus names the runs a limit stopped before they finished, or is
// empty.
func (c *Page) limitStatus() string {
	l := c.st.Lang
	s := ""
	for _, v := range c.views {
		if limit := limitKey(v.summary.Status); limit != "" {
			if s != "" {
				s += l.Space()
			}
			s += l.T("tl.stopped", v.names[l], l.T(limit))
		}
	}
	return s
}

// OnMount registers the timeline with the page and listens to the
// scrubber.
func (c *Timeline) OnMount(ctx app.Context) {
	if c.page == nil {
		return
	}
	c.page.tl = c
	if !app.IsClient {
		return
	}
	p := c.page
	c.onInput = app.FuncOf(func(this app.Value, _ []app.Value) any {
		v, err := strconv.Atoi(this.Get("value").String())
		if err == nil {
			p.dispatchNext(func(ctx app.Context) { p.scrubTo(ctx, v) })
		}
		return nil
	})
	c.input = app.Window().GetElementByID("scrubber")
	if c.input.Truthy() {
		c.input.Call("addEventListener", "input", c.onInput)
	}
	// Focus scrolls in below the sticky timeline, whatever its height.
	if f := app.Window().Get("httpsimStickyPad"); f.Truthy() {
		app.Window().Call("httpsimStickyPad", app.Window().GetElementByID("timeline"))
	}
}

// OnDismount stops listening.
func (c *Timeline) OnDismount() {
	if c.page != nil && c.page.tl == c {
		c.page.tl = nil
	}
	if c.onInput != nil {
		if c.input != nil && c.input.Truthy() {
			c.input.Call("removeEventListener", "input", c.onInput)
		}
		c.onInput.Release()
		c.onInput = nil
	}
}

// Render draws the player.
func (c *Timeline) Render() app.UI {
	l := c.Lang
	// A toggle keeps its name, "Play", pressed or not: "Pause, pressed"
	// read as the opposite. The icon shows what a press does.
	play := l.T("tl.play")
	icon := "▶ "
	if c.Playing {
		icon = "❚❚ "
	}
	var speedOpts []app.UI
	for i, s := range speeds {
		speedOpts = append(speedOpts, app.Option().Value(strconv.Itoa(i)).Selected(i == c.Speed).
			Text(strconv.FormatFloat(s, 'f', -1, 64)+"×"))
	}
	marksH := 4 + 12*max(c.Views, 1)
	return app.Section().ID("timeline").Class("hs-panel", "hs-timeline").Aria("label", l.T("tl.title")).Body(
		app.Div().Class("hs-row", "hs-tl-controls").Body(
			app.Button().ID("play").Type("button").Aria("pressed", strconv.FormatBool(c.Playing)).
				Disabled(!c.Has).Aria("label", play).Text(icon+play).OnClick(c.onPlay),
			app.Button().ID("prev").Type("button").Disabled(!c.Has).Text("◀ "+l.T("tl.prev")).OnClick(c.onPrev),
			app.Button().ID("next").Type("button").Disabled(!c.Has).Text(l.T("tl.next")+" ▶").OnClick(c.onNext),
			app.Button().ID("peak").Type("button").Disabled(!c.Has).Title(l.T("tl.peak.title")).
				Text(l.T("tl.peak")).OnClick(c.onPeak),
			app.Label().For("speed").Class("hs-inline").Text(l.T("tl.speed")),
			app.Select().ID("speed").OnChange(c.onSpeed).Body(speedOpts...),
			app.Span().ID("time-label").Class("hs-time").Text(c.TimeText),
			app.Span().ID("run-status").Class("hs-status").Attr("data-running", strconv.FormatBool(c.Running)).Text(c.Status),
			app.Span().ID("run-said").Class("hs-sr").Attr("role", "status").Text(c.Said),
			app.Span().ID("peak-note").Class("hs-status").Attr("role", "status").Text(c.Peak),
		),
		app.Div().Class("hs-scrub").Body(
			app.Label().For("scrubber").Class("hs-sr").Text(l.T("tl.scrub")),
			app.Input().ID("scrubber").Type("range").Min(0).Max(scrubSteps).Step(1).Value(c.Pos).
				Disabled(!c.Has).Aria("valuetext", c.TimeText),
			app.Canvas().ID(marksID).Class("hs-marks").Style("height", strconv.Itoa(marksH)+"px").
				Aria("hidden", "true"),
		),
		app.P().Class("hs-note").Text(l.T("tl.keys")+" "+l.T(c.Marks)),
	)
}

func (c *Timeline) onPlay(ctx app.Context, e app.Event) {
	if c.page != nil {
		c.page.togglePlay(ctx)
	}
}

func (c *Timeline) onPrev(ctx app.Context, e app.Event) {
	if c.page != nil {
		c.page.step(ctx, -1)
	}
}

func (c *Timeline) onNext(ctx app.Context, e app.Event) {
	if c.page != nil {
		c.page.step(ctx, +1)
	}
}

func (c *Timeline) onPeak(ctx app.Context, e app.Event) {
	if c.page != nil {
		c.page.jumpToPeak(ctx)
	}
}

func (c *Timeline) onSpeed(ctx app.Context, e app.Event) {
	if i, err := strconv.Atoi(ctx.JSSrc().Get("value").String()); err == nil && i >= 0 && i < len(speeds) && c.page != nil {
		c.page.speed = i
	}
}
