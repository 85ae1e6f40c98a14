package qpack

import "slices"

// The decoder's side of the encoder stream: instructions that change the
// dynamic table (RFC 9204 §4.3), and the blocked sections they release
// (§2.2.1).

// FeedEncoderStream takes the next octets of the encoder stream, in pieces
// of any size, and applies every whole instruction they complete. Field
// sections that were blocked and can now be decoded are decoded and
// returned, in the order they became decodable (and, among those unblocked
// by the same instruction, the order they arrived). If rec is not nil it
// is reset and filled with the instructions applied.
//
// An instruction that breaks RFC 9204 is an *Error with code
// ErrEncoderStreamError, its Offset counted from the start of the encoder
// stream; an unblocked section that is malformed is an *Error with code
// ErrDecompressionFailed. Either closes the connection (§6).
func (d *Decoder) FeedEncoderStream(p []byte, rec *EncoderStreamRecord) ([]DecodedSection, error) {
	if rec != nil {
		rec.Reset()
	}
	d.parser.MaxEntrySize = uint64(d.table.capacity)
	d.parser.Write(p)
	var out []DecodedSection
	for {
		in, off, n, ok, err := d.parser.Next()
		if err != nil {
			return out, err
		}
		if !ok {
			break
		}
		if err := d.apply(in, off, n, rec); err != nil {
			err.Code, err.Offset = ErrEncoderStreamError, off
			return out, err
		}
		d.parser.MaxEntrySize = uint64(d.table.capacity)
		if rec != nil {
			rec.WireLen += n
		}
		if in.Type != SetDynamicTableCapacity {
			var err error
			if out, err = d.unblock(out); err != nil {
				return out, err
			}
		}
	}
	if rec != nil {
		rec.finish(&d.table)
	}
	return out, nil
}

// apply applies one encoder instruction of n octets at stream offset off.
func (d *Decoder) apply(in EncoderInstruction, off uint64, n int, rec *EncoderStreamRecord) *Error {
	r := EncoderInstructionRecord{Instruction: in, Offset: off, WireLen: n}
	var evicted int
	switch in.Type {
	case SetDynamicTableCapacity: // §4.3.1
		if in.Capacity > d.maxCapacity {
			return &Error{Reason: ReasonCapacityExceedsLimit, Value: in.Capacity, Limit: d.maxCapacity}
		}
		evicted = d.table.setCapacity(int(in.Capacity), rec)
	case InsertWithNameReference, InsertWithLiteralName, Duplicate:
		name, value := in.Name, in.Value
		if in.Type == InsertWithNameReference && in.Static {
			if in.Index >= uint64(StaticTableLen) { // §3.1
				return &Error{Reason: ReasonStaticIndexInvalid, Value: in.Index, Limit: uint64(StaticTableLen - 1)}
			}
			name = staticTable[in.Index].Name
		} else if in.Type != InsertWithLiteralName {
			// §3.2.5: relative to the most recent insertion; §2.2.3.
			if in.Index >= d.table.inserts {
				return &Error{Reason: ReasonDynamicIndexInvalid, Value: in.Index, Limit: d.table.inserts}
			}
			abs := d.table.inserts - 1 - in.Index
			if !d.table.has(abs) {
				return &Error{Reason: ReasonEntryEvicted, Value: abs, Limit: d.table.dropped()}
			}
			// Copy the strings before the insertion can evict the entry
			// (§3.2.2).
			e := d.table.at(abs)
			name = e.name
			if in.Type == Duplicate {
				value = e.value
			}
			r.Ref, r.RefDynamic = abs, true
		}
		size := EntrySize(name, value)
		if size > d.table.capacity { // §3.2.2
			return &Error{Reason: ReasonEntryTooLarge, Value: uint64(size), Limit: uint64(d.table.capacity)}
		}
		var abs uint64
		abs, evicted = d.table.insert(name, value, rec)
		r.Entry = TableEntry{Index: abs, Name: name, Value: value, Size: size}
	default:
		panic("qpack: unknown encoder instruction")
	}
	if rec != nil {
		r.Evicted = evicted
		rec.Instructions = append(rec.Instructions, r)
	}
	return nil
}

// unblock decodes, in arrival order, every blocked section whose Required
// Insert Count the Insert Count has reached and that no earlier blocked
// section of its stream holds back, and appends them to out.
func (d *Decoder) unblock(out []DecodedSection) ([]DecodedSection, error) {
	for i := 0; i < len(d.blocked); i++ {
		b := d.blocked[i]
		if b.ric > d.table.inserts || d.blockedBefore(i, b.streamID) {
			continue
		}
		d.blocked = slices.Delete(d.blocked, i, i+1)
		i--
		ds := DecodedSection{StreamID: b.streamID}
		ds.Record.StreamID = b.streamID
		fields, err := d.decode(nil, b.streamID, b.data, b.ric, b.base, b.prefix, b.prefixLen, &ds.Record)
		ds.Record.Blocked = true
		if err != nil {
			if e, ok := err.(*Error); !ok || e.Reason != ReasonFieldSectionTooLarge {
				return out, err
			}
			ds.Err = err
		} else {
			ds.Fields = fields
		}
		out = append(out, ds)
	}
	return out, nil
}
