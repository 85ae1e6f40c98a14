package units

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	rates := []struct {
		in   string
		want Rate
	}{{"100Mbps", 100 * Mbps}, {"1.5Gbps", 1500 * Mbps}, {"512Kbps", 512 * Kbps}, {"9600", 9600}, {"10 mbit/s", 10 * Mbps}}
	for _, tt := range rates {
		if got, err := ParseRate(tt.in); err != nil || got != tt.want {
			t.Errorf("ParseRate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	sizes := []struct {
		in   string
		want Size
	}{{"10MB", 10 * MB}, {"14.6KB", 14600}, {"1460", 1460}, {"1KiB", 1024}, {"2GB", 2 * GB}, {"4kib", 4096}, {"1mib", 1 << 20}}
	for _, tt := range sizes {
		if got, err := ParseSize(tt.in); err != nil || got != tt.want {
			t.Errorf("ParseSize(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	durs := []struct {
		in   string
		want time.Duration
	}{{"100ms", 100 * time.Millisecond}, {"1.5s", 1500 * time.Millisecond}, {"250us", 250 * time.Microsecond}, {"2m", 2 * time.Minute}, {"-5ms", -5 * time.Millisecond}, {"0", 0}}
	for _, tt := range durs {
		if got, err := ParseDuration(tt.in); err != nil || got != tt.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	fracs := []struct {
		in   string
		want float64
	}{{"1%", 0.01}, {"0.5%", 0.005}, {"0.02", 0.02}, {"150%", 1.5},
		// The written digits, not a division that rounds again: 99.9/100
		// is 0.9990000000000001, over link.MaxRate.
		{"99.9%", 0.999}, {"0.7%", 0.007}, {" 2.3 % ", 0.023}, {"1e1%", 0.1},
		// Zero, never -0 (printed "-0%").
		{"-0", 0}, {"-0%", 0}, {"-0.0%", 0}}
	for _, tt := range fracs {
		if got, err := ParseFraction(tt.in); err != nil || got != tt.want || math.Signbit(got) != math.Signbit(tt.want) {
			t.Errorf("ParseFraction(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		f    func(string) error
		in   string
		want string
	}{
		{func(s string) error { _, err := ParseRate(s); return err }, "100Mbs", `unknown rate unit "Mbs" (use bps, Kbps, Mbps or Gbps)`},
		{func(s string) error { _, err := ParseSize(s); return err }, "10XB", `unknown size unit "XB" (use B, KB, MB or GB)`},
		// It ran as 2 bytes.
		{func(s string) error { _, err := ParseSize(s); return err }, "1.5B", `size "1.5B" is not a whole number of bytes`},
		{func(s string) error { _, err := ParseSize(s); return err }, "0.5", `size "0.5" is not a whole number of bytes`},
		{func(s string) error { _, err := ParseDuration(s); return err }, "100", `"100" has no unit (use ms or s)`},
		{func(s string) error { _, err := ParseDuration(s); return err }, "3 weeks", `unknown duration unit "weeks" (use us, ms, s, m, h or d)`},
		{func(s string) error { _, err := ParseFraction(s); return err }, "abc", `"abc" is not a number`},
		{func(s string) error { _, err := ParseRate(s); return err }, "", `"" is not a number`},
		// Bytes for bits: "10MB/s" ran as 10 Mbps, "10Mb" as 10 MB.
		{func(s string) error { _, err := ParseRate(s); return err }, "10MB/s", `"10MB/s" is bytes per second (a capital B); rates are in bits: write 80Mbps`},
		{func(s string) error { _, err := ParseRate(s); return err }, "1.5KBps", `"1.5KBps" is bytes per second (a capital B); rates are in bits: write 12Kbps`},
		{func(s string) error { _, err := ParseRate(s); return err }, "100 B/s", `"100 B/s" is bytes per second (a capital B); rates are in bits: write 800bps`},
		{func(s string) error { _, err := ParseSize(s); return err }, "10Mb", `"10Mb" is in bits (a lower-case b); sizes are in bytes: write 10MB`},
		// "--loss 0.5" could mean half or half a per cent.
		{func(s string) error { _, err := ParsePercent(s); return err }, "0.5", `"0.5" has no unit: write a percentage, "0.5%", or "50%" for a fraction of 0.5`},
		{func(s string) error { _, err := ParseSize(s); return err }, "4Mib",
			`"4Mib" is in bits (a lower-case b); sizes are in bytes: write 4MiB`},
		{func(s string) error { _, err := ParseSize(s); return err }, "4Kb",
			`"4Kb" is in bits (a lower-case b); sizes are in bytes: write 4KB`},
		{func(s string) error { _, err := ParseSize(s); return err }, "4kb", `"4kb" is in bits (a lower-case b); sizes are in bytes: write 4kB`},
	}
	for _, tt := range tests {
		if err := tt.f(tt.in); err == nil || err.Error() != tt.want {
			t.Errorf("parse %q: error %v; want %q", tt.in, err, tt.want)
		}
	}
}

func TestFormat(t *testing.T) {
	if got := (100 * Mbps).String(); got != "100Mbps" {
		t.Errorf("String = %q; want 100Mbps", got)
	}
	if got := Size(14600).String(); got != "14.6KB" {
		t.Errorf("String = %q; want 14.6KB", got)
	}
	if got := (10 * Mbps).TxTime(1500); got != 1200*time.Microsecond {
		t.Errorf("TxTime = %v; want 1.2ms", got)
	}
	if got := Percent(0.015); got != "1.5%" {
		t.Errorf("Percent = %q; want 1.5%%", got)
	}
}

// An error repeats at most maxQuoted characters of the value: a 400 KB
// rtt in a scenario file was repeated whole.
func TestErrorsShortenTheValue(t *testing.T) {
	long := "1." + strings.Repeat("0", 400000)
	short := `"1.` + strings.Repeat("0", maxQuoted-2) + `…"`
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"ParseDuration(x…)", func() error { _, err := ParseDuration("x" + long); return err }(), `"x1.` + strings.Repeat("0", maxQuoted-3) + `…" is not a number`},
		{"ParseDuration(1.0…)", func() error { _, err := ParseDuration(long); return err }(), short + " has no unit"},
		{"ParseDuration(1…z)", func() error { _, err := ParseDuration("1" + strings.Repeat("z", 400000)); return err }(), `unknown duration unit "` + strings.Repeat("z", maxQuoted) + `…"`},
		{"ParseRate(1.0…Tbps)", func() error { _, err := ParseRate(long + "Tbps"); return err }(), "unknown rate unit"},
		{"ParseSize(1.0…b)", func() error { _, err := ParseSize(long + "b"); return err }(), short + " is in bits"},
		{"ParseFraction(1…z)", func() error { _, err := ParseFraction("1" + strings.Repeat("z", 400000)); return err }(), "unknown unit"},
		{"ParsePercent(0.50…)", func() error { _, err := ParsePercent("0.5" + strings.Repeat("0", 400000)); return err }(), "has no unit"},
		{"ParsePercent(1.0…)", func() error { _, err := ParsePercent(long); return err }(), short + " has no unit"},
		// Its value in bits overflowed: "write -9223372036854775808bps".
		{"ParseRate(1e30MB/s)", func() error { _, err := ParseRate("1e30MB/s"); return err }(), `"1e30MB/s" is bytes per second (a capital B); rates are in bits`},
		{"ParseRate(-1e30MB/s)", func() error { _, err := ParseRate("-1e30MB/s"); return err }(), `"-1e30MB/s" is bytes per second (a capital B); rates are in bits`},
		{"ParseRate(-1MB/s)", func() error { _, err := ParseRate("-1MB/s"); return err }(), `"-1MB/s" is bytes per second (a capital B); rates are in bits`},
		{"ParsePercent(1e-9)", func() error { _, err := ParsePercent("1e-9"); return err }(), `"1e-07%" for a fraction of 1e-9`},
		{"ParsePercent(-0.5)", func() error { _, err := ParsePercent("-0.5"); return err }(), `"-0.5" has no unit: write a percentage, such as "2%"`},
	}
	for _, tt := range tests {
		if tt.err == nil || !strings.Contains(tt.err.Error(), tt.want) || len(tt.err.Error()) > 300 || strings.Contains(tt.err.Error(), "write -") {
			t.Errorf("%s = %.300v; want a short error with %q", tt.name, tt.err, tt.want)
		}
	}
}
