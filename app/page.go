package app

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// progressStep is the smallest progress change worth re-rendering the page.
const progressStep = 0.01

// Page is httpsim's first page: the bulk TCP transfer with its loss, RTT and
// seed controls, the summary of the latest run and its congestion-window
// chart. Every change of a setting re-runs the scenario in the browser.
type Page struct {
	app.Compo

	params   Params
	summary  SummaryData
	has      bool
	running  bool
	progress float64
	errText  string

	chart *CwndChart // one chart for the page's life; see CwndChart
	runs  runTracker
	first bool // the first results have been shown
}

// OnInit sets the defaults; it runs before the first render, in the browser
// and when the site builder pre-renders the page.
func (c *Page) OnInit() {
	c.params = DefaultParams()
	c.chart = &CwndChart{}
}

// OnMount listens to the controls and starts the first run. It runs only in
// the browser.
func (c *Page) OnMount(ctx app.Context) {
	ctx.Handle(actionParams, c.onParams)
	c.rerun(ctx)
}

// Render lays the page out.
func (c *Page) Render() app.UI {
	return app.Div().Class("hs-page").Body(
		app.Header().Class("hs-header").Body(
			app.H1().Text("httpsim"),
			app.P().Text("One TCP transfer from server to client: see how loss and round-trip time shape the congestion window."),
		),
		app.Main().Class("hs-main").Body(
			app.Div().Body(
				&Controls{Params: c.params},
				&Summary{
					Data:     c.summary,
					Has:      c.has,
					Running:  c.running,
					Progress: c.progress,
					Err:      c.errText,
				},
			),
			c.chart,
		),
	)
}

func (c *Page) onParams(ctx app.Context, a app.Action) {
	p, ok := a.Value.(Params)
	if !ok || p.Clamped() == c.params {
		return
	}
	c.params = p.Clamped()
	c.rerun(ctx)
}

// rerun starts a run of the current settings, superseding any run under way.
// The run goes on off the UI goroutine; its progress and result come back
// through ctx.Dispatch, and are dropped if a newer run started meanwhile.
func (c *Page) rerun(ctx app.Context) {
	gen := c.runs.next()
	perfMark(updateMark(gen))
	c.running, c.progress = true, 0
	p := c.params
	ctx.Async(func() {
		shown := 0.0
		out, ok := c.runs.run(gen, p, func(f float64) {
			if f-shown < progressStep {
				return // not worth a re-render
			}
			shown = f
			ctx.Dispatch(func(ctx app.Context) {
				if c.runs.current(gen) {
					c.progress = f
				}
			})
		})
		if !ok {
			perfClearMark(gen)
			return
		}
		ctx.Dispatch(func(ctx app.Context) {
			if !c.runs.current(gen) {
				perfClearMark(gen)
				return
			}
			c.show(out)
			// Deferred functions run once go-app has applied this update to
			// the DOM, so the measure covers re-run, summary and chart.
			ctx.Defer(func(app.Context) {
				perfMeasureUpdate(gen)
				if !c.first && out.err == nil {
					c.first = true
					perfMark(MarkFirstRender)
				}
			})
		})
	})
}

// show puts a finished run on screen.
func (c *Page) show(out runOutput) {
	c.running, c.progress = false, 1
	if out.err != nil {
		c.errText = out.err.Error()
		app.Log("httpsim:", out.err)
		return
	}
	c.errText = ""
	c.summary, c.has = out.summary, true
	c.chart.Show(out.series)
}
