package sim

// timerHeap is a 4-ary min-heap of timers ordered by (at, seq). Each timer
// records its own index so that moving or cancelling it costs O(log n) with no
// search. A 4-ary heap halves the depth of a binary one and keeps siblings in
// one cache line, which matters because firing events is the engine's whole
// inner loop.
type timerHeap []*Timer

func less(a, b *Timer) bool {
	if a.at != b.at {
		return a.at < b.at
	}
	return a.seq < b.seq
}

func (h *timerHeap) push(t *Timer) {
	t.idx = len(*h)
	*h = append(*h, t)
	h.up(t.idx)
}

// pop removes the earliest timer; the caller has read it from h[0].
func (h *timerHeap) pop() {
	h.remove(0)
}

func (h *timerHeap) remove(i int) {
	s := *h
	last := len(s) - 1
	t := s[i]
	if i != last {
		s[i] = s[last]
		s[i].idx = i
	}
	s[last] = nil
	*h = s[:last]
	t.idx = -1
	if i != last {
		h.fix(i)
	}
}

func (h timerHeap) fix(i int) {
	if !h.up(i) {
		h.down(i)
	}
}

// up moves h[i] towards the root; it reports whether it moved.
func (h timerHeap) up(i int) bool {
	t := h[i]
	start := i
	for i > 0 {
		p := (i - 1) / 4
		if !less(t, h[p]) {
			break
		}
		h[i] = h[p]
		h[i].idx = i
		i = p
	}
	h[i] = t
	t.idx = i
	return i != start
}

func (h timerHeap) down(i int) {
	n := len(h)
	t := h[i]
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m := c
		end := c + 4
		if end > n {
			end = n
		}
		for j := c + 1; j < end; j++ {
			if less(h[j], h[m]) {
				m = j
			}
		}
		if !less(h[m], t) {
			break
		}
		h[i] = h[m]
		h[i].idx = i
		i = m
	}
	h[i] = t
	t.idx = i
}
