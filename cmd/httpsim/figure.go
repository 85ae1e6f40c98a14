package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	ui "httpsim/app"
	"httpsim/sim/units"
)

// figureFlags are export's flags for --format svg: which panel of the
// page, at which scrub time, how wide, in which language.
type figureFlags struct {
	panel, at, lang, width string
}

// figureFlagNames are figureFlags' flag names, in the order errors name them.
var figureFlagNames = []string{"panel", "at", "width", "lang"}

func (g *figureFlags) declare(fs *flag.FlagSet) {
	fs.StringVar(&g.panel, "panel", "", "svg: the `panel` to draw: "+strings.Join(ui.FigurePanels(), ", "))
	fs.StringVar(&g.at, "at", "end", "svg: the scrub `time` to draw, e.g. 250ms, end, or held: the moment the most bytes waited in the receive buffers behind holes")
	fs.StringVar(&g.width, "width", "1000", fmt.Sprintf("svg: the figure's width in CSS `pixels` (%d to %d); runs sit side by side as on a page this wide", ui.FigureMinWidth, ui.FigureMaxWidth))
	fs.StringVar(&g.lang, "lang", "en", "svg: the figure's `language`: en or zh")
}

// given returns the first figure flag the user set, or "".
func (g *figureFlags) given(set map[string]bool) string {
	for _, n := range figureFlagNames {
		if set[n] {
			return n
		}
	}
	return ""
}

// exportSVG is `httpsim export --format svg --panel NAME`: every run of
// the scenario (or of one variant) side by side, as the page draws the
// panel at the scrub time --at, written as an SVG document.
func exportSVG(f *scenarioFlags, g *figureFlags, variant, out string, stdout, stderr io.Writer) int {
	fail := func(err error) int { return badInput(stderr, "httpsim export", err) }
	panels := strings.Join(ui.FigurePanels(), ", ")
	lang, langOK := ui.ParseLang(g.lang)
	at, atErr := time.Duration(0), error(nil)
	if g.at != "end" && g.at != "held" {
		at, atErr = units.ParseDuration(g.at)
	}
	// Parsed here, not by the flag package, whose "parse error" named no
	// range.
	widths := fmt.Sprintf("%d to %d px", ui.FigureMinWidth, ui.FigureMaxWidth)
	w, widthErr := wholeNumber("--width", g.width, 31, widths)
	width := int(w)
	switch {
	case g.panel == "":
		return fail(fmt.Errorf("--panel: missing: name the panel to draw (%s)", panels))
	case !slices.Contains(ui.FigurePanels(), g.panel):
		return fail(fmt.Errorf("--panel: %q is not a panel (%s)", g.panel, panels))
	case atErr != nil:
		return fail(fmt.Errorf("--at: %q is not a time (a duration such as 250ms, end, or held)", g.at))
	case at < 0:
		return fail(fmt.Errorf("--at: %s is before the run's start (0 or later, end, or held)", g.at))
	case widthErr != nil:
		return fail(widthErr)
	case width < ui.FigureMinWidth || width > ui.FigureMaxWidth:
		return fail(fmt.Errorf("--width: %d is out of range (%s)", width, widths))
	case !langOK:
		return fail(fmt.Errorf("--lang: %q is not a language (use en or zh)", g.lang))
	}
	s, res, code := f.exportRun(variant, "svg", stderr, nil)
	if res == nil {
		return code
	}
	fig := ui.NewFigure(s, res)
	switch g.at {
	case "end":
		at = fig.End()
	case "held":
		held, ok := fig.Held()
		if !ok {
			return fail(fmt.Errorf("--at: held: no byte waited behind a hole in this run; give a time, or end"))
		}
		at = held
	}
	if at > fig.End() {
		return fail(fmt.Errorf("--at: %s is past the run's end (0 to %s, end, or held)", g.at, units.Ms(fig.End())))
	}
	doc, err := fig.SVG(g.panel, at, width, lang)
	if err != nil {
		fmt.Fprintf(stderr, "httpsim export: %v\n", err)
		return 1
	}
	if !writeExport(out, doc, stdout, stderr) {
		return 1
	}
	if out != "-" {
		fmt.Fprintf(stdout, "wrote %s: SVG, %s at %s, a file of %s\n", out, g.panel, units.Ms(at), units.Size(len(doc)))
	}
	return 0
}
