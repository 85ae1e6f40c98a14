package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	ui "httpsim/app"
	"httpsim/sim/scenario"
	"httpsim/sim/tls"
)

// runList is `httpsim list`: the name and title of every built-in scenario.
func runList(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("httpsim list", flag.ContinueOnError)
	fs.SetOutput(stderr)
	lang := fs.String("lang", "en", "`language` of the titles: en or zh")
	if code, done := parseArgs(fs, args, stderr); done {
		return code
	}
	if *lang != "en" && *lang != "zh" {
		fmt.Fprintf(stderr, "httpsim list: --lang: %q is not a language (use en or zh)\n", *lang)
		return 2
	}
	// The titles line up after the longest name (lost-first-flight's 17
	// letters ran into its title at a fixed width of 16).
	names := scenario.Names()
	width := 0
	for _, name := range names {
		width = max(width, len(name))
	}
	for _, name := range names {
		s, err := scenario.Builtin(name)
		if err != nil {
			fmt.Fprintf(stderr, "httpsim list: %v\n", err)
			return 1
		}
		title := s.Title.In(*lang)
		if title == "" {
			title, _ = builtinText(name, *lang)
		}
		fmt.Fprintf(stdout, "%-*s  %s\n", width, name, title)
	}
	return 0
}

// builtinText is the title and explanation in lang of a scenario written in
// Go rather than in the library: the web page's own (package app holds
// them), so that list, show, the page's picker and an exported qlog's title
// name a scenario alike.
func builtinText(name, lang string) (title, explanation string) {
	l := ui.LangEN
	if lang == "zh" {
		l = ui.LangZH
	}
	e, ok := ui.LibraryLookup(name)
	if !ok {
		return "", ""
	}
	return e.Title[l], e.Explanation[l]
}

// runShow is `httpsim show NAME`: a scenario's title, explanation and
// parameters, or its document with --json.
func runShow(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("httpsim show", flag.ContinueOnError)
	fs.SetOutput(stderr)
	lang := fs.String("lang", "en", "`language`: en or zh")
	asJSON := fs.Bool("json", false, "print the scenario document")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: httpsim show NAME [--lang en|zh] [--json]")
		fs.PrintDefaults()
	}
	// Flags go before the name, after it or on both sides, as hpack's go
	// among its blocks: show --json h2-hol --lang zh stopped at the name
	// and called --lang an unexpected argument.
	if name := repeatedFlag(fs, args, true); name != "" {
		fmt.Fprintf(stderr, "httpsim show: --%s: given twice; give it once\n", name)
		return 2
	}
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return 0 // as every other command's -h
			}
			return 2
		}
		left := fs.Args()
		if len(left) == 0 {
			break
		}
		if n := len(args) - len(left); n > 0 && args[n-1] == "--" {
			rest = append(rest, left...) // after "--", no flags
			break
		}
		rest, args = append(rest, left[0]), left[1:]
	}
	var name string
	if len(rest) > 0 {
		name, rest = rest[0], rest[1:]
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "httpsim show: unexpected argument %q (one scenario at a time)\n", rest[0])
		return 2
	}
	if name == "" {
		fmt.Fprintln(stderr, "httpsim show: which scenario? (httpsim list shows them)")
		return 2
	}
	if *lang != "en" && *lang != "zh" {
		fmt.Fprintf(stderr, "httpsim show: --lang: %q is not a language (use en or zh)\n", *lang)
		return 2
	}
	s, err := loadScenarioAs("", name)
	if err != nil {
		fmt.Fprintf(stderr, "httpsim show: %v\n", err)
		return 2
	}
	if *asJSON {
		if b, ok := scenario.LibraryDocument(name); ok {
			stdout.Write(b)
			return 0
		}
		b, err := scenario.Encode(s)
		if err != nil {
			fmt.Fprintf(stderr, "httpsim show: %v\n", err)
			return 1
		}
		stdout.Write(b)
		return 0
	}
	title, explanation := s.Title.In(*lang), s.Explanation.In(*lang)
	if title == "" || explanation == "" {
		t, e := builtinText(name, *lang)
		title, explanation = cmp.Or(title, t), cmp.Or(explanation, e)
	}
	fmt.Fprintf(stdout, "%s — %s\n\n", s.Name, title)
	if e := explanation; e != "" {
		fmt.Fprintln(stdout, wrap(e, 78))
		fmt.Fprintln(stdout)
	}
	if d := ui.DefaultParams(); name == d.Scenario {
		// The explanation describes the web page's default comparison,
		// not the parameters below, which the CLI runs.
		note := "The web page opens this scenario with %s at %s loss from server to client; the CLI runs the parameters below, HTTP/1.1 without loss unless told otherwise (--proto all, --loss: loss in both directions)."
		if *lang == "zh" {
			note = "网页打开此场景时比较 %s，服务器到客户端的丢包率为 %s；命令行运行下列参数，默认只用 HTTP/1.1 且无丢包（--proto all 运行全部协议，--loss 设置双向丢包）。"
		}
		fmt.Fprintln(stdout, wrap(fmt.Sprintf(note, strings.ReplaceAll(d.Protos, ",", ", "), d.LossString()), 78))
		fmt.Fprintln(stdout)
	}
	n := s.Network
	fmt.Fprintf(stdout, "network     RTT %v, %v, loss %s down / %s up\n", n.RTT, n.Bandwidth, lossText(n.Down), lossText(n.Up))
	if e := n.Edge; e != nil {
		fmt.Fprintf(stdout, "edge        %v and %v to the origin over %s; cache %v, warm %v, follows redirects %v\n", e.RTT, e.Bandwidth, e.Protocol, e.Cache, e.Warm, e.FollowRedirects)
	}
	for _, pc := range n.PathChanges {
		fmt.Fprintf(stdout, "path change at %v: the client moves to a new network (RTT %v, %v)\n", pc.At, orOld(pc.RTT, n.RTT), orOld(pc.Bandwidth, n.Bandwidth))
	}
	fmt.Fprintf(stdout, "seed        %d\n", s.Seed)
	switch s.Workload {
	case scenario.WorkloadBulk:
		fmt.Fprintf(stdout, "workload    bulk transfer, %v (duration %v)\n", s.Bulk.Size, s.Bulk.Duration)
	case scenario.WorkloadPage:
		fmt.Fprintf(stdout, "workload    %s\n", pageWorkload(s))
		fmt.Fprintf(stdout, "protocols   %s\n", protocolsText(s))
	}
	// The names' column fits the longest (tls13-0rtt-rejected pushed its
	// label out of line at a fixed 18).
	names := 18
	for _, v := range s.Variants {
		names = max(names, utf8.RuneCountInString(v.Name))
	}
	for _, v := range s.Variants {
		fmt.Fprintf(stdout, "variant     %-*s %s\n", names, v.Name, v.Label.In(*lang))
		// A variant may load another page over other protocols (the rpc
		// lesson's dashboard and its 50 calls over HTTP/2): the base's
		// lines above do not describe it.
		if w := v.Scenario; w.Workload == scenario.WorkloadPage && s.Workload == scenario.WorkloadPage {
			if what := pageWorkload(w) + ", " + strings.Join(w.Protocols, ", "); what != pageWorkload(s)+", "+strings.Join(s.Protocols, ", ") {
				fmt.Fprintf(stdout, "            %-*s %s\n", names, "", what)
			}
		}
	}
	for _, c := range s.Controls {
		r := ""
		if c.Min != "" || c.Max != "" {
			r = fmt.Sprintf(" %s to %s, step %s", c.Min, c.Max, c.Step)
		}
		// A page link names some controls otherwise (hpack_table is
		// hpack=): say so, for course links written from this list.
		if key := ui.LinkKey(c.Param); key != c.Param {
			r = " (in a page link: " + key + "=)" + r
		}
		fmt.Fprintf(stdout, "control     %s%s\n", c.Param, r)
	}
	return 0
}

// pageWorkload says what page s loads: how many resources, from where.
func pageWorkload(s *scenario.Scenario) string {
	return fmt.Sprintf("page of %s on %s", counted(len(s.Page.Resources), "resource"), s.Page.Origin)
}

// orOld is a path change's new value, or the old one where it keeps it.
func orOld[T comparable](v, old T) T {
	var zero T
	if v == zero {
		return old
	}
	return v
}

func lossText(l scenario.LinkLoss) string {
	text := "none"
	if l.Loss.Rate > 0 {
		text = rateLabel(l.Loss)
	}
	if s := scriptedText(l); s != "" {
		text += " (" + s + ")"
	}
	return text
}

// scriptedText names a direction's scripted losses, which random loss
// rates do not show (h2-hol's one lost packet ran at "loss 0%"): the
// ordinals of the packets with payload dropped (link.Config.Drop) and the
// number of outages; "" if none.
func scriptedText(l scenario.LinkLoss) string {
	var parts []string
	if n := len(l.Drop); n > 0 {
		ords := make([]string, 0, min(n, 5))
		for i, d := range l.Drop {
			if i == 4 && n > 5 {
				ords = append(ords, fmt.Sprintf("… (%d in all)", n))
				break
			}
			ords = append(ords, strconv.Itoa(d))
		}
		// Ordinals of packets with payload (link.Config.Drop), as the
		// lessons say "the 120th data packet", not of every packet.
		what := "data packet"
		if n > 1 {
			what = "data packets"
		}
		parts = append(parts, fmt.Sprintf("%s %s dropped", what, strings.Join(ords, ", ")))
	}
	if n := len(l.Outages); n > 0 {
		parts = append(parts, counted(n, "outage"))
	}
	return strings.Join(parts, "; ")
}

// protocolsText says what a page's protocols run over: TCP with the
// scenario's TLS, or plain TCP without it, and QUIC, whose TLS 1.3 is its
// own (RFC 9001): "h1, h2 over plain TCP (no TLS); h3 over QUIC (TLS 1.3)".
func protocolsText(s *scenario.Scenario) string {
	var overTCP, overQUIC []string
	for _, p := range s.Protocols {
		if p == "h3" {
			overQUIC = append(overQUIC, p)
		} else {
			overTCP = append(overTCP, p)
		}
	}
	var parts []string
	if len(overTCP) > 0 {
		how := "over TCP with TLS " + string(s.TLS.Version)
		if s.TLS.Version == tls.None {
			how = "over plain TCP (no TLS)"
		}
		parts = append(parts, strings.Join(overTCP, ", ")+" "+how)
	}
	if len(overQUIC) > 0 {
		parts = append(parts, strings.Join(overQUIC, ", ")+" over QUIC (TLS 1.3)")
	}
	return strings.Join(parts, "; ")
}
