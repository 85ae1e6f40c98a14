package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// parseArgs parses a command's flags; it returns (exit code, true) when
// parsing ended the command: -h (0), a bad flag (2, reported by the flag
// set), or a stray argument (2, reported here with the usage).
func parseArgs(fs *flag.FlagSet, args []string, stderr io.Writer) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, true
		}
		return 2, true
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return 2, true
	}
	return 0, false
}
