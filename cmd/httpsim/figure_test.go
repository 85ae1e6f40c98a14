package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"httpsim/sim/scenario"
)

func TestExportWritesSVG(t *testing.T) {
	dir := t.TempDir()
	args := []string{"export", "--format", "svg", "--scenario", "h2-hol", "--panel", "ladder", "--at", "300ms", "--width", "640"}
	var files [2][]byte
	for i := range files {
		out := filepath.Join(dir, []string{"a.svg", "b.svg"}[i])
		code, stdout, stderr := runCLI(append(args, "--out", out)...)
		if code != 0 || stderr != "" {
			t.Fatalf("exit %d, stderr %q", code, stderr)
		}
		if want := "wrote " + out + ": SVG, ladder at 300ms, "; !strings.HasPrefix(stdout, want) {
			t.Errorf("stdout %q; want it to start %q", stdout, want)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		files[i] = b
	}
	b := files[0]
	if !bytes.HasPrefix(b, []byte("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ")) || !bytes.Contains(b, []byte(`width="640"`)) {
		t.Errorf("the file starts %.120q; want an XML declaration, then <svg width=640", b)
	}
	for _, want := range []string{"One lost packet stalls every HTTP/2 stream", "Packets (ladder diagram) · 300.0 ms", "HTTP/2", "SYN"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("the figure lacks %q", want)
		}
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Errorf("the same command wrote different files (%d and %d bytes)", len(files[0]), len(files[1]))
	}
	// --out - writes the same bytes to standard output, and nothing else.
	code, stdout, stderr := runCLI(append(args, "--out", "-")...)
	if code != 0 || stdout != string(b) {
		t.Errorf("--out -: exit %d, stderr %q, %d bytes on stdout; want the file's %d", code, stderr, len(stdout), len(b))
	}
	// In Chinese, every run of a lesson with variants, at the run's end.
	code, stdout, stderr = runCLI("export", "--format", "svg", "--scenario", "handshakes", "--panel", "lanes", "--lang", "zh", "--out", "-")
	if code != 0 || !strings.Contains(stdout, "流 · ") || !strings.Contains(stdout, `xml:lang="zh-Hans"`) || strings.Count(stdout, "<svg ") != 10 {
		t.Errorf("handshakes lanes in Chinese: exit %d, stderr %q, %d <svg> elements; want the title 流 and the figure's, the page layer's and 8 runs' viewports", code, stderr, strings.Count(stdout, "<svg "))
	}
}

// --at held draws the moment the page's "Most held back" goes to: in the
// HTTP/2 lesson, the buffer with the most bytes stuck behind its hole.
func TestExportSVGAtHeld(t *testing.T) {
	code, stdout, stderr := runCLI("export", "--format", "svg", "--scenario", "h2-hol", "--panel", "buffers", "--at", "held", "--out", "-")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, want := range []string{"Receive buffers · 920.2 ms", "189.7 kB waiting behind a 1.46 kB hole"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the figure at held lacks %q", want)
		}
	}
}

func TestExportSVGBadInput(t *testing.T) {
	out := filepath.Join(t.TempDir(), "x.svg")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--format", "svg", "--out", out}, "httpsim export: --panel: missing: name the panel to draw (ladder, lanes, buffers, frames, charts)\n"},
		{[]string{"--format", "svg", "--panel", "hpack", "--out", out}, "httpsim export: --panel: \"hpack\" is not a panel (ladder, lanes, buffers, frames, charts)\n"},
		{[]string{"--format", "svg", "--panel", "ladder"}, "httpsim export: --out: missing: name the file to write (--out run.svg, or --out - for standard output)\n"},
		{[]string{"--format", "svg", "--panel", "ladder", "--at", "soon", "--out", out}, "httpsim export: --at: \"soon\" is not a time (a duration such as 250ms, end, or held)\n"},
		{[]string{"--format", "svg", "--panel", "ladder", "--at", "-5ms", "--out", out}, "httpsim export: --at: -5ms is before the run's start (0 or later, end, or held)\n"},
		{[]string{"--format", "svg", "--scenario", "h2-hol", "--panel", "ladder", "--at", "5s", "--out", out}, "httpsim export: --at: 5s is past the run's end (0 to 967.623ms, end, or held)\n"},
		{[]string{"--format", "svg", "--scenario", "six-vs-one", "--panel", "buffers", "--at", "held", "--out", out}, "httpsim export: --at: held: no byte waited behind a hole in this run; give a time, or end\n"},
		{[]string{"--format", "svg", "--panel", "ladder", "--width", "299", "--out", out}, "httpsim export: --width: 299 is out of range (300 to 4000 px)\n"},
		{[]string{"--format", "svg", "--panel", "ladder", "--width", "5000", "--out", out}, "httpsim export: --width: 5000 is out of range (300 to 4000 px)\n"},
		{[]string{"--format", "svg", "--panel", "ladder", "--width", "abc", "--out", out}, "httpsim export: --width: \"abc\" is not a whole number; want 300 to 4000 px\n"},
		{[]string{"--format", "svg", "--panel", "ladder", "--scenario", "updates", "--variant", "websocket", "--proto", "h1", "--out", out}, "httpsim export: --proto: applies to page scenarios, not \"updates\"\n"},
		{[]string{"--format", "svg", "--panel", "ladder", "--lang", "fr", "--out", out}, "httpsim export: --lang: \"fr\" is not a language (use en or zh)\n"},
		{[]string{"--format", "svg", "--panel", "ladder", "--scenario", "handshakes", "--variant", "quick", "--out", out}, "httpsim export: --variant: scenario \"handshakes\" has no variant \"quick\" (http, tls12, tls13, tls13-0rtt, tls13-0rtt-rejected, quic, quic-0rtt, quic-0rtt-rejected)\n"},
		{[]string{"--format", "svg", "--panel", "ladder", "--scenario", "nosuch", "--out", out}, "httpsim export: --scenario: \"nosuch\" is not a built-in scenario or a .json file (httpsim list shows the built-ins)\n"},
		{[]string{"--format", "qlog", "--proto", "h3", "--panel", "ladder", "--out", out}, "httpsim export: --panel: only with --format svg\n"},
		{[]string{"--proto", "h3", "--at", "1s", "--out", out}, "httpsim export: --at: only with --format svg\n"},
		{[]string{"--format", "pdf", "--panel", "ladder", "--out", out}, "httpsim export: --format: \"pdf\" is not an export format (use qlog, svg or pcap)\n"},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCLI(append([]string{"export"}, tt.args...)...)
		if code != 2 || stderr != tt.want || stdout != "" {
			t.Errorf("httpsim export %s: exit %d, stderr %q, stdout %q; want exit 2 and %q", strings.Join(tt.args, " "), code, stderr, stdout, tt.want)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a failed export wrote %s", out)
	}
}

// TestExportSaysALimitStopped: a run a limit stopped is exported up to
// there, and export says so on stderr as run and compare do (a figure of
// ten events came with no word of why it was nearly empty).
func TestExportSaysALimitStopped(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--format", "svg", "--panel", "ladder", "--proto", "h2", "--max-events", "10", "--out", filepath.Join(dir, "l.svg")},
			"httpsim export: note: h2 stopped at the event limit; the export shows it up to there\n"},
		{[]string{"--format", "qlog", "--proto", "h3", "--max-time", "150ms", "--out", filepath.Join(dir, "r.qlog")},
			"httpsim export: note: h3 stopped at the time limit; the export shows it up to there\n"},
		{[]string{"--format", "svg", "--panel", "ladder", "--proto", "h2", "--out", filepath.Join(dir, "full.svg")}, ""},
		// A 3 GB transfer ran out of memory: without --max-events, an
		// export stops at its own limit and says why; with it, at that.
		{[]string{"--format", "svg", "--panel", "ladder", "--scenario", "bulk", "--size", "3GB", "--out", filepath.Join(dir, "big.svg")},
			"httpsim export: note: the run stopped at the event limit; the export shows it up to there\n" +
				"httpsim export: note: an export keeps the whole run in memory, so it stops at 250000 events unless --max-events says otherwise\n"},
		// 0 is the default: an export's, not run's two billion.
		{[]string{"--format", "svg", "--panel", "ladder", "--scenario", "bulk", "--size", "3GB", "--max-events", "0", "--out", filepath.Join(dir, "big.svg")},
			"httpsim export: note: the run stopped at the event limit; the export shows it up to there\n" +
				"httpsim export: note: an export keeps the whole run in memory, so it stops at 250000 events unless --max-events says otherwise\n"},
		{[]string{"--format", "svg", "--panel", "ladder", "--scenario", "bulk", "--size", "3GB", "--max-events", "300000", "--out", filepath.Join(dir, "big.svg")},
			"httpsim export: note: the run stopped at the event limit; the export shows it up to there\n"},
	}
	for _, tt := range tests {
		code, _, errOut := runCLI(append([]string{"export"}, tt.args...)...)
		if code != 0 || errOut != tt.want {
			t.Errorf("export %v = exit %d, stderr %q; want exit 0 and %q", tt.args, code, errOut, tt.want)
		}
	}
}

// An export of every variant side by side (svg without --variant) caps
// each variant's events, not only the scenario's; a limit already lower
// stays.
func TestCapExportEventsCapsEveryVariant(t *testing.T) {
	s, err := scenario.Builtin("handshakes")
	if err != nil {
		t.Fatal(err)
	}
	s.Variants[1].Scenario.Limits.MaxEvents = 1000
	if !capExportEvents(s) {
		t.Fatal("capExportEvents reported nothing capped")
	}
	if s.Limits.MaxEvents != exportMaxEvents {
		t.Errorf("the scenario's limit is %d; want %d", s.Limits.MaxEvents, exportMaxEvents)
	}
	for i, v := range s.Variants {
		want := int64(exportMaxEvents)
		if i == 1 {
			want = 1000
		}
		if v.Scenario.Limits.MaxEvents != want {
			t.Errorf("variant %q's limit is %d; want %d", v.Name, v.Scenario.Limits.MaxEvents, want)
		}
	}
}
