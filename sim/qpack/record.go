package qpack

// The records here are what the UI and the trace show of QPACK: plain
// values, sharing nothing with the codec's state. They follow hpack's
// (TableEntry, FieldRecord, BlockRecord), with what QPACK adds: absolute
// indexes, the section prefix, the encoder and decoder streams, blocking
// and acknowledgment.

// TableEntry is a snapshot of one table entry.
type TableEntry struct {
	// Index is the entry's index: 0..98 in the static table, and the
	// absolute index (RFC 9204 §3.2.4) in the dynamic table, which an entry
	// keeps for its lifetime (0 for the first entry ever inserted).
	Index       uint64
	Name, Value string
	// Size is len(Name)+len(Value)+32 (§3.2.1).
	Size int
	// Refs, in the encoder's snapshots, is the number of unacknowledged
	// field sections that reference the entry: the "Ref" column of RFC
	// 9204 Appendix B. An entry with references cannot be evicted (§2.1.1).
	Refs int
	// Acknowledged, in the encoder's snapshots, says the decoder is known
	// to have the entry: Index < Known Received Count (§2.1.4), above the
	// "acknowledged" line of Appendix B.
	Acknowledged bool
	// Draining, in the encoder's snapshots, says the entry is close enough
	// to eviction that the encoder makes no new references to it (§2.1.1.1).
	Draining bool
}

// FieldRecord describes how one field line of a section was represented.
type FieldRecord struct {
	Name, Value string
	Rep         Representation
	// Static and Never are the 'T' and 'N' bits, where the representation
	// has them.
	Static, Never bool
	// Index is the index the representation carries: a static index, a
	// relative index or a post-Base index; 0 for LiteralName.
	Index uint64
	// Absolute is the absolute index of the dynamic table entry referenced
	// (the whole field or its name) when Dynamic() is true.
	Absolute uint64
	// NameHuffman and ValueHuffman say which literals were Huffman-coded.
	NameHuffman, ValueHuffman bool
	// Offset is where the representation starts in the encoded field
	// section (prefix included); WireLen is its length in octets.
	Offset, WireLen int
}

// Dynamic reports whether the representation references the dynamic table.
func (r FieldRecord) Dynamic() bool {
	switch r.Rep {
	case IndexedPostBase, LiteralPostBaseNameRef:
		return true
	case Indexed, LiteralNameRef:
		return !r.Static
	}
	return false
}

// Saved is how many octets the representation saved over sending the name
// and value octets as they are (negative when it cost more).
func (r FieldRecord) Saved() int { return len(r.Name) + len(r.Value) - r.WireLen }

// EncoderInstructionRecord describes one instruction of the encoder stream.
type EncoderInstructionRecord struct {
	// Instruction is the instruction as on the wire.
	Instruction EncoderInstruction
	// Offset is the instruction's offset in the encoder stream, counted
	// from its first instruction octet; WireLen its length.
	Offset  uint64
	WireLen int
	// Entry is the entry the instruction inserted (the inserts and
	// Duplicate), with its absolute index, or, for Set Dynamic Table
	// Capacity, the zero value.
	Entry TableEntry
	// Ref is the absolute index of the dynamic table entry the instruction
	// referenced (a dynamic name reference, or the entry duplicated) when
	// RefDynamic is set.
	Ref        uint64
	RefDynamic bool
	// Evicted is how many entries the instruction evicted: the next ones,
	// in order, of the enclosing record's Evicted.
	Evicted int
}

// EncoderStreamRecord describes what a run of encoder-stream instructions
// did. Pass one to have it filled; its slices are reused from run to run,
// so Clone it to keep it.
type EncoderStreamRecord struct {
	// Instructions are the instructions, in order.
	Instructions []EncoderInstructionRecord
	// Inserted are the entries inserted, and Evicted the entries evicted,
	// in order (§3.2.2), each with its absolute index.
	Inserted, Evicted []TableEntry
	// WireLen is the octets of the instructions.
	WireLen int
	// TableLen, TableSize and Capacity describe the dynamic table after the
	// instructions: its entries, its size (§3.2.1) and its capacity
	// (§3.2.2); InsertCount is the number of insertions ever made.
	TableLen, TableSize, Capacity int
	InsertCount                   uint64
}

// Reset empties r, keeping the capacity of its slices.
func (r *EncoderStreamRecord) Reset() {
	*r = EncoderStreamRecord{
		Instructions: r.Instructions[:0],
		Inserted:     r.Inserted[:0],
		Evicted:      r.Evicted[:0],
	}
}

// Clone returns a deep copy of r that later runs will not overwrite.
func (r *EncoderStreamRecord) Clone() EncoderStreamRecord {
	c := *r
	c.Instructions = append([]EncoderInstructionRecord(nil), r.Instructions...)
	c.Inserted = append([]TableEntry(nil), r.Inserted...)
	c.Evicted = append([]TableEntry(nil), r.Evicted...)
	return c
}

// finish fills the totals that describe the table after the run.
func (r *EncoderStreamRecord) finish(t *dynamicTable) {
	r.TableLen, r.TableSize, r.Capacity, r.InsertCount = t.n, t.size, t.capacity, t.inserts
}

// SectionRecord describes one encoded field section. Pass one to the
// encoder or decoder to have it filled; its slices are reused from section
// to section, so Clone it to keep it.
type SectionRecord struct {
	// StreamID is the stream that carries the section.
	StreamID uint64
	// RequiredInsertCount and Base are the prefix's values (RFC 9204
	// §4.5.1); Prefix is the prefix as on the wire and PrefixLen its
	// length.
	RequiredInsertCount, Base uint64
	Prefix                    SectionPrefix
	PrefixLen                 int
	// Fields are the section's field lines, in order.
	Fields []FieldRecord
	// EncoderStream is what the encoder wrote on the encoder stream while
	// encoding the section (encoder only).
	EncoderStream EncoderStreamRecord
	// Blocked, at the decoder, says the section had to wait for
	// encoder-stream instructions before it could be decoded (§2.2.1); at
	// the encoder, that it references entries not yet acknowledged and so
	// may block its stream (§2.1.2).
	Blocked bool
	// WireLen is the section's length in octets; PlainLen the sum of the
	// lengths of its names and values.
	WireLen, PlainLen int
	// TableLen, TableSize and Capacity describe the dynamic table when the
	// section was encoded or decoded; InsertCount and KnownReceivedCount
	// are the counts of §2.1.4 then.
	TableLen, TableSize, Capacity   int
	InsertCount, KnownReceivedCount uint64
}

// Reset empties r, keeping the capacity of its slices.
func (r *SectionRecord) Reset() {
	es := r.EncoderStream
	es.Reset()
	*r = SectionRecord{Fields: r.Fields[:0], EncoderStream: es}
}

// Clone returns a deep copy of r that later sections will not overwrite.
func (r *SectionRecord) Clone() SectionRecord {
	c := *r
	c.Fields = append([]FieldRecord(nil), r.Fields...)
	c.EncoderStream = r.EncoderStream.Clone()
	return c
}

// finish fills the totals that describe the section and the table.
func (r *SectionRecord) finish(wireLen int, t *dynamicTable, knownReceived uint64) {
	r.WireLen = wireLen
	r.PlainLen = 0
	for _, f := range r.Fields {
		r.PlainLen += len(f.Name) + len(f.Value)
	}
	r.TableLen, r.TableSize, r.Capacity = t.n, t.size, t.capacity
	r.InsertCount, r.KnownReceivedCount = t.inserts, knownReceived
}

// DecoderInstructionRecord describes one instruction of the decoder stream.
type DecoderInstructionRecord struct {
	// Instruction is the instruction as on the wire.
	Instruction DecoderInstruction
	// Offset is the instruction's offset in the decoder stream, counted
	// from its first instruction octet; WireLen its length.
	Offset  uint64
	WireLen int
}

// DecoderStreamRecord describes what a run of decoder-stream instructions
// did. Its slice is reused from run to run, so Clone it to keep it.
type DecoderStreamRecord struct {
	// Instructions are the instructions, in order.
	Instructions []DecoderInstructionRecord
	// WireLen is the octets of the instructions.
	WireLen int
	// KnownReceivedCount is the Known Received Count after the
	// instructions (§2.1.4).
	KnownReceivedCount uint64
}

// Reset empties r, keeping the capacity of its slice.
func (r *DecoderStreamRecord) Reset() {
	*r = DecoderStreamRecord{Instructions: r.Instructions[:0]}
}

// Clone returns a deep copy of r that later runs will not overwrite.
func (r *DecoderStreamRecord) Clone() DecoderStreamRecord {
	c := *r
	c.Instructions = append([]DecoderInstructionRecord(nil), r.Instructions...)
	return c
}
