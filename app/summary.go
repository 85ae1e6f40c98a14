package app

import (
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"httpsim/sim/scenario"
	"httpsim/sim/units"
)

// SummaryData is the headline of one run: small and comparable, so it can sit
// in an exported component field.
type SummaryData struct {
	Status         string
	Completion     time.Duration
	Goodput        units.Rate
	BytesDelivered int64
	SegmentsSent   int64
	SegmentsLost   int64
	Retransmits    int64
	Events         int64
	TraceHash      string
}

func summaryFromResult(r *scenario.Result) SummaryData {
	return SummaryData{
		Status:         r.Status,
		Completion:     r.Completion,
		Goodput:        r.Goodput,
		BytesDelivered: r.BytesDelivered,
		SegmentsSent:   r.SegmentsSent,
		SegmentsLost:   r.SegmentsLost,
		Retransmits:    r.Retransmits,
		Events:         r.Events,
		TraceHash:      r.TraceHash,
	}
}

// Summary shows the headline numbers of the latest run, and the progress of a
// run under way.
type Summary struct {
	app.Compo

	Data SummaryData
	// Has is false until the first run finished.
	Has bool
	// Running is true while a run is under way; Progress is its fraction done.
	Running  bool
	Progress float64
	// Err is the message of the last run's error, if it failed.
	Err string
}

// State is the summary's data-state attribute, which tests wait on:
// "loading" before the first result, "running", "error" or "done".
func (c *Summary) State() string {
	switch {
	case c.Err != "":
		return "error"
	case c.Running:
		return "running"
	case !c.Has:
		return "loading"
	}
	return "done"
}

// Render shows the numbers as a definition list.
func (c *Summary) Render() app.UI {
	d := c.Data
	var rows []app.UI
	row := func(id, term, value string) {
		if !c.Has {
			value = "–"
		}
		rows = append(rows, app.Dt().Text(term), app.Dd().ID(id).Text(value))
	}
	completion := "not complete"
	if d.Completion >= 0 {
		completion = units.Ms(d.Completion)
	}
	row("summary-completion", "Completion", completion)
	row("summary-goodput", "Goodput", d.Goodput.String())
	row("summary-delivered", "Delivered", units.Size(d.BytesDelivered).String())
	row("summary-sent", "Segments sent", strconv.FormatInt(d.SegmentsSent, 10))
	row("summary-lost", "Segments lost", strconv.FormatInt(d.SegmentsLost, 10))
	row("summary-retransmits", "Retransmits", strconv.FormatInt(d.Retransmits, 10))
	row("summary-events", "Events", strconv.FormatInt(d.Events, 10))
	row("summary-hash", "Trace hash", d.TraceHash)
	status := ""
	switch {
	case c.Err != "":
		status = c.Err
	case c.Running:
		status = "Simulating… " + strconv.Itoa(int(c.Progress*100)) + "%"
	case c.Has:
		status = "Run " + d.Status + "."
	}
	statusClass := "hs-status"
	if c.Err != "" {
		statusClass += " hs-error"
	}
	return app.Section().
		ID("summary").
		Class("hs-panel", "hs-summary").
		Attr("data-state", c.State()).
		Attr("aria-live", "polite").
		Body(
			app.H2().Text("Summary"),
			app.Dl().Body(rows...),
			app.Div().ID("summary-status").Class(statusClass).Text(status),
		)
}
