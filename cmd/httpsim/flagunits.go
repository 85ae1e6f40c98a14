package main

import (
	"fmt"
	"strconv"
	"strings"

	"httpsim/sim/units"
)

// Loss rates and bandwidths typed on the command line carry their unit, as
// --rtt's durations do. sim/units reads a bare number as a fraction or as
// bits per second, which a scenario file may keep; on the command line
// "--loss 0.5" meant half a percent to an author who had read the help's
// "1%", and ran at 50 %, and "--bw 10" ran at ten bits a second.

// bareNumber reports whether s is a number with no unit, other than zero
// (zero is zero in any unit).
func bareNumber(s string) bool {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return err == nil && v != 0
}

// flagFraction parses a loss rate flag: a percentage ("0.5%").
func flagFraction(s string) (float64, error) { return units.ParsePercent(s) }

// flagRate parses a bandwidth flag ("20Mbps").
func flagRate(s string) (units.Rate, error) {
	if bareNumber(s) {
		return 0, fmt.Errorf("%q has no unit (use bps, Kbps, Mbps or Gbps)", s)
	}
	return units.ParseRate(s)
}
