// Package units parses and formats the quantities users type: sizes in bytes
// (KB, MB, GB: decimal, as network courses count them), rates in bits per
// second (Kbps, Mbps, Gbps), durations (ns, us, ms, s, m) and percentages.
// The CLI flags, URL parameters and scenario files all go through it, so a
// value means the same thing everywhere.
package units

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Rate is a bandwidth in bits per second.
type Rate int64

// Common rates.
const (
	Bps  Rate = 1
	Kbps Rate = 1000
	Mbps Rate = 1000 * Kbps
	Gbps Rate = 1000 * Mbps
)

// String formats r with the largest unit that keeps it readable, e.g. "100Mbps".
func (r Rate) String() string {
	switch {
	case r >= Gbps && r%Gbps == 0:
		return fmt.Sprintf("%dGbps", r/Gbps)
	case r >= Mbps:
		return trimFloat(float64(r)/float64(Mbps)) + "Mbps"
	case r >= Kbps:
		return trimFloat(float64(r)/float64(Kbps)) + "Kbps"
	}
	return fmt.Sprintf("%dbps", int64(r))
}

// TxTime is the time needed to serialise n bytes at rate r.
func (r Rate) TxTime(n int) time.Duration {
	if r <= 0 {
		return 0
	}
	// n*8*1e9/r, computed without overflow for any realistic packet size.
	return time.Duration((int64(n)*8*int64(time.Second) + int64(r) - 1) / int64(r))
}

// Size is a number of bytes.
type Size int64

// Common sizes (decimal).
const (
	B  Size = 1
	KB Size = 1000
	MB Size = 1000 * KB
	GB Size = 1000 * MB
)

// String formats s with a decimal unit, e.g. "10MB" or "14.6KB".
func (s Size) String() string {
	switch {
	case s >= GB:
		return trimFloat(float64(s)/float64(GB)) + "GB"
	case s >= MB:
		return trimFloat(float64(s)/float64(MB)) + "MB"
	case s >= KB:
		return trimFloat(float64(s)/float64(KB)) + "KB"
	}
	return fmt.Sprintf("%dB", int64(s))
}

func trimFloat(f float64) string {
	s := strconv.FormatFloat(f, 'f', 3, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// splitNumber splits "12.5Mbps" into 12.5 and "Mbps".
func splitNumber(s string) (float64, string, error) {
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && (s[i] == '-' || s[i] == '+' || s[i] == '.' || s[i] == 'e' && i > 0 && isDigit(s[i-1]) || isDigit(s[i])) {
		i++
	}
	if i == 0 {
		return 0, "", fmt.Errorf("%s is not a number", Quote(s))
	}
	v, err := strconv.ParseFloat(s[:i], 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, "", fmt.Errorf("%s is not a number", Quote(s))
	}
	return v, strings.TrimSpace(s[i:]), nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// ParseRate parses a rate such as "100Mbps", "1.5Gbps", "512Kbps" or "9600bps".
// A bare number is bits per second.
func ParseRate(s string) (Rate, error) {
	v, unit, err := splitNumber(s)
	if err != nil {
		return 0, err
	}
	if bytesPerSecond(unit) {
		// "10MB/s" ran as 10 Mbps, eight times too slow: a rate's unit
		// is bits, and a capital B is read as bytes and refused.
		bits := v * 8 * prefixMul(unit)
		if bits <= 0 || bits > math.MaxInt64/2 {
			// No rate to suggest: a negative one, or one past int64.
			return 0, fmt.Errorf("%s is bytes per second (a capital B); rates are in bits", Quote(s))
		}
		return 0, fmt.Errorf("%s is bytes per second (a capital B); rates are in bits: write %s", Quote(s), Rate(math.Round(bits)))
	}
	var mul float64
	switch strings.ToLower(unit) {
	case "", "bps", "b/s":
		mul = 1
	case "kbps", "kbit/s", "kb/s":
		mul = 1e3
	case "mbps", "mbit/s", "mb/s":
		mul = 1e6
	case "gbps", "gbit/s", "gb/s":
		mul = 1e9
	default:
		return 0, fmt.Errorf("unknown rate unit %s (use bps, Kbps, Mbps or Gbps)", Quote(unit))
	}
	r := v * mul
	if r > math.MaxInt64/2 {
		return 0, fmt.Errorf("rate %s is too large", Quote(s))
	}
	return Rate(math.Round(r)), nil
}

// bytesPerSecond reports whether a rate's unit names bytes: a capital B
// ("MB/s", "KBps", "B/s").
func bytesPerSecond(unit string) bool {
	u := strings.ToLower(unit)
	return strings.Contains(unit, "B") && (strings.HasSuffix(u, "bps") || strings.HasSuffix(u, "b/s"))
}

// prefixMul is the decimal multiplier of a unit's first letter: k, M, G.
func prefixMul(unit string) float64 {
	if unit == "" {
		return 1
	}
	switch unit[0] {
	case 'k', 'K':
		return 1e3
	case 'm', 'M':
		return 1e6
	case 'g', 'G':
		return 1e9
	}
	return 1
}

// ParseSize parses a size such as "10MB", "14.6KB", "1460B" or "1460" (bytes).
// KB, MB and GB are decimal (1000-based); KiB, MiB and GiB are binary.
func ParseSize(s string) (Size, error) {
	v, unit, err := splitNumber(s)
	if err != nil {
		return 0, err
	}
	// "kib" is KiB written all in lower case; "Mib" is mebibits.
	if strings.HasSuffix(unit, "b") && !(unit == strings.ToLower(unit) && strings.HasSuffix(unit, "ib")) {
		// "10Mb" ran as 10 MB, eight times too much: a lower-case b
		// is bits, and a size is in bytes.
		return 0, fmt.Errorf("%s is in bits (a lower-case b); sizes are in bytes: write %sB", Quote(s), Cut(strings.TrimSuffix(strings.TrimSpace(s), "b")))
	}
	var mul float64
	switch strings.ToUpper(unit) {
	case "", "B":
		mul = 1
	case "KB", "K":
		mul = 1e3
	case "MB", "M":
		mul = 1e6
	case "GB", "G":
		mul = 1e9
	case "KIB":
		mul = 1 << 10
	case "MIB":
		mul = 1 << 20
	case "GIB":
		mul = 1 << 30
	default:
		return 0, fmt.Errorf("unknown size unit %s (use B, KB, MB or GB)", Quote(unit))
	}
	b := v * mul
	if b > math.MaxInt64/4 {
		return 0, fmt.Errorf("size %s is too large", Quote(s))
	}
	if mul == 1 && b != math.Trunc(b) {
		// "1.5B" ran as 2 bytes. In a larger unit a size is rounded to
		// the nearest byte ("7.7GiB").
		return 0, fmt.Errorf("size %s is not a whole number of bytes", Quote(s))
	}
	return Size(math.Round(b)), nil
}

// ParseDuration parses a duration such as "100ms", "1.5s", "250us" or "2m".
// A bare number other than 0 is refused: a duration names its unit.
func ParseDuration(s string) (time.Duration, error) {
	v, unit, err := splitNumber(s)
	if err != nil {
		return 0, err
	}
	var mul float64
	switch strings.ToLower(unit) {
	case "ns":
		mul = 1
	case "us", "µs":
		mul = 1e3
	case "ms":
		mul = 1e6
	case "s":
		mul = 1e9
	case "m", "min":
		mul = 60e9
	case "h":
		mul = 3600e9
	case "d":
		mul = 86400e9
	case "":
		if v == 0 {
			return 0, nil // zero is zero in any unit
		}
		return 0, fmt.Errorf("%s has no unit (use ms or s)", Quote(s))
	default:
		return 0, fmt.Errorf("unknown duration unit %s (use us, ms, s, m, h or d)", Quote(unit))
	}
	d := v * mul
	if math.Abs(d) > float64(math.MaxInt64/2) {
		return 0, fmt.Errorf("duration %s is too large", Quote(s))
	}
	return time.Duration(math.Round(d)), nil
}

// ParseFraction parses a proportion written as a percentage ("1%", "0.5%") or
// as a plain fraction ("0.01") and returns the fraction.
func ParseFraction(s string) (float64, error) {
	v, unit, err := splitNumber(s)
	if err != nil {
		return 0, err
	}
	if v == 0 {
		v = 0 // not -0, printed "-0%"
	}
	switch unit {
	case "%":
		// v/100 rounds twice: 99.9/100 is 0.9990000000000001, over
		// the 0.999 (99.9%) it names. The digits as written, two places
		// down, round once: to the fraction's nearest float64.
		num := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
		if x, err := strconv.ParseFloat(num+"e-2", 64); err == nil && x != 0 && !strings.ContainsAny(num, "eE") {
			return x, nil
		}
		return v / 100, nil
	case "":
		return v, nil
	}
	return 0, fmt.Errorf("unknown unit %s (use %% or a plain fraction)", Quote(unit))
}

// ParsePercent parses a proportion written as a percentage ("2%", "0.5%"),
// or 0: the command line's loss rates. A plain fraction is refused there:
// "--loss 0.5" could mean half or half a per cent. (Scenario files keep
// ParseFraction's plain fractions, which earlier versions wrote.)
func ParsePercent(s string) (float64, error) {
	v, unit, err := splitNumber(s)
	if err != nil {
		return 0, err
	}
	if unit == "" && v != 0 {
		pct := strconv.Quote(Cut(strings.TrimSpace(s)) + "%")
		switch {
		case v < 0:
			return 0, fmt.Errorf("%s has no unit: write a percentage, such as \"2%%\"", Quote(s))
		case v < 1:
			return 0, fmt.Errorf("%s has no unit: write a percentage, %s, or %s for a fraction of %s", Quote(s), pct,
				strconv.Quote(strconv.FormatFloat(v*100, 'g', 6, 64)+"%"), Cut(strings.TrimSpace(s)))
		}
		return 0, fmt.Errorf("%s has no unit: write a percentage, %s", Quote(s), pct)
	}
	return ParseFraction(s)
}

// Percent formats a fraction as a percentage, e.g. 0.015 → "1.5%".
func Percent(f float64) string { return trimFloat(f*100) + "%" }

// Ms formats a duration in milliseconds with up to three decimals, e.g. "12.5ms".
func Ms(d time.Duration) string { return trimFloat(float64(d)/1e6) + "ms" }

// maxQuoted is how many characters of a value an error repeats: a
// scenario file of 400 KB with its rtt one string repeated the string.
const maxQuoted = 40

// Quote is s as an error repeats it: cut (Cut), in Go's quotes, which
// escape control characters and direction overrides.
func Quote(s string) string { return strconv.Quote(Cut(s)) }

// Cut is s cut to maxQuoted characters, "…" marking the cut.
func Cut(s string) string {
	n := 0
	for i := range s {
		if n == maxQuoted {
			return s[:i] + "…"
		}
		n++
	}
	return s
}
