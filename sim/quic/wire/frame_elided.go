package wire

// This file reads frames whose STREAM and CRYPTO data have been left out:
// the form in which a simulator that refers to stream bytes instead of
// copying them records its packets (a trace's packet_sent record holds the
// header and the frames, not the megabytes of body they carry).

// AppendElided appends f as ParseFrameElided reads it: STREAM and CRYPTO
// frames are written without their data (AppendHeader), every other frame
// whole.
func AppendElided(dst []byte, f Frame) []byte {
	switch f := f.(type) {
	case *StreamFrame:
		return f.AppendHeader(dst)
	case *CryptoFrame:
		return f.AppendHeader(dst)
	}
	return f.Append(dst)
}

// ElidedLength returns the length of f as AppendElided writes it.
func ElidedLength(f Frame) int {
	switch f := f.(type) {
	case *StreamFrame:
		return f.HeaderLen()
	case *CryptoFrame:
		return f.HeaderLen()
	}
	return f.Length()
}

// ParseFrameElided parses the frame at the start of b, which holds frames in
// the form AppendElided writes: the data of STREAM and CRYPTO frames is not
// in b, and the frame after one follows its header directly. The returned
// frame has Data nil and DataLen set from its Length field. A STREAM frame
// without a Length field runs to the end of its packet (RFC 9000 §19.8), so
// it must end b, and its DataLen is open, which the caller knows from
// elsewhere (the packet's data bytes not accounted for by the other frames).
// Every other frame is parsed as ParseFrame parses it, with the same errors.
func ParseFrameElided(b []byte, open int) (Frame, int, error) {
	return parseFrameElided(b, open, nil)
}

// ElidedParser parses frames as ParseFrameElided does, but into storage of
// its own that it reuses: the STREAM, CRYPTO and ACK frames it returns (the
// ones a packet carries by the dozen) are valid until its next Parse. A
// receiver that is done with each frame before it reads the next parses
// packets without allocating. The zero value is ready to use.
type ElidedParser struct {
	stream StreamFrame
	crypto CryptoFrame
	ack    AckFrame
}

// Parse parses the frame at the start of b as ParseFrameElided does.
func (ep *ElidedParser) Parse(b []byte, open int) (Frame, int, error) {
	return parseFrameElided(b, open, ep)
}

// parseFrameElided is ParseFrameElided, into reuse's frames if reuse is not
// nil.
func parseFrameElided(b []byte, open int, reuse *ElidedParser) (Frame, int, error) {
	v, n, err := ReadVarint(b)
	if err != nil {
		return nil, 0, &TransportError{Code: FrameEncodingError, Reason: "truncated frame type"}
	}
	t := FrameType(v)
	switch {
	case t.IsStream() && n == 1:
		p := &parser{b: b, off: n, typ: t}
		var f *StreamFrame
		if reuse != nil {
			f = &reuse.stream
		} else {
			f = new(StreamFrame)
		}
		resetStreamFrame(f)
		f.Fin, f.HasLength = t&StreamFinBit != 0, t&StreamLenBit != 0
		f.StreamID = p.varint("Stream ID")
		if t&StreamOffBit != 0 {
			f.Offset = p.varint("Offset")
		}
		var dl uint64
		if f.HasLength {
			dl = p.varint("Length")
		} else if p.err == nil {
			if p.off != len(b) {
				p.fail("STREAM frame without Length is not the packet's last frame")
			}
			if open < 0 {
				p.fail("negative open data length %d", open)
			}
			dl = uint64(max(open, 0))
		}
		if p.err == nil && (dl > MaxVarint || f.Offset > MaxVarint-dl) {
			p.fail("offset %d + length %d exceeds 2^62-1", f.Offset, dl)
		}
		if p.err == nil && dl > uint64(maxInt) {
			p.fail("length %d too large", dl)
		}
		if p.err != nil {
			return nil, 0, p.err
		}
		f.DataLen = int(dl)
		return f, p.off, nil
	case t == FrameTypeCrypto && n == 1:
		p := &parser{b: b, off: n, typ: t}
		var f *CryptoFrame
		if reuse != nil {
			f = &reuse.crypto
		} else {
			f = new(CryptoFrame)
		}
		f.Offset, f.DataLen = p.varint("Offset"), 0
		if f.Data != nil {
			f.Data = nil
		}
		dl := p.varint("Length")
		if p.err == nil && (dl > MaxVarint || f.Offset > MaxVarint-dl || dl > uint64(maxInt)) {
			p.fail("offset %d + length %d exceeds 2^62-1", f.Offset, dl)
		}
		if p.err != nil {
			return nil, 0, p.err
		}
		f.DataLen = int(dl)
		return f, p.off, nil
	case (t == FrameTypeAck || t == FrameTypeAckECN) && reuse != nil:
		// A one-byte type, so minimally encoded as ParseFrame requires.
		p := &parser{b: b, off: n, typ: t}
		f := parseAckFrameInto(p, &reuse.ack)
		if p.err != nil {
			return nil, 0, p.err
		}
		return f, p.off, nil
	}
	return ParseFrame(b)
}

// resetStreamFrame zeroes a reused frame field by field: assigning a
// StreamFrame literal would go through a bulk write barrier while the
// garbage collector marks, slow in WebAssembly. The Data of a frame this
// parser returns is always nil, so the pointer is rarely stored.
func resetStreamFrame(f *StreamFrame) {
	f.StreamID, f.Offset, f.Fin, f.HasLength, f.DataLen = 0, 0, false, false, 0
	if f.Data != nil {
		f.Data = nil
	}
}

// maxInt is the largest int, for data lengths read from the wire.
const maxInt = int(^uint(0) >> 1)
