package updates

import (
	"math"
	"strings"
	"testing"
	"time"

	"httpsim/sim"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(c *Config)
		want []string // substrings of the error; nil: valid
	}{
		{"defaults", func(c *Config) {}, nil},
		{"every mode", func(c *Config) { c.Mode = ShortPoll }, nil},
		{"fixed times", func(c *Config) { c.EventTimes = []time.Duration{0, time.Second, time.Second}; c.Events = 0 }, nil},
		{"fixed times with their count", func(c *Config) { c.EventTimes = []time.Duration{time.Second}; c.Events = 1 }, nil},
		{"pings", func(c *Config) { c.PingInterval = time.Second }, nil},
		{"bad mode", func(c *Config) { c.Mode = "smoke_signals" }, []string{`mode: "smoke_signals" is not a delivery mode`}},
		{"no events", func(c *Config) { c.Events = 0 }, []string{"events: 0 is out of range (1 to 100000)"}},
		{"tiny gap", func(c *Config) { c.MeanGap = time.Microsecond }, []string{"mean_gap: 1µs is out of range"}},
		{"negative start", func(c *Config) { c.Start = -time.Second }, []string{"start: -1s is out of range"}},
		{"times out of order", func(c *Config) { c.EventTimes = []time.Duration{2 * time.Second, time.Second} }, []string{"event_times[1]: 1s is out of range (2s to before time_limit 10m0s)"}},
		{"time past the limit", func(c *Config) { c.EventTimes = []time.Duration{time.Hour} }, []string{"event_times[0]: 1h0m0s is out of range"}},
		{"count disagrees", func(c *Config) { c.EventTimes = []time.Duration{time.Second}; c.Events = 2 }, []string{"events: 2 is out of range (0 or 1"}},
		{"empty events", func(c *Config) { c.EventSize = 0 }, []string{"event_size: 0 is out of range"}},
		{"fast polls", func(c *Config) { c.PollInterval = time.Millisecond }, []string{"poll_interval: 1ms is out of range"}},
		{"no hold", func(c *Config) { c.HoldTimeout = 0 }, []string{"hold_timeout: 0s is out of range"}},
		{"huge cookie", func(c *Config) { c.Cookie = 1 << 20 }, []string{"cookie: 1048576 is out of range"}},
		{"negative pings", func(c *Config) { c.PingInterval = -time.Second }, []string{"ping_interval: -1s is out of range (0 for none"}},
		{"no time", func(c *Config) { c.TimeLimit = 0 }, []string{"time_limit: 0s is out of range"}},
		{"more than a gibibyte", func(c *Config) { c.Events, c.EventSize = 100000, 16<<20 }, []string{"event_size: 100000 events of 16777216 bytes make 1677721600000 bytes; the events may total at most 1073741824 bytes (1GiB)"}},
		{"a gibibyte", func(c *Config) { c.Events, c.EventSize = 64, 16<<20 }, nil},
		{"every problem at once", func(c *Config) { c.Mode = ""; c.EventSize = -1; c.Cookie = -1 }, []string{"mode:", "event_size:", "cookie:"}},
	}
	for _, tt := range tests {
		c := DefaultConfig()
		tt.edit(&c)
		err := c.Validate()
		if tt.want == nil {
			if err != nil {
				t.Errorf("%s: Validate() = %v; want nil", tt.name, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: Validate() = nil; want %q", tt.name, tt.want)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: Validate() = %q; want it to contain %q", tt.name, err, w)
			}
		}
	}
}

// ln must agree with math.Log to within rounding (it exists only to give
// the same bits everywhere).
func TestLn(t *testing.T) {
	// No subnormals: Schedule never asks for them (1-Float64 is at least
	// 2^-53), and amd64's assembly math.Log is off for them anyway (it
	// gives -709.09 for ln(5e-324) = -744.44), which is the point of ln.
	tests := []float64{1, 0.5, 0.7071, 0.999999, 1e-9, 0x1p-53, 2.2250738585072014e-308, 0.25, 0.1, 0.9, 3, 1e10}
	for _, x := range tests {
		got, want := ln(x), math.Log(x)
		if math.Abs(got-want) > 4e-16*math.Max(1, math.Abs(want)) {
			t.Errorf("ln(%g) = %.17g; want %.17g", x, got, want)
		}
	}
	for _, x := range []float64{0, -1, math.Inf(1), math.NaN()} {
		if got := ln(x); !math.IsNaN(got) {
			t.Errorf("ln(%g) = %g; want NaN", x, got)
		}
	}
}

func TestSchedule(t *testing.T) {
	c := DefaultConfig()
	a, b, other := c.Schedule(1), c.Schedule(1), c.Schedule(2)
	if len(a) != c.Events {
		t.Fatalf("Schedule gave %d events; want %d", len(a), c.Events)
	}
	same, differ := true, false
	for i := range a {
		same = same && a[i] == b[i]
		differ = differ || a[i] != other[i]
		if a[i] <= sim.At(c.Start) || (i > 0 && a[i] < a[i-1]) {
			t.Errorf("event %d at %v: not after start %v and in order", i, a[i], c.Start)
		}
	}
	if !same {
		t.Errorf("Schedule(1) differs between calls")
	}
	if !differ {
		t.Errorf("Schedule(1) and Schedule(2) are the same: %v", a)
	}

	// The gaps are exponential with the configured mean: over 20000
	// gaps the sample mean is within 3% (about 4 standard errors) and
	// the fraction of gaps above the mean is near e^-1.
	c.Events = 20000
	ts := c.Schedule(7)
	var sum time.Duration
	above := 0
	prev := sim.At(c.Start)
	for _, x := range ts {
		g := x.Sub(prev)
		sum += g
		if g > c.MeanGap {
			above++
		}
		prev = x
	}
	mean := sum / time.Duration(len(ts))
	if d := math.Abs(float64(mean-c.MeanGap)) / float64(c.MeanGap); d > 0.03 {
		t.Errorf("mean gap = %v; want %v within 3%%", mean, c.MeanGap)
	}
	if f := float64(above) / float64(len(ts)); math.Abs(f-math.Exp(-1)) > 0.02 {
		t.Errorf("fraction of gaps above the mean = %.3f; want %.3f within 0.02", f, math.Exp(-1))
	}

	// A fixed list is taken as it is.
	c.EventTimes = []time.Duration{0, 3 * time.Second, 3 * time.Second}
	got := c.Schedule(1)
	if len(got) != 3 || got[0] != 0 || got[1] != sim.At(3*time.Second) || got[2] != got[1] {
		t.Errorf("Schedule with event_times = %v; want [0 3s 3s]", got)
	}
}

func TestSummarise(t *testing.T) {
	tests := []struct {
		xs   []float64
		want LatencyStats
	}{
		{nil, LatencyStats{}},
		{[]float64{5}, LatencyStats{Count: 1, Mean: 5, Median: 5, P95: 5, Max: 5, Min: 5}},
		{[]float64{4, 1, 3, 2}, LatencyStats{Count: 4, Mean: 2.5, Median: 2.5, P95: 4, Max: 4, Min: 1}},
		// 20 values 1..20: the 95th percentile by nearest rank is the 19th.
		{[]float64{20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1},
			LatencyStats{Count: 20, Mean: 10.5, Median: 10.5, P95: 19, Max: 20, Min: 1}},
		// 21 values: rank ceil(19.95) = 20.
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21},
			LatencyStats{Count: 21, Mean: 11, Median: 11, P95: 20, Max: 21, Min: 1}},
	}
	for _, tt := range tests {
		if got := summarise(tt.xs); got != tt.want {
			t.Errorf("summarise(%v) = %+v; want %+v", tt.xs, got, tt.want)
		}
	}
}
