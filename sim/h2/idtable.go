package h2

// idTable maps stream IDs to per-stream records. A connection numbers its
// streams from 1 upwards (RFC 9113 §5.1.1), so the IDs in use are small:
// those below denseIDs are found by indexing a slice, any others (a peer
// may choose any ID) in a map. Looking up a uint32 in a map hashes it,
// which in WebAssembly costs several times an index.
type idTable[T any] struct {
	dense []*T // dense[id] for id < denseIDs; nil where none
	far   map[uint32]*T
}

// denseIDs bounds the slice part: 4096 pointers at most, a page's worth of
// requests and pushes several times over.
const denseIDs = 4096

// get returns the record for id, or nil.
func (t *idTable[T]) get(id uint32) *T {
	if id < uint32(len(t.dense)) {
		return t.dense[id]
	}
	if t.far == nil {
		return nil
	}
	return t.far[id]
}

// set records v for id.
func (t *idTable[T]) set(id uint32, v *T) {
	if id < denseIDs {
		if id >= uint32(len(t.dense)) {
			n := max(16, 2*len(t.dense))
			for uint32(n) <= id {
				n *= 2
			}
			dense := make([]*T, min(n, denseIDs))
			copy(dense, t.dense)
			t.dense = dense
		}
		t.dense[id] = v
		return
	}
	if t.far == nil {
		t.far = make(map[uint32]*T)
	}
	t.far[id] = v
}

// remove forgets id.
func (t *idTable[T]) remove(id uint32) {
	if id < uint32(len(t.dense)) {
		t.dense[id] = nil
		return
	}
	delete(t.far, id)
}

// each calls fn for every record, in no particular order: callers must not
// depend on it.
func (t *idTable[T]) each(fn func(id uint32, v *T)) {
	for id, v := range t.dense {
		if v != nil {
			fn(uint32(id), v)
		}
	}
	for id, v := range t.far {
		fn(id, v)
	}
}
