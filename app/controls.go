package app

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// actionParams is the go-app action a control posts with the new Params as
// its value; the page handles it by re-running the scenario.
const actionParams = "httpsim/params"

// Controls shows the settings as a loss slider, an RTT slider and a seed
// field. It keeps no state of its own: every change posts actionParams, and
// the page hands the settings back down.
type Controls struct {
	app.Compo

	Params Params
}

// Render draws the three controls.
func (c *Controls) Render() app.UI {
	p := c.Params
	return app.Section().Class("hs-panel").Body(
		app.H2().Text("Network"),
		app.Label().Class("hs-control").Body(
			app.Span().Class("hs-control-label").Body(
				app.Span().Text("Loss"),
				app.Span().ID("loss-value").Class("hs-control-value").Text(p.LossString()),
			),
			app.Input().
				ID("loss").
				Type("range").
				Min(0).Max(MaxLossPermille).Step(1).
				Value(p.LossPermille).
				Aria("valuetext", p.LossString()).
				OnInput(c.onLoss),
		),
		app.Label().Class("hs-control").Body(
			app.Span().Class("hs-control-label").Body(
				app.Span().Text("Round-trip time"),
				app.Span().ID("rtt-value").Class("hs-control-value").Text(p.RTTString()),
			),
			app.Input().
				ID("rtt").
				Type("range").
				Min(MinRTTMillis).Max(MaxRTTMillis).Step(1).
				Value(p.RTTMillis).
				Aria("valuetext", p.RTTString()).
				OnInput(c.onRTT),
		),
		app.Label().Class("hs-control").Body(
			app.Span().Class("hs-control-label").Body(app.Span().Text("Seed")),
			app.Input().
				ID("seed").
				Type("number").
				Min(0).Step(1).
				Value(strconv.FormatUint(p.Seed, 10)).
				OnInput(c.onSeed),
		),
	)
}

func (c *Controls) onLoss(ctx app.Context, e app.Event) {
	if v, ok := inputInt(ctx); ok {
		p := c.Params
		p.LossPermille = v
		c.post(ctx, p)
	}
}

func (c *Controls) onRTT(ctx app.Context, e app.Event) {
	if v, ok := inputInt(ctx); ok {
		p := c.Params
		p.RTTMillis = v
		c.post(ctx, p)
	}
}

func (c *Controls) onSeed(ctx app.Context, e app.Event) {
	// An empty or partial entry ("", "-") is not a seed yet: wait for more.
	if v, err := strconv.ParseUint(ctx.JSSrc().Get("value").String(), 10, 64); err == nil {
		p := c.Params
		p.Seed = v
		c.post(ctx, p)
	}
}

func (c *Controls) post(ctx app.Context, p Params) {
	if p = p.Clamped(); p != c.Params {
		ctx.NewActionWithValue(actionParams, p)
	}
}

// inputInt reads the value of the input element that fired the event.
func inputInt(ctx app.Context) (int, bool) {
	v, err := strconv.Atoi(ctx.JSSrc().Get("value").String())
	return v, err == nil
}
