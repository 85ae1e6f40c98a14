package qpack

// The encoder and decoder streams are unframed sequences of instructions
// (RFC 9204 §4.2) that the transport delivers in pieces of any size: an
// instruction may be split anywhere, and one piece may hold many. The
// parsers here buffer what they are given and hand out whole instructions.

// streamBuffer holds the octets of a stream that are not yet parsed.
type streamBuffer struct {
	buf []byte
	// pos is where the next instruction starts in buf; off is its offset
	// in the stream.
	pos int
	off uint64
	// need is how many octets buf[pos:] must hold before parsing can get
	// further than last time (0: try whenever there is an octet).
	need int
}

// Write adds the next octets of the stream.
func (s *streamBuffer) Write(p []byte) {
	switch {
	case s.pos == len(s.buf):
		s.buf, s.pos = s.buf[:0], 0
	case s.pos > 0 && s.pos >= len(s.buf)/2:
		n := copy(s.buf, s.buf[s.pos:])
		s.buf, s.pos = s.buf[:n], 0
	}
	s.buf = append(s.buf, p...)
}

// Buffered is the number of octets written but not yet returned as part of
// an instruction: the start of an instruction still incomplete.
func (s *streamBuffer) Buffered() int { return len(s.buf) - s.pos }

// Offset is the number of octets returned as whole instructions so far:
// the stream offset of the next instruction.
func (s *streamBuffer) Offset() uint64 { return s.off }

// ready reports whether enough octets are buffered to try parsing.
func (s *streamBuffer) ready() bool {
	n := len(s.buf) - s.pos
	return n > 0 && n >= s.need
}

// consume advances past an instruction of n octets and returns its offset.
func (s *streamBuffer) consume(n int) uint64 {
	off := s.off
	s.pos += n
	s.off += uint64(n)
	s.need = 0
	return off
}

// EncoderStreamParser parses an encoder stream (RFC 9204 §4.3) delivered in
// pieces: Write the octets as they arrive, then call Next until it returns
// ok == false. The zero value accepts no string literals longer than 0
// octets; set MaxEntrySize.
type EncoderStreamParser struct {
	streamBuffer
	// MaxEntrySize bounds string literals as ParseEncoderInstruction's
	// maxEntrySize does; the Decoder keeps it at its table capacity.
	MaxEntrySize uint64
	lastMax      uint64
	lits         literals
}

// Next returns the next whole instruction, its offset in the stream and
// its length. ok is false, with a nil error, when the buffered octets hold
// no whole instruction. Errors are *Error with code ErrEncoderStreamError,
// their offsets counted from the start of the stream; after one the parser
// is stuck (the connection is closed, RFC 9204 §6).
func (p *EncoderStreamParser) Next() (in EncoderInstruction, off uint64, n int, ok bool, err error) {
	if p.MaxEntrySize != p.lastMax {
		p.lastMax, p.need = p.MaxEntrySize, 0
	}
	if !p.ready() {
		return in, p.off, 0, false, nil
	}
	in, n, need, e := parseEncoderInstruction(p.buf[p.pos:], p.MaxEntrySize, &p.lits)
	if e != nil {
		if incomplete(e) {
			p.need = need
			return EncoderInstruction{}, p.off, 0, false, nil
		}
		e.Code = ErrEncoderStreamError
		e.Offset += p.off
		return in, p.off, 0, false, e
	}
	return in, p.consume(n), n, true, nil
}

// DecoderStreamParser parses a decoder stream (RFC 9204 §4.4) delivered in
// pieces: Write the octets as they arrive, then call Next until it returns
// ok == false. The zero value is ready to use.
type DecoderStreamParser struct {
	streamBuffer
}

// Next returns the next whole instruction, its offset in the stream and
// its length. ok is false, with a nil error, when the buffered octets hold
// no whole instruction. Errors are *Error with code ErrDecoderStreamError,
// their offsets counted from the start of the stream.
func (p *DecoderStreamParser) Next() (in DecoderInstruction, off uint64, n int, ok bool, err error) {
	if !p.ready() {
		return in, p.off, 0, false, nil
	}
	in, n, e := parseDecoderInstruction(p.buf[p.pos:])
	if e != nil {
		if incomplete(e) {
			p.need = len(p.buf) - p.pos + 1
			return DecoderInstruction{}, p.off, 0, false, nil
		}
		e.Code = ErrDecoderStreamError
		e.Offset += p.off
		return in, p.off, 0, false, e
	}
	return in, p.consume(n), n, true, nil
}
