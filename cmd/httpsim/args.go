package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// parseArgs parses a command's flags; it returns (exit code, true) when
// parsing ended the command: -h (0), a bad flag (2, reported by the flag
// set), a flag given twice or a stray argument (2, reported here with the
// usage).
func parseArgs(fs *flag.FlagSet, args []string, stderr io.Writer) (int, bool) {
	if refuseRepeated(fs, args, stderr) {
		return 2, true
	}
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

// refuseRepeated reports a flag of fs that args give more than once, and
// says whether it did.
func refuseRepeated(fs *flag.FlagSet, args []string, stderr io.Writer) bool {
	name := repeatedFlag(fs, args, false)
	if name != "" {
		fmt.Fprintf(stderr, "%s: --%s: given twice; give it once\n", fs.Name(), name)
	}
	return name != ""
}

// repeatedFlag returns the first flag of fs that args give more than once,
// or "": the flag package keeps the last value, so --loss 1% --loss 2%
// ran at 2% without a word. It reads args as fs.Parse does (up to "--"
// or the first argument that is not a flag; a flag that is not a bool
// takes the next argument as its value unless it has "="), and leaves
// malformed and unknown flags to fs.Parse to report. With interspersed
// (hpack's flags may follow its blocks), an argument that is not a flag
// is stepped over instead.
func repeatedFlag(fs *flag.FlagSet, args []string, interspersed bool) string {
	seen := map[string]bool{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return ""
		}
		if len(a) < 2 || a[0] != '-' {
			if interspersed {
				continue
			}
			return ""
		}
		name, _, hasValue := strings.Cut(strings.TrimPrefix(a[1:], "-"), "=")
		fl := fs.Lookup(name)
		if fl == nil {
			return ""
		}
		if seen[name] {
			return name
		}
		seen[name] = true
		if b, ok := fl.Value.(interface{ IsBoolFlag() bool }); !hasValue && !(ok && b.IsBoolFlag()) {
			i++ // its value
		}
	}
	return ""
}

// badBool matches the flag package's error for a boolean flag's bad value.
var badBool = regexp.MustCompile(`^invalid boolean value (".*") for -([^:]+): parse error$`)

// flagError is err from fs.Parse in this command's words: a boolean's bad
// value ("invalid boolean value \"maybe\" for -0rtt: parse error") names
// the values it takes.
func flagError(err error) string {
	if m := badBool.FindStringSubmatch(err.Error()); m != nil {
		return fmt.Sprintf("--%s: %s is not true or false (or give --%s alone for true)", m[2], m[1], m[2])
	}
	return err.Error()
}
