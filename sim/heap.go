package sim

// timerHeap is a 4-ary min-heap of timers ordered by (at, seq). A 4-ary heap
// halves the depth of a binary one and keeps siblings together, which matters
// because firing events is the engine's whole inner loop.
//
// The heap's entries hold their timer's keys and the number of a slot that
// points to the timer, not the timer itself: sifting then compares keys
// without following pointers, and moves entries that hold none. Moving
// pointers inside a heap object costs a write barrier each while the garbage
// collector marks, and in WebAssembly those barriers were a large share of
// the loop. Each timer records its entry's index, so that moving or
// cancelling it costs O(log n) with no search.
type timerHeap struct {
	entries []heapEntry
	// slots[s] is the timer of the entry with slot s, nil if no entry
	// has it; free lists the unused slots.
	slots []*Timer
	free  []int32
}

// heapEntry is a set timer in the heap: its due time and sequence number,
// and its slot.
type heapEntry struct {
	at   Time
	seq  uint64
	slot int32
}

func (a *heapEntry) less(b *heapEntry) bool {
	if a.at != b.at {
		return a.at < b.at
	}
	return a.seq < b.seq
}

// len is the number of timers set.
func (h *timerHeap) len() int { return len(h.entries) }

// top returns the earliest timer. The heap must not be empty.
func (h *timerHeap) top() *Timer { return h.slots[h.entries[0].slot] }

// push adds t, whose at and seq are set.
func (h *timerHeap) push(t *Timer) {
	var s int32
	if n := len(h.free); n > 0 {
		s = h.free[n-1]
		h.free = h.free[:n-1]
		h.slots[s] = t
	} else {
		s = int32(len(h.slots))
		h.slots = append(h.slots, t)
	}
	t.idx = len(h.entries)
	h.entries = append(h.entries, heapEntry{at: t.at, seq: t.seq, slot: s})
	h.up(t.idx)
}

// pop removes the earliest timer; the caller has read it with top.
func (h *timerHeap) pop() {
	h.remove(0)
}

// remove takes out the entry at index i.
func (h *timerHeap) remove(i int) {
	e := h.entries
	last := len(e) - 1
	s := e[i].slot
	t := h.slots[s]
	h.slots[s] = nil
	h.free = append(h.free, s)
	if i != last {
		e[i] = e[last]
		h.slots[e[i].slot].idx = i
	}
	h.entries = e[:last]
	t.idx = -1
	if i != last {
		h.fix(i)
	}
}

// moved restores the order after t, which is in the heap, took a new at
// and seq.
func (h *timerHeap) moved(t *Timer) {
	e := &h.entries[t.idx]
	e.at, e.seq = t.at, t.seq
	h.fix(t.idx)
}

func (h *timerHeap) fix(i int) {
	if !h.up(i) {
		h.down(i)
	}
}

// up moves entry i towards the root; it reports whether it moved.
func (h *timerHeap) up(i int) bool {
	es := h.entries
	e := es[i]
	start := i
	for i > 0 {
		p := (i - 1) / 4
		if !e.less(&es[p]) {
			break
		}
		es[i] = es[p]
		h.slots[es[i].slot].idx = i
		i = p
	}
	es[i] = e
	h.slots[e.slot].idx = i
	return i != start
}

func (h *timerHeap) down(i int) {
	es := h.entries
	n := len(es)
	e := es[i]
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		end := min(c+4, n)
		for j := c + 1; j < end; j++ {
			if es[j].less(&es[m]) {
				m = j
			}
		}
		if !es[m].less(&e) {
			break
		}
		es[i] = es[m]
		h.slots[es[i].slot].idx = i
		i = m
	}
	es[i] = e
	h.slots[e.slot].idx = i
}
