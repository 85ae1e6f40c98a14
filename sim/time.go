// Package sim is httpsim's simulation engine: virtual time, one event loop
// ordered by (time, sequence), cancellable timers, run limits and seeded random
// substreams. It is deterministic and sans-IO: nothing here reads the wall
// clock, sleeps, starts goroutines or iterates a map to decide an order.
package sim

import (
	"fmt"
	"math"
	"time"
)

// Time is a point in virtual time: nanoseconds since the start of a run.
// Durations between two Times are ordinary time.Duration values; the time
// package is used for its Duration type only, never for its clock.
type Time int64

// Never is a Time later than every event; a timer set to Never never fires.
const Never Time = math.MaxInt64

// Add returns t+d, saturating at Never.
func (t Time) Add(d time.Duration) Time {
	if d > 0 && t > Never-Time(d) {
		return Never
	}
	return t + Time(d)
}

// Sub returns the duration t-u.
func (t Time) Sub(u Time) time.Duration { return time.Duration(t - u) }

// Since0 returns the time elapsed since the start of the run.
func (t Time) Since0() time.Duration { return time.Duration(t) }

// Ms returns t in (fractional) milliseconds since the start of the run.
func (t Time) Ms() float64 { return float64(t) / 1e6 }

// Before reports whether t is strictly earlier than u.
func (t Time) Before(u Time) bool { return t < u }

// String formats t as milliseconds since the start, e.g. "t=123.456ms".
func (t Time) String() string {
	if t == Never {
		return "t=never"
	}
	return fmt.Sprintf("t=%.3fms", t.Ms())
}

// At converts a duration since the start of the run into a Time.
func At(d time.Duration) Time { return Time(d) }

// MaxTime returns the later of a and b.
func MaxTime(a, b Time) Time {
	if a > b {
		return a
	}
	return b
}

// MinTime returns the earlier of a and b.
func MinTime(a, b Time) Time {
	if a < b {
		return a
	}
	return b
}
