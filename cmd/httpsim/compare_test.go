package main

import (
	"bytes"
	"strings"
	"testing"

	"httpsim/sim/scenario"
)

// A run in which a resource came back with a status the page does not
// declare (an HTTP/1.1 server's answer to a 64 KiB cookie left the page
// without its subresources, and compare starred that run's page load time
// as the best) is flagged as a run with a failed fetch is: the resource's
// completion says what it got, a row counts such answers, and the run is
// the best of no total.
func TestCompareFlagsUndeclaredStatuses(t *testing.T) {
	s, err := scenario.Builtin("page")
	if err != nil {
		t.Fatal(err)
	}
	s.Protocols = []string{"h1", "h2", "h3"}
	r, err := scenario.Run(s, scenario.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The fastest run, as if its document had been answered 431.
	fast := 0
	for i, run := range r.Runs {
		if run.PLT < r.Runs[fast].PLT {
			fast = i
		}
	}
	x := &r.Runs[fast].Resources[0]
	x.Status, x.Unexpected = 431, true
	var b bytes.Buffer
	printComparison(&b, s, r)
	out := b.String()
	// cells returns the cells of the row named name, one per run.
	cells := func(name string) []string {
		for _, line := range strings.Split(out, "\n") {
			if rest, ok := strings.CutPrefix(line, name+"  "); ok {
				return strings.Fields(strings.ReplaceAll(rest, "got ", "got_"))
			}
		}
		return nil
	}
	tests := []struct {
		row, want string
	}{
		{"page load time (ms)", "no star"},
		{"bytes on the wire", "no star"},
		{"statuses not declared", "1"},
		{"  " + x.URL, "got_431"},
	}
	for _, tt := range tests {
		c := cells(tt.row)
		if len(c) != len(r.Runs) {
			t.Errorf("row %q: cells %q; want %d in\n%s", tt.row, c, len(r.Runs), out)
			continue
		}
		got := c[fast]
		if tt.want == "no star" && strings.HasSuffix(got, "*") || tt.want != "no star" && got != tt.want {
			t.Errorf("row %q: run %d (%s) shows %q; want %s in\n%s", tt.row, fast, runLabel(r.Runs[fast]), got, tt.want, out)
		}
	}
	if !strings.Contains(out, "; got N = answered with status N, which the page does not declare") {
		t.Errorf("no word of what got N means in\n%s", out)
	}
}
