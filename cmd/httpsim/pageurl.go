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
	if strings.TrimSpace(link) == "" {
		return nil, nil, fmt.Errorf("--url: empty: give a page link, or its query (?s=h2-hol&loss=3)")
	}
	// The fragment first: in https://host/#?s=h2-hol the page has no
	// query, and opens its default comparison.
	query, _, _ := strings.Cut(link, "#")
	if _, q, ok := strings.Cut(query, "?"); ok {
		query = q
	} else if strings.Contains(query, "://") || strings.HasPrefix(query, "/") {
		query = "" // a link with no query
	}
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

// protocolsOf checks that the protocols --proto names are among those the
// link's page compares: picking among them keeps the page's runs (a run's
// trace does not depend on the others), where another would be a run the
// page never shows for the link.
func protocolsOf(s *scenario.Scenario, proto string) error {
	shown := slices.Clone(s.Protocols)
	for _, v := range s.Variants {
		shown = append(shown, v.Scenario.Protocols...)
	}
	want := strings.Split(proto, ",")
	if strings.TrimSpace(proto) == "all" {
		want = scenario.Protocols()
	}
	for _, p := range want {
		if p = strings.TrimSpace(p); p != "" && !slices.Contains(shown, p) {
			slices.Sort(shown)
			return fmt.Errorf("--proto: the link's page does not run %s; pick among %s", p, strings.Join(slices.Compact(shown), ", "))
		}
	}
	return nil
}

// onceString is a string flag that may be given once.
type onceString struct {
	s   *string
	set bool
}

func (o *onceString) String() string {
	if o.s == nil {
		return ""
	}
	return *o.s
}

func (o *onceString) Set(v string) error {
	if o.set {
		return fmt.Errorf("given twice: one link a run")
	}
	o.set, *o.s = true, v
	return nil
}
