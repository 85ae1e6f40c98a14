package hpack

// TableEntry is a snapshot of one table entry.
type TableEntry struct {
	// Index is the entry's index in the combined index space of RFC 7541
	// §2.3.3 when the snapshot was taken: 1..61 static, 62.. dynamic,
	// newest first.
	Index       int
	Name, Value string
	// Size is len(Name)+len(Value)+32 (RFC 7541 §4.1).
	Size int
}

// FieldRecord describes how one field of a block was represented.
type FieldRecord struct {
	Name, Value string
	Rep         Representation
	// Index is the table index of the field (Indexed) or of its name (a
	// literal with an indexed name); 0 for a literal name.
	Index int
	// NameHuffman and ValueHuffman say which literals were Huffman-coded.
	NameHuffman, ValueHuffman bool
	// Offset is where the representation starts in the block; WireLen is
	// its length in octets.
	Offset, WireLen int
}

// Saved is how many octets the representation saved over sending the
// name and value octets as they are (negative when it cost more, as a
// short literal does).
func (r FieldRecord) Saved() int { return len(r.Name) + len(r.Value) - r.WireLen }

// BlockRecord describes what one header block did. Pass one to
// Encoder.Encode or Decoder.Decode to have it filled; its slices are reused
// from block to block, so copy it to keep it.
type BlockRecord struct {
	// SizeUpdates are the dynamic table size updates at the start of the
	// block, in order (RFC 7541 §6.3).
	SizeUpdates []int
	// Fields are the block's fields, in order.
	Fields []FieldRecord
	// Inserted are the entries added to the dynamic table, in order; the
	// Index of each is the one it had when added (StaticTableLen+1).
	Inserted []TableEntry
	// Evicted are the entries evicted, in order, by insertions (RFC 7541
	// §4.4) or size updates (§4.3); the Index of each is the one it had
	// when evicted.
	Evicted []TableEntry
	// WireLen is the block's length in octets; PlainLen the sum of the
	// lengths of its names and values.
	WireLen, PlainLen int
	// TableLen, TableSize and MaxTableSize describe the dynamic table after
	// the block: its entries, its size (RFC 7541 §4.1) and its maximum
	// size (§4.2).
	TableLen, TableSize, MaxTableSize int
}

// Reset empties r, keeping the capacity of its slices.
func (r *BlockRecord) Reset() {
	*r = BlockRecord{
		SizeUpdates: r.SizeUpdates[:0],
		Fields:      r.Fields[:0],
		Inserted:    r.Inserted[:0],
		Evicted:     r.Evicted[:0],
	}
}

// Clone returns a deep copy of r that later blocks will not overwrite.
func (r *BlockRecord) Clone() BlockRecord {
	c := *r
	c.SizeUpdates = append([]int(nil), r.SizeUpdates...)
	c.Fields = append([]FieldRecord(nil), r.Fields...)
	c.Inserted = append([]TableEntry(nil), r.Inserted...)
	c.Evicted = append([]TableEntry(nil), r.Evicted...)
	return c
}

// finish fills the totals that describe the block as a whole.
func (r *BlockRecord) finish(wireLen int, t *dynamicTable) {
	r.WireLen = wireLen
	for _, f := range r.Fields {
		r.PlainLen += len(f.Name) + len(f.Value)
	}
	r.TableLen, r.TableSize, r.MaxTableSize = t.n, t.size, t.maxSize
}
