package app

import (
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"httpsim/sim/updates"
)

// FrameDetails shows the fields of the frame selected in a frame strip, as
// its receiver's parser reads them.
type FrameDetails struct {
	app.Compo

	Lang   Lang
	Has    bool
	Title  string
	When   string
	Fields []frameField
	Text   string // an HTTP/1.x message head
	Err    string

	page *Page
}

// OnMount registers the details with the page, which updates them as the
// selection or the scrub time changes.
func (c *FrameDetails) OnMount(ctx app.Context) {
	if c.page != nil {
		c.page.fd = c
	}
}

// OnDismount unregisters them.
func (c *FrameDetails) OnDismount() {
	if c.page != nil && c.page.fd == c {
		c.page.fd = nil
	}
}

// Render shows the fields as a table, or the head as text.
func (c *FrameDetails) Render() app.UI {
	l := c.Lang
	box := app.Div().ID("frame-details").Class("hs-frame-details")
	if !c.Has {
		return box.Body(app.P().Class("hs-note").Text(l.T("frames.nosel")))
	}
	// Only the title and the time are live: the whole box was, and every
	// arrow press re-read every field, a long Cookie or a hex dump.
	parts := []app.UI{app.Div().Attr("aria-live", "polite").Body(
		app.H3().Text(l.T("frames.select")+l.T("tl.said")+c.Title),
		app.P().Class("hs-caption").Text(c.When),
	)}
	if c.Err != "" {
		parts = append(parts, app.P().Class("hs-error").Text(c.Err))
	}
	if c.Text != "" {
		parts = append(parts, app.P().Class("hs-caption").Text(l.T("frames.head")), app.Pre().Class("hs-pre").Text(c.Text))
	}
	if len(c.Fields) > 0 {
		var rows []app.UI
		for _, f := range c.Fields {
			rows = append(rows, app.Tr().Body(app.Th().Attr("scope", "row").Text(f.Name), app.Td().Class("hs-mono").Text(f.Value)))
		}
		parts = append(parts, app.Table().Class("hs-table", "hs-table-small").Body(
			app.THead().Body(app.Tr().Body(
				app.Th().Attr("scope", "col").Text(l.T("frames.field")),
				app.Th().Attr("scope", "col").Text(l.T("frames.value")),
			)),
			app.TBody().Body(rows...),
		))
	}
	return box.Body(parts...)
}

// frameTitle names frame f of v: the view, the frame type, its stream and
// the stream's resource.
func frameTitle(v *runView, f *frameRec, lang Lang) string {
	name := f.name
	if v.proto == "h3" {
		name = strings.ToUpper(name) // RFC 9114's names; the trace keeps qlog's
	}
	// HTTP/1.x and the updates lesson have no streams: the trace's stream
	// is the request's number on its connection, or the update a frame
	// carries (sim/updates's doc); their messages are named in the page's
	// language, HTTP/2's and HTTP/3's frames as the RFCs name them.
	number, shown := "stream.n", f.stream
	switch f.name {
	case "request", "response", "ws_upgrade":
		name, number = lang.T("frames.name."+f.name), "frames.onconn"
	case "event":
		// Updates are numbered from 1, as their lanes are.
		name, number, shown = lang.T("frames.name.event"), "frames.num", f.stream+1
	case "ws_frame":
		// Which WebSocket frame: an event, a ping, the close.
		name, number, shown = lang.T("frames.name.ws"), "frames.updn", f.stream+1
		if h, _, err := updates.ParseFrameHeader(f.raw); err == nil {
			name += " · " + wsOpcodeName(h.Opcode, lang)
		}
	}
	title := v.names[lang] + " · " + name
	if f.stream >= 0 {
		title += " · " + lang.T(number, shown)
	}
	if f.row >= 0 && f.row < len(v.rows) {
		title += " · " + v.rows[f.row].label
	}
	return title
}

// frameDetailsOf returns the details component's fields for frame sel of v
// at time t.
func frameDetailsOf(v *runView, sel int, t int64, lang Lang) FrameDetails {
	if v == nil || sel < 0 || sel >= len(v.frames) {
		return FrameDetails{Lang: lang}
	}
	f := &v.frames[sel]
	d := FrameDetails{Lang: lang, Has: true, Title: frameTitle(v, f, lang)}
	// A DATA frame's time is when it arrived whole, not when its header
	// was read (frameRec.whole).
	parsed, inflight := "frames.created", "frames.inflight"
	if f.whole {
		parsed, inflight = "frames.whole", "frames.notwhole"
	}
	if f.parsed >= 0 && f.parsed <= t {
		d.When = lang.T(parsed, formatTime(f.created), formatTime(f.parsed))
	} else {
		d.When = lang.T(inflight, formatTime(f.created))
	}
	fields, text, err := frameDetails(f, lang)
	d.Fields, d.Text = fields, text
	if err != nil {
		d.Err = err.Error()
	}
	return d
}
