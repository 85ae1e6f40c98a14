package hpack

// pair is a table entry's name and value.
type pair struct{ name, value string }

// dynamicTable is the dynamic table of RFC 7541 §2.3.2: a FIFO of entries,
// newest at index 1, evicted oldest first.
type dynamicTable struct {
	// ring holds the n entries in insertion order starting at ring[head]
	// and wrapping: ring[head] is the oldest (evicted first, §4.3) and
	// ring[(head+n-1)&mask] the newest (dynamic index 1, §2.3.3). Its
	// length is zero or a power of two, so mask = len(ring)-1 wraps.
	ring    []pair
	head, n int
	// size is the sum of the entries' sizes in octets (§4.1);
	// size <= maxSize always.
	size int
	// maxSize is the maximum size set by the last size update (§4.2).
	maxSize int
}

// at returns the entry with dynamic index i, 1 <= i <= n (§2.3.3).
func (t *dynamicTable) at(i int) pair {
	return t.ring[(t.head+t.n-i)&(len(t.ring)-1)]
}

// add inserts an entry as the newest, first evicting the oldest entries
// until it fits (§4.4). An entry larger than maxSize empties the table and
// is not added. Evictions and the insertion are recorded in rec if not nil.
func (t *dynamicTable) add(name, value string, rec *BlockRecord) {
	size := EntrySize(name, value)
	t.evictTo(t.maxSize-size, rec)
	if size > t.maxSize {
		return
	}
	if t.n == len(t.ring) {
		t.grow()
	}
	t.ring[(t.head+t.n)&(len(t.ring)-1)] = pair{name, value}
	t.n++
	t.size += size
	if rec != nil {
		rec.Inserted = append(rec.Inserted, TableEntry{Index: StaticTableLen + 1, Name: name, Value: value, Size: size})
	}
}

// setMaxSize applies a dynamic table size update, evicting entries until
// the table fits (§4.3).
func (t *dynamicTable) setMaxSize(max int, rec *BlockRecord) {
	t.maxSize = max
	t.evictTo(max, rec)
}

// evictTo evicts the oldest entries until size <= limit (limit may be
// negative, to make room for an entry larger than the table).
func (t *dynamicTable) evictTo(limit int, rec *BlockRecord) {
	for t.n > 0 && t.size > limit {
		e := t.ring[t.head]
		t.ring[t.head] = pair{} // let the strings go
		size := EntrySize(e.name, e.value)
		if rec != nil {
			rec.Evicted = append(rec.Evicted, TableEntry{Index: StaticTableLen + t.n, Name: e.name, Value: e.value, Size: size})
		}
		t.head = (t.head + 1) & (len(t.ring) - 1)
		t.n--
		t.size -= size
	}
	if t.n == 0 {
		t.head = 0
	}
}

// grow doubles the ring (8 entries at first), unwrapping it.
func (t *dynamicTable) grow() {
	ring := make([]pair, max(8, 2*len(t.ring)))
	for i := 0; i < t.n; i++ {
		ring[i] = t.ring[(t.head+i)&(len(t.ring)-1)]
	}
	t.ring, t.head = ring, 0
}

// appendEntries appends snapshots of the entries, newest (index 62) first.
func (t *dynamicTable) appendEntries(dst []TableEntry) []TableEntry {
	for i := 1; i <= t.n; i++ {
		e := t.at(i)
		dst = append(dst, TableEntry{Index: StaticTableLen + i, Name: e.name, Value: e.value, Size: EntrySize(e.name, e.value)})
	}
	return dst
}

// lookup returns the dynamic index (1 = newest) of the newest entry with
// this name and value, and of the newest with this name; 0 if none. It
// scans the entries newest first: the table holds a few dozen entries, and
// comparing strings, which mostly differ in length, is cheaper than hashing
// them (hashing is slow in WebAssembly).
func (t *dynamicTable) lookup(name, value string) (both, nameOnly int) {
	mask := len(t.ring) - 1
	for i := 1; i <= t.n; i++ {
		e := &t.ring[(t.head+t.n-i)&mask]
		if e.name != name {
			continue
		}
		if nameOnly == 0 {
			nameOnly = i
		}
		if e.value == value {
			return i, nameOnly
		}
	}
	return 0, nameOnly
}
