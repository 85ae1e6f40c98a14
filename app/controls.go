package app

import (
	"slices"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Controls is the settings panel: the controls the scenario exposes. It
// keeps no state of its own: every change goes to the page (or, outside a
// page, posts actionParams) with the new settings, and the page hands them
// back down.
type Controls struct {
	app.Compo

	Lang   Lang
	Params Params
	Entry  LibraryEntry

	// page, if set, takes changes directly. An action would make go-app
	// re-render the whole page for every step of a slider drag; this way
	// only the controls re-render, and the page waits for the run's result.
	page *Page

	// sliders are the range inputs the last render drew, with their
	// values, for syncSliders.
	sliders []sliderValue
}

type sliderValue struct {
	id string
	v  int
}

// OnMount and OnUpdate set the sliders' values once go-app has set their
// attributes. It sets them in map order: a value set before the new min
// and max was clamped to the old range, and the thumb sat at 10 ms while
// the label said 100 (a keyboard step then ran 20 ms).
func (c *Controls) OnMount(ctx app.Context)  { ctx.Defer(c.syncSliders) }
func (c *Controls) OnUpdate(ctx app.Context) { ctx.Defer(c.syncSliders) }

func (c *Controls) syncSliders(app.Context) {
	if !app.IsClient {
		return
	}
	for _, s := range c.sliders {
		if el := app.Window().GetElementByID(s.id); el.Truthy() && el.Get("value").String() != strconv.Itoa(s.v) {
			el.Set("value", strconv.Itoa(s.v))
		}
	}
}

// Render draws the controls, grouped into network and HTTP settings.
func (c *Controls) Render() app.UI {
	c.sliders = c.sliders[:0]
	l, p, e := c.Lang, c.Params, c.Entry
	var net, web []app.UI
	spec := func(id Control) ControlSpec { s, _ := e.Spec(id); return s }
	if e.Has(CtlLoss) {
		lo, hi, st := spec(CtlLoss).Range(0, MaxLossPermille, 1)
		net = append(net, c.slider("loss", l.T("ctl.loss"), p.LossString(), lo, hi, st, p.LossPermille, c.onLoss))
	}
	if e.Has(CtlBurst) {
		v := l.T("ctl.burst.value", p.Burst)
		if p.Burst <= 1 {
			v = l.T("ctl.burst.one")
		}
		lo, hi, st := spec(CtlBurst).Range(MinBurst, MaxBurst, 1)
		net = append(net, c.slider("burst", l.T("ctl.burst"), v, lo, hi, st, p.Burst, c.onBurst))
	}
	if e.Has(CtlRTT) {
		lo, hi, st := spec(CtlRTT).Range(MinRTTMillis, MaxRTTMillis, 1)
		net = append(net, c.slider("rtt", l.T("ctl.rtt"), p.RTTString(), lo, hi, st, p.RTTMillis, c.onRTT))
	}
	if e.Has(CtlBandwidth) {
		if s := spec(CtlBandwidth); s.Max > s.Min {
			lo, hi, st := s.Range(MinBandwidthKbps, MaxBandwidthKbps, 100)
			net = append(net, c.slider("bw", l.T("ctl.bw"), p.BandwidthString(), lo, hi, st, p.BandwidthKbps, c.onBandwidthLinear))
		} else {
			net = append(net, c.slider("bw", l.T("ctl.bw"), p.BandwidthString(), 0, len(bandwidthSteps)-1, 1, nearestStep(bandwidthSteps, p.BandwidthKbps), c.onBandwidth))
		}
	}
	if e.Has(CtlSize) {
		lo, hi, st := spec(CtlSize).Range(MinSizeKB, 10_000, 10)
		net = append(net, c.slider("size", l.T("ctl.size"), formatBytes(int64(p.SizeKB)*1000), lo, hi, st, p.SizeKB, c.onSize))
	}
	if e.Has(CtlSeed) {
		net = append(net, app.Div().Class("hs-control").Body(
			app.Label().For("seed").Class("hs-control-label").Text(l.T("ctl.seed")),
			app.Div().Class("hs-row").Body(
				// Text, not a number input: that one steps and reports
				// seeds past 2^53 through a float, and hands "" for what
				// it cannot parse ("--3"), which no notice could name.
				app.Input().ID("seed").Type("text").Attr("inputmode", "numeric").Attr("spellcheck", "false").Attr("autocomplete", "off").
					Value(strconv.FormatUint(p.Seed, 10)).OnChange(c.onSeed),
				// ↻, not a dice emoji: every system's fonts have it, while
				// Linux machines without an emoji font showed an empty box.
				app.Button().ID("reroll").Type("button").Aria("label", l.T("ctl.reroll.label")).
					Text("↻ "+l.T("ctl.reroll")).OnClick(c.onReroll),
			),
		))
	}
	if e.Has(CtlProtocols) {
		var boxes []app.UI
		on := protoList(p.Protos)
		for _, proto := range availableProtocols {
			id := "proto-" + proto
			boxes = append(boxes, app.Label().For(id).Class("hs-check").Body(
				app.Input().ID(id).Type("checkbox").Checked(slices.Contains(on, proto)).
					DataSet("proto", proto).OnChange(c.onProto),
				app.Span().Text(l.T("proto."+proto)),
			))
		}
		web = append(web, app.FieldSet().Class("hs-control", "hs-fieldset").Body(
			app.Legend().Class("hs-control-label").Text(l.T("ctl.protocols")),
			app.Div().Class("hs-row").Body(boxes...),
		))
	}
	if e.Has(CtlTLS) {
		opts := make([]app.UI, 0, len(tlsVersions))
		for _, v := range tlsVersions {
			text := "TLS " + v
			if v == "none" {
				text = l.T("tls.none")
			}
			opts = append(opts, app.Option().Value(v).Selected(p.TLS == v).Text(text))
		}
		web = append(web, c.selectBox("tls", l.T("ctl.tls"), c.onTLS, opts))
	}
	if e.Has(CtlZeroRTT) {
		web = append(web, c.checkbox("0rtt", l.T("ctl.0rtt"), p.ZeroRTT, p.TLS != "1.3", l.T("ctl.0rtt.needs"), c.onZeroRTT))
	}
	if e.Has(CtlScheduler) {
		opts := make([]app.UI, 0, len(schedulers))
		for _, s := range schedulers {
			opts = append(opts, app.Option().Value(s).Selected(p.Scheduler == s).Text(l.T("sched."+s)))
		}
		web = append(web, c.selectBox("sched", l.T("ctl.scheduler"), c.onScheduler, opts))
	}
	if e.Has(CtlHPACK) {
		web = append(web, c.selectBox("hpack", l.T("ctl.hpack"), c.onHPACK, tableSizeOptions(p.HPACKTable)))
	}
	if e.Has(CtlQPACK) {
		web = append(web, c.selectBox("qpack", l.T("ctl.qpack"), c.onQPACK, tableSizeOptions(p.QPACKTable)))
	}
	if e.Has(CtlConns) {
		lo, hi, st := spec(CtlConns).Range(MinH1Conns, MaxH1Conns, 1)
		web = append(web, c.slider("conns", l.T("ctl.conns"), strconv.Itoa(p.H1Conns), lo, hi, st, p.H1Conns, c.onConns))
	}
	if e.Has(CtlPipe) {
		web = append(web, c.checkbox("pipe", l.T("ctl.pipe"), p.Pipelining, p.HTTP10, "", c.onPipe))
	}
	if e.Has(CtlHTTP10) {
		web = append(web, c.checkbox("http10", l.T("ctl.http10"), p.HTTP10, false, "", c.onHTTP10))
	}
	if e.Has(CtlPush) {
		web = append(web, c.checkbox("push", l.T("ctl.push"), p.Push, false, "", c.onPush))
	}
	if e.Has(CtlWarm) {
		web = append(web, c.checkbox("warm", l.T("ctl.warm"), p.Warm, false, "", c.onWarm))
	}
	body := []app.UI{app.H2().Text(l.T("controls.title")), app.H3().Text(l.T("controls.network"))}
	body = append(body, net...)
	if len(web) > 0 {
		body = append(body, app.H3().Text(l.T("controls.http")))
		body = append(body, web...)
	}
	return app.Section().ID("controls").Class("hs-panel", "hs-controls").Aria("label", l.T("controls.title")).Body(body...)
}

// slider is a labelled range input with its value shown beside the label.
func (c *Controls) slider(id, label, value string, lo, hi, step, v int, h app.EventHandler) app.UI {
	// A value from a link may lie outside the lesson's own range (an RTT
	// of 1 s in a lesson whose slider stops at 300 ms): the range takes
	// it in, so the thumb shows it rather than sitting at the end.
	lo, hi = min(lo, v), max(hi, v)
	c.sliders = append(c.sliders, sliderValue{id, v})
	return app.Div().Class("hs-control").Body(
		app.Label().For(id).Class("hs-control-label").Body(
			app.Span().Text(label),
			app.Span().ID(id+"-value").Class("hs-control-value").Text(value),
		),
		app.Input().ID(id).Type("range").Min(lo).Max(hi).Step(float64(step)).Value(v).
			Aria("valuetext", value).OnInput(h),
	)
}

func (c *Controls) selectBox(id, label string, h app.EventHandler, opts []app.UI) app.UI {
	return app.Div().Class("hs-control").Body(
		app.Label().For(id).Class("hs-control-label").Text(label),
		app.Select().ID(id).OnChange(h).Body(opts...),
	)
}

func (c *Controls) checkbox(id, label string, on, disabled bool, note string, h app.EventHandler) app.UI {
	text := label
	if disabled && note != "" {
		text += " (" + note + ")"
	}
	return app.Div().Class("hs-control").Body(
		app.Label().For(id).Class("hs-check").Body(
			app.Input().ID(id).Type("checkbox").Checked(on).Disabled(disabled).OnChange(h),
			app.Span().Text(text),
		),
	)
}

func (c *Controls) onLoss(ctx app.Context, e app.Event) {
	c.setInt(ctx, func(p *Params, v int) { p.LossPermille = v })
}

func (c *Controls) onBurst(ctx app.Context, e app.Event) {
	c.setInt(ctx, func(p *Params, v int) { p.Burst = v })
}

func (c *Controls) onRTT(ctx app.Context, e app.Event) {
	c.setInt(ctx, func(p *Params, v int) { p.RTTMillis = v })
}

func (c *Controls) onBandwidth(ctx app.Context, e app.Event) {
	c.setInt(ctx, func(p *Params, v int) { p.BandwidthKbps = bandwidthSteps[clamp(v, 0, len(bandwidthSteps)-1)] })
}

func (c *Controls) onBandwidthLinear(ctx app.Context, e app.Event) {
	c.setInt(ctx, func(p *Params, v int) { p.BandwidthKbps = v })
}

func (c *Controls) onSize(ctx app.Context, e app.Event) {
	c.setInt(ctx, func(p *Params, v int) { p.SizeKB = v })
}

func (c *Controls) onHTTP10(ctx app.Context, e app.Event) {
	c.setBool(ctx, func(p *Params, v bool) {
		p.HTTP10 = v
		if v {
			p.Pipelining = false
		}
	})
}

func (c *Controls) onPush(ctx app.Context, e app.Event) {
	c.setBool(ctx, func(p *Params, v bool) { p.Push = v })
}

func (c *Controls) onConns(ctx app.Context, e app.Event) {
	c.setInt(ctx, func(p *Params, v int) { p.H1Conns = v })
}

// tableSizeOptions are a header table size's choices (tableSizeSteps, and
// the current value if it is none of them).
func tableSizeOptions(cur int) []app.UI {
	steps := tableSizeSteps
	if !slices.Contains(steps, cur) {
		steps = append(slices.Clone(steps), cur)
		slices.Sort(steps)
	}
	opts := make([]app.UI, 0, len(steps))
	for _, s := range steps {
		opts = append(opts, app.Option().Value(strconv.Itoa(s)).Selected(cur == s).Text(strconv.Itoa(s)+" B"))
	}
	return opts
}

func (c *Controls) onQPACK(ctx app.Context, e app.Event) {
	c.setInt(ctx, func(p *Params, v int) { p.QPACKTable = v })
}

func (c *Controls) onHPACK(ctx app.Context, e app.Event) {
	c.setInt(ctx, func(p *Params, v int) { p.HPACKTable = v })
}

func (c *Controls) onSeed(ctx app.Context, e app.Event) {
	typed := strings.TrimSpace(ctx.JSSrc().Get("value").String())
	p := c.Params
	if typed != "" {
		// As a URL's seed: clamped, or refused, with a notice.
		var bad *Notice
		p.Seed, bad = readSeed(typed, p.Seed)
		if bad != nil && c.page != nil {
			c.page.noteInput(*bad)
		}
	}
	// The field shows the seed that runs, not an entry it refused.
	if s := strconv.FormatUint(p.Seed, 10); s != typed {
		ctx.JSSrc().Set("value", s)
	}
	c.post(ctx, p)
}

func (c *Controls) onReroll(ctx app.Context, e app.Event) {
	p := c.Params
	p.Seed = reroll(p.Seed)
	c.post(ctx, p)
}

func (c *Controls) onProto(ctx app.Context, e app.Event) {
	proto := ctx.JSSrc().Get("dataset").Get("proto").String()
	on := ctx.JSSrc().Get("checked").Bool()
	list := protoList(c.Params.Protos)
	if on {
		list = append(list, proto)
	} else {
		list = slices.DeleteFunc(list, func(s string) bool { return s == proto })
	}
	p := c.Params
	if p.Protos = canonicalProtos(list); p.Protos == "" {
		// At least one protocol runs: put the box back.
		ctx.JSSrc().Set("checked", true)
		return
	}
	c.post(ctx, p)
}

func (c *Controls) onTLS(ctx app.Context, e app.Event) {
	p := c.Params
	p.TLS = ctx.JSSrc().Get("value").String()
	if p.TLS != "1.3" {
		p.ZeroRTT = false
	}
	c.post(ctx, p)
}

func (c *Controls) onScheduler(ctx app.Context, e app.Event) {
	p := c.Params
	p.Scheduler = ctx.JSSrc().Get("value").String()
	c.post(ctx, p)
}

func (c *Controls) onZeroRTT(ctx app.Context, e app.Event) {
	c.setBool(ctx, func(p *Params, v bool) { p.ZeroRTT = v })
}

func (c *Controls) onPipe(ctx app.Context, e app.Event) {
	c.setBool(ctx, func(p *Params, v bool) { p.Pipelining = v })
}

func (c *Controls) onWarm(ctx app.Context, e app.Event) {
	c.setBool(ctx, func(p *Params, v bool) { p.Warm = v })
}

func (c *Controls) setInt(ctx app.Context, set func(*Params, int)) {
	v, err := strconv.Atoi(ctx.JSSrc().Get("value").String())
	if err != nil {
		return
	}
	p := c.Params
	set(&p, v)
	c.post(ctx, p)
}

func (c *Controls) setBool(ctx app.Context, set func(*Params, bool)) {
	p := c.Params
	set(&p, ctx.JSSrc().Get("checked").Bool())
	c.post(ctx, p)
}

func (c *Controls) post(ctx app.Context, p Params) {
	if p = p.Clamped(); p != c.Params {
		if c.page != nil {
			c.Params = p // shown now; the page hands the same back down later
			c.page.setParams(p)
			return
		}
		ctx.NewActionWithValue(actionParams, p)
	}
}
