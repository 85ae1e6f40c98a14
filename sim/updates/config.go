package updates

import (
	"errors"
	"fmt"
	"time"
)

// Mode is how the server's events reach the page.
type Mode string

const (
	// ShortPoll: the page asks "anything new?" every PollInterval and the
	// server answers at once, with the events queued since the last poll or
	// with 204 No Content.
	ShortPoll Mode = "short_poll"
	// LongPoll: the server holds each request until it has an event or
	// HoldTimeout passes, and the page asks again as soon as an answer
	// arrives (RFC 6202 §2).
	LongPoll Mode = "long_poll"
	// WebSocket: one HTTP/1.1 Upgrade handshake (RFC 6455 §4), then the
	// server pushes each event as a text frame (RFC 6455 §5).
	WebSocket Mode = "websocket"
)

// Modes lists the modes in the order a course presents them.
func Modes() []Mode { return []Mode{ShortPoll, LongPoll, WebSocket} }

// String returns the mode's name as the scenario format spells it.
func (m Mode) String() string { return string(m) }

// Config describes the page, its server's events and how they are delivered.
// Field names in error messages are the JSON names.
type Config struct {
	Mode Mode `json:"mode"`
	// Events is the number of events the server generates (default 20).
	// With EventTimes set it must be 0 or len(EventTimes).
	Events int `json:"events"`
	// MeanGap is the mean time between events: gaps are exponential (a
	// Poisson process) drawn from the seed's substream "updates/events"
	// (default 2s).
	MeanGap time.Duration `json:"mean_gap"`
	// Start is when the Poisson process starts: the first event comes one
	// gap after it (default 1s, by which time every mode has its channel
	// open at the default network, so that the measured latency is the
	// delivery model's and not the connection set-up's).
	Start time.Duration `json:"start"`
	// EventTimes, when set, replaces the Poisson process: the times, since
	// the start of the run, at which the server generates its events, in
	// non-decreasing order.
	EventTimes []time.Duration `json:"event_times,omitempty"`
	// EventSize is the size of one event's JSON in bytes (default 200).
	EventSize int `json:"event_size"`
	// PollInterval is the short-polling period (default 5s): polls go out
	// at fixed times, as setInterval schedules them.
	PollInterval time.Duration `json:"poll_interval"`
	// HoldTimeout is how long a long-polling server holds a request with
	// nothing to say before it answers 204 (default 30s).
	HoldTimeout time.Duration `json:"hold_timeout"`
	// Cookie is the size in bytes of the Cookie field value every HTTP
	// request carries (0: none; default 100).
	Cookie int `json:"cookie"`
	// Ack makes the page answer every WebSocket event with a small masked
	// text frame {"ack":N} (RFC 6455 §5.3), so that client-to-server
	// framing and masking show on the wire (default off).
	Ack bool `json:"ack"`
	// PingInterval makes a WebSocket server send a Ping every interval;
	// the browser answers each with a Pong (RFC 6455 §5.5.2, §5.5.3).
	// 0 (the default) sends none.
	PingInterval time.Duration `json:"ping_interval"`
	// TimeLimit ends the run if the events have not all arrived by then,
	// or a WebSocket's closing handshake has not completed (default 10m).
	TimeLimit time.Duration `json:"time_limit"`
}

// DefaultConfig returns the defaults documented on Config's fields, with
// WebSocket delivery.
func DefaultConfig() Config {
	return Config{
		Mode:         WebSocket,
		Events:       20,
		MeanGap:      2 * time.Second,
		Start:        time.Second,
		EventSize:    200,
		PollInterval: 5 * time.Second,
		HoldTimeout:  30 * time.Second,
		Cookie:       100,
		TimeLimit:    10 * time.Minute,
	}
}

// Limits of the configuration.
const (
	maxEvents    = 100000
	maxEventSize = 16 << 20
	maxCookie    = 16384
	// maxTotal bounds all the events together: 1 GiB takes 8 s of a
	// 1 Gbit/s link, more than a slower one carries before the time limit,
	// and what is queued is held in memory (100,000 events of 16 MB
	// passed, and ran out of memory).
	maxTotal = 1 << 30
)

// Validate checks every field and reports every problem, each naming its
// field, the value found and the range allowed.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	switch c.Mode {
	case ShortPoll, LongPoll, WebSocket:
	default:
		bad("mode: %q is not a delivery mode (use short_poll, long_poll or websocket)", string(c.Mode))
	}
	dur := func(name string, d, lo, hi time.Duration) {
		if d < lo || d > hi {
			bad("%s: %v is out of range (%v to %v)", name, d, lo, hi)
		}
	}
	dur("time_limit", c.TimeLimit, time.Second, 24*time.Hour)
	if len(c.EventTimes) == 0 {
		if c.Events < 1 || c.Events > maxEvents {
			bad("events: %d is out of range (1 to %d)", c.Events, maxEvents)
		}
		dur("mean_gap", c.MeanGap, time.Millisecond, time.Hour)
		dur("start", c.Start, 0, time.Hour)
	} else {
		if len(c.EventTimes) > maxEvents {
			bad("event_times: %d times is out of range (1 to %d)", len(c.EventTimes), maxEvents)
		}
		if c.Events != 0 && c.Events != len(c.EventTimes) {
			bad("events: %d is out of range (0 or %d, the length of event_times)", c.Events, len(c.EventTimes))
		}
		prev := time.Duration(0)
		for i, t := range c.EventTimes {
			if t < prev || t >= c.TimeLimit {
				bad("event_times[%d]: %v is out of range (%v to before time_limit %v)", i, t, prev, c.TimeLimit)
				break
			}
			prev = t
		}
	}
	if c.EventSize < 1 || c.EventSize > maxEventSize {
		bad("event_size: %d is out of range (1 to %d bytes)", c.EventSize, maxEventSize)
	} else if n := c.NumEvents(); n > 0 && int64(n)*int64(c.EventSize) > maxTotal {
		bad("event_size: %d events of %d bytes make %d bytes; the events may total at most %d bytes (1GiB)", n, c.EventSize, int64(n)*int64(c.EventSize), maxTotal)
	}
	dur("poll_interval", c.PollInterval, 10*time.Millisecond, time.Hour)
	dur("hold_timeout", c.HoldTimeout, 10*time.Millisecond, time.Hour)
	if c.Cookie < 0 || c.Cookie > maxCookie {
		bad("cookie: %d is out of range (0 to %d bytes)", c.Cookie, maxCookie)
	}
	if c.PingInterval != 0 && (c.PingInterval < 10*time.Millisecond || c.PingInterval > time.Hour) {
		bad("ping_interval: %v is out of range (0 for none, or 10ms to 1h0m0s)", c.PingInterval)
	}
	return errors.Join(errs...)
}

// NumEvents is the number of events the configuration generates.
func (c Config) NumEvents() int {
	if len(c.EventTimes) > 0 {
		return len(c.EventTimes)
	}
	return c.Events
}
