package h3

import (
	"httpsim/sim"
	"httpsim/sim/qpack"
	"httpsim/sim/quic"
)

// This file holds the rules a misbehaving peer can break that take more
// than one frame to see (which streams it opened, what it sent before),
// and the connection errors that follow (RFC 9114 §8; RFC 9204 §6). The
// frame layer's own rules are FrameReader's.

// The errors the endpoint raises itself. They are shared, so that raising
// one allocates nothing and the binary holds each reason once.
var (
	errSecondControl  = &ConnectionError{Code: ErrH3StreamCreationError, Reason: "second control stream"}
	errSecondQPACK    = &ConnectionError{Code: ErrH3StreamCreationError, Reason: "second qpack stream"}
	errPushToServer   = &ConnectionError{Code: ErrH3StreamCreationError, Reason: "push stream from client"}
	errPushID         = &ConnectionError{Code: ErrH3IDError, Reason: "push id not allowed"}
	errClosedCritical = &ConnectionError{Code: ErrH3ClosedCriticalStream, Reason: "critical stream closed"}
	errGoawayID       = &ConnectionError{Code: ErrH3IDError, Reason: "bad goaway id"}
	errMaxPushID      = &ConnectionError{Code: ErrH3IDError, Reason: "max_push_id reduced"}
	errStreamID       = &ConnectionError{Code: ErrH3IDError, Reason: "not a request stream"}
	errClientOnly     = &ConnectionError{Code: ErrH3FrameUnexpected, Reason: "client-only frame"}
	errServerOnly     = &ConnectionError{Code: ErrH3FrameUnexpected, Reason: "server-only frame"}
	errFrameOrder     = &ConnectionError{Code: ErrH3FrameUnexpected, Reason: "frame out of order"}
	errStreamType     = &ConnectionError{Code: ErrH3GeneralProtocolError, Reason: "bad stream type"}
)

// fail closes the connection on a connection error (RFC 9114 §8): with a
// CONNECTION_CLOSE carrying the code the error carries, an HTTP/3 code
// (§8.1) or a QPACK one (RFC 9204 §6, for "failures of QPACK that prevent
// the stream or connection from continuing"). Nothing the peer sends is
// read after it.
func (e *endpoint) fail(now sim.Time, err error) {
	if e.failed {
		return
	}
	e.failed = true
	code, reason := ErrH3GeneralProtocolError, ""
	switch err := err.(type) {
	case *ConnectionError:
		code, reason = err.Code, err.Reason
	case *qpack.Error:
		// The field section, encoder stream and decoder stream errors
		// carry QPACK_DECOMPRESSION_FAILED, QPACK_ENCODER_STREAM_ERROR
		// and QPACK_DECODER_STREAM_ERROR (RFC 9204 §6).
		if err.Code != 0 {
			code = ErrorCode(err.Code)
		}
		reason = err.Reason.String()
	}
	e.conn.Close(now, uint64(code), reason)
}

// typed applies the rules of the stream type t that opened unidirectional
// stream s, and returns the error it breaks, if any.
func (e *endpoint) typed(s *streamIn, t StreamType) error {
	switch t {
	case StreamTypeControl:
		// RFC 9114 §6.2.1: "Only one control stream per peer is
		// permitted; receipt of a second stream claiming to be a control
		// stream MUST be treated as a connection error of type
		// H3_STREAM_CREATION_ERROR."
		if e.peerControl {
			return errSecondControl
		}
		e.peerControl = true
		s.kind = StreamControl
		s.reader = NewFrameReader(StreamControl)
	case StreamTypeQPACKEncoder, StreamTypeQPACKDecoder:
		// RFC 9204 §4.2: "Each endpoint MUST initiate, at most, one
		// encoder stream and, at most, one decoder stream. Receipt of a
		// second instance of either stream type MUST be treated as a
		// connection error of type H3_STREAM_CREATION_ERROR."
		bit := uint8(1) << (t - StreamTypeQPACKEncoder)
		if e.peerQPACK&bit != 0 {
			return errSecondQPACK
		}
		e.peerQPACK |= bit
		s.qpack = t
	case StreamTypePush:
		if e.server {
			// RFC 9114 §6.2.2: "Only servers can push; if a server
			// receives a client-initiated push stream, this MUST be
			// treated as a connection error of type
			// H3_STREAM_CREATION_ERROR."
			return errPushToServer
		}
		// The client sends no MAX_PUSH_ID: "a server is not able to push
		// until after the client sends a MAX_PUSH_ID frame" (§4.6), and a
		// client "MUST treat receipt of a push stream as a connection
		// error of type H3_ID_ERROR when no MAX_PUSH_ID frame has been
		// sent or when the stream references a push ID that is greater
		// than the maximum push ID" (§4.6).
		return errPushID
	default:
		// Unknown and reserved types are read and ignored: "The
		// recipient MUST NOT consider unknown stream types to be a
		// connection error of any kind" (§6.2).
		s.qpack = t
	}
	return nil
}

// critical reports whether s is one the peer must never close: its control
// stream (RFC 9114 §6.2.1: "If either control stream is closed at any
// point, this MUST be treated as a connection error of type
// H3_CLOSED_CRITICAL_STREAM") or a QPACK stream (RFC 9204 §4.2: "Closure
// of either unidirectional stream type MUST be treated as a connection
// error of type H3_CLOSED_CRITICAL_STREAM").
func (s *streamIn) critical() bool {
	return s.uni && s.typed && (s.kind == StreamControl || s.qpack == StreamTypeQPACKEncoder || s.qpack == StreamTypeQPACKDecoder)
}

// message checks that frame type t may come next on request stream s and
// moves its message on (RFC 9114 §4.1: "Receipt of an invalid sequence of
// frames MUST be treated as a connection error of type
// H3_FRAME_UNEXPECTED. In particular, a DATA frame before any HEADERS
// frame, or a HEADERS or DATA frame after the trailing HEADERS frame, is
// considered invalid."). A HEADERS frame after HEADERS may be a final
// response after an interim one (§4.1): after the final header section
// (s.final, which the role says), or after DATA, it is the trailers.
func (s *streamIn) message(t FrameType) error {
	switch {
	case s.msg == msgTrailers:
		return errFrameOrder
	case t == FrameHeaders && (s.msg == msgData || s.final):
		s.msg = msgTrailers
	case t == FrameHeaders:
		s.msg = msgHeaders
	case s.msg == msgStart, s.msg == msgHeaders && !s.final:
		// DATA before any HEADERS, or after only interim (1xx) ones:
		// the content comes after the final header section (§4.1).
		return errFrameOrder
	default:
		s.msg = msgData
	}
	return nil
}

// The states of a request stream's message, as far as its frames go.
const (
	msgStart    uint8 = iota // no HEADERS yet
	msgHeaders               // HEADERS, no DATA
	msgData                  // DATA after HEADERS
	msgTrailers              // HEADERS after DATA: nothing may follow
)

// controlFrame applies the rules of a control-stream frame that depend on which
// end sent it, or on what was sent before. It returns the error the frame
// breaks, if any.
func (e *endpoint) controlFrame(f Frame) error {
	switch f := f.(type) {
	case *GoawayFrame:
		// RFC 9114 §5.2: from a server the ID is a client-initiated
		// bidirectional stream ID: "A client MUST treat receipt of a
		// GOAWAY frame containing a stream ID of any other type as a
		// connection error of type H3_ID_ERROR." And "Receiving a GOAWAY
		// containing a larger identifier than previously received MUST
		// be treated as a connection error of type H3_ID_ERROR."
		if !e.server && (!quic.IsBidi(f.ID) || quic.IsServerInitiated(f.ID)) {
			return errGoawayID
		}
		if e.goawaySeen && f.ID > e.goawayID {
			return errGoawayID
		}
		e.goawaySeen, e.goawayID = true, f.ID
	case *MaxPushIDFrame:
		// §7.2.7: "Receipt of a MAX_PUSH_ID frame by a client MUST be
		// treated as a connection error of type H3_FRAME_UNEXPECTED", and
		// "A MAX_PUSH_ID frame cannot reduce the maximum push ID; receipt
		// of a MAX_PUSH_ID frame that contains a smaller value than
		// previously received MUST be treated as a connection error of
		// type H3_ID_ERROR."
		if !e.server {
			return errClientOnly
		}
		if e.maxPushSeen && f.PushID < e.maxPushID {
			return errMaxPushID
		}
		e.maxPushSeen, e.maxPushID = true, f.PushID
	case *CancelPushFrame:
		// §7.2.3: "If a CANCEL_PUSH frame is received that references a
		// push ID greater than currently allowed on the connection, this
		// MUST be treated as a connection error of type H3_ID_ERROR." A
		// client allows none (it sends no MAX_PUSH_ID); and "If a server
		// receives a CANCEL_PUSH frame for a push ID that has not yet
		// been mentioned by a PUSH_PROMISE frame, this MUST be treated as
		// a connection error of type H3_ID_ERROR": this server promises
		// none.
		return errPushID
	case *PriorityUpdateFrame:
		// RFC 9218 §7.2: PRIORITY_UPDATE is only sent by clients; "If a
		// client receives a PRIORITY_UPDATE frame, this MUST be treated
		// as a connection error of type H3_FRAME_UNEXPECTED."
		if !e.server {
			return errClientOnly
		}
		if f.IsPush {
			// RFC 9218 §7.2: "If a server receives a PRIORITY_UPDATE
			// (type=0xF0701) with a push ID that is greater than the
			// maximum push ID or that has not yet been promised, this
			// MUST be treated as a connection error of type
			// H3_ID_ERROR." This server promises no push.
			return errPushID
		}
		// RFC 9218 §7.2: "If a server receives a PRIORITY_UPDATE
		// (type=0xF0700) for a stream ID that is not a request stream,
		// this MUST be treated as a connection error of type
		// H3_ID_ERROR."
		if !quic.IsBidi(f.PrioritizedElementID) || quic.IsServerInitiated(f.PrioritizedElementID) {
			return errStreamID
		}
	}
	return nil
}

// pushPromise applies RFC 9114 §7.2.5 to a PUSH_PROMISE frame: "A server
// MUST treat the receipt of a PUSH_PROMISE frame as a connection error of
// type H3_FRAME_UNEXPECTED", and a client, which advertised no push ID
// (it sends no MAX_PUSH_ID), "MUST treat receipt of a PUSH_PROMISE frame
// that contains a larger push ID than the client has advertised as a
// connection error of H3_ID_ERROR".
func (e *endpoint) pushPromise() error {
	if e.server {
		return errServerOnly
	}
	return errPushID
}

// abandon stops reading request stream s before its end: the peer reset
// it, or this end no longer wants it. RFC 9204 §2.2.2.2: "When an endpoint
// receives a stream reset before the end of a stream or before all encoded
// field sections are processed on that stream, or when it abandons reading
// of a stream, it generates a Stream Cancellation instruction". The
// decoder drops the stream's blocked section, if any, which then no longer
// counts against SETTINGS_QPACK_BLOCKED_STREAMS (§2.1.2).
func (e *endpoint) abandon(now sim.Time, s *streamIn) {
	if s.done {
		return
	}
	s.done = true
	s.blocked, s.finPending = false, false
	s.held, s.heldBytes = s.held[:0], s.heldBytes[:0]
	e.dec.CancelStream(s.id)
	e.acknowledge(now)
}
