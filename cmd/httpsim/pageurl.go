package main

import (
	"flag"
	"fmt"
	"slices"
	"strings"

	ui "httpsim/app"
	"httpsim/sim/scenario"
)

// urlCompatible are the flags that may go with --url: a page link gives
// every setting of its runs, but the command line may still pick among its
// protocols and bound the run.
var urlCompatible = []string{"url", "proto", "max-time", "max-events"}

// pageScenario builds the scenario a page link shows: the page's own
// reading of its query (lesson, sliders, checkboxes; the scrub time, panels
// and language change no run), so that the command line's figures and trace
// hashes are the page's. The page puts its loss slider on the server's
// direction only, where --loss means both: with the link, the numbers
// agree. It returns the notices the page would show for the link, in
// English.
func pageScenario(link string) (*scenario.Scenario, []string, error) {
	query := link
	if _, q, ok := strings.Cut(link, "?"); ok {
		query = q
	}
	query, _, _ = strings.Cut(query, "#")
	st, notices := ui.ParseState(ui.ParseQuery(query))
	s, err := st.Params.Build()
	if err != nil {
		return nil, nil, fmt.Errorf("--url: %v", err)
	}
	var notes []string
	for _, n := range notices {
		notes = append(notes, "note: --url: "+ui.LangEN.Notice(n))
	}
	return s, notes, nil
}

// urlConflicts names the flags given with --url that it cannot take.
func (f *scenarioFlags) urlConflicts() []string {
	var out []string
	f.fs.Visit(func(fl *flag.Flag) {
		if !slices.Contains(urlCompatible, fl.Name) && f.own[fl.Name] {
			out = append(out, "--"+fl.Name)
		}
	})
	return out
}
