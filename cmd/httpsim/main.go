// Command httpsim is the native face of the simulator: it runs scenarios and
// prints tables or JSON, exports runs as qlog and the page's panels as SVG
// figures, decodes and encodes HPACK, builds the static site and serves it.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// command is one `httpsim` subcommand.
type command struct {
	name, summary string
	run           func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"run", "run a scenario and print its result", func(a []string, _ io.Reader, o, e io.Writer) int { return runRun(a, o, e) }},
		{"list", "list the built-in scenarios", func(a []string, _ io.Reader, o, e io.Writer) int { return runList(a, o, e) }},
		{"show", "show a scenario's explanation and parameters", func(a []string, _ io.Reader, o, e io.Writer) int { return runShow(a, o, e) }},
		{"compare", "run a scenario's variants or protocols side by side", func(a []string, _ io.Reader, o, e io.Writer) int { return runCompare(a, o, e) }},
		{"sweep", "run a scenario over a grid of loss, RTT, bandwidth and seeds, in parallel; CSV out", func(a []string, _ io.Reader, o, e io.Writer) int { return runSweep(a, o, e) }},
		{"export", "write one protocol's run of a page as qlog 0.3 (client and server view) for qvis, or a panel of the page as an SVG figure", func(a []string, _ io.Reader, o, e io.Writer) int { return runExport(a, o, e) }},
		{"hpack", "decode and encode HPACK header blocks (RFC 7541)", runHPACK},
		{"site", "build the static web site", func(a []string, _ io.Reader, o, e io.Writer) int { return runSite(a, o, e) }},
		{"serve", "serve a built site on localhost", func(a []string, _ io.Reader, o, e io.Writer) int { return runServe(a, o, e) }},
	}
}

func main() {
	os.Exit(dispatch(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// dispatch runs the subcommand named by args[0] and returns the exit code.
func dispatch(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmds := commands()
	if len(args) == 0 {
		// An error (no command): the usage goes where errors go, not
		// into a pipe meant for a command's output.
		usage(stderr, cmds)
		return 2
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout, cmds)
		return 0
	}
	for _, c := range cmds {
		if c.name == args[0] {
			return c.run(args[1:], stdin, stdout, stderr)
		}
	}
	var names []string
	for _, c := range cmds {
		names = append(names, c.name)
	}
	fmt.Fprintf(stderr, "httpsim: unknown command %q (commands: %s)\n", args[0], strings.Join(names, ", "))
	return 2
}

func usage(w io.Writer, cmds []command) {
	fmt.Fprintln(w, "httpsim: a deterministic simulator of HTTP/1.x, HTTP/2 and HTTP/3 on the wire")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "usage: httpsim COMMAND [flags]   (httpsim COMMAND -h for its flags)")
	fmt.Fprintln(w)
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
}
