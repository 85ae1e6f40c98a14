package app

import (
	"slices"
	"strconv"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"httpsim/sim/scenario"
)

// Render lays the page out: the full page, or the compact one for embedding.
func (c *Page) Render() app.UI {
	l := c.st.Lang
	if c.st.Embed {
		return app.Div().Class("hs-page", "hs-embed").Lang(l.HTMLLang()).Body(
			app.Div().Class("hs-embedbar").Body(
				app.Strong().Text(c.title()),
				app.A().ID("open-full").Href(c.shareURL(false)).Target("_blank").Rel("noopener").Text(l.T("open.full")),
			),
			c.renderNotices(),
			c.renderTimeline(),
			app.Main().ID("views").TabIndex(-1).Aria("label", l.T("views.main")).Class("hs-views").Body(c.renderPanels()...),
		)
	}
	entry, _ := LibraryLookup(c.st.Params.Scenario)
	return app.Div().Class("hs-page").Lang(l.HTMLLang()).Body(
		app.A().Class("hs-skip").Href("#views").OnClick(c.onSkip).Text(l.T("skip.main")),
		c.renderHeader(),
		c.renderShare(),
		app.Div().Class("hs-main").Body(
			app.Aside().Class("hs-side").Body(
				&Picker{Lang: l, Current: c.st.Params.Scenario, Saved: savedInfos(c.saved), Store: c.storeState},
				&Controls{Lang: l, Params: c.st.Params, Entry: entry, page: c},
			),
			app.Main().ID("views").TabIndex(-1).Aria("label", l.T("views.main")).Class("hs-views").Body(
				c.renderNotices(),
				c.renderTimeline(),
				c.renderPanelToggles(),
				app.Div().Body(c.renderPanels()...),
			),
		),
	)
}

func (c *Page) title() string {
	e, _ := LibraryLookup(c.st.Params.Scenario)
	return e.Title[c.st.Lang]
}

func (c *Page) renderHeader() app.UI {
	l := c.st.Lang
	lang := func(code string, target Lang) app.UI {
		return app.Button().ID("lang-"+code).Type("button").Class("hs-small").Attr("lang", target.HTMLLang()).
			Aria("pressed", strconv.FormatBool(l == target)).DataSet("lang", code).
			Text(l.T("lang." + code)).OnClick(c.onLang)
	}
	return app.Header().Class("hs-header").Body(
		app.H1().Text("httpsim"),
		app.P().Text(l.T("app.tagline")),
		app.Div().Class("hs-tools").Body(
			app.Span().Class("hs-row").Aria("label", l.T("lang.switch")).Attr("role", "group").Body(
				lang("en", LangEN), lang("zh", LangZH),
			),
			app.Button().ID("copy-link").Type("button").Text(l.T("share.copy")).OnClick(c.onCopy),
			app.Button().ID("embed-button").Type("button").Aria("expanded", strconv.FormatBool(c.share)).
				Text(l.T("share.embed")).OnClick(c.onEmbed),
		),
	)
}

func (c *Page) renderShare() app.UI {
	l := c.st.Lang
	if !c.share {
		return app.Div().ID("share").Hidden(true)
	}
	link := c.shareURL(false)
	snippet := embedSnippet(c.shareURL(true))
	return app.Section().ID("share").Class("hs-panel", "hs-share").Aria("label", l.T("share.url")).Body(
		app.Div().Class("hs-control").Body(
			app.Label().For("share-url").Class("hs-control-label").Text(l.T("share.url")),
			app.Input().ID("share-url").Type("text").ReadOnly(true).Value(link).OnFocus(selectAll),
		),
		app.Div().Class("hs-control").Body(
			app.Label().For("embed-snippet").Class("hs-control-label").Text(l.T("share.snippet")),
			app.Textarea().ID("embed-snippet").ReadOnly(true).Rows(3).Text(snippet).OnFocus(selectAll),
		),
		c.renderRunDownload(),
		c.renderFigureDownload(),
		app.Div().Class("hs-row").Body(
			app.Span().ID("copy-status").Attr("role", "status").Text(c.copied),
			app.Button().ID("download-scenario").Type("button").Text(l.T("share.document")).OnClick(c.onDownloadScenario),
			app.Button().ID("share-close").Type("button").Text(l.T("share.close")).OnClick(c.onShareClose),
		),
	)
}

func selectAll(ctx app.Context, e app.Event) { ctx.JSSrc().Call("select") }

func (c *Page) renderNotices() app.UI {
	l := c.st.Lang
	var items []app.UI
	for i, n := range c.notices {
		items = append(items, app.Li().Body(
			app.Span().Text(l.Notice(n)+" "),
			app.Button().ID("notice-dismiss-"+strconv.Itoa(i)).Type("button").Class("hs-small").DataSet("i", strconv.Itoa(i)).
				Aria("label", l.T("notice.dismiss")+l.T("tl.said")+l.Notice(n)).Text("×").OnClick(c.onDismiss),
		))
	}
	var msg app.UI = app.Text("")
	if c.message.Key != "" {
		cl := "hs-message"
		if c.msgErr {
			cl += " hs-error"
		}
		msg = app.P().ID("message").Class(cl).Text(l.Notice(c.message))
	}
	return app.Div().ID("notices").TabIndex(-1).Attr("role", "status").Aria("label", l.T("notices.label")).Attr("aria-live", "polite").Body(
		app.If(len(items) > 0, app.Ul().Class("hs-notices").Body(items...)),
		msg,
	)
}

func (c *Page) renderTimeline() app.UI {
	tl := c.timelineProps()
	return &tl
}

func (c *Page) renderPanelToggles() app.UI {
	l := c.st.Lang
	var boxes []app.UI
	for _, n := range panelNames {
		id := "panel-toggle-" + n.name
		boxes = append(boxes, app.Label().For(id).Class("hs-check").Body(
			app.Input().ID(id).Type("checkbox").Checked(c.st.Panels.Has(n.p)).DataSet("panel", n.name).OnChange(c.onTogglePanel),
			app.Span().Text(l.T("panelshort."+n.name)),
		))
	}
	return app.FieldSet().ID("panels").Class("hs-toggles").Body(
		app.Legend().Text(l.T("panels.title")),
		app.Div().Class("hs-row").Body(boxes...),
	)
}

func (c *Page) renderPanels() []app.UI {
	l := c.st.Lang
	var out []app.UI
	p := c.st.Panels
	// canvases lays out a panel's canvas for each view, side by side;
	// layered panels stack an overlay canvas on each.
	// slot is the text alternative's in drawer.attrs, or -1.
	canvases := func(panel, aria, class string, slot, height int, layered bool, extra func(i int, cv app.HTMLCanvas) app.HTMLCanvas) app.UI {
		var items []app.UI
		for i, v := range c.views {
			cv := app.Canvas().ID(canvasID(panel, i)).Class("hs-cv", class).Attr("role", "img").
				Aria("label", c.draw.attr(i, slot, l.T(aria, v.names[l]))).DataSet("view", strconv.Itoa(i))
			if height > 0 {
				cv = cv.Style("height", strconv.Itoa(height)+"px")
			}
			if extra != nil {
				cv = extra(i, cv)
			}
			var body app.UI = cv
			if layered {
				body = app.Div().Class("hs-layers").Body(cv,
					app.Canvas().ID(overlayID(panel, i)).Class("hs-over").Aria("hidden", "true"))
			}
			col := []app.UI{app.H3().Text(v.names[l]), body}
			if panel == "buffers" && v.quic {
				// Why QUIC's buffers hold so little, in HTML so that it
				// wraps in a narrow column (on the canvas it was cut off).
				col = append(col, app.P().Class("hs-note").Text(quicBuffersNote(v, l)))
			}
			items = append(items, app.Div().Class("hs-col").Body(col...))
		}
		if panel == "buffers" {
			// Buffers are as tall as their connections, and QUIC's has a
			// note below: nothing to line up.
			return app.Div().Class("hs-cols").Body(items...)
		}
		return app.Div().Class("hs-cols", "hs-cols-aligned").Body(items...)
	}
	section := func(name string, body ...app.UI) app.UI {
		return app.Section().ID("panel-"+name).Class("hs-panel", "hs-view").Aria("labelledby", "h-"+name).Body(
			append([]app.UI{app.H2().ID("h-" + name).Text(l.T("panel." + name))}, body...)...)
	}
	if p.Has(PanelSummary) {
		cols := make([]SummaryCol, len(c.views))
		for i, v := range c.views {
			cols[i] = v.summary
		}
		out = append(out, section("summary", &Summary{Lang: l, Cols: cols, Resources: summaryResources(c.views), State: c.summaryState(), Status: c.summaryStatus(), page: c}))
	}
	if p.Has(PanelLadder) {
		out = append(out, section("ladder", legend(l, ladderLegendFor(c.views)), canvases("ladder", "ladder.aria", "hs-cv-ladder", attrLadder, 0, false, nil)))
	}
	layout := c.canvasLayout()
	if p.Has(PanelLanes) {
		out = append(out, section("lanes", legend(l, lanesLegendFor(c.views)), canvases("lanes", "lanes.aria", "", attrLanes, layout.lanesHeight, true, nil)))
	}
	if p.Has(PanelBuffers) {
		out = append(out, section("buffers", legend(l, buffersLegend), canvases("buffers", "buffers.aria", "", attrBuffers, layout.buffersHeight, false, nil)))
	}
	if p.Has(PanelFrames) {
		d, _ := c.frameDetailsCached()
		d.page = c
		out = append(out, section("frames", legend(l, framesLegend), frameLabels(l, c.labels),
			canvases("frames", "frames.aria", "hs-cv-frames", -1, frameStripH, false, func(i int, cv app.HTMLCanvas) app.HTMLCanvas {
				// A slider over the frames, so that screen readers
				// hand it the arrow keys. Redraw sets its value
				// (aria-valuenow and -valuetext), which go-app, not
				// rendering them, leaves alone; aria-valuemin is 0.
				return cv.TabIndex(0).Attr("role", "slider").
					Aria("valuemax", strconv.Itoa(max(len(c.views[i].frames)-1, 0))).
					DataSet("keys", "own").OnClick(c.onFrameClick)
			}),
			&d,
		))
	}
	if p.Has(PanelHPACK) {
		cols, _ := c.hpackColsCached()
		out = append(out, section("hpack", &HPACKPanel{Lang: l, Dir: c.st.HPACKDir, Cols: cols, page: c}))
	}
	if p.Has(PanelCharts) {
		out = append(out, section("charts", legend(l, chartsLegend), canvases("charts", "charts.aria", "", attrCharts, chartsHeight, true, nil)))
	}
	return out
}

func (c *Page) summaryState() string {
	switch {
	case c.errText != "":
		return "error"
	case c.running:
		return "running"
	case !c.has:
		return "loading"
	}
	return "done"
}

func (c *Page) summaryStatus() string {
	l := c.st.Lang
	switch {
	case c.errText != "":
		return c.errStatus()
	case c.running:
		return l.T("sum.running")
	}
	return ""
}

// errStatus says, in the page's language, why the settings cannot run.
func (c *Page) errStatus() string {
	l := c.st.Lang
	return l.T("tl.error", l.Detail(c.errText))
}

// legendItem is a swatch and its label: a fill colour, a line (dashed or
// not), or a hatch.
type legendItem struct {
	key   string
	color string // unused by "streams"
	// kind is the swatch's shape: "fill", "outline", "line", "thick",
	// "dash", "cross" (dashes ending in ×), "rtx" (a thick line from a
	// dot), a hatch, or "streams": stripes of every stream colour, for
	// marks drawn in their resource's colour whatever it is.
	kind string
}

var (
	ladderLegend = []legendItem{
		{"legend.data", streamColors[0], "line"},
		{"legend.ack", colorControl, "line"},
		{"legend.handshake", colorHandshake, "line"},
		{"legend.lost", colorLost, "cross"},
		{"legend.discarded", colorInk, "outline"},
		{"legend.held", holStyles["handshake"].color, "thick"},
		// A retransmission is drawn in its resource's colour, thicker,
		// from an ink dot (plotLadder); a black bar here read as a
		// handshake, the ladder's black lines.
		{"legend.rtx", streamColors[0], "rtx"},
	}
	lanesLegend = []legendItem{
		{"legend.wait", colorAxis, "dash"},
		{"legend.transfer", streamColors[1], "fill"},
		{"legend.hol.transport", colorLost, "hatch"},
		{"legend.hol.loss", "#1b1f24", "hatchb"},
		{"legend.hol.http", "#0072B2", "hatchh"},
		{"legend.hol.qpack", "#CC79A7", "hatchv"},
		{"legend.hol.handshake", "#009E73", "hatchx"},
		{"legend.done", colorInk, "fill"},
		{"legend.progress", streamColors[1], "hatch"},
	}
	buffersLegend = []legendItem{
		{"legend.delivered", colorDelivered, "fill"},
		{"legend.hole", colorHole, "hatch"},
		{"legend.tocome", colorAxis, "dashoutline"},
		// Held-back bytes take their resource's colour (plotBuffers): one
		// colour here read as "only these are held back".
		{"legend.stuck", "", "streams"},
	}
	// framesLegend says what the strip's two boxes mean: a frame the
	// receiver has parsed by the scrub time is filled, one on its way is
	// outlined.
	framesLegend = []legendItem{
		{"legend.frame.parsed", streamColors[0], "fill"},
		{"legend.frame.inflight", streamColors[0], "outline"},
	}
	chartsLegend = []legendItem{
		{"legend.cwnd.sum", colorCwnd, "line"},
		{"legend.inflight", colorInFlight, "line"},
		{"legend.ssthresh", colorSsthresh, "dash"},
		{"legend.srtt", colorSRTT, "line"},
		{"legend.rttsample", colorSample, "fill"},
		// The charts tick the sender's loss detections (trace.PacketLost),
		// not the drops the ladder crosses: a round trip later, and a
		// timeout detects a whole flight at once.
		{"legend.detected", colorLost, "line"},
	}
)

// labelsOf lists the labels in the frame strips of views, in the order
// they first appear. The page lists them once a run (show), not on every
// render.
func labelsOf(views []*runView) []string {
	var seen []string
	for _, v := range views {
		for i := range v.frames {
			if a := v.frames[i].abbrev; !slices.Contains(seen, a) {
				seen = append(seen, a)
			}
		}
	}
	return seen
}

// frameLabels explains the labels seen in the frame strips: "D", "Pi" or
// "up" meant nothing to a student who had not read the source.
func frameLabels(l Lang, seen []string) app.UI {
	if len(seen) == 0 {
		return app.Text("")
	}
	return app.P().Class("hs-note").Text(frameLabelsText(l, seen))
}

// frameLabelsText is what frameLabels says, and a figure of the strip
// (figure.go) under its legend.
func frameLabelsText(l Lang, seen []string) string {
	if len(seen) == 0 {
		return ""
	}
	text := l.T("frames.labels")
	for i, a := range seen {
		if i > 0 {
			text += l.T("tl.sep")
		}
		text += a + " " + l.T("frames.abbr."+a)
	}
	return text
}

func legend(l Lang, items []legendItem) app.UI {
	var out []app.UI
	for _, it := range items {
		sw := app.Span().Class("hs-swatch", "hs-swatch-"+it.kind).Aria("hidden", "true")
		if it.kind == "streams" {
			sw = sw.Style("background", streamsSwatchCSS)
		} else {
			sw = sw.Style("--c", it.color)
		}
		out = append(out, app.Span().Body(sw, app.Text(l.T(it.key))))
	}
	return app.Div().Class("hs-legend").Body(out...)
}

func (c *Page) onLang(ctx app.Context, e app.Event) {
	if l, ok := ParseLang(ctx.JSSrc().Get("dataset").Get("lang").String()); ok && l != c.st.Lang {
		c.st.Lang = l
		c.applyLang(ctx)
		c.draw.dirty = true
		ctx.Defer(func(app.Context) { c.redraw() })
		c.scheduleURL(ctx)
	}
}

func (c *Page) onCopy(ctx app.Context, e app.Event) {
	c.share, c.shareOpener = true, "copy-link"
	link := c.shareURL(false)
	c.copied = ""
	if !app.IsClient {
		return
	}
	var done app.Func
	done = app.FuncOf(func(_ app.Value, args []app.Value) any {
		ok := len(args) > 0 && args[0].Bool()
		ctx.Dispatch(func(ctx app.Context) {
			if ok {
				c.copied = c.st.Lang.T("share.copied")
			} else {
				c.copied = c.st.Lang.T("share.nocopy")
			}
		})
		done.Release()
		return nil
	})
	app.Window().Call("httpsimCopy", link, done)
}

// onEmbed opens the share panel and takes the keyboard into it, or closes
// it.
func (c *Page) onEmbed(ctx app.Context, e app.Event) {
	if c.share {
		c.shareOpener = "embed-button" // the button just pressed keeps the focus
		c.closeShare(ctx)
		return
	}
	c.share, c.shareOpener = true, "embed-button"
	c.copied = ""
	focusSoon("share-url", "", "")
}

func (c *Page) onShareClose(ctx app.Context, e app.Event) { c.closeShare(ctx) }

// closeShare closes the share panel and gives the focus back to the button
// that opened it: closing it left the focus on the page's body.
func (c *Page) closeShare(ctx app.Context) {
	c.share = false
	// Escape reaches the page through draw.js's key forwarding, a
	// dispatch after which go-app renders nothing by itself: the panel
	// stayed open until some other change rendered the page (an e2e run
	// waited 10 s for it once).
	c.Update()
	focusSoon(c.shareOpener, "", "")
}

// onDownloadScenario saves the current settings as a scenario document,
// the file `httpsim run` reads.
func (c *Page) onDownloadScenario(ctx app.Context, e app.Event) {
	s, err := c.st.Params.Build()
	if err == nil {
		var b []byte
		if b, err = scenario.Encode(s); err == nil && app.IsClient {
			app.Window().Call("httpsimDownload", strings.TrimSuffix(exportName(s.Name), ".httpsim.json")+".scenario.json", string(b))
		}
	}
	if err != nil {
		c.setMessage(Notice{Key: "saved.error", Args: []string{err.Error()}}, true)
	}
}

func (c *Page) onTogglePanel(ctx app.Context, e app.Event) {
	name := ctx.JSSrc().Get("dataset").Get("panel").String()
	on := ctx.JSSrc().Get("checked").Bool()
	for _, n := range panelNames {
		if n.name != name {
			continue
		}
		if on {
			c.st.Panels |= n.p
		} else {
			c.st.Panels &^= n.p
		}
	}
	c.draw.dirty = true
	c.drawnLayout = canvasLayout{} // the next run's views wait for go-app's render
	ctx.Defer(func(app.Context) { c.redraw() })
	c.scheduleURL(ctx)
}

func (c *Page) onDismiss(ctx app.Context, e app.Event) {
	i, err := strconv.Atoi(ctx.JSSrc().Get("dataset").Get("i").String())
	if err == nil && i >= 0 && i < len(c.notices) {
		c.notices = append(c.notices[:i:i], c.notices[i+1:]...)
		// The focused button went with its notice: the focus goes to the
		// notice now in its place (or the last), or, none left, to the
		// notices' place, from which Tab goes on to what follows them
		// (the timeline, in the embedded page too), not to the body.
		if n := len(c.notices); n > 0 {
			focusSoon("notice-dismiss-"+strconv.Itoa(min(i, n-1)), "", "")
		} else {
			focusSoon("notices", "", "")
		}
	}
}

// canvasLayout is what decides the canvases on the page and their sizes:
// new views with the same layout can be drawn on the canvases already there.
type canvasLayout struct {
	views                      int
	panels                     Panel
	lanesHeight, buffersHeight int
}

func (c *Page) canvasLayout() canvasLayout {
	rows, conns := 0, 0
	for _, v := range c.views {
		rows = max(rows, len(v.rows))
		if v.quic {
			conns = max(conns, quicBufferRows)
		} else {
			conns = max(conns, v.bufferRows())
		}
	}
	return canvasLayout{views: len(c.views), panels: c.st.Panels, lanesHeight: lanesHeight(rows), buffersHeight: buffersHeight(conns)}
}

// onSkip takes the keyboard to the views. go-app handles the link's
// navigation itself and only scrolled: focus stayed on the link, and the
// next Tab went back to the header.
func (c *Page) onSkip(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if v := app.Window().GetElementByID("views"); v.Truthy() {
		v.Call("focus")
		v.Call("scrollIntoView")
	}
}
