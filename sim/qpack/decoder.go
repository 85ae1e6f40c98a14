package qpack

import "httpsim/sim/hpack"

// DefaultMaxFieldSectionSize is the decoder's default bound on a decoded
// field section's size (RFC 9114 §4.2.2 leaves
// SETTINGS_MAX_FIELD_SECTION_SIZE unlimited by default; a decoder that holds
// what it decodes needs some bound). It is hpack's DefaultMaxHeaderListSize,
// 64 KiB, far above any header list of the test corpus.
const DefaultMaxFieldSectionSize = 64 << 10

// A Decoder decodes the field sections of one direction of one HTTP/3
// connection, and processes the encoder stream that fills its dynamic table
// (RFC 9204 §2.2). It writes the decoder stream that tells the encoder what
// it has processed (§4.4). The zero value is not usable; call NewDecoder.
//
// A field section that references entries the encoder stream has not yet
// delivered is blocked (§2.2.1): DecodeFieldSection keeps a copy and says
// so, and FeedEncoderStream decodes it once the entries arrive.
//
// The decoder is strict: every way RFC 9204 lets an input be malformed is
// an *Error naming the rule broken, with QPACK_DECOMPRESSION_FAILED or
// QPACK_ENCODER_STREAM_ERROR as its code. After such an error its state is
// undefined: the connection is closed (§6). After ErrFieldSectionTooLarge it
// stays in step with the encoder.
type Decoder struct {
	table dynamicTable
	// maxCapacity and maxBlocked are this decoder's
	// SETTINGS_QPACK_MAX_TABLE_CAPACITY and SETTINGS_QPACK_BLOCKED_STREAMS
	// (§5), which bound what the encoder may make it hold.
	maxCapacity, maxBlocked uint64
	// maxSectionSize is SETTINGS_MAX_FIELD_SECTION_SIZE (RFC 9114 §4.2.2).
	maxSectionSize uint64
	// knownReceived is the Known Received Count as the encoder will know
	// it once it reads what the decoder has written (§2.1.4).
	knownReceived uint64
	// pending are the Section Acknowledgments and Stream Cancellations not
	// yet written to the decoder stream, in order.
	pending []pendingInstruction
	// blocked are the field sections waiting for the encoder stream, in
	// the order they arrived (§2.2.1).
	blocked []blockedSection
	// streamOff is the number of octets written to the decoder stream.
	streamOff uint64
	parser    EncoderStreamParser
	lits      literals // makes the strings of field lines
}

// pendingInstruction is a decoder instruction to write, with the Required
// Insert Count a Section Acknowledgment acknowledges.
type pendingInstruction struct {
	in  DecoderInstruction
	ric uint64
}

// blockedSection is a field section waiting for the Insert Count to reach
// its Required Insert Count.
type blockedSection struct {
	streamID  uint64
	ric, base uint64
	prefix    SectionPrefix
	prefixLen int
	data      []byte
}

// DecodedSection is a field section that was blocked and has been decoded
// since, as FeedEncoderStream returns it.
type DecodedSection struct {
	StreamID uint64
	// Fields are the section's field lines, nil if Err is set.
	Fields []Field
	// Record describes the section, with Blocked set.
	Record SectionRecord
	// Err is nil, or an *Error matching ErrFieldSectionTooLarge: the
	// section was decoded but is larger than the decoder accepts.
	Err error
}

// NewDecoder returns a decoder for a connection on which this endpoint sent
// SETTINGS_QPACK_MAX_TABLE_CAPACITY = maxTableCapacity and
// SETTINGS_QPACK_BLOCKED_STREAMS = blockedStreams (RFC 9204 §5). With both
// 0 (their defaults) it accepts only field sections that do not reference
// the dynamic table.
func NewDecoder(maxTableCapacity, blockedStreams uint64) *Decoder {
	d := &Decoder{
		maxCapacity:    maxTableCapacity,
		maxBlocked:     blockedStreams,
		maxSectionSize: DefaultMaxFieldSectionSize,
	}
	// The fields decoded and the entries inserted outlive the call that
	// made them: their strings come from arenas.
	d.lits.pooled()
	d.parser.lits.pooled()
	return d
}

// SetMaxFieldSectionSize bounds the field sections the decoder returns
// (the SETTINGS_MAX_FIELD_SECTION_SIZE this endpoint advertised, RFC 9114
// §4.2.2); math.MaxUint64 makes it unlimited.
func (d *Decoder) SetMaxFieldSectionSize(n uint64) { d.maxSectionSize = n }

// Capacity is the dynamic table's capacity (RFC 9204 §3.2.2).
func (d *Decoder) Capacity() int { return d.table.capacity }

// TableSize is the dynamic table's size in octets (RFC 9204 §3.2.1).
func (d *Decoder) TableSize() int { return d.table.size }

// TableLen is the number of entries in the dynamic table.
func (d *Decoder) TableLen() int { return d.table.n }

// InsertCount is the number of insertions processed (RFC 9204 §2.1.4).
func (d *Decoder) InsertCount() uint64 { return d.table.inserts }

// KnownReceivedCount is the Known Received Count the decoder stream has
// told the encoder so far (RFC 9204 §2.1.4).
func (d *Decoder) KnownReceivedCount() uint64 { return d.knownReceived }

// BlockedStreams is the number of streams with a blocked field section.
func (d *Decoder) BlockedStreams() int {
	n := 0
	for i, b := range d.blocked {
		if !d.blockedBefore(i, b.streamID) {
			n++
		}
	}
	return n
}

// DecoderStreamOffset is the number of octets written to the decoder
// stream so far.
func (d *Decoder) DecoderStreamOffset() uint64 { return d.streamOff }

// AppendTable appends snapshots of the dynamic table's entries to dst,
// oldest (lowest absolute index) first.
func (d *Decoder) AppendTable(dst []TableEntry) []TableEntry { return d.table.appendEntries(dst) }

// DecodeFieldSection decodes an encoded field section received on stream
// streamID. If it cannot be decoded yet, because its Required Insert Count
// is above the Insert Count or an earlier section of the same stream is
// blocked, it returns blocked == true and keeps a copy, to be decoded by
// FeedEncoderStream (RFC 9204 §2.2.1). If rec is not nil it is reset and
// filled (for a blocked section, only the prefix and Blocked).
//
// A malformed section, or one that would block more streams than
// SETTINGS_QPACK_BLOCKED_STREAMS, is an *Error with code
// ErrDecompressionFailed. A section larger than the bound set by
// SetMaxFieldSectionSize is decoded to the end and acknowledged, then
// reported as an *Error matching ErrFieldSectionTooLarge.
func (d *Decoder) DecodeFieldSection(streamID uint64, section []byte, rec *SectionRecord) (fields []Field, blocked bool, err error) {
	return d.AppendFieldSection(nil, streamID, section, rec)
}

// AppendFieldSection is DecodeFieldSection appending the fields to dst.
func (d *Decoder) AppendFieldSection(dst []Field, streamID uint64, section []byte, rec *SectionRecord) ([]Field, bool, error) {
	if rec != nil {
		rec.Reset()
		rec.StreamID = streamID
	}
	prefix, prefixLen, perr := parseSectionPrefix(section)
	if perr != nil {
		return dst, false, failed(perr)
	}
	ric, perr := decodeRIC(prefix.EncodedInsertCount, MaxEntries(d.maxCapacity), d.table.inserts)
	if perr != nil {
		return dst, false, failed(perr)
	}
	base, ok := prefix.Base(ric)
	if !ok {
		off := uint64(hpack.IntLen(8, prefix.EncodedInsertCount))
		return dst, false, failed(&Error{Reason: ReasonBaseNegative, Offset: off, Value: prefix.DeltaBase, Limit: ric})
	}
	queued := d.hasBlocked(streamID)
	if queued || ric > d.table.inserts {
		if !queued && uint64(d.BlockedStreams()) >= d.maxBlocked {
			return dst, false, failed(&Error{Reason: ReasonTooManyBlockedStreams, Value: streamID, Limit: d.maxBlocked})
		}
		d.blocked = append(d.blocked, blockedSection{
			streamID: streamID, ric: ric, base: base, prefix: prefix, prefixLen: prefixLen,
			data: append([]byte(nil), section...),
		})
		if rec != nil {
			rec.RequiredInsertCount, rec.Base, rec.Prefix, rec.PrefixLen = ric, base, prefix, prefixLen
			rec.Blocked = true
			rec.finish(len(section), &d.table, d.knownReceived)
		}
		return dst, true, nil
	}
	dst, err := d.decode(dst, streamID, section, ric, base, prefix, prefixLen, rec)
	if err != nil {
		return dst, false, err
	}
	return dst, false, nil
}

// failed gives a field section error its code.
func failed(err *Error) *Error {
	err.Code = ErrDecompressionFailed
	return err
}

// hasBlocked reports whether stream id has a blocked section.
func (d *Decoder) hasBlocked(id uint64) bool { return d.blockedBefore(len(d.blocked), id) }

// blockedBefore reports whether one of the first i blocked sections is on
// stream id.
func (d *Decoder) blockedBefore(i int, id uint64) bool {
	for _, b := range d.blocked[:i] {
		if b.streamID == id {
			return true
		}
	}
	return false
}

// decode decodes the field lines of a section whose Required Insert Count
// the Insert Count has reached, appending them to dst, and queues its
// Section Acknowledgment. It returns dst as it was given on error.
func (d *Decoder) decode(dst []Field, streamID uint64, section []byte, ric, base uint64, prefix SectionPrefix, prefixLen int, rec *SectionRecord) ([]Field, error) {
	if rec != nil {
		rec.RequiredInsertCount, rec.Base, rec.Prefix, rec.PrefixLen = ric, base, prefix, prefixLen
	}
	start := len(dst)
	var size uint64
	var largest uint64 // one more than the largest absolute index referenced
	pos := prefixLen
	for pos < len(section) {
		l, next, err := parseFieldLine(section, pos, &d.lits)
		if err != nil {
			return dst[:start], failed(err)
		}
		f, abs, err := d.resolve(l, ric, base, pos)
		if err != nil {
			return dst[:start], failed(err)
		}
		fr := FieldRecord{
			Name: f.Name, Value: f.Value, Rep: l.Rep, Static: l.Static, Never: l.Never, Index: l.Index,
			NameHuffman: l.NameHuffman, ValueHuffman: l.ValueHuffman, Offset: pos, WireLen: next - pos,
		}
		if fr.Dynamic() {
			fr.Absolute = abs
			largest = max(largest, abs+1)
		}
		size += uint64(f.Size())
		if size <= d.maxSectionSize {
			dst = append(dst, f)
		}
		if rec != nil {
			rec.Fields = append(rec.Fields, fr)
		}
		pos = next
	}
	// §2.2.1: the Required Insert Count must be the lowest Insert Count
	// that can decode the section; a smaller one was caught above, as a
	// reference at or past it (§2.2.3).
	if largest != ric {
		return dst[:start], failed(&Error{Reason: ReasonRequiredInsertCountUnused, Value: ric, Limit: largest})
	}
	if ric > 0 {
		// §2.2.2.1, §4.4.1.
		d.pending = append(d.pending, pendingInstruction{in: DecoderInstruction{Type: SectionAcknowledgment, StreamID: streamID}, ric: ric})
	}
	if rec != nil {
		rec.finish(len(section), &d.table, d.knownReceived)
	}
	if size > d.maxSectionSize {
		return dst[:start], &Error{Reason: ReasonFieldSectionTooLarge, Value: size, Limit: d.maxSectionSize}
	}
	return dst, nil
}

// resolve looks up the table references of the field line l at pos of a
// section with Required Insert Count ric and Base base, and returns the
// field and, for a dynamic reference, the absolute index.
func (d *Decoder) resolve(l FieldLine, ric, base uint64, pos int) (Field, uint64, *Error) {
	f := Field{Value: l.Value, Sensitive: l.Never}
	var abs uint64
	switch {
	case l.Rep == LiteralName:
		f.Name = l.Name
		return f, 0, nil
	case l.Static:
		if l.Index >= uint64(StaticTableLen) {
			return f, 0, &Error{Reason: ReasonStaticIndexInvalid, Offset: uint64(pos), Value: l.Index, Limit: uint64(StaticTableLen - 1)}
		}
		s := staticTable[l.Index]
		f.Name = s.Name
		if l.Rep == Indexed {
			f.Value = s.Value
		}
		return f, 0, nil
	case l.Rep.PostBase(): // §3.2.6
		abs = base + l.Index
		if abs < base { // wrapped: far past any Required Insert Count
			abs = ^uint64(0)
		}
	default: // relative to the Base (§3.2.5)
		if l.Index >= base {
			return f, 0, &Error{Reason: ReasonDynamicIndexInvalid, Offset: uint64(pos), Value: l.Index, Limit: base}
		}
		abs = base - 1 - l.Index
	}
	// §2.2.3.
	if abs >= ric {
		return f, 0, &Error{Reason: ReasonIndexNotBelowRequiredInsertCount, Offset: uint64(pos), Value: abs, Limit: ric}
	}
	if !d.table.has(abs) {
		return f, 0, &Error{Reason: ReasonEntryEvicted, Offset: uint64(pos), Value: abs, Limit: d.table.dropped()}
	}
	e := d.table.at(abs)
	f.Name = e.name
	if l.Rep == Indexed || l.Rep == IndexedPostBase {
		f.Value = e.value
	}
	return f, abs, nil
}

// CancelStream abandons the field sections of stream id: any blocked ones
// are dropped, and a Stream Cancellation goes out with the next decoder
// stream octets (RFC 9204 §4.4.2), unless the dynamic table is disabled
// (§2.2.2.2: the decoder "MAY omit sending Stream Cancellations" then).
// Call it when the stream is reset or its reading abandoned before all its
// field sections were processed.
func (d *Decoder) CancelStream(id uint64) {
	kept := d.blocked[:0]
	for _, b := range d.blocked {
		if b.streamID != id {
			kept = append(kept, b)
		}
	}
	clear(d.blocked[len(kept):])
	d.blocked = kept
	if d.maxCapacity > 0 {
		d.pending = append(d.pending, pendingInstruction{in: DecoderInstruction{Type: StreamCancellation, StreamID: id}})
	}
}

// AppendDecoderStream appends to dst the decoder instructions due: the
// Section Acknowledgments and Stream Cancellations in the order the
// sections were decoded and the streams cancelled, then an Insert Count
// Increment for the insertions no acknowledgment covered (RFC 9204
// §2.2.2.3: the decoder may coalesce increments, or replace them by
// Section Acknowledgments). If rec is not nil it is reset and filled.
func (d *Decoder) AppendDecoderStream(dst []byte, rec *DecoderStreamRecord) []byte {
	if rec != nil {
		rec.Reset()
	}
	start := len(dst)
	for _, p := range d.pending {
		dst = d.instruction(dst, p.in, rec)
		d.knownReceived = max(d.knownReceived, p.ric) // §2.1.4
	}
	clear(d.pending)
	d.pending = d.pending[:0]
	if d.table.inserts > d.knownReceived {
		in := DecoderInstruction{Type: InsertCountIncrement, Increment: d.table.inserts - d.knownReceived}
		dst = d.instruction(dst, in, rec)
		d.knownReceived = d.table.inserts
	}
	if rec != nil {
		rec.WireLen = len(dst) - start
		rec.KnownReceivedCount = d.knownReceived
	}
	return dst
}

// instruction appends in and records it.
func (d *Decoder) instruction(dst []byte, in DecoderInstruction, rec *DecoderStreamRecord) []byte {
	off := len(dst)
	dst = AppendDecoderInstruction(dst, in)
	n := len(dst) - off
	if rec != nil {
		rec.Instructions = append(rec.Instructions, DecoderInstructionRecord{Instruction: in, Offset: d.streamOff, WireLen: n})
	}
	d.streamOff += uint64(n)
	return dst
}
