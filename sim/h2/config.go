package h2

import (
	"errors"
	"fmt"

	"httpsim/sim/hpack"
)

// Config is an HTTP/2 endpoint's behaviour; the scenario gives the same one
// to client and server.
type Config struct {
	// Scheduler is the server's write scheduler: "seq" (one response at a
	// time, in request order), "rr" (round-robin, one DATA frame per turn)
	// or "urgency" (RFC 9218 urgency and incremental). Default "urgency".
	Scheduler string `json:"scheduler"`
	// Push lets the server push resources marked for it (off by default:
	// browsers have dropped server push).
	Push bool `json:"push"`
	// HeaderTableSize is the SETTINGS_HEADER_TABLE_SIZE each endpoint's
	// HPACK decoder allows (default 4096, RFC 9113 §6.5.2).
	HeaderTableSize uint32 `json:"header_table_size"`
	// Strategy is the HPACK encoder's indexing strategy.
	Strategy string `json:"hpack_strategy,omitempty"`
	// StreamWindow is the SETTINGS_INITIAL_WINDOW_SIZE each endpoint
	// advertises for the streams it receives on (Chrome: 6 MiB).
	StreamWindow uint32 `json:"stream_window"`
	// ConnWindow is the connection-level receive window each endpoint
	// opens with a WINDOW_UPDATE after the preface (Chrome: 15 MiB).
	ConnWindow uint32 `json:"conn_window"`
	// MaxFrameSize is the largest DATA frame payload the server writes
	// (at most the peer's SETTINGS_MAX_FRAME_SIZE; default 16384), and
	// the SETTINGS_MAX_FRAME_SIZE the client advertises when larger.
	MaxFrameSize uint32 `json:"max_frame_size"`
	// MaxConcurrentStreams is the server's SETTINGS_MAX_CONCURRENT_STREAMS.
	MaxConcurrentStreams uint32 `json:"max_concurrent_streams"`
	// LowWater is how many written-but-unsent bytes an endpoint keeps in
	// its transport before writing more DATA (like TCP_NOTSENT_LOWAT): the
	// server before asking its scheduler, the client before more of an
	// upload (one frame may go past it); small, so that priorities and new
	// requests decide what is sent next, not the order bytes were queued
	// in.
	LowWater int64 `json:"low_water"`
}

// DefaultConfig returns Chrome's client settings and a typical server.
func DefaultConfig() Config {
	return Config{
		Scheduler:            "urgency",
		HeaderTableSize:      hpack.DefaultTableSize,
		Strategy:             "default",
		StreamWindow:         6 << 20,
		ConnWindow:           15 << 20,
		MaxFrameSize:         DefaultMaxFrameSize,
		MaxConcurrentStreams: 100,
		LowWater:             16384,
	}
}

// Validate names the first bad field.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	switch c.Scheduler {
	case "seq", "rr", "urgency":
	default:
		bad("scheduler: %q is not a scheduler (use seq, rr or urgency)", c.Scheduler)
	}
	if c.HeaderTableSize > 1<<20 {
		bad("header_table_size: %d is out of range (0 to 1048576)", c.HeaderTableSize)
	}
	if _, err := hpack.ParseStrategy(c.Strategy); err != nil {
		bad("hpack_strategy: %v", err)
	}
	if c.StreamWindow < 1 || c.StreamWindow > MaxWindowSize {
		bad("stream_window: %d is out of range (1 to 2147483647)", c.StreamWindow)
	}
	if c.ConnWindow < 65535 || c.ConnWindow > MaxWindowSize {
		bad("conn_window: %d is out of range (65535 to 2147483647)", c.ConnWindow)
	}
	if c.MaxFrameSize < DefaultMaxFrameSize || c.MaxFrameSize > MaxFrameSizeLimit {
		bad("max_frame_size: %d is out of range (16384 to 16777215)", c.MaxFrameSize)
	}
	if c.MaxConcurrentStreams < 1 {
		bad("max_concurrent_streams: %d is out of range (1 or more)", c.MaxConcurrentStreams)
	}
	if c.LowWater < 0 || c.LowWater > 1<<24 {
		bad("low_water: %d is out of range (0 to 16MiB)", c.LowWater)
	}
	return errors.Join(errs...)
}
