package wire

import "fmt"

// StreamFrame is a STREAM frame (RFC 9000 §19.8), types 0x08-0x0f:
//
//	Type (i) = 0x08..0x0f, Stream ID (i), [Offset (i)], [Length (i)],
//	Stream Data (..)
//
// The OFF bit is set exactly when Offset is not zero; the LEN bit when
// HasLength is set; the FIN bit when Fin is set. A frame without the LEN bit
// extends to the end of the packet, so it must be the packet's last frame.
//
// The data may be filler: DataLen is always the data's length, and Data is
// either nil (the bytes are not materialised) or exactly DataLen bytes.
// Length counts the data either way; AppendHeader writes everything but the
// data; Append writes Data, or DataLen zero bytes in its place.
type StreamFrame struct {
	// StreamID is the Stream ID field.
	StreamID uint64
	// Offset is the byte offset in the stream of the data (§19.8).
	Offset uint64
	// Fin marks the end of the stream: Offset+DataLen is its final size.
	Fin bool
	// HasLength sets the LEN bit and writes a Length field.
	HasLength bool
	// DataLen is the number of data bytes.
	DataLen int
	// Data is the stream data, or nil for filler.
	Data []byte
}

// parseStreamFrame parses the fields of a STREAM frame (§19.8).
func parseStreamFrame(p *parser) *StreamFrame {
	f := &StreamFrame{Fin: p.typ&StreamFinBit != 0, HasLength: p.typ&StreamLenBit != 0}
	f.StreamID = p.varint("Stream ID")
	if p.typ&StreamOffBit != 0 {
		f.Offset = p.varint("Offset")
	}
	var n uint64
	if f.HasLength {
		n = p.varint("Length")
	} else if p.err == nil {
		n = uint64(len(p.b) - p.off) // no LEN bit: the rest of the packet
	}
	f.Data = p.bytes(n, "Stream Data")
	if p.err != nil {
		return nil
	}
	f.DataLen = len(f.Data)
	// §19.8: "The largest offset delivered on a stream -- the sum of the
	// offset and data length -- cannot exceed 2^62-1."
	if f.Offset > MaxVarint-uint64(f.DataLen) {
		p.fail("offset %d + length %d exceeds 2^62-1", f.Offset, f.DataLen)
		return nil
	}
	return f
}

// Type returns the frame type with its OFF, LEN and FIN bits.
func (f *StreamFrame) Type() FrameType {
	t := FrameTypeStream
	if f.Offset != 0 {
		t |= StreamOffBit
	}
	if f.HasLength {
		t |= StreamLenBit
	}
	if f.Fin {
		t |= StreamFinBit
	}
	return t
}

// AckEliciting returns true.
func (f *StreamFrame) AckEliciting() bool { return true }

// InFlight returns true.
func (f *StreamFrame) InFlight() bool { return true }

// HeaderLen returns the length of everything but the data.
func (f *StreamFrame) HeaderLen() int {
	return StreamHeaderLen(f.StreamID, f.Offset, f.DataLen, f.HasLength)
}

// Length returns the encoded length, data included.
func (f *StreamFrame) Length() int { return f.HeaderLen() + f.DataLen }

// AppendHeader appends the frame's type and header fields, not its data.
// It panics if Data is not nil and not DataLen bytes long.
func (f *StreamFrame) AppendHeader(dst []byte) []byte {
	f.mustConsistent()
	dst = append(dst, byte(f.Type()))
	dst = AppendVarint(dst, f.StreamID)
	if f.Offset != 0 {
		dst = AppendVarint(dst, f.Offset)
	}
	if f.HasLength {
		dst = AppendVarint(dst, uint64(f.DataLen))
	}
	return dst
}

// Append appends the whole frame: header, then Data or, for filler,
// DataLen zero bytes.
func (f *StreamFrame) Append(dst []byte) []byte {
	dst = f.AppendHeader(dst)
	if f.Data != nil {
		return append(dst, f.Data...)
	}
	return appendZeros(dst, f.DataLen)
}

func (f *StreamFrame) mustConsistent() {
	if f.DataLen < 0 || (f.Data != nil && len(f.Data) != f.DataLen) {
		panic(fmt.Sprintf("wire: STREAM frame with DataLen %d and %d bytes of Data", f.DataLen, len(f.Data)))
	}
}

// StreamHeaderLen returns the length of a STREAM frame's type and header
// fields for the given stream ID, offset and data length, with a Length
// field if hasLength. The frame's total length is this plus dataLen.
func StreamHeaderLen(streamID, offset uint64, dataLen int, hasLength bool) int {
	n := 1 + VarintLen(streamID)
	if offset != 0 {
		n += VarintLen(offset)
	}
	if hasLength {
		n += VarintLen(uint64(dataLen))
	}
	return n
}

// MaxStreamDataLen returns the most data bytes a STREAM frame for streamID
// at offset can carry within budget bytes, header included, and whether the
// header itself fits. With hasLength false the frame must end the packet.
func MaxStreamDataLen(streamID, offset uint64, budget int, hasLength bool) (int, bool) {
	fixed := 1 + VarintLen(streamID)
	if offset != 0 {
		fixed += VarintLen(offset)
	}
	return maxDataLen(fixed, budget, hasLength)
}

// maxDataLen returns the largest n with fixed + [VarintLen(n)] + n <= budget.
func maxDataLen(fixed, budget int, hasLength bool) (int, bool) {
	room := budget - fixed
	if !hasLength {
		return room, room >= 0
	}
	// For each width of the Length field, the most data is whatever room
	// is left, capped by the largest value that width can encode.
	best, ok := 0, false
	for _, w := range [...]int{1, 2, 4, 8} {
		n := min(room-w, maxVarintOfLen(w))
		if n >= 0 && n >= best {
			best, ok = n, true
		}
	}
	return best, ok
}

// maxVarintOfLen returns the largest value a w-byte varint encodes.
func maxVarintOfLen(w int) int {
	return 1<<(8*w-2) - 1
}
