package wire

// AckRange is a range of acknowledged packet numbers, [Smallest, Largest]
// inclusive.
type AckRange struct {
	Smallest, Largest uint64
}

// Len returns the number of packet numbers in the range.
func (r AckRange) Len() uint64 { return r.Largest - r.Smallest + 1 }

// ECNCounts are the three ECN counters of an ACK frame of type 0x03
// (RFC 9000 §19.3.2).
type ECNCounts struct {
	ECT0, ECT1, ECNCE uint64
}

// AckFrame is an ACK frame (RFC 9000 §19.3).
//
// Ranges holds the acknowledged packet numbers, largest first; ranges are
// disjoint and separated by at least one unacknowledged packet number, since
// the wire encoding (§19.3.1) cannot express adjacent ranges. NewAckFrame
// builds a valid list from any set of ranges.
type AckFrame struct {
	// Ranges are the acknowledged ranges, largest first. Ranges[0].Largest
	// is the Largest Acknowledged field.
	Ranges []AckRange
	// AckDelay is the ACK Delay field as sent: microseconds scaled down by
	// 2^ack_delay_exponent (§19.3, §18.2). See AckDelayDuration.
	AckDelay uint64
	// ECN, when not nil, makes this an ACK frame of type 0x03 carrying
	// ECN counts (§19.3.2).
	ECN *ECNCounts
}

// Type returns FrameTypeAckECN if the frame carries ECN counts, and
// FrameTypeAck otherwise.
func (f *AckFrame) Type() FrameType {
	if f.ECN != nil {
		return FrameTypeAckECN
	}
	return FrameTypeAck
}

// AckEliciting returns false (RFC 9002 §2).
func (f *AckFrame) AckEliciting() bool { return false }

// InFlight returns false (RFC 9002 §2).
func (f *AckFrame) InFlight() bool { return false }

// parseAckFrame parses the fields of an ACK frame (RFC 9000 §19.3):
//
//	Largest Acknowledged (i), ACK Delay (i), ACK Range Count (i),
//	First ACK Range (i), ACK Range (..) ..., [ECN Counts (..)]
func parseAckFrame(p *parser) *AckFrame { return parseAckFrameInto(p, new(AckFrame)) }

// parseAckFrameInto is parseAckFrame into f, reusing the array of f.Ranges.
// It returns f, or nil on error.
func parseAckFrameInto(p *parser, f *AckFrame) *AckFrame {
	// Field by field, not an AckFrame literal: see resetStreamFrame.
	f.Ranges, f.AckDelay = f.Ranges[:0], 0
	if f.ECN != nil {
		f.ECN = nil
	}
	largest := p.varint("Largest Acknowledged")
	f.AckDelay = p.varint("ACK Delay")
	count := p.varint("ACK Range Count")
	first := p.varint("First ACK Range")
	if p.err != nil {
		return nil
	}
	// §19.3.1: "If any computed packet number is negative, an endpoint
	// MUST generate a connection error of type FRAME_ENCODING_ERROR."
	if first > largest {
		p.fail("First ACK Range %d exceeds Largest Acknowledged %d", first, largest)
		return nil
	}
	// Every further range takes at least two bytes, so the remaining input
	// bounds the allocation whatever ACK Range Count claims.
	if need := 1 + min(count, uint64(len(p.b)-p.off)/2); uint64(cap(f.Ranges)) < need {
		f.Ranges = make([]AckRange, 0, need)
	}
	f.Ranges = append(f.Ranges, AckRange{Smallest: largest - first, Largest: largest})
	smallest := largest - first
	for i := uint64(0); i < count; i++ {
		gap := p.varint("Gap")
		length := p.varint("ACK Range Length")
		if p.err != nil {
			return nil
		}
		// §19.3.1: largest = previous_smallest - gap - 2;
		// smallest = largest - ack_range_length.
		if smallest < 2 || gap > smallest-2 {
			p.fail("ACK range %d: gap %d below packet number 0", i+1, gap)
			return nil
		}
		hi := smallest - gap - 2
		if length > hi {
			p.fail("ACK range %d: length %d below packet number 0", i+1, length)
			return nil
		}
		smallest = hi - length
		f.Ranges = append(f.Ranges, AckRange{Smallest: smallest, Largest: hi})
	}
	if p.typ == FrameTypeAckECN {
		f.ECN = &ECNCounts{
			ECT0:  p.varint("ECT0 Count"),
			ECT1:  p.varint("ECT1 Count"),
			ECNCE: p.varint("ECN-CE Count"),
		}
	}
	if p.err != nil {
		return nil
	}
	return f
}

// Append appends the encoded frame. It panics if Ranges is empty or not a
// valid list (largest first, disjoint, non-adjacent).
func (f *AckFrame) Append(dst []byte) []byte {
	f.mustValid()
	dst = append(dst, byte(f.Type()))
	first := f.Ranges[0]
	dst = AppendVarint(dst, first.Largest)
	dst = AppendVarint(dst, f.AckDelay)
	dst = AppendVarint(dst, uint64(len(f.Ranges)-1))
	dst = AppendVarint(dst, first.Largest-first.Smallest)
	for i := 1; i < len(f.Ranges); i++ {
		gap, length := f.gapAndLength(i)
		dst = AppendVarint(dst, gap)
		dst = AppendVarint(dst, length)
	}
	if f.ECN != nil {
		dst = AppendVarint(dst, f.ECN.ECT0)
		dst = AppendVarint(dst, f.ECN.ECT1)
		dst = AppendVarint(dst, f.ECN.ECNCE)
	}
	return dst
}

// Length returns the encoded length of the frame. It panics as Append does.
func (f *AckFrame) Length() int {
	f.mustValid()
	first := f.Ranges[0]
	n := 1 + VarintLen(first.Largest) + VarintLen(f.AckDelay) +
		VarintLen(uint64(len(f.Ranges)-1)) + VarintLen(first.Largest-first.Smallest)
	for i := 1; i < len(f.Ranges); i++ {
		n += f.rangeLen(i)
	}
	if f.ECN != nil {
		n += VarintLen(f.ECN.ECT0) + VarintLen(f.ECN.ECT1) + VarintLen(f.ECN.ECNCE)
	}
	return n
}

// gapAndLength returns the Gap and ACK Range Length fields that encode
// Ranges[i] relative to Ranges[i-1] (§19.3.1).
func (f *AckFrame) gapAndLength(i int) (gap, length uint64) {
	r := f.Ranges[i]
	return f.Ranges[i-1].Smallest - r.Largest - 2, r.Largest - r.Smallest
}

// rangeLen returns the encoded length of Ranges[i]'s Gap and ACK Range
// Length fields, i >= 1.
func (f *AckFrame) rangeLen(i int) int {
	gap, length := f.gapAndLength(i)
	return VarintLen(gap) + VarintLen(length)
}

// mustValid panics unless Ranges is a list the wire format can carry.
func (f *AckFrame) mustValid() {
	if err := validAckRanges(f.Ranges); err != "" {
		panic("wire: invalid ACK frame: " + err)
	}
}

// validAckRanges returns "" if ranges is non-empty, largest first, with at
// least one missing packet number between neighbours, and within
// MaxVarint; otherwise it says what is wrong.
func validAckRanges(ranges []AckRange) string {
	if len(ranges) == 0 {
		return "no ranges"
	}
	if ranges[0].Largest > MaxVarint {
		return "packet number exceeds 2^62-1"
	}
	for i, r := range ranges {
		if r.Smallest > r.Largest {
			return "range with Smallest > Largest"
		}
		if i > 0 && (r.Largest >= ranges[i-1].Smallest || ranges[i-1].Smallest-r.Largest < 2) {
			return "ranges not descending with a gap between them"
		}
	}
	return ""
}
