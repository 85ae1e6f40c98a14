package qpack

// The encoder's own dynamic table: what may be evicted, what drains, the
// capacity, and the instructions that insert (RFC 9204 §2.1.1, §3.2, §4.3).

// evictable reports whether the entry abs may be evicted: its insertion has
// been acknowledged and no unacknowledged section references it (RFC 9204
// §2.1.1).
func (e *Encoder) evictable(abs uint64) bool {
	return abs < e.knownReceived && e.table.at(abs).refs == 0
}

// canMakeRoom reports whether an entry of size octets can be inserted
// into the table as it is, without evicting an entry that is not evictable
// (RFC 9204 §2.1.1).
func (e *Encoder) canMakeRoom(size int) bool { return e.canMakeRoomIn(size, e.table.capacity) }

// canMakeRoomIn is canMakeRoom for a table of the given capacity.
func (e *Encoder) canMakeRoomIn(size, capacity int) bool {
	if size > capacity {
		return false
	}
	free := capacity - e.table.size
	for abs := e.table.dropped(); free < size; abs++ {
		if !e.evictable(abs) {
			return false
		}
		free += EntrySize(e.table.at(abs).name, e.table.at(abs).value)
	}
	return true
}

// drainingIndex is the smallest absolute index the encoder will make new
// references to (RFC 9204 §2.1.1.1, Figure 1): the entries below it are
// those that would have to be evicted to make 1/drainFraction of the
// capacity available.
func (e *Encoder) drainingIndex() uint64 {
	t := &e.table
	key := [3]uint64{t.inserts, uint64(t.n), uint64(t.capacity)}
	if key == e.drainKey {
		return e.drain
	}
	abs := t.dropped()
	need := t.capacity/drainFraction - (t.capacity - t.size)
	for ; need > 0 && abs < t.inserts; abs++ {
		need -= EntrySize(t.at(abs).name, t.at(abs).value)
	}
	e.drain, e.drainKey = abs, key
	return abs
}

// draining reports whether abs lies in the draining part of the table.
func (e *Encoder) draining(abs uint64) bool { return abs < e.drainingIndex() }

// capacityTarget returns the capacity the table will have once pending
// changes are sent: the capacity the encoder wants, if the change evicts
// only evictable entries (RFC 9204 §4.3.1), and otherwise the current one;
// ok says the change can be sent now.
func (e *Encoder) capacityTarget() (capacity int, ok bool) {
	if !e.capacityPending {
		return e.table.capacity, false
	}
	target := int(min(e.maxCapacity, e.capacityLimit))
	size := e.table.size
	for abs := e.table.dropped(); size > target; abs++ {
		if !e.evictable(abs) {
			return e.table.capacity, false
		}
		size -= EntrySize(e.table.at(abs).name, e.table.at(abs).value)
	}
	return target, true
}

// survives reports whether the entry abs stays in the table when its
// capacity becomes capacity.
func (e *Encoder) survives(abs uint64, capacity int) bool {
	size := e.table.size
	for a := e.table.dropped(); size > capacity; a++ {
		if a == abs {
			return false
		}
		size -= EntrySize(e.table.at(a).name, e.table.at(a).value)
	}
	return true
}

// flushCapacity writes Set Dynamic Table Capacity if the capacity the
// encoder wants differs from the table's and can be set now.
func (e *Encoder) flushCapacity(dst []byte, rec *EncoderStreamRecord) []byte {
	target, ok := e.capacityTarget()
	if !ok {
		return dst
	}
	e.capacityPending = false
	if target == e.table.capacity {
		return dst
	}
	in := EncoderInstruction{Type: SetDynamicTableCapacity, Capacity: uint64(target)}
	return e.instruction(dst, in, rec, func() (TableEntry, int) {
		return TableEntry{}, e.table.setCapacity(target, rec)
	})
}

// insertField writes an insert instruction for f (RFC 9204 §4.3.2,
// §4.3.3), naming it by reference where a table holds the name, and
// inserts it; there must be room (canMakeRoom).
func (e *Encoder) insertField(dst []byte, f Field, rec *EncoderStreamRecord) ([]byte, uint64) {
	in := EncoderInstruction{Value: f.Value, ValueHuffman: useHuffman(e.huffman, f.Value)}
	var ref uint64
	refDynamic := false
	if i, ok := staticNames[f.Name]; ok {
		in.Type, in.Static, in.Index = InsertWithNameReference, true, uint64(i)
	} else if _, _, name, ok := e.table.index.lookup(f.Name, f.Value); ok {
		// A reference on the encoder stream never blocks and may name an
		// entry this very insertion evicts (§2.1.1, §3.2.2).
		in.Type, in.Index = InsertWithNameReference, e.table.inserts-1-name
		ref, refDynamic = name, true
	} else {
		in.Type, in.Name, in.NameHuffman = InsertWithLiteralName, f.Name, useHuffman(e.huffman, f.Name)
	}
	abs := e.table.inserts
	dst = e.instruction(dst, in, rec, func() (TableEntry, int) {
		_, evicted := e.table.insert(f.Name, f.Value, rec)
		return TableEntry{Index: abs, Name: f.Name, Value: f.Value, Size: f.Size()}, evicted
	})
	if rec != nil && refDynamic {
		r := &rec.Instructions[len(rec.Instructions)-1]
		r.Ref, r.RefDynamic = ref, true
	}
	return dst, abs
}

// duplicate writes Duplicate for the entry abs (RFC 9204 §4.3.4) and
// inserts the copy; there must be room (canMakeRoom).
func (e *Encoder) duplicate(dst []byte, abs uint64, rec *EncoderStreamRecord) ([]byte, uint64) {
	old := e.table.at(abs)
	name, value := old.name, old.value
	in := EncoderInstruction{Type: Duplicate, Index: e.table.inserts - 1 - abs}
	dup := e.table.inserts
	dst = e.instruction(dst, in, rec, func() (TableEntry, int) {
		_, evicted := e.table.insert(name, value, rec)
		return TableEntry{Index: dup, Name: name, Value: value, Size: EntrySize(name, value)}, evicted
	})
	if rec != nil {
		r := &rec.Instructions[len(rec.Instructions)-1]
		r.Ref, r.RefDynamic = abs, true
	}
	return dst, dup
}

// instruction appends in to the encoder stream, applies it to the table
// with apply, and records it.
func (e *Encoder) instruction(dst []byte, in EncoderInstruction, rec *EncoderStreamRecord, apply func() (TableEntry, int)) []byte {
	off := len(dst)
	dst = AppendEncoderInstruction(dst, in)
	n := len(dst) - off
	entry, evicted := apply()
	if rec != nil {
		rec.Instructions = append(rec.Instructions, EncoderInstructionRecord{
			Instruction: in, Offset: e.streamOff, WireLen: n, Entry: entry, Evicted: evicted,
		})
	}
	e.streamOff += uint64(n)
	return dst
}

// Insert writes an insert instruction for f to the encoder stream and
// inserts it into the dynamic table without referencing it: an encoder
// "MAY insert any entry in the dynamic table it chooses" (RFC 9204 §2.1),
// e.g. speculatively, as in Appendix B.3. A pending capacity change goes
// first. It writes nothing and returns ErrInsertNotAllowed if the rules
// forbid the insertion (see there). If rec is not nil it is reset and
// filled.
func (e *Encoder) Insert(dst []byte, f Field, rec *EncoderStreamRecord) ([]byte, error) {
	if rec != nil {
		rec.Reset()
	}
	if capacity, _ := e.capacityTarget(); e.maxCapacity == 0 || !e.canMakeRoomIn(f.Size(), capacity) {
		return dst, ErrInsertNotAllowed
	}
	start := len(dst)
	dst = e.flushCapacity(dst, rec)
	dst, _ = e.insertField(dst, f, rec)
	if rec != nil {
		rec.WireLen = len(dst) - start
		rec.finish(&e.table)
	}
	return dst, nil
}

// Duplicate writes a Duplicate instruction for the entry with absolute
// index abs (RFC 9204 §4.3.4), as in Appendix B.4, and inserts the copy. A
// pending capacity change goes first. It writes nothing and returns
// ErrInsertNotAllowed if the entry is not in the table or the copy cannot
// be inserted. If rec is not nil it is reset and filled.
func (e *Encoder) Duplicate(dst []byte, abs uint64, rec *EncoderStreamRecord) ([]byte, error) {
	if rec != nil {
		rec.Reset()
	}
	if !e.table.has(abs) {
		return dst, ErrInsertNotAllowed
	}
	old := e.table.at(abs)
	capacity, _ := e.capacityTarget()
	if !e.survives(abs, capacity) || !e.canMakeRoomIn(EntrySize(old.name, old.value), capacity) {
		return dst, ErrInsertNotAllowed
	}
	start := len(dst)
	dst = e.flushCapacity(dst, rec)
	dst, _ = e.duplicate(dst, abs, rec)
	if rec != nil {
		rec.WireLen = len(dst) - start
		rec.finish(&e.table)
	}
	return dst, nil
}
