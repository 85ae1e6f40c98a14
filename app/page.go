package app

import (
	"math/rand/v2"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"httpsim/sim/scenario"
)

// Actions the page's child components post; the page handles them.
const (
	actionParams = "httpsim/params" // value: Params
	actionPick   = "httpsim/pick"   // value: string, a built-in scenario's name
	actionStore  = "httpsim/store"  // value: storeRequest
	actionHPACK  = "httpsim/hpack"  // value: string, "resp" or "req"
)

// progressStep is the smallest progress change worth showing.
const progressStep = 0.02

// speeds are the playback speeds: simulated time per wall-clock time.
var speeds = []float64{0.1, 0.25, 0.5, 1, 2, 5, 10}

// defaultSpeed is the index in speeds playback starts at.
const defaultSpeed = 2

// simulateOffClient lets tests run simulations natively, where go-app's
// client tester has no browser; the site builder's pre-render must not.
var simulateOffClient = false

// Page is httpsim's simulator page: the scenario picker, the settings, the
// timeline and the views of each protocol's run at the scrub time.
//
// Its state lives in unexported fields, so that go-app never compares the
// runs: child components get small, comparable snapshots, and the canvases
// are drawn from the page's indexes in one batched call (see drawer).
type Page struct {
	app.Compo

	st      State
	notices []Notice
	message Notice // the latest storage or sharing message
	msgErr  bool

	views  []*runView
	span   int64      // the longest run's end, ns
	charts chartScale // the charts' shared axes
	steps  []int64    // every view's event times, merged
	// lossSteps are every view's loss times, merged (Shift+arrows).
	lossSteps []int64
	labels    []string // the frame strips' labels (labelsOf)
	ran       Params   // the settings the views show
	has       bool     // the views are up to date with some run
	running   bool
	progress  float64
	errText   string
	hash      string
	said      string // the result last announced (announce)

	sel   frameSel
	speed int // index in speeds

	// peak is where the run shown held the most bytes behind holes, once
	// asked for (heldpeak.go): the timeline says where it is.
	peak struct {
		shown bool
		ok    bool // some byte waited
		at    heldPeak
		// note is the timeline's line in lang, worked out once per peak
		// and language, not on every scrub (timelineProps).
		note     string
		noteLang Lang
	}
	// peakRun is the run generation that opens at its peak (a lesson
	// picked from the list whose scenario opens there), or 0.
	peakRun uint64
	// linkRun is the run generation of a link opened with a time, or 0:
	// if that time is the run's peak, the timeline says so, as it did on
	// the page the link was copied from.
	linkRun uint64

	playing bool
	playGen uint64

	store      *Store
	storeState string // "loading", "ready", "memory", "error"
	saved      []SavedEntry

	share bool // the share box is open
	// dlView is the view (column) whose run the share box downloads,
	// figPanel the panel it saves as a figure.
	dlView   int
	figPanel string
	// dlBusy is the format of the run download being made ("" if none).
	dlBusy string
	copied string
	// shareOpener is the id of the button that opened the share box
	// ("copy-link" or "embed-button"), which gets the focus back when it
	// closes.
	shareOpener string

	// The mounted instances of the components that depend on the scrub
	// time, so that scrubbing can update them alone (nil while not
	// mounted), and the keys of what they show.
	tl      *Timeline
	hp      *HPACKPanel
	fd      *FrameDetails
	sum     *Summary
	hpKey   hpackKey
	hpShown []hpackShown // per view (hpackColsCached)
	hpCols  []HPACKCol
	fdKey   detailsKey
	fdProps FrameDetails
	viewGen uint64 // counts the runs shown

	draw  drawer
	runs  runTracker
	first bool // the first results have been shown
	// drawnLayout is the canvas layout last drawn after go-app rendered it.
	drawnLayout canvasLayout
	urlGen      uint64
	navved      bool
	// timeFromURL says the scrub time came from the URL: if the run is
	// shorter, say so (a time the user scrubbed to is clamped quietly).
	timeFromURL bool
	keys        app.Func
	ctx         app.Context
	// pageURL is the page's address as last read or written.
	pageURL url.URL
}

// frameSel is the selected frame: a view and an index into its frames.
type frameSel struct {
	view, frame int
}

// of is the frame selected in view i, or -1.
func (s frameSel) of(i int) int {
	if s.view != i {
		return -1
	}
	return s.frame
}

// OnInit sets the defaults; it runs before the first render, in the browser
// and when the site builder pre-renders the page.
func (c *Page) OnInit() {
	c.st = DefaultState()
	c.sel = frameSel{-1, -1}
	c.speed = defaultSpeed
	c.storeState = "loading"
}

// OnMount listens to the child components, the keyboard and the storage.
func (c *Page) OnMount(ctx app.Context) {
	c.ctx = ctx
	ctx.Handle(actionParams, c.onParams)
	ctx.Handle(actionPick, c.onPick)
	ctx.Handle(actionStore, c.onStore)
	ctx.Handle(actionHPACK, c.onHPACKDir)
	if app.IsClient && c.keys == nil {
		c.keys = app.FuncOf(func(_ app.Value, args []app.Value) any {
			key, target := "", ""
			if len(args) > 0 {
				key = args[0].String()
			}
			if len(args) > 1 && args[1].Truthy() {
				target = args[1].String()
			}
			c.dispatchNext(func(ctx app.Context) { c.onKey(ctx, key, target) })
			return nil
		})
		if f := app.Window().Get("httpsimKeys"); f.Truthy() {
			app.Window().Call("httpsimKeys", c.keys)
		}
	}
	c.openStore(ctx)
}

// OnDismount stops playback.
func (c *Page) OnDismount() {
	c.playGen++
	c.playing = false
}

// OnNav reads the state from the URL, whenever the page is opened.
func (c *Page) OnNav(ctx app.Context) {
	c.pageURL = *ctx.Page().URL()
	c.peakRun, c.linkRun = 0, 0 // the address's own time
	st, notes := ParseRawQuery(c.pageURL.RawQuery)
	c.notices = notes
	c.timeFromURL = st.TimeUS != TimeEnd
	first := !c.navved
	c.navved = true
	changed := st.Params != c.st.Params
	c.st = st
	c.drawnLayout = canvasLayout{} // the page may be laid out anew (embed, panels)
	c.applyLang(ctx)
	if first || changed || !c.has {
		gen := c.rerun(ctx)
		if c.timeFromURL {
			c.linkRun = gen
		}
		// The address bar holds the state shown, every setting pinned
		// (State.Query), not the link as typed: a link with a bad value
		// was shared on with it.
		c.scheduleURL(ctx)
		return
	}
	fromURL := c.timeFromURL // clampTime uses it up
	c.clampTime(ctx)
	if fromURL {
		c.noteLinkAtPeak() // the runs shown are the link's
	}
	c.afterTimeChange(ctx, false)
}

// OnResize redraws at the new size.
func (c *Page) OnResize(ctx app.Context) {
	c.draw.dirty = true
	c.redraw()
}

// dispatchNext runs fn on the UI goroutine without marking any component
// for an update: the scrubbing path updates the few components that need
// it itself.
func (c *Page) dispatchNext(fn func(app.Context)) {
	if c.ctx == nil {
		return
	}
	c.ctx.Dispatcher().Dispatch(app.Dispatch{Mode: app.Next, Source: c, Function: fn})
}

// applyLang sets the document's language and title.
func (c *Page) applyLang(ctx app.Context) {
	ctx.Page().SetLang(c.st.Lang.HTMLLang())
	e, _ := LibraryLookup(c.st.Params.Scenario)
	ctx.Page().SetTitle("httpsim — " + e.Title[c.st.Lang])
}

func (c *Page) onParams(ctx app.Context, a app.Action) {
	p, ok := a.Value.(Params)
	if !ok {
		return
	}
	c.applyParams(ctx, p)
}

// setParams takes new settings from the controls without re-rendering the
// page: the controls show them already, the timeline and the summary say a
// run is under way, and the page renders when the run's result arrives. It
// runs on the UI goroutine, in the controls' event handler, and applies the
// settings at once: a page render between the two would hand the controls
// the old settings back.
func (c *Page) setParams(p Params) {
	if c.ctx == nil {
		return
	}
	c.applyParams(c.ctx, p)
	c.refreshTimeDependents()
}

// noteInput shows a notice about what was typed into a control, as the
// URL's are shown.
func (c *Page) noteInput(n Notice) {
	c.notices = addNotice(c.notices, n.Key, n.Args)
	c.Update()
}

// applyParams re-runs with p, if it changes anything.
func (c *Page) applyParams(ctx app.Context, p Params) {
	p = p.Clamped()
	if p == c.st.Params {
		return
	}
	c.st.Params = p
	c.rerun(ctx)
	c.scheduleURL(ctx)
}

func (c *Page) onPick(ctx app.Context, a app.Action) {
	name, ok := a.Value.(string)
	if !ok {
		return
	}
	s, err := scenario.Builtin(name)
	if err != nil {
		return
	}
	c.st.Params = LessonParams(s)
	var atPeak bool
	c.st.TimeUS, atPeak = openingTime(s.OpensAt)
	c.sel = frameSel{-1, -1}
	c.applyLang(ctx)
	gen := c.rerun(ctx)
	if atPeak {
		c.peakRun = gen
	}
	c.scheduleURL(ctx)
}

// openingTime is where a lesson opens, as its scenario says: the scrub
// time (State.TimeUS), or atPeak for the moment the most bytes were held
// back, known once it has run. A time past the run's end shows the end,
// quietly (clampTime).
func openingTime(o scenario.OpensAt) (timeUS int64, atPeak bool) {
	switch o.Kind {
	case scenario.OpensAtHeld:
		return TimeEnd, true
	case scenario.OpensAtTime:
		return o.At.Microseconds(), false
	}
	return TimeEnd, false
}

func (c *Page) onHPACKDir(ctx app.Context, a app.Action) {
	if d, ok := a.Value.(string); ok && slices.Contains(hpackDirs, d) && d != c.st.HPACKDir {
		c.st.HPACKDir = d
		c.scheduleURL(ctx)
	}
}

// setState applies a whole state (a loaded scenario), keeping the language
// and the embedding of the page.
func (c *Page) setState(ctx app.Context, st State) {
	c.peakRun = 0 // the entry's own time
	st.Lang, st.Embed = c.st.Lang, c.st.Embed
	changed := st.Params != c.st.Params
	c.st = st
	c.drawnLayout = canvasLayout{}
	c.applyLang(ctx)
	c.sel = frameSel{-1, -1}
	if changed || !c.has {
		c.rerun(ctx)
	} else {
		c.clampTime(ctx)
		c.afterTimeChange(ctx, true)
	}
	c.scheduleURL(ctx)
}

// rerun starts a run of the current settings, superseding any run under way,
// and returns its generation (0 if it started none).
// The run goes on off the UI goroutine; its progress and result come back
// through ctx.Dispatch, and are dropped if a newer run started meanwhile.
func (c *Page) rerun(ctx app.Context) uint64 {
	if !app.IsClient && !simulateOffClient {
		return 0
	}
	gen := c.runs.next()
	if gen == 1 {
		perfMark(MarkFirstRun)
	}
	// A time past the end was said of the run this one replaces (a new
	// setting, lesson or saved entry; clampTime says it again of this
	// run if it still holds).
	c.notices = slices.DeleteFunc(c.notices, func(n Notice) bool { return n.Key == "notice.time" })
	start := perfNow()
	c.running, c.progress = true, 0
	p := c.st.Params
	ctx.Async(func() {
		shown := 0.0
		out, ok := c.runs.run(gen, p, func(f float64) {
			if f-shown < progressStep {
				return // not worth a re-render
			}
			shown = f
			// Only the timeline shows progress: re-rendering the page
			// would take time from the run.
			c.dispatchNext(func(ctx app.Context) {
				if c.runs.current(gen) {
					c.progress = f
					c.refreshTimeDependents()
				}
			})
		})
		if !ok {
			return
		}
		ctx.Dispatch(func(ctx app.Context) {
			if !c.runs.current(gen) {
				return
			}
			shownAt := perfNow()
			c.show(ctx, p, out)
			if gen == c.peakRun {
				c.peakRun = 0
				if c.has && out.err == nil {
					c.findPeak()
					if c.peak.ok {
						c.st.TimeUS = c.peak.at.at / 1000
					}
				}
			}
			if gen == c.linkRun {
				c.linkRun = 0
				c.noteLinkAtPeak()
			}
			c.scheduleURL(ctx) // and the announcement, once runs settle
			perfMeasureSince("httpsim:queued", start, out.started)
			perfMeasureSince("httpsim:yield", out.started, out.started+ms(out.yieldTime))
			perfMeasureSince("httpsim:shown", out.started+ms(out.simTime+out.indexTime), perfNow())
			perfMeasureSince("httpsim:sim", start, start+ms(out.simTime))
			perfMeasureSince("httpsim:sim-cpu", start, start+ms(out.stepTime))
			perfMeasureSince("httpsim:index", start+ms(out.simTime), start+ms(out.simTime+out.indexTime))
			// The canvases are redrawn at once if the new views fit the
			// ones on screen (same panels, columns and heights): go-app
			// applies the update to the DOM at its next frame, up to 16 ms
			// later. Otherwise, and for the first run, they are drawn once
			// go-app has rendered, so that the canvases of new panels exist.
			early := out.err == nil && c.drawnLayout.views > 0 && c.canvasLayout() == c.drawnLayout
			if early {
				c.drawViews(start, shownAt)
			}
			ctx.Defer(func(app.Context) {
				if !early {
					c.drawViews(start, shownAt)
				}
				c.refreshTimeDependents()
				perfMeasureSince(MeasureUpdateDOM, start, perfNow())
				if !c.first && out.err == nil {
					c.first = true
					perfMark(MarkFirstRender)
				}
			})
		})
	})
	return gen
}

// drawViews redraws every canvas for new views, ending the update measure
// that began at start; the views reached the page at shownAt.
func (c *Page) drawViews(start, shownAt float64) {
	c.draw.dirty = true
	drawStart := perfNow()
	perfMeasureSince("httpsim:render", shownAt, drawStart)
	c.redraw()
	c.drawnLayout = c.canvasLayout()
	perfMeasureSince("httpsim:draw", drawStart, perfNow())
	perfMeasureSince(MeasureUpdate, start, perfNow())
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

// show puts a finished run on screen.
func (c *Page) show(ctx app.Context, p Params, out runOutput) {
	c.running, c.progress = false, 1
	if out.err != nil {
		c.errText = out.err.Error()
		app.Log("httpsim:", out.err)
		return
	}
	c.errText = ""
	c.views, c.ran, c.has, c.hash = out.views, p, true, out.hash
	c.viewGen++
	c.peak.shown = false
	c.span = 0
	var steps, losses []int64
	for _, v := range c.views {
		c.span = max(c.span, v.end)
		steps = append(steps, v.steps...)
		losses = append(losses, v.losses...)
	}
	slices.Sort(steps)
	c.steps = uniqueSorted(steps)
	slices.Sort(losses)
	c.lossSteps = uniqueSorted(losses)
	c.labels = labelsOf(c.views)
	c.charts = chartScaleOf(c.views)
	if c.sel.view >= len(c.views) || (c.sel.view >= 0 && c.sel.frame >= len(c.views[c.sel.view].frames)) {
		c.sel = frameSel{-1, -1}
	}
	c.clampTime(ctx)
}

// clampTime shows the end of the run for a scrub time past it, saying so
// if the time came from a URL or a saved entry (a time the user scrubbed
// to is clamped quietly), and writes the URL again. It runs once the run
// is known: after a run, and when a URL or an entry keeps the run shown.
func (c *Page) clampTime(ctx app.Context) {
	if c.st.TimeUS != TimeEnd && c.st.TimeUS*1000 > c.span {
		if c.timeFromURL {
			c.notices = append(c.notices, Notice{Key: "notice.time", Args: []string{formatFixed(c.st.TimeUS, 3) + " ms", formatTime(c.span)}})
		}
		c.st.TimeUS = TimeEnd
		c.scheduleURL(ctx)
	}
	c.timeFromURL = false
}

// now is the scrub time in nanoseconds.
func (c *Page) now() int64 {
	if c.st.TimeUS == TimeEnd {
		return c.span
	}
	return min(c.st.TimeUS*1000, c.span)
}

// scrubTo moves the scrub time to scrubber position pos.
func (c *Page) scrubTo(ctx app.Context, pos int) {
	if c.span <= 0 {
		return
	}
	c.stopPlay()
	c.setTime(ctx, int64(min(max(pos, 0), scrubSteps))*c.span/scrubSteps)
}

// setTime moves the scrub time to t nanoseconds (rounded to the
// microsecond, the URL's resolution), redraws the canvases at once and
// updates the components that depend on the time.
func (c *Page) setTime(ctx app.Context, t int64) {
	start := perfNow()
	c.peakRun = 0 // a time the user chose outranks where a lesson opens
	t = min(max(t, 0), c.span)
	us := (t + 500) / 1000
	if t == c.span || us*1000 >= c.span {
		// The end itself (End, or playback finished) is the end, not
		// the microsecond below it: Play from there started and stopped
		// at once instead of playing again from 0.
		c.st.TimeUS = TimeEnd
	} else {
		c.st.TimeUS = us
	}
	c.clampSel()
	c.redraw()
	perfMeasureSince(MeasureScrub, start, perfNow())
	c.refreshTimeDependents()
	ctx.Defer(func(app.Context) { perfMeasureSince(MeasureScrubDOM, start, perfNow()) })
	if !c.playing {
		c.scheduleURL(ctx)
	}
}

// afterTimeChange refreshes what depends on the scrub time, and the URL.
func (c *Page) afterTimeChange(ctx app.Context, redraw bool) {
	c.clampSel()
	if redraw {
		c.redraw()
	}
	c.refreshTimeDependents()
	if !c.playing {
		c.scheduleURL(ctx)
	}
}

// clampSel keeps the frame selection among the frames written by the
// scrub time: scrubbing back left it on a frame not yet drawn, and the
// arrow keys walked through invisible frames.
func (c *Page) clampSel() {
	if c.sel.view < 0 || c.sel.view >= len(c.views) {
		return
	}
	if n := framesUpTo(c.views[c.sel.view].frames, c.now()); n == 0 {
		c.sel = frameSel{-1, -1}
	} else {
		c.sel.frame = min(c.sel.frame, n-1)
	}
}

// onKey handles the keyboard shortcuts draw.js forwards.
func (c *Page) onKey(ctx app.Context, key, target string) {
	if strings.HasPrefix(target, "cv-frames-") {
		c.moveFrame(ctx, target, key)
		return
	}
	switch key {
	case "play":
		c.togglePlay(ctx)
	case "prev":
		c.step(ctx, -1)
	case "next":
		c.step(ctx, +1)
	case "prevloss":
		c.stepLoss(ctx, -1)
	case "nextloss":
		c.stepLoss(ctx, +1)
	case "escape":
		if c.share {
			c.closeShare(ctx)
		}
	case "home":
		c.stopPlay()
		c.setTime(ctx, 0)
	case "end":
		c.stopPlay()
		c.setTime(ctx, c.span)
	}
}

// step moves to the previous or next event time. The scrub time is a whole
// microsecond (setTime), so a step lands on the microsecond at or after
// the event, never before it, where the event has happened: rounding to
// the nearest one showed an event at …200 ns as not yet happened, and the
// next step skipped it. Events within one microsecond are one step.
func (c *Page) step(ctx app.Context, dir int) { c.stepIn(ctx, c.steps, dir, true) }

// stepLoss moves to the previous or next loss of any view (the scrubber's
// vermillion ticks), so a lesson's loss is one key away: stepping through
// every event to it took dozens of presses.
func (c *Page) stepLoss(ctx app.Context, dir int) { c.stepIn(ctx, c.lossSteps, dir, false) }

// stepIn moves to the previous or next of the sorted times steps; past the
// first or the last, to the run's start or end if ends, else nowhere.
func (c *Page) stepIn(ctx app.Context, steps []int64, dir int, ends bool) {
	c.stopPlay()
	t := c.now()
	land := func(i int) int64 { return min(wholeMicro(steps[i]), c.span) }
	if dir > 0 {
		i := sort.Search(len(steps), func(i int) bool { return land(i) > t })
		if i < len(steps) {
			c.setTime(ctx, land(i))
		} else if ends {
			c.setTime(ctx, c.span)
		}
		return
	}
	i := sort.Search(len(steps), func(i int) bool { return land(i) >= t }) - 1
	if i >= 0 {
		c.setTime(ctx, land(i))
	} else if ends {
		c.setTime(ctx, 0)
	}
}

// moveFrame moves the frame selection of the strip with id target.
func (c *Page) moveFrame(ctx app.Context, target, key string) {
	vi, err := strconv.Atoi(strings.TrimPrefix(target, "cv-frames-"))
	if err != nil || vi < 0 || vi >= len(c.views) {
		return
	}
	v := c.views[vi]
	n := framesUpTo(v.frames, c.now())
	if n == 0 {
		return
	}
	cur := -1
	if c.sel.view == vi {
		cur = min(c.sel.frame, n-1)
	}
	switch key {
	case "prev":
		cur = max(cur-1, 0)
	case "next":
		cur = min(cur+1, n-1)
	case "home":
		cur = 0
	case "end", "play":
		cur = n - 1
	}
	c.sel = frameSel{vi, cur}
	c.redraw()
	c.refreshTimeDependents()
}

// onFrameClick selects the frame under the pointer.
func (c *Page) onFrameClick(ctx app.Context, e app.Event) {
	vi, err := strconv.Atoi(ctx.JSSrc().Get("dataset").Get("view").String())
	if err != nil || vi < 0 || vi >= len(c.views) || vi >= len(c.draw.boxes) {
		return
	}
	x, y := e.Get("offsetX").Float(), e.Get("offsetY").Float()
	if f := hitFrame(c.draw.boxes[vi], x, y); f >= 0 {
		c.sel = frameSel{vi, f}
		c.redraw()
		c.refreshTimeDependents()
	}
}

// togglePlay starts or stops playback.
func (c *Page) togglePlay(ctx app.Context) {
	if c.playing {
		c.stopPlay()
		c.scheduleURL(ctx)
		return
	}
	if !c.has || c.span <= 0 {
		return
	}
	if c.now() >= c.span {
		c.setTime(ctx, 0)
	}
	c.playing = true
	c.playGen++
	gen := c.playGen
	ctx.Async(func() {
		var f frameTicker
		defer f.release()
		last := time.Now()
		for {
			f.wait()
			now := time.Now()
			dt := now.Sub(last)
			last = now
			cont := make(chan bool, 1)
			c.dispatchNext(func(ctx app.Context) {
				if c.playGen != gen || !c.playing {
					cont <- false
					return
				}
				t := c.now() + int64(float64(dt)*speeds[c.speed])
				if t >= c.span {
					c.playing = false
					c.setTime(ctx, c.span)
					cont <- false
					return
				}
				c.setTime(ctx, t)
				cont <- true
			})
			if !<-cont {
				return
			}
		}
	})
}

func (c *Page) stopPlay() {
	if c.playing {
		c.playing = false
		c.refreshTimeDependents()
	}
	c.playGen++
}

// scheduleURL writes the state into the URL once changes pause for a
// moment: browsers limit how often history.replaceState may be called.
func (c *Page) scheduleURL(ctx app.Context) {
	c.urlGen++
	gen := c.urlGen
	ctx.Async(func() {
		time.Sleep(200 * time.Millisecond)
		c.dispatchNext(func(ctx app.Context) {
			if gen == c.urlGen {
				c.writeURL(ctx)
				c.announce()
			}
		})
	})
}

// announce says the result of the run shown in the timeline's live
// region: every view's load time, or the run's error. It runs once the
// settings and the runs have settled (scheduleURL), so that a dragged
// slider's runs are announced once, and says nothing new where the text
// is the same (after a scrub).
func (c *Page) announce() {
	l := c.st.Lang
	said := ""
	if c.errText != "" {
		said = c.errStatus()
	} else if c.has && len(c.views) > 0 {
		// The summary's first row: a page's load time, a transfer's
		// completion, an updates run's mean update latency.
		cols := make([]SummaryCol, len(c.views))
		for i, v := range c.views {
			cols[i] = v.summary
		}
		first := (&Summary{Lang: l, Cols: cols}).rows()[0]
		said = l.T(first.key)
		sep := l.T("tl.said")
		for _, v := range c.views {
			t := l.T("sum.notloaded")
			if n := first.value(v.summary); n >= 0 {
				t = formatTime(n)
			} else if limit := limitKey(v.summary.Status); limit != "" {
				t = l.T("tl.notloaded.limit", l.T(limit))
			}
			said += sep + v.names[l] + " " + t
			sep = l.T("tl.sep")
		}
	}
	if !c.running && said != c.said {
		c.said = said
		c.refreshTimeDependents()
	}
}

func (c *Page) writeURL(ctx app.Context) {
	u := *ctx.Page().URL()
	u.RawQuery = encodeQuery(c.st.Query())
	ctx.Page().ReplaceURL(&u)
	c.pageURL = u
}

// encodeQuery is url.Values.Encode with commas left readable.
func encodeQuery(q url.Values) string {
	return strings.ReplaceAll(q.Encode(), "%2C", ",")
}

// shareURL is the address of this exact view; embed sets embed=1.
func (c *Page) shareURL(embed bool) string {
	u := c.pageURL
	st := c.st
	st.Embed = embed
	u.RawQuery = encodeQuery(st.Query())
	u.Fragment = ""
	return u.String()
}

// embedSnippet is the HTML that embeds the view in another page.
func embedSnippet(src string) string {
	return `<iframe src="` + htmlAttr(src) + `" title="httpsim" width="100%" height="640" style="border:0" loading="lazy" allow="clipboard-write"></iframe>`
}

func htmlAttr(s string) string {
	return strings.NewReplacer("&", "&amp;", `"`, "&quot;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// reroll picks a new seed.
func reroll(old uint64) uint64 {
	for {
		if s := rand.Uint64N(1_000_000); s != old {
			return s
		}
	}
}
