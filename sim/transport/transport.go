// Package transport names what HTTP/1.x and HTTP/2 need from the connection
// beneath them: an ordered, reliable byte stream in each direction. TCP
// provides one, and TLS over TCP provides one on top of it; HTTP code is
// written against these interfaces so that it runs unchanged over either.
package transport

import (
	"httpsim/sim"
	"httpsim/sim/tcp"
)

// Handler is the application above a byte stream. OnEstablished says the
// stream is ready for application data (over TLS with 0-RTT, before the
// handshake completes); OnData hands up the next in-order bytes with when
// they reached the transport; OnPeerClose says the peer closed its side.
type Handler = tcp.Handler

// Conn is one end of a reliable byte stream.
type Conn interface {
	// ID is the underlying TCP connection's number in the run.
	ID() int32
	SetHandler(h Handler)
	// Write and WriteFiller queue application bytes (real, or filler whose
	// content does not matter).
	Write(now sim.Time, p []byte)
	WriteFiller(now sim.Time, n int64)
	// Close sends the end of the stream after everything written.
	Close(now sim.Time)
	// Abort drops the connection silently (the host left the network).
	Abort()
	// Unsent is the number of application bytes written but not yet sent.
	Unsent() int64
	// SetLowWater asks for Handler.OnWritable (if implemented) when the
	// unsent bytes fall to n or below.
	SetLowWater(n int64)
	// TCP is the TCP connection at the bottom, for probes and snapshots.
	TCP() *tcp.Conn
}

// WritableHandler is implemented by handlers that write just in time.
type WritableHandler interface {
	OnWritable(now sim.Time)
}

// SentHandler is implemented by handlers that measure how long their bytes
// waited behind earlier ones before leaving (see SendProgress).
type SentHandler = tcp.SentHandler

// HeldHandler is implemented by handlers that measure how long bytes waited
// behind a hole: when the connection stops with bytes still held, they are
// handed up to count their wait until then (see tcp.HeldHandler).
type HeldHandler = tcp.HeldHandler

// SendProgress is implemented by connections that say how far the bytes
// written have left: TCP's first transmission, in the application's bytes
// (over TLS, without the records' framing).
type SendProgress interface {
	// Sent is the number of application bytes written that have been
	// sent at least once.
	Sent() int64
	// WatchSent turns the handler's OnSent calls on or off.
	WatchSent(on bool)
}

var (
	_ Conn         = (*tcp.Conn)(nil)
	_ SendProgress = (*tcp.Conn)(nil)
)

// EarlyDataConn is implemented by connections that can carry 0-RTT early
// data before their handshake completes (TLS 1.3, RFC 8446 §2.3).
type EarlyDataConn interface {
	// InEarlyData reports whether what is written now goes as early
	// data: the handshake has not completed.
	InEarlyData() bool
}

// HandshakeHandler is implemented by handlers that hold requests back from
// early data (RFC 8470 §4: no unsafe method): they are told when the
// handshake completes and data written goes in the connection's own keys.
type HandshakeHandler interface {
	OnHandshakeComplete(now sim.Time)
}
