package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// cwndChartID is the id of the congestion-window canvas.
const cwndChartID = "cwnd-chart"

// CwndChart draws the sender's congestion window and slow-start threshold
// over a run on a <canvas>. Its data lives in unexported fields: the page
// keeps one chart and hands it each run's series through Show, so go-app
// never diffs the series.
type CwndChart struct {
	app.Compo

	series  cwndSeries
	frame   Canvas
	painter painter
}

// Render lays out the canvas and its legend; the drawing itself happens in
// redraw.
func (c *CwndChart) Render() app.UI {
	swatch := func(color, dash string) app.UI {
		style := "background:" + color
		if dash != "" {
			style = "background:repeating-linear-gradient(90deg," + color + " 0 6px,transparent 6px 10px)"
		}
		return app.Span().Class("hs-swatch").Attr("style", style)
	}
	return app.Section().Class("hs-panel", "hs-chart").Body(
		app.H2().Text("Congestion window (server)"),
		app.Canvas().
			ID(cwndChartID).
			Attr("role", "img").
			Aria("label", "The server's congestion window and slow-start threshold over time, with loss detections marked along the top."),
		app.Div().Class("hs-legend").Body(
			app.Span().Body(swatch(colorCwnd, ""), app.Text("cwnd")),
			app.Span().Body(swatch(colorSsthresh, "dash"), app.Text("ssthresh")),
			app.Span().Body(swatch(colorLoss, ""), app.Text("loss detected")),
		),
	)
}

// OnMount draws the empty axes.
func (c *CwndChart) OnMount(ctx app.Context) { c.redraw() }

// OnResize redraws at the new size.
func (c *CwndChart) OnResize(ctx app.Context) { c.redraw() }

// Show replaces the chart's series and redraws it.
func (c *CwndChart) Show(s cwndSeries) {
	c.series = s
	c.redraw()
}

func (c *CwndChart) redraw() {
	if !app.IsClient {
		return
	}
	el := app.Window().GetElementByID(cwndChartID)
	w, h := cssSize(el)
	c.frame.Reset(w, h)
	plotCwnd(&c.frame, &c.series)
	c.painter.paint(el, &c.frame)
}
