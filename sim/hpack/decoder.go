package hpack

// DefaultTableSize is the initial value of SETTINGS_HEADER_TABLE_SIZE, and
// so the dynamic table's initial maximum size (RFC 9113 §6.5.2).
const DefaultTableSize = 4096

// DefaultMaxHeaderListSize is the decoder's bound on a header list's size
// (RFC 9113 §6.5.2 leaves SETTINGS_MAX_HEADER_LIST_SIZE unlimited by
// default; a decoder that holds what it decodes needs some bound). 64 KiB
// is far above any header list of the test corpus (the largest is 2 KiB).
const DefaultMaxHeaderListSize = 64 << 10

// A Decoder decodes the header blocks of one direction of one connection,
// in order; it holds the decoder's dynamic table (RFC 7541 §2.2).
//
// After an error matching ErrCompression the decoder's state is undefined:
// RFC 9113 §4.3 has the connection torn down. After ErrHeaderListTooLarge
// it stays in step with the encoder.
type Decoder struct {
	table dynamicTable
	// limit is the SETTINGS_HEADER_TABLE_SIZE in force: the largest
	// maximum size a size update may set (RFC 7541 §6.3).
	limit int
	// updateDue is set when the limit fell below the table's maximum
	// size (the size the encoder last set, not the octets its entries
	// hold): the next block must start with a size update to at most
	// updateLimit (RFC 9113 §4.3.1). updateLimit is the smallest limit
	// set since then, which the first update must respect (RFC 7541
	// §4.2: the smallest maximum of the interval is signaled first).
	updateDue   bool
	updateLimit int
	// maxListSize bounds the size of a decoded header list (RFC 9113
	// §6.5.2): the sum over its fields of name, value and 32 octets.
	maxListSize int
	// buf holds Huffman-decoded octets before they become a string.
	buf []byte
}

// NewDecoder returns a decoder whose dynamic table and size limit are both
// tableSize octets from the start, as if SETTINGS_HEADER_TABLE_SIZE had
// always been tableSize (as in RFC 7541 Appendix C.5). HTTP/2 starts with
// DefaultTableSize.
func NewDecoder(tableSize uint32) *Decoder {
	return &Decoder{
		table:       dynamicTable{maxSize: int(tableSize)},
		limit:       int(tableSize),
		maxListSize: DefaultMaxHeaderListSize,
	}
}

// SetTableSizeLimit sets the limit on the dynamic table's maximum size:
// the SETTINGS_HEADER_TABLE_SIZE this endpoint advertised, once the peer
// acknowledged it (RFC 9113 §6.5.3). Size updates above it are errors
// (RFC 7541 §6.3: the limit is "the last value of the
// SETTINGS_HEADER_TABLE_SIZE parameter ... received from the decoder and
// acknowledged by the encoder").
//
// A limit below the table's maximum size obliges the encoder to start its
// next block with a size update to at most that limit, and a block that
// does not is an error, however few octets the table's entries hold
// (RFC 9113 §4.3.1: "Once an endpoint acknowledges a change to
// SETTINGS_HEADER_TABLE_SIZE that reduces the maximum below the current
// size of the dynamic table, its HPACK encoder MUST start the next field
// block with a Dynamic Table Size Update"). A larger limit asks for no
// update: the encoder may keep its smaller maximum (RFC 7541 §4.2).
func (d *Decoder) SetTableSizeLimit(n uint32) {
	d.limit = int(n)
	switch {
	case d.updateDue:
		d.updateLimit = min(d.updateLimit, d.limit)
	case d.limit < d.table.maxSize:
		d.updateDue, d.updateLimit = true, d.limit
	}
}

// SetMaxHeaderListSize bounds the header lists the decoder returns (the
// SETTINGS_MAX_HEADER_LIST_SIZE this endpoint advertised, RFC 9113 §6.5.2);
// math.MaxUint32 makes it practically unlimited.
func (d *Decoder) SetMaxHeaderListSize(n uint32) { d.maxListSize = int(n) }

// TableSize is the dynamic table's size in octets (RFC 7541 §4.1).
func (d *Decoder) TableSize() int { return d.table.size }

// MaxTableSize is the dynamic table's maximum size (RFC 7541 §4.2).
func (d *Decoder) MaxTableSize() int { return d.table.maxSize }

// TableLen is the number of entries in the dynamic table.
func (d *Decoder) TableLen() int { return d.table.n }

// AppendTable appends snapshots of the dynamic table's entries to dst,
// newest (index 62) first.
func (d *Decoder) AppendTable(dst []TableEntry) []TableEntry { return d.table.appendEntries(dst) }

// Decode decodes one complete header block (the concatenated fragments of a
// HEADERS or PUSH_PROMISE frame and its CONTINUATION frames), appending its
// fields to dst. If rec is not nil it is reset and filled with what the
// block did.
//
// A malformed block is a *DecodingError matching ErrCompression. A header
// list larger than the bound set by SetMaxHeaderListSize is decoded to the
// end, so that the dynamic table stays in step, then reported as a
// *DecodingError matching ErrHeaderListTooLarge, with dst returned as it
// was given.
func (d *Decoder) Decode(dst []HeaderField, block []byte, rec *BlockRecord) ([]HeaderField, error) {
	if rec != nil {
		rec.Reset()
	}
	if d.updateDue && (len(block) == 0 || block[0]&0xe0 != 0x20) {
		return dst, &DecodingError{Reason: ReasonSizeUpdateMissing, Value: uint64(d.table.maxSize), Limit: uint64(d.updateLimit)}
	}
	start := len(dst)
	var listSize int
	var tooLarge *DecodingError
	fieldSeen := false
	pos := 0
	for pos < len(block) {
		b := block[pos]
		var rep Representation
		switch {
		case b&0x80 != 0: // §6.1
			rep = Indexed
		case b&0xc0 == 0x40: // §6.2.1
			rep = LiteralIncremental
		case b&0xe0 == 0x20: // §6.3
			n, err := d.sizeUpdate(block, pos, fieldSeen, rec)
			if err != nil {
				return dst[:start], err
			}
			pos += n
			continue
		case b&0xf0 == 0x10: // §6.2.3
			rep = LiteralNeverIndexed
		default: // §6.2.2
			rep = LiteralWithoutIndexing
		}
		fieldSeen = true
		f, fr, err := d.field(block, pos, rep)
		if err != nil {
			return dst[:start], err
		}
		if rep == LiteralIncremental {
			d.table.add(f.Name, f.Value, rec)
		}
		listSize += f.Size()
		if listSize > d.maxListSize && tooLarge == nil {
			tooLarge = &DecodingError{Reason: ReasonHeaderListTooLarge, Offset: pos, Limit: uint64(d.maxListSize)}
		}
		if tooLarge == nil {
			dst = append(dst, f)
		}
		if rec != nil {
			rec.Fields = append(rec.Fields, fr)
		}
		pos += fr.WireLen
	}
	if rec != nil {
		rec.finish(len(block), &d.table)
	}
	if tooLarge != nil {
		tooLarge.Value = uint64(listSize)
		return dst[:start], tooLarge
	}
	return dst, nil
}

// sizeUpdate applies the dynamic table size update at block[pos:] and
// returns its length.
func (d *Decoder) sizeUpdate(block []byte, pos int, fieldSeen bool, rec *BlockRecord) (int, error) {
	if fieldSeen {
		// §4.2: an update may only start a block.
		return 0, &DecodingError{Reason: ReasonSizeUpdateAfterField, Offset: pos}
	}
	size, n, err := readInt(block[pos:], 5, maxHPACKInt)
	if err != nil {
		return 0, rebase(err, pos)
	}
	limit := d.limit
	if d.updateDue {
		// The block's first update, owed since the limit fell: it must
		// reach the smallest limit of the interval (RFC 9113 §4.3.1,
		// RFC 7541 §4.2); a second may then raise the maximum again.
		limit = d.updateLimit
	}
	if size > uint64(limit) {
		return 0, &DecodingError{Reason: ReasonSizeUpdateTooLarge, Offset: pos, Value: size, Limit: uint64(limit)}
	}
	d.updateDue = false
	d.table.setMaxSize(int(size), rec)
	if rec != nil {
		rec.SizeUpdates = append(rec.SizeUpdates, int(size))
	}
	return n, nil
}

// field decodes the field representation at block[pos:].
func (d *Decoder) field(block []byte, pos int, rep Representation) (HeaderField, FieldRecord, error) {
	fr := FieldRecord{Rep: rep, Offset: pos}
	_, prefix := rep.prefix()
	idx, n, err := readInt(block[pos:], prefix, maxHPACKInt)
	if err != nil {
		return HeaderField{}, fr, rebase(err, pos)
	}
	fr.Index = int(idx)
	p := pos + n
	var f HeaderField
	if rep == Indexed {
		if idx == 0 {
			return f, fr, &DecodingError{Reason: ReasonIndexZero, Offset: pos}
		}
		e, err := d.entry(idx, pos)
		if err != nil {
			return f, fr, err
		}
		f = HeaderField{Name: e.name, Value: e.value}
	} else {
		if idx == 0 { // §6.2: a literal name follows
			f.Name, fr.NameHuffman, p, err = d.readString(block, p)
			if err != nil {
				return f, fr, err
			}
		} else {
			e, err := d.entry(idx, pos)
			if err != nil {
				return f, fr, err
			}
			f.Name = e.name
		}
		f.Value, fr.ValueHuffman, p, err = d.readString(block, p)
		if err != nil {
			return f, fr, err
		}
		f.Sensitive = rep == LiteralNeverIndexed
	}
	fr.Name, fr.Value, fr.WireLen = f.Name, f.Value, p-pos
	return f, fr, nil
}

// entry returns the entry with index idx >= 1 of the combined index space
// (RFC 7541 §2.3.3).
func (d *Decoder) entry(idx uint64, pos int) (pair, error) {
	if idx <= uint64(StaticTableLen) {
		f := staticTable[idx-1]
		return pair{f.Name, f.Value}, nil
	}
	if idx-uint64(StaticTableLen) > uint64(d.table.n) {
		return pair{}, &DecodingError{Reason: ReasonIndexOutOfRange, Offset: pos, Value: idx, Limit: uint64(StaticTableLen + d.table.n)}
	}
	return d.table.at(int(idx) - StaticTableLen), nil
}

// readString decodes the string literal at block[pos:] (RFC 7541 §5.2) and
// returns it, whether it was Huffman-coded, and the position after it.
func (d *Decoder) readString(block []byte, pos int) (string, bool, int, error) {
	if pos >= len(block) {
		return "", false, pos, &DecodingError{Reason: ReasonIntegerTruncated, Offset: pos}
	}
	huffman := block[pos]&0x80 != 0
	length, n, err := readInt(block[pos:], 7, maxHPACKInt)
	if err != nil {
		return "", false, pos, rebase(err, pos)
	}
	data := pos + n
	if left := uint64(len(block) - data); length > left {
		return "", false, pos, &DecodingError{Reason: ReasonStringTruncated, Offset: pos, Value: length, Limit: left}
	}
	raw := block[data : data+int(length)]
	end := data + int(length)
	if !huffman {
		return string(raw), false, end, nil
	}
	d.buf, err = DecodeHuffman(d.buf[:0], raw)
	if err != nil {
		return "", true, pos, rebase(err, data)
	}
	return string(d.buf), true, end, nil
}

// rebase shifts the offset of an error from a sub-decoder by base.
func rebase(err error, base int) error {
	if e, ok := err.(*DecodingError); ok {
		e.Offset += base
	}
	return err
}
