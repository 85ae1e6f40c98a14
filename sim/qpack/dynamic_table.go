package qpack

// entry is a dynamic table entry.
type entry struct {
	name, value string
	// refs counts the unacknowledged field sections that reference the
	// entry (encoder only, RFC 9204 §2.1.1); an entry with refs > 0 is not
	// evictable.
	refs int
}

// dynamicTable is the dynamic table of RFC 9204 §3.2: a FIFO of entries,
// each with an absolute index fixed for its lifetime (§3.2.4), evicted
// oldest first (§3.2.2). The encoder and the decoder each hold one; they
// agree once the decoder has processed the encoder stream up to the same
// point.
type dynamicTable struct {
	// ring holds the n entries in insertion order starting at ring[head]
	// and wrapping: ring[head] is the oldest, absolute index inserts-n,
	// the next to be evicted; ring[(head+n-1)%len(ring)] the newest,
	// absolute index inserts-1.
	ring    []entry
	head, n int
	// size is the sum of the entries' sizes in octets (§3.2.1); size <=
	// capacity always.
	size int
	// capacity is the limit on size set by the last Set Dynamic Table
	// Capacity (§3.2.2); it starts at 0.
	capacity int
	// inserts is the Insert Count: every insertion (and duplication) ever
	// made, and so the absolute index the next entry gets (§3.2.4).
	inserts uint64
	// index, if not nil, is kept in step with the entries (encoder only).
	index *tableIndex
}

// dropped is the number of entries evicted so far: the absolute index of
// the oldest entry, if any.
func (t *dynamicTable) dropped() uint64 { return t.inserts - uint64(t.n) }

// has reports whether the entry with absolute index abs is in the table.
func (t *dynamicTable) has(abs uint64) bool { return abs >= t.dropped() && abs < t.inserts }

// at returns the entry with absolute index abs, which must be in the table.
func (t *dynamicTable) at(abs uint64) *entry {
	if !t.has(abs) {
		panic("qpack: dynamic table access out of range")
	}
	return &t.ring[(t.head+int(abs-t.dropped()))%len(t.ring)]
}

// snapshot returns the entry with absolute index abs as a TableEntry.
func (t *dynamicTable) snapshot(abs uint64) TableEntry {
	e := t.at(abs)
	return TableEntry{Index: abs, Name: e.name, Value: e.value, Size: EntrySize(e.name, e.value), Refs: e.refs}
}

// insert adds an entry as the newest, first evicting the oldest entries
// until it fits (§3.2.2), and returns its absolute index. The entry must
// not be larger than the capacity. Insertion and evictions are recorded in
// rec if it is not nil.
func (t *dynamicTable) insert(name, value string, rec *EncoderStreamRecord) (abs uint64, evicted int) {
	size := EntrySize(name, value)
	if size > t.capacity {
		panic("qpack: entry larger than the dynamic table")
	}
	evicted = t.evictTo(t.capacity-size, rec)
	if t.n == len(t.ring) {
		t.grow()
	}
	t.ring[(t.head+t.n)%len(t.ring)] = entry{name: name, value: value}
	t.n++
	t.size += size
	abs = t.inserts
	t.inserts++
	if t.index != nil {
		t.index.add(name, value, abs)
	}
	if rec != nil {
		rec.Inserted = append(rec.Inserted, TableEntry{Index: abs, Name: name, Value: value, Size: size})
	}
	return abs, evicted
}

// setCapacity applies Set Dynamic Table Capacity, evicting entries until
// the table fits (§3.2.2, §4.3.1).
func (t *dynamicTable) setCapacity(c int, rec *EncoderStreamRecord) (evicted int) {
	t.capacity = c
	return t.evictTo(c, rec)
}

// evictTo evicts the oldest entries until size <= limit (limit may be
// negative) and returns how many it evicted.
func (t *dynamicTable) evictTo(limit int, rec *EncoderStreamRecord) (evicted int) {
	for t.n > 0 && t.size > limit {
		abs := t.dropped()
		e := t.ring[t.head]
		t.ring[t.head] = entry{} // let the strings go
		size := EntrySize(e.name, e.value)
		if rec != nil {
			rec.Evicted = append(rec.Evicted, TableEntry{Index: abs, Name: e.name, Value: e.value, Size: size})
		}
		if t.index != nil {
			t.index.remove(e.name, e.value, abs)
		}
		t.head = (t.head + 1) % len(t.ring)
		t.n--
		t.size -= size
		evicted++
	}
	if t.n == 0 {
		t.head = 0
	}
	return evicted
}

// grow doubles the ring, unwrapping it.
func (t *dynamicTable) grow() {
	ring := make([]entry, max(8, 2*len(t.ring)))
	for i := 0; i < t.n; i++ {
		ring[i] = t.ring[(t.head+i)%len(t.ring)]
	}
	t.ring, t.head = ring, 0
}

// appendEntries appends snapshots of the entries, oldest (lowest absolute
// index) first, as RFC 9204 Appendix B lists them.
func (t *dynamicTable) appendEntries(dst []TableEntry) []TableEntry {
	for abs := t.dropped(); abs < t.inserts; abs++ {
		dst = append(dst, t.snapshot(abs))
	}
	return dst
}

// tableIndex finds dynamic table entries by content, for the encoder. It
// maps to absolute indexes, which stay valid until the entry is evicted.
type tableIndex struct {
	pairs map[pair]uint64   // newest entry with this name and value
	names map[string]uint64 // newest entry with this name
}

func newTableIndex() *tableIndex {
	return &tableIndex{pairs: make(map[pair]uint64), names: make(map[string]uint64)}
}

func (x *tableIndex) add(name, value string, abs uint64) {
	x.pairs[pair{name, value}] = abs
	x.names[name] = abs
}

// remove forgets the evicted entry abs, unless a newer entry with the same
// content has replaced it in the maps.
func (x *tableIndex) remove(name, value string, abs uint64) {
	if a, ok := x.pairs[pair{name, value}]; ok && a == abs {
		delete(x.pairs, pair{name, value})
	}
	if a, ok := x.names[name]; ok && a == abs {
		delete(x.names, name)
	}
}

// lookup returns the absolute index of the newest entry with this name and
// value, and of the newest with this name.
func (x *tableIndex) lookup(name, value string) (both uint64, bothOK bool, nameOnly uint64, nameOK bool) {
	both, bothOK = x.pairs[pair{name, value}]
	nameOnly, nameOK = x.names[name]
	return both, bothOK, nameOnly, nameOK
}
