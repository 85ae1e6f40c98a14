package app

import (
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// figureFile is an open panel at the scrub time as the SVG figure
// `httpsim export --format svg` draws for the same settings, time, width and
// language: the page's own views, drawn by Figure.
func (c *Page) figureFile(panel string, width int) (runFile, error) {
	s, err := c.ran.Build()
	if err != nil {
		return runFile{}, err
	}
	f := &Figure{s: s, views: c.views, span: c.span, charts: c.charts}
	now := c.now()
	width = min(max(width, FigureMinWidth), FigureMaxWidth)
	doc, err := f.SVG(panel, time.Duration(now), width, c.st.Lang)
	if err != nil {
		return runFile{}, err
	}
	// The time in the name as the page shows it, to a tenth of a
	// millisecond.
	ms := strconv.FormatFloat(math.Round(float64(now)/1e5)/10, 'f', -1, 64)
	return runFile{name: fileStem(s.Name) + "-" + panel + "-" + ms + "ms.svg", mime: "image/svg+xml", data: doc}, nil
}

// figurePanels are the open panels a figure can draw, in display order.
func (c *Page) figurePanels() []string {
	var out []string
	for _, n := range panelNames {
		if c.st.Panels.Has(n.p) && slices.Contains(FigurePanels(), n.name) {
			out = append(out, n.name)
		}
	}
	return out
}

// renderFigureDownload is the share box's choice of an open panel to save
// as a figure, at the scrub time, as wide as the page's views.
func (c *Page) renderFigureDownload() app.UI {
	l := c.st.Lang
	panels := c.figurePanels()
	if !c.has || len(panels) == 0 {
		return app.Div().ID("figure-download").Hidden(true)
	}
	if !slices.Contains(panels, c.figPanel) {
		c.figPanel = panels[0]
	}
	opts := make([]app.UI, len(panels))
	for i, p := range panels {
		opts[i] = app.Option().Value(p).Selected(p == c.figPanel).Text(l.T("panel." + p))
	}
	return app.Div().ID("figure-download").Class("hs-row").Body(
		// The label does not say the time: scrubbing and playing do not
		// render the page, and the timeline says it; the file's name does.
		app.Label().For("figure-panel").Class("hs-control-label").Text(l.T("share.figure")),
		app.Select().ID("figure-panel").OnChange(c.onFigurePanel).Body(opts...),
		app.Button().ID("download-svg").Type("button").Text(l.T("share.svg")).OnClick(c.onDownloadFigure),
	)
}

func (c *Page) onFigurePanel(ctx app.Context, e app.Event) {
	if p := ctx.JSSrc().Get("value").String(); slices.Contains(c.figurePanels(), p) {
		c.figPanel = p
	}
}

// onDownloadFigure saves the chosen panel as a figure as wide as the views
// are on screen (within the widths a figure takes).
func (c *Page) onDownloadFigure(ctx app.Context, e app.Event) {
	if !c.has {
		return
	}
	width := 1000
	if app.IsClient {
		if views := app.Window().GetElementByID("views"); views.Truthy() {
			width = views.Get("clientWidth").Int()
		}
	}
	f, err := c.figureFile(c.figPanel, width)
	if err != nil {
		c.setMessage(Notice{Key: "share.dlerror", Args: []string{err.Error()}}, true)
		return
	}
	f.save()
}
