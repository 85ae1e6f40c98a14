package hpack

// An Encoder encodes the header lists of one direction of one connection
// into header blocks, in order; it holds the encoder's dynamic table
// (RFC 7541 §2.2). The zero value is not usable; call NewEncoder.
type Encoder struct {
	table dynamicTable
	// limit is the peer decoder's SETTINGS_HEADER_TABLE_SIZE: the largest
	// maximum size the encoder may choose (RFC 7541 §4.2).
	limit int
	// target is the maximum size to announce at the start of the next
	// block, and minTarget the smallest maximum size chosen since the last
	// block; both are announced if smaller (RFC 7541 §4.2).
	target, minTarget int
	pending           bool
	strategy          Strategy
	huffman           HuffmanPolicy
}

// NewEncoder returns an encoder whose dynamic table and size limit are both
// tableSize octets from the start, as if SETTINGS_HEADER_TABLE_SIZE had
// always been tableSize (as in RFC 7541 Appendix C.5). HTTP/2 starts with
// DefaultTableSize. It uses StrategyDefault and HuffmanShorter.
func NewEncoder(tableSize uint32) *Encoder {
	return &Encoder{
		table: dynamicTable{maxSize: int(tableSize)},
		limit: int(tableSize),
	}
}

// SetStrategy sets the indexing strategy for the following fields.
func (e *Encoder) SetStrategy(s Strategy) { e.strategy = s }

// SetHuffman sets when string literals are Huffman-coded.
func (e *Encoder) SetHuffman(p HuffmanPolicy) { e.huffman = p }

// SetTableSizeLimit records the peer's SETTINGS_HEADER_TABLE_SIZE
// (RFC 9113 §6.5.2). If the table's maximum size is above it, the maximum
// is reduced to it, announced at the start of the next block (RFC 9113
// §4.3.1). A larger limit leaves the maximum size as it is.
func (e *Encoder) SetTableSizeLimit(n uint32) {
	e.limit = int(n)
	next := e.table.maxSize
	if e.pending {
		next = e.target
	}
	if next > e.limit {
		e.SetMaxTableSize(n)
	}
}

// SetMaxTableSize chooses the dynamic table's maximum size, at most the
// limit. The change takes effect with a dynamic table size update at the
// start of the next block; if the size went down and up again in between,
// the block announces the smallest size first, then the final one
// (RFC 7541 §4.2), so the decoder evicts what the encoder did.
func (e *Encoder) SetMaxTableSize(n uint32) {
	size := min(int(n), e.limit)
	if !e.pending {
		if size == e.table.maxSize {
			return
		}
		e.pending, e.minTarget = true, e.table.maxSize
	}
	e.target = size
	e.minTarget = min(e.minTarget, size)
}

// TableSize is the dynamic table's size in octets (RFC 7541 §4.1).
func (e *Encoder) TableSize() int { return e.table.size }

// MaxTableSize is the dynamic table's maximum size (RFC 7541 §4.2) as the
// last block left it.
func (e *Encoder) MaxTableSize() int { return e.table.maxSize }

// TableLen is the number of entries in the dynamic table.
func (e *Encoder) TableLen() int { return e.table.n }

// AppendTable appends snapshots of the dynamic table's entries to dst,
// newest (index 62) first.
func (e *Encoder) AppendTable(dst []TableEntry) []TableEntry { return e.table.appendEntries(dst) }

// Encode appends the header block for fields to dst. If rec is not nil it
// is reset and filled with what the block did.
func (e *Encoder) Encode(dst []byte, fields []HeaderField, rec *BlockRecord) []byte {
	if rec != nil {
		rec.Reset()
	}
	start := len(dst)
	if e.pending {
		// RFC 7541 §4.2: updates open the block; the smallest size since
		// the last block first, if it evicts more than the final size.
		if e.minTarget < e.target && e.minTarget < e.table.maxSize {
			dst = e.sizeUpdate(dst, e.minTarget, rec)
		}
		dst = e.sizeUpdate(dst, e.target, rec)
		e.pending = false
	}
	for _, f := range fields {
		dst = e.field(dst, start, f, rec)
	}
	if rec != nil {
		rec.finish(len(dst)-start, &e.table)
	}
	return dst
}

func (e *Encoder) sizeUpdate(dst []byte, size int, rec *BlockRecord) []byte {
	e.table.setMaxSize(size, rec)
	if rec != nil {
		rec.SizeUpdates = append(rec.SizeUpdates, size)
	}
	return AppendInt(dst, 5, 0x20, uint64(size)) // §6.3
}

// field appends the representation of f; start is where the block began.
func (e *Encoder) field(dst []byte, start int, f HeaderField, rec *BlockRecord) []byte {
	off := len(dst)
	rep := e.strategy.represent(f, e.table.maxSize)
	idx, nameIdx := e.lookup(f.Name, f.Value)
	var nameHuff, valueHuff bool
	if idx > 0 && rep != LiteralNeverIndexed {
		rep = Indexed
		dst = AppendInt(dst, 7, 0x80, uint64(idx)) // §6.1
	} else {
		idx = nameIdx
		pattern, prefix := rep.prefix()
		dst = AppendInt(dst, prefix, pattern, uint64(nameIdx)) // §6.2
		if nameIdx == 0 {
			dst, nameHuff = e.appendString(dst, f.Name)
		}
		dst, valueHuff = e.appendString(dst, f.Value)
		if rep == LiteralIncremental {
			e.table.add(f.Name, f.Value, rec)
		}
	}
	if rec != nil {
		rec.Fields = append(rec.Fields, FieldRecord{
			Name: f.Name, Value: f.Value, Rep: rep, Index: idx,
			NameHuffman: nameHuff, ValueHuffman: valueHuff,
			Offset: off - start, WireLen: len(dst) - off,
		})
	}
	return dst
}

// lookup returns the lowest index (RFC 7541 §2.3.3) of an entry matching
// name and value, and of an entry matching name; 0 if none. Static indexes
// are lower than dynamic ones, so the static table is searched first.
func (e *Encoder) lookup(name, value string) (both, nameOnly int) {
	both, nameOnly = staticLookup(name, value)
	if both > 0 {
		return both, nameOnly
	}
	if e.table.n == 0 {
		return 0, nameOnly
	}
	db, dn := e.table.lookup(name, value)
	if db > 0 {
		both = StaticTableLen + db
	}
	if nameOnly == 0 && dn > 0 {
		nameOnly = StaticTableLen + dn
	}
	return both, nameOnly
}

// appendString appends s as a string literal (RFC 7541 §5.2), Huffman-coded
// as the policy says, and reports whether it was.
func (e *Encoder) appendString(dst []byte, s string) ([]byte, bool) {
	if n, huffman := e.huffman.Choose(s); huffman {
		dst = AppendInt(dst, 7, 0x80, uint64(n))
		return AppendHuffman(dst, s), true
	}
	dst = AppendInt(dst, 7, 0x00, uint64(len(s)))
	return append(dst, s...), false
}
