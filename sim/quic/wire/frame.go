package wire

import "fmt"

// FrameType is a QUIC frame type (RFC 9000 §12.4, Table 3). Frame types
// that carry flags (ACK, STREAM, MAX_STREAMS, STREAMS_BLOCKED,
// CONNECTION_CLOSE) have several values.
type FrameType uint64

// Frame types (RFC 9000 §12.4, Table 3).
const (
	FrameTypePadding            FrameType = 0x00
	FrameTypePing               FrameType = 0x01
	FrameTypeAck                FrameType = 0x02
	FrameTypeAckECN             FrameType = 0x03
	FrameTypeResetStream        FrameType = 0x04
	FrameTypeStopSending        FrameType = 0x05
	FrameTypeCrypto             FrameType = 0x06
	FrameTypeNewToken           FrameType = 0x07
	FrameTypeStream             FrameType = 0x08 // 0x08-0x0f: OFF, LEN and FIN bits below
	FrameTypeMaxData            FrameType = 0x10
	FrameTypeMaxStreamData      FrameType = 0x11
	FrameTypeMaxStreamsBidi     FrameType = 0x12
	FrameTypeMaxStreamsUni      FrameType = 0x13
	FrameTypeDataBlocked        FrameType = 0x14
	FrameTypeStreamDataBlocked  FrameType = 0x15
	FrameTypeStreamsBlockedBidi FrameType = 0x16
	FrameTypeStreamsBlockedUni  FrameType = 0x17
	FrameTypeNewConnectionID    FrameType = 0x18
	FrameTypeRetireConnectionID FrameType = 0x19
	FrameTypePathChallenge      FrameType = 0x1a
	FrameTypePathResponse       FrameType = 0x1b
	FrameTypeConnectionClose    FrameType = 0x1c // transport error
	FrameTypeConnectionCloseApp FrameType = 0x1d // application error
	FrameTypeHandshakeDone      FrameType = 0x1e
)

// STREAM frame type bits (RFC 9000 §19.8).
const (
	StreamFinBit FrameType = 0x01 // FIN: the frame ends the stream
	StreamLenBit FrameType = 0x02 // LEN: a Length field is present
	StreamOffBit FrameType = 0x04 // OFF: an Offset field is present
)

// frameTypeNames are qlog's frame_type names (draft-ietf-quic-qlog-quic-events).
var frameTypeNames = [...]string{
	FrameTypePadding:            "padding",
	FrameTypePing:               "ping",
	FrameTypeAck:                "ack",
	FrameTypeAckECN:             "ack",
	FrameTypeResetStream:        "reset_stream",
	FrameTypeStopSending:        "stop_sending",
	FrameTypeCrypto:             "crypto",
	FrameTypeNewToken:           "new_token",
	0x08:                        "stream",
	0x09:                        "stream",
	0x0a:                        "stream",
	0x0b:                        "stream",
	0x0c:                        "stream",
	0x0d:                        "stream",
	0x0e:                        "stream",
	0x0f:                        "stream",
	FrameTypeMaxData:            "max_data",
	FrameTypeMaxStreamData:      "max_stream_data",
	FrameTypeMaxStreamsBidi:     "max_streams",
	FrameTypeMaxStreamsUni:      "max_streams",
	FrameTypeDataBlocked:        "data_blocked",
	FrameTypeStreamDataBlocked:  "stream_data_blocked",
	FrameTypeStreamsBlockedBidi: "streams_blocked",
	FrameTypeStreamsBlockedUni:  "streams_blocked",
	FrameTypeNewConnectionID:    "new_connection_id",
	FrameTypeRetireConnectionID: "retire_connection_id",
	FrameTypePathChallenge:      "path_challenge",
	FrameTypePathResponse:       "path_response",
	FrameTypeConnectionClose:    "connection_close",
	FrameTypeConnectionCloseApp: "connection_close",
	FrameTypeHandshakeDone:      "handshake_done",
}

// String returns qlog's frame_type name ("ack", "stream", ...), or
// "unknown" for types RFC 9000 does not define.
func (t FrameType) String() string {
	if t.Known() {
		return frameTypeNames[t]
	}
	return "unknown"
}

// Known reports whether RFC 9000 defines t.
func (t FrameType) Known() bool { return t < FrameType(len(frameTypeNames)) }

// IsStream reports whether t is one of the eight STREAM frame types.
func (t FrameType) IsStream() bool { return t >= 0x08 && t <= 0x0f }

// AckEliciting reports whether a frame of type t makes its packet
// ack-eliciting: all frames except ACK, PADDING and CONNECTION_CLOSE
// (RFC 9002 §2; RFC 9000 §13.2, Table 3 "N").
func (t FrameType) AckEliciting() bool {
	switch t {
	case FrameTypeAck, FrameTypeAckECN, FrameTypePadding,
		FrameTypeConnectionClose, FrameTypeConnectionCloseApp:
		return false
	}
	return true
}

// InFlight reports whether a frame of type t makes its packet count toward
// bytes in flight: ack-eliciting frames and PADDING (RFC 9002 §2 "In
// flight"; RFC 9000 Table 3 "C" marks ACK only, and CONNECTION_CLOSE-only
// packets are not in flight either, RFC 9002 §2).
func (t FrameType) InFlight() bool { return t.AckEliciting() || t == FrameTypePadding }

// AllowedIn reports whether a frame of type t may appear in a packet of type
// pt (RFC 9000 §12.4, Table 3 "Pkts" column; §12.5). Receipt of a frame in a
// packet type where it is not allowed is a connection error of type
// PROTOCOL_VIOLATION.
func (t FrameType) AllowedIn(pt PacketType) bool {
	switch pt {
	case Packet1RTT:
		return t.Known() // "all frames can appear in 1-RTT packets"
	case PacketInitial, PacketHandshake: // IH
		switch t {
		case FrameTypePadding, FrameTypePing, FrameTypeAck, FrameTypeAckECN,
			FrameTypeCrypto, FrameTypeConnectionClose: // "ih": only 0x1c
			return true
		}
		return false
	case Packet0RTT: // 0: everything but ACK, CRYPTO, NEW_TOKEN, PATH_RESPONSE, HANDSHAKE_DONE
		switch t {
		case FrameTypeAck, FrameTypeAckECN, FrameTypeCrypto, FrameTypeNewToken,
			FrameTypePathResponse, FrameTypeHandshakeDone:
			return false
		}
		return t.Known()
	}
	return false // Retry packets carry no frames
}

// CheckAllowedIn returns nil if a frame of type t may appear in a packet of
// type pt, and otherwise the PROTOCOL_VIOLATION the receiver must close the
// connection with (RFC 9000 §12.4).
func CheckAllowedIn(t FrameType, pt PacketType) error {
	if t.AllowedIn(pt) {
		return nil
	}
	return &TransportError{Code: ProtocolViolation, FrameType: t, Reason: "frame not allowed in a " + pt.String() + " packet"}
}

// A Frame is one QUIC frame (RFC 9000 §19). Every Frame's Append writes
// exactly Length() bytes, and ParseFrame of those bytes gives back an equal
// Frame.
type Frame interface {
	// Type returns the frame type as written on the wire, flag bits included.
	Type() FrameType
	// Append appends the encoded frame to dst.
	Append(dst []byte) []byte
	// Length returns the encoded length of the frame in bytes.
	Length() int
	// AckEliciting reports whether the frame makes its packet
	// ack-eliciting (RFC 9002 §2).
	AckEliciting() bool
	// InFlight reports whether the frame makes its packet count toward
	// bytes in flight (RFC 9002 §2).
	InFlight() bool
}

// Every frame type implements Frame.
var (
	_ Frame = (*PaddingFrame)(nil)
	_ Frame = (*PingFrame)(nil)
	_ Frame = (*AckFrame)(nil)
	_ Frame = (*ResetStreamFrame)(nil)
	_ Frame = (*StopSendingFrame)(nil)
	_ Frame = (*CryptoFrame)(nil)
	_ Frame = (*NewTokenFrame)(nil)
	_ Frame = (*StreamFrame)(nil)
	_ Frame = (*MaxDataFrame)(nil)
	_ Frame = (*MaxStreamDataFrame)(nil)
	_ Frame = (*MaxStreamsFrame)(nil)
	_ Frame = (*DataBlockedFrame)(nil)
	_ Frame = (*StreamDataBlockedFrame)(nil)
	_ Frame = (*StreamsBlockedFrame)(nil)
	_ Frame = (*NewConnectionIDFrame)(nil)
	_ Frame = (*RetireConnectionIDFrame)(nil)
	_ Frame = (*PathChallengeFrame)(nil)
	_ Frame = (*PathResponseFrame)(nil)
	_ Frame = (*ConnectionCloseFrame)(nil)
	_ Frame = (*HandshakeDoneFrame)(nil)
)

// StreamDirection says whether a MAX_STREAMS or STREAMS_BLOCKED frame is
// about bidirectional or unidirectional streams (RFC 9000 §19.11, §19.14).
type StreamDirection uint8

// Stream directions.
const (
	Bidirectional StreamDirection = iota
	Unidirectional
)

// String returns qlog's stream_type name.
func (d StreamDirection) String() string {
	if d == Unidirectional {
		return "unidirectional"
	}
	return "bidirectional"
}

// MaxStreamCount is the largest stream count a MAX_STREAMS or STREAMS_BLOCKED
// frame may carry, 2^60: stream IDs above 2^62-1 cannot be encoded
// (RFC 9000 §19.11, §19.14).
const MaxStreamCount = 1 << 60

// ParseFrame parses the frame at the start of b and returns it with its
// encoded length. A frame type that is unknown or not minimally encoded, or
// a frame that is truncated or malformed, gives a *TransportError
// (RFC 9000 §12.4, §19).
func ParseFrame(b []byte) (Frame, int, error) {
	v, n, err := ReadVarint(b)
	if err != nil {
		return nil, 0, &TransportError{Code: FrameEncodingError, Reason: "truncated frame type"}
	}
	t := FrameType(v)
	if n != VarintLen(v) {
		// RFC 9000 §12.4: a frame type MUST use the shortest encoding; the
		// receiver MAY treat a longer one as PROTOCOL_VIOLATION.
		return nil, 0, &TransportError{Code: ProtocolViolation, FrameType: t, Reason: "frame type not minimally encoded"}
	}
	p := &parser{b: b, off: n, typ: t}
	var f Frame
	switch {
	case t == FrameTypePadding:
		f = parsePaddingFrame(p)
	case t == FrameTypePing:
		f = &PingFrame{}
	case t == FrameTypeAck || t == FrameTypeAckECN:
		f = parseAckFrame(p)
	case t == FrameTypeResetStream:
		f = parseResetStreamFrame(p)
	case t == FrameTypeStopSending:
		f = parseStopSendingFrame(p)
	case t == FrameTypeCrypto:
		f = parseCryptoFrame(p)
	case t == FrameTypeNewToken:
		f = parseNewTokenFrame(p)
	case t.IsStream():
		f = parseStreamFrame(p)
	case t == FrameTypeMaxData:
		f = &MaxDataFrame{MaximumData: p.varint("Maximum Data")}
	case t == FrameTypeMaxStreamData:
		id, off := parseStreamOffset(p)
		f = &MaxStreamDataFrame{StreamID: id, MaximumStreamData: off}
	case t == FrameTypeMaxStreamsBidi || t == FrameTypeMaxStreamsUni:
		dir, n := parseStreamCount(p, FrameTypeMaxStreamsUni)
		f = &MaxStreamsFrame{Direction: dir, MaximumStreams: n}
	case t == FrameTypeDataBlocked:
		f = &DataBlockedFrame{MaximumData: p.varint("Maximum Data")}
	case t == FrameTypeStreamDataBlocked:
		id, off := parseStreamOffset(p)
		f = &StreamDataBlockedFrame{StreamID: id, MaximumStreamData: off}
	case t == FrameTypeStreamsBlockedBidi || t == FrameTypeStreamsBlockedUni:
		dir, n := parseStreamCount(p, FrameTypeStreamsBlockedUni)
		f = &StreamsBlockedFrame{Direction: dir, MaximumStreams: n}
	case t == FrameTypeNewConnectionID:
		f = parseNewConnectionIDFrame(p)
	case t == FrameTypeRetireConnectionID:
		f = &RetireConnectionIDFrame{SequenceNumber: p.varint("Sequence Number")}
	case t == FrameTypePathChallenge:
		f = &PathChallengeFrame{Data: p.array8("Data")}
	case t == FrameTypePathResponse:
		f = &PathResponseFrame{Data: p.array8("Data")}
	case t == FrameTypeConnectionClose || t == FrameTypeConnectionCloseApp:
		f = parseConnectionCloseFrame(p)
	case t == FrameTypeHandshakeDone:
		f = &HandshakeDoneFrame{}
	default:
		// RFC 9000 §12.4: a frame of unknown type is FRAME_ENCODING_ERROR.
		return nil, 0, &TransportError{Code: FrameEncodingError, FrameType: t, Reason: "unknown frame type"}
	}
	if p.err != nil {
		return nil, 0, p.err
	}
	return f, p.off, nil
}

// ParseFrames parses a packet payload into its frames, in order. A payload
// with no frames is a PROTOCOL_VIOLATION (RFC 9000 §12.4); any frame error
// is returned as a *TransportError and no frames are returned with it.
func ParseFrames(payload []byte) ([]Frame, error) {
	if len(payload) == 0 {
		return nil, &TransportError{Code: ProtocolViolation, Reason: "packet contains no frames"}
	}
	var frames []Frame
	for len(payload) > 0 {
		f, n, err := ParseFrame(payload)
		if err != nil {
			return nil, err
		}
		frames = append(frames, f)
		payload = payload[n:]
	}
	return frames, nil
}

// AppendFrames appends the encodings of frames to dst, in order.
func AppendFrames(dst []byte, frames []Frame) []byte {
	for _, f := range frames {
		dst = f.Append(dst)
	}
	return dst
}

// FramesLength returns the encoded length of frames.
func FramesLength(frames []Frame) int {
	n := 0
	for _, f := range frames {
		n += f.Length()
	}
	return n
}

// AckEliciting reports whether a packet carrying frames is ack-eliciting
// (RFC 9002 §2).
func AckEliciting(frames []Frame) bool {
	for _, f := range frames {
		if f.AckEliciting() {
			return true
		}
	}
	return false
}

// InFlight reports whether a packet carrying frames counts toward bytes in
// flight once sent: it is ack-eliciting or carries PADDING (RFC 9002 §2).
func InFlight(frames []Frame) bool {
	for _, f := range frames {
		if f.InFlight() {
			return true
		}
	}
	return false
}

// parser reads the fields of one frame. Its first error sticks: later reads
// return zero values, so a frame parser reads all its fields and checks
// p.err once.
type parser struct {
	b   []byte
	off int
	typ FrameType
	err error
}

// fail records a FRAME_ENCODING_ERROR unless an error is already recorded.
func (p *parser) fail(format string, args ...any) {
	p.failCode(FrameEncodingError, format, args...)
}

func (p *parser) failCode(code TransportErrorCode, format string, args ...any) {
	if p.err == nil {
		p.err = &TransportError{Code: code, FrameType: p.typ, Reason: fmt.Sprintf(format, args...)}
	}
}

// varint reads a variable-length integer field.
func (p *parser) varint(field string) uint64 {
	if p.err != nil {
		return 0
	}
	v, n, err := ReadVarint(p.b[p.off:])
	if err != nil {
		p.fail("truncated %s", field)
		return 0
	}
	p.off += n
	return v
}

// bytes reads an n-byte field. The result aliases the input and has its
// capacity clipped so that appending to it cannot overwrite what follows.
func (p *parser) bytes(n uint64, field string) []byte {
	if p.err != nil {
		return nil
	}
	if n > uint64(len(p.b)-p.off) {
		p.fail("truncated %s", field)
		return nil
	}
	end := p.off + int(n)
	s := p.b[p.off:end:end]
	p.off = end
	return s
}

// array8 reads an 8-byte field.
func (p *parser) array8(field string) (a [8]byte) {
	copy(a[:], p.bytes(8, field))
	return a
}
