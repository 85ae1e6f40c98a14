package qpack

// maxUsableCapacity bounds the capacity the encoder uses, whatever the
// peer allows (SETTINGS values reach 2^62-1): the encoder may choose any
// capacity up to the peer's maximum (RFC 9204 §3.2.3), and 1 GiB is far
// beyond anything a simulated connection fills.
const maxUsableCapacity = 1 << 30

// drainFraction sets the space the encoder tries to keep free or
// reclaimable: 1/drainFraction of the capacity. Entries in the oldest part
// of the table that would have to go to free it are "draining": the
// encoder makes no new references to them and duplicates them instead, so
// that they become evictable and insertions are not blocked (RFC 9204
// §2.1.1.1).
const drainFraction = 8

// An Encoder encodes the field sections of one direction of one HTTP/3
// connection and writes the encoder stream that keeps the peer decoder's
// dynamic table in step (RFC 9204 §2.1). It reads the decoder stream that
// the peer sends back (§4.4). The zero value is not usable; call
// NewEncoder.
//
// By default it uses StrategyStaticOnly and HuffmanShorter: static table
// references and Huffman-coded literals, no encoder instructions and no
// head-of-line blocking. With StrategyDynamic or StrategyIndexAll it uses
// the dynamic table once SetPeerSettings allows one.
type Encoder struct {
	table    dynamicTable
	strategy Strategy
	huffman  HuffmanPolicy

	// maxCapacity and maxBlocked are the peer decoder's
	// SETTINGS_QPACK_MAX_TABLE_CAPACITY (§3.2.3) and
	// SETTINGS_QPACK_BLOCKED_STREAMS (§2.1.2); both default to 0 (§5).
	maxCapacity, maxBlocked uint64
	// capacityLimit is the most capacity the encoder wants (SetCapacity);
	// capacityPending says the table's capacity may differ from what it
	// wants, to be changed by the next Set Dynamic Table Capacity.
	capacityLimit   uint64
	capacityPending bool

	// knownReceived is the Known Received Count (§2.1.4): insertions the
	// decoder has acknowledged, directly or through Section
	// Acknowledgments.
	knownReceived uint64
	// sections holds, per stream, the field sections with a non-zero
	// Required Insert Count not yet acknowledged, oldest first (§2.2.2.1).
	sections map[uint64][]outstanding
	// blocking lists the streams that may be blocked at the decoder: those
	// with an unacknowledged section whose Required Insert Count is above
	// knownReceived (§2.1.2), in the order they became so.
	blocking []blockingStream
	// streamOff is the number of octets written to the encoder stream.
	streamOff uint64

	// State of the section being encoded.
	base     uint64   // the Base: the Insert Count when the section began
	canBlock bool     // the section may reference unacknowledged entries
	refs     []uint64 // distinct absolute indexes it references
	maxRef   uint64   // the largest of them
	body     []byte   // field lines, until the prefix is known

	// seen remembers, direct-mapped by hash, fields recently sent as
	// literals without being inserted (see worthInserting).
	seen [256]uint64

	// drain caches drainingIndex for the table state in drainKey.
	drain    uint64
	drainKey [3]uint64

	parser DecoderStreamParser
}

// outstanding is an unacknowledged field section that references the
// dynamic table.
type outstanding struct {
	ric  uint64   // its Required Insert Count
	refs []uint64 // the distinct absolute indexes it references
}

// blockingStream is a stream that may be blocked, with the largest Required
// Insert Count of its unacknowledged sections.
type blockingStream struct {
	id, maxRIC uint64
}

// NewEncoder returns an encoder with StrategyStaticOnly and
// HuffmanShorter, whose peer allows no dynamic table until
// SetPeerSettings says otherwise.
func NewEncoder() *Encoder {
	return &Encoder{
		table:         dynamicTable{index: newTableIndex()},
		capacityLimit: maxUsableCapacity,
		sections:      make(map[uint64][]outstanding),
	}
}

// SetStrategy sets the strategy for the following field sections.
func (e *Encoder) SetStrategy(s Strategy) { e.strategy = s }

// SetHuffman sets when string literals are Huffman-coded.
func (e *Encoder) SetHuffman(p HuffmanPolicy) { e.huffman = p }

// SetPeerSettings records the peer decoder's SETTINGS_QPACK_MAX_TABLE_CAPACITY
// and SETTINGS_QPACK_BLOCKED_STREAMS (RFC 9204 §5), as they arrive in its
// SETTINGS frame. The encoder then uses a dynamic table of the peer's
// maximum capacity (or less, see SetCapacity), announced with Set Dynamic
// Table Capacity on the encoder stream before its first insertion; and it
// keeps the number of streams that may be blocked within blockedStreams.
func (e *Encoder) SetPeerSettings(maxTableCapacity, blockedStreams uint64) {
	e.maxCapacity, e.maxBlocked = maxTableCapacity, blockedStreams
	e.capacityPending = true
}

// SetCapacity limits the dynamic table's capacity to c octets (the encoder
// "can choose to use a lower dynamic table capacity", RFC 9204 §3.2.3).
// The change goes out with the next encoder-stream octets; a reduction
// waits until the entries it would evict are evictable (§4.3.1).
func (e *Encoder) SetCapacity(c uint64) {
	e.capacityLimit = min(c, maxUsableCapacity)
	e.capacityPending = true
}

// Capacity is the dynamic table's capacity (RFC 9204 §3.2.2) as the
// encoder stream has set it so far.
func (e *Encoder) Capacity() int { return e.table.capacity }

// TableSize is the dynamic table's size in octets (RFC 9204 §3.2.1).
func (e *Encoder) TableSize() int { return e.table.size }

// TableLen is the number of entries in the dynamic table.
func (e *Encoder) TableLen() int { return e.table.n }

// InsertCount is the number of insertions made so far (RFC 9204 §2.1.4).
func (e *Encoder) InsertCount() uint64 { return e.table.inserts }

// KnownReceivedCount is the number of insertions the decoder is known to
// have received (RFC 9204 §2.1.4).
func (e *Encoder) KnownReceivedCount() uint64 { return e.knownReceived }

// BlockedStreams is the number of streams that may currently be blocked at
// the decoder: at most the peer's SETTINGS_QPACK_BLOCKED_STREAMS (§2.1.2).
func (e *Encoder) BlockedStreams() int { return len(e.blocking) }

// EncoderStreamOffset is the number of octets written to the encoder
// stream so far.
func (e *Encoder) EncoderStreamOffset() uint64 { return e.streamOff }

// AppendTable appends snapshots of the dynamic table's entries to dst,
// oldest (lowest absolute index) first as RFC 9204 Appendix B lists them,
// with their reference counts and whether they are acknowledged or
// draining.
func (e *Encoder) AppendTable(dst []TableEntry) []TableEntry {
	start := len(dst)
	dst = e.table.appendEntries(dst)
	drain := e.drainingIndex()
	for i := start; i < len(dst); i++ {
		dst[i].Acknowledged = dst[i].Index < e.knownReceived
		dst[i].Draining = dst[i].Index < drain
	}
	return dst
}

// EncodeFieldSection encodes fields as the field section of a message on
// stream streamID and returns the encoded field section and the
// encoder-stream octets the decoder needs before it (empty with
// StrategyStaticOnly). If rec is not nil it is reset and filled with what
// the section did. It is AppendFieldSection with new slices.
func (e *Encoder) EncodeFieldSection(streamID uint64, fields []Field, rec *SectionRecord) (section, encoderStream []byte) {
	return e.AppendFieldSection(nil, nil, streamID, fields, rec)
}

// AppendFieldSection is EncodeFieldSection appending the encoded field
// section to section and the encoder instructions to encoderStream.
//
// It encodes in one pass (RFC 9204 Appendix C): the Base is the Insert
// Count when the section starts, entries it inserts are referenced with
// post-Base indexes, and the Required Insert Count is one more than the
// largest absolute index referenced (§2.1.2). Every entry the section
// references is counted until the decoder acknowledges the section or
// cancels the stream, and is not evicted meanwhile (§2.1.1).
func (e *Encoder) AppendFieldSection(section, encoderStream []byte, streamID uint64, fields []Field, rec *SectionRecord) ([]byte, []byte) {
	var srec *EncoderStreamRecord
	if rec != nil {
		rec.Reset()
		rec.StreamID = streamID
		srec = &rec.EncoderStream
	}
	streamStart := len(encoderStream)
	dynamic := e.strategy != StrategyStaticOnly && e.maxCapacity > 0
	if dynamic {
		encoderStream = e.flushCapacity(encoderStream, srec)
	}
	e.base = e.table.inserts
	e.canBlock = e.isBlocking(streamID) || uint64(len(e.blocking)) < e.maxBlocked
	e.refs, e.maxRef = e.refs[:0], 0
	body := e.body[:0]
	for _, f := range fields {
		body, encoderStream = e.fieldLine(body, encoderStream, f, dynamic, rec)
	}
	e.body = body

	var ric uint64
	if len(e.refs) > 0 {
		ric = e.maxRef + 1
	}
	prefix := NewSectionPrefix(ric, e.base, MaxEntries(e.maxCapacity))
	start := len(section)
	section = AppendSectionPrefix(section, prefix)
	prefixLen := len(section) - start
	section = append(section, body...)
	if ric > 0 {
		e.track(streamID, ric)
	}
	if rec != nil {
		rec.RequiredInsertCount, rec.Base, rec.Prefix, rec.PrefixLen = ric, e.base, prefix, prefixLen
		if ric == 0 {
			rec.Base = 0 // Delta Base 0 with Required Insert Count 0
		}
		for i := range rec.Fields {
			rec.Fields[i].Offset += prefixLen
		}
		rec.Blocked = ric > e.knownReceived
		srec.WireLen = len(encoderStream) - streamStart
		srec.finish(&e.table)
		rec.finish(len(section)-start, &e.table, e.knownReceived)
	}
	return section, encoderStream
}

// fieldLine appends the representation of f to body, and to encStream any
// instruction it takes. It follows RFC 9204 Appendix C, with the limits of
// §2.1.1 (no eviction of unevictable entries) and §2.1.2 (blocking).
func (e *Encoder) fieldLine(body, encStream []byte, f Field, dynamic bool, rec *SectionRecord) ([]byte, []byte) {
	sensitive := Sensitive(f)
	if !sensitive {
		if i, ok := staticPairs[pair{f.Name, f.Value}]; ok {
			return e.emit(body, FieldLine{Rep: Indexed, Static: true, Index: uint64(i)}, f, 0, rec), encStream
		}
	}
	var srec *EncoderStreamRecord
	if rec != nil {
		srec = &rec.EncoderStream
	}
	staticName, hasStaticName := staticNames[f.Name]
	if dynamic {
		both, bothOK, _, _ := e.table.index.lookup(f.Name, f.Value)
		switch {
		case sensitive:
		case bothOK:
			ref := both
			if e.draining(both) && e.table.capacity > 0 && e.strategy.shouldIndex(f, e.table.capacity) && e.canMakeRoom(f.Size()) {
				var dup uint64
				encStream, dup = e.duplicate(encStream, both, srec)
				if e.referenceable(dup) {
					ref = dup
				}
			}
			if e.referenceable(ref) {
				return e.emitDynamic(body, f, ref, rec), encStream
			}
			// The entry exists but cannot be referenced yet; inserting it
			// again would not help.
		case e.table.capacity > 0 && e.strategy.shouldIndex(f, e.table.capacity) && e.worthInserting(f) && e.canMakeRoom(f.Size()):
			var abs uint64
			encStream, abs = e.insertField(encStream, f, srec)
			if e.referenceable(abs) {
				return e.emitDynamic(body, f, abs, rec), encStream
			}
		}
		if !hasStaticName {
			if _, _, name, ok := e.table.index.lookup(f.Name, f.Value); ok && e.referenceable(name) && !e.draining(name) {
				l := FieldLine{Never: sensitive, Value: f.Value, ValueHuffman: useHuffman(e.huffman, f.Value)}
				if name >= e.base {
					l.Rep, l.Index = LiteralPostBaseNameRef, name-e.base
				} else {
					l.Rep, l.Index = LiteralNameRef, e.base-1-name
				}
				e.addRef(name)
				return e.emit(body, l, f, name, rec), encStream
			}
		}
	}
	l := FieldLine{Never: sensitive, Value: f.Value, ValueHuffman: useHuffman(e.huffman, f.Value)}
	if hasStaticName {
		l.Rep, l.Static, l.Index = LiteralNameRef, true, uint64(staticName)
	} else {
		l.Rep, l.Name, l.NameHuffman = LiteralName, f.Name, useHuffman(e.huffman, f.Name)
	}
	return e.emit(body, l, f, 0, rec), encStream
}

// worthInserting decides, for a section that cannot block, whether to
// insert f. Such a section cannot reference what it inserts (§2.1.2): the
// value goes once on the encoder stream and once as a literal, and only
// later sections gain. A field seen for the first time is most often seen
// only once (dates, ETags, content lengths), so the encoder inserts a field
// the second time it sends it. Under StrategyIndexAll, and for sections
// that may block, it inserts at once.
func (e *Encoder) worthInserting(f Field) bool {
	if e.canBlock || e.strategy == StrategyIndexAll {
		return true
	}
	h := fieldHash(f)
	slot := &e.seen[h%uint64(len(e.seen))]
	if *slot == h {
		return true
	}
	*slot = h
	return false
}

// fieldHash is the 64-bit FNV-1a hash of the name, a zero octet and the
// value.
func fieldHash(f Field) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for i := 0; i < len(f.Name); i++ {
		h = (h ^ uint64(f.Name[i])) * prime
	}
	h *= prime
	for i := 0; i < len(f.Value); i++ {
		h = (h ^ uint64(f.Value[i])) * prime
	}
	return h
}

// emitDynamic appends an indexed representation of the dynamic entry abs,
// relative to the Base or post-Base (RFC 9204 §4.5.2, §4.5.3).
func (e *Encoder) emitDynamic(body []byte, f Field, abs uint64, rec *SectionRecord) []byte {
	l := FieldLine{Rep: Indexed, Index: e.base - 1 - abs}
	if abs >= e.base {
		l = FieldLine{Rep: IndexedPostBase, Index: abs - e.base}
	}
	e.addRef(abs)
	return e.emit(body, l, f, abs, rec)
}

// emit appends the representation l of f; abs is the absolute index it
// references, if it references the dynamic table.
func (e *Encoder) emit(body []byte, l FieldLine, f Field, abs uint64, rec *SectionRecord) []byte {
	off := len(body)
	body = AppendFieldLine(body, l)
	if rec != nil {
		fr := FieldRecord{
			Name: f.Name, Value: f.Value, Rep: l.Rep, Static: l.Static, Never: l.Never,
			Index: l.Index, NameHuffman: l.NameHuffman, ValueHuffman: l.ValueHuffman,
			Offset: off, WireLen: len(body) - off,
		}
		if fr.Dynamic() {
			fr.Absolute = abs
		}
		rec.Fields = append(rec.Fields, fr)
	}
	return body
}

// addRef counts a reference of the current section to the entry abs, once
// per section (the Ref of RFC 9204 Appendix B counts sections).
func (e *Encoder) addRef(abs uint64) {
	for _, r := range e.refs {
		if r == abs {
			return
		}
	}
	e.table.at(abs).refs++
	e.refs = append(e.refs, abs)
	e.maxRef = max(e.maxRef, abs)
}

// referenceable reports whether the current section may reference the
// entry abs: the decoder has acknowledged it, or the section may block its
// stream (RFC 9204 §2.1.2).
func (e *Encoder) referenceable(abs uint64) bool {
	return e.table.has(abs) && (abs < e.knownReceived || e.canBlock)
}
