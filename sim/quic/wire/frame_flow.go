package wire

// This file holds the flow-control frames (RFC 9000 §4): the limits
// MAX_DATA, MAX_STREAM_DATA and MAX_STREAMS, and the signals that a sender
// is blocked by them, DATA_BLOCKED, STREAM_DATA_BLOCKED and STREAMS_BLOCKED.

// MaxDataFrame is a MAX_DATA frame: the connection-wide limit on stream
// data the peer may send (RFC 9000 §19.9).
type MaxDataFrame struct {
	// MaximumData is the limit in bytes.
	MaximumData uint64
}

// Type returns FrameTypeMaxData.
func (f *MaxDataFrame) Type() FrameType { return FrameTypeMaxData }

// AckEliciting returns true.
func (f *MaxDataFrame) AckEliciting() bool { return true }

// InFlight returns true.
func (f *MaxDataFrame) InFlight() bool { return true }

// Append appends the encoded frame.
func (f *MaxDataFrame) Append(dst []byte) []byte {
	return AppendVarint(append(dst, byte(FrameTypeMaxData)), f.MaximumData)
}

// Length returns the encoded length.
func (f *MaxDataFrame) Length() int { return 1 + VarintLen(f.MaximumData) }

// MaxStreamDataFrame is a MAX_STREAM_DATA frame: the limit on data the peer
// may send on one stream (RFC 9000 §19.10).
type MaxStreamDataFrame struct {
	StreamID uint64
	// MaximumStreamData is the limit, as a byte offset in the stream.
	MaximumStreamData uint64
}

// Type returns FrameTypeMaxStreamData.
func (f *MaxStreamDataFrame) Type() FrameType { return FrameTypeMaxStreamData }

// AckEliciting returns true.
func (f *MaxStreamDataFrame) AckEliciting() bool { return true }

// InFlight returns true.
func (f *MaxStreamDataFrame) InFlight() bool { return true }

// Append appends the encoded frame.
func (f *MaxStreamDataFrame) Append(dst []byte) []byte {
	dst = AppendVarint(append(dst, byte(FrameTypeMaxStreamData)), f.StreamID)
	return AppendVarint(dst, f.MaximumStreamData)
}

// Length returns the encoded length.
func (f *MaxStreamDataFrame) Length() int {
	return 1 + VarintLen(f.StreamID) + VarintLen(f.MaximumStreamData)
}

// MaxStreamsFrame is a MAX_STREAMS frame: the cumulative number of streams
// of one direction the peer may open (RFC 9000 §19.11), type 0x12 for
// bidirectional and 0x13 for unidirectional streams.
type MaxStreamsFrame struct {
	Direction StreamDirection
	// MaximumStreams is the stream count, at most MaxStreamCount.
	MaximumStreams uint64
}

// Type returns FrameTypeMaxStreamsBidi or FrameTypeMaxStreamsUni.
func (f *MaxStreamsFrame) Type() FrameType {
	if f.Direction == Unidirectional {
		return FrameTypeMaxStreamsUni
	}
	return FrameTypeMaxStreamsBidi
}

// AckEliciting returns true.
func (f *MaxStreamsFrame) AckEliciting() bool { return true }

// InFlight returns true.
func (f *MaxStreamsFrame) InFlight() bool { return true }

// Append appends the encoded frame.
func (f *MaxStreamsFrame) Append(dst []byte) []byte {
	return AppendVarint(append(dst, byte(f.Type())), f.MaximumStreams)
}

// Length returns the encoded length.
func (f *MaxStreamsFrame) Length() int { return 1 + VarintLen(f.MaximumStreams) }

// DataBlockedFrame is a DATA_BLOCKED frame: the sender has data to send but
// is blocked by the connection's flow-control limit (RFC 9000 §19.12).
type DataBlockedFrame struct {
	// MaximumData is the connection limit at which blocking occurred.
	MaximumData uint64
}

// Type returns FrameTypeDataBlocked.
func (f *DataBlockedFrame) Type() FrameType { return FrameTypeDataBlocked }

// AckEliciting returns true.
func (f *DataBlockedFrame) AckEliciting() bool { return true }

// InFlight returns true.
func (f *DataBlockedFrame) InFlight() bool { return true }

// Append appends the encoded frame.
func (f *DataBlockedFrame) Append(dst []byte) []byte {
	return AppendVarint(append(dst, byte(FrameTypeDataBlocked)), f.MaximumData)
}

// Length returns the encoded length.
func (f *DataBlockedFrame) Length() int { return 1 + VarintLen(f.MaximumData) }

// StreamDataBlockedFrame is a STREAM_DATA_BLOCKED frame: the sender is
// blocked by one stream's flow-control limit (RFC 9000 §19.13).
type StreamDataBlockedFrame struct {
	StreamID uint64
	// MaximumStreamData is the stream offset at which blocking occurred.
	MaximumStreamData uint64
}

// Type returns FrameTypeStreamDataBlocked.
func (f *StreamDataBlockedFrame) Type() FrameType { return FrameTypeStreamDataBlocked }

// AckEliciting returns true.
func (f *StreamDataBlockedFrame) AckEliciting() bool { return true }

// InFlight returns true.
func (f *StreamDataBlockedFrame) InFlight() bool { return true }

// Append appends the encoded frame.
func (f *StreamDataBlockedFrame) Append(dst []byte) []byte {
	dst = AppendVarint(append(dst, byte(FrameTypeStreamDataBlocked)), f.StreamID)
	return AppendVarint(dst, f.MaximumStreamData)
}

// Length returns the encoded length.
func (f *StreamDataBlockedFrame) Length() int {
	return 1 + VarintLen(f.StreamID) + VarintLen(f.MaximumStreamData)
}

// StreamsBlockedFrame is a STREAMS_BLOCKED frame: the sender wants to open
// a stream but is at the peer's stream limit (RFC 9000 §19.14), type 0x16
// for bidirectional and 0x17 for unidirectional streams.
type StreamsBlockedFrame struct {
	Direction StreamDirection
	// MaximumStreams is the stream limit at the time the frame was sent,
	// at most MaxStreamCount.
	MaximumStreams uint64
}

// Type returns FrameTypeStreamsBlockedBidi or FrameTypeStreamsBlockedUni.
func (f *StreamsBlockedFrame) Type() FrameType {
	if f.Direction == Unidirectional {
		return FrameTypeStreamsBlockedUni
	}
	return FrameTypeStreamsBlockedBidi
}

// AckEliciting returns true.
func (f *StreamsBlockedFrame) AckEliciting() bool { return true }

// InFlight returns true.
func (f *StreamsBlockedFrame) InFlight() bool { return true }

// Append appends the encoded frame.
func (f *StreamsBlockedFrame) Append(dst []byte) []byte {
	return AppendVarint(append(dst, byte(f.Type())), f.MaximumStreams)
}

// Length returns the encoded length.
func (f *StreamsBlockedFrame) Length() int { return 1 + VarintLen(f.MaximumStreams) }

// directionOf returns Unidirectional if t is the unidirectional variant uni.
func directionOf(t, uni FrameType) StreamDirection {
	if t == uni {
		return Unidirectional
	}
	return Bidirectional
}

// parseStreamOffset reads the body MAX_STREAM_DATA and STREAM_DATA_BLOCKED
// share: a stream ID and an offset in it (§19.10, §19.13). A fault is left
// in p.err.
func parseStreamOffset(p *parser) (id, offset uint64) {
	return p.varint("Stream ID"), p.varint("Maximum Stream Data")
}

// parseStreamCount reads the body MAX_STREAMS and STREAMS_BLOCKED share: a
// stream count, whose direction the frame type gives (uni is the type of
// the unidirectional variant). A count above 2^60 is a
// FRAME_ENCODING_ERROR (§19.11; §19.14 also allows STREAM_LIMIT_ERROR,
// this package uses the former for both frames). A fault is left in
// p.err.
func parseStreamCount(p *parser, uni FrameType) (StreamDirection, uint64) {
	n := p.varint("Maximum Streams")
	if p.err == nil && n > MaxStreamCount {
		p.fail("Maximum Streams %d exceeds 2^60", n)
	}
	return directionOf(p.typ, uni), n
}
