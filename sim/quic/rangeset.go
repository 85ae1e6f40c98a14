package quic

import "slices"

// span is a half-open range [start, end) of stream offsets or packet numbers.
type span struct{ start, end int64 }

// rangeSet is a set of int64 held as sorted, disjoint, non-adjacent spans.
// It records acknowledged stream bytes, stream bytes to retransmit, and
// packet numbers received.
type rangeSet []span

// add inserts [start, end).
func (s *rangeSet) add(start, end int64) {
	if start >= end {
		return
	}
	r := *s
	n := len(r)
	// Fast path: appending at or after the last span.
	if n == 0 || r[n-1].end < start {
		*s = append(r, span{start, end})
		return
	}
	if r[n-1].start <= start {
		if end > r[n-1].end {
			r[n-1].end = end
		}
		return
	}
	// i: first span whose end >= start (may merge); j: first span whose
	// start > end (after the merged run).
	i := 0
	for i < n && r[i].end < start {
		i++
	}
	j := i
	for j < n && r[j].start <= end {
		j++
	}
	if i == j {
		r = append(r, span{})
		copy(r[i+1:], r[i:])
		r[i] = span{start, end}
		*s = r
		return
	}
	start = min(start, r[i].start)
	end = max(end, r[j-1].end)
	r[i] = span{start, end}
	*s = append(r[:i+1], r[j:]...)
}

// remove deletes [start, end). It works in place (the set is rewritten on
// every acknowledgement of stream data), growing only when a span splits.
func (s *rangeSet) remove(start, end int64) {
	if start >= end {
		return
	}
	r := *s
	// r[i:j] are the spans that overlap [start, end): at most the first
	// keeps a part below start, the last a part above end.
	i := 0
	for i < len(r) && r[i].end <= start {
		i++
	}
	j := i
	for j < len(r) && r[j].start < end {
		j++
	}
	if i == j {
		return
	}
	var parts [2]span
	kept := parts[:0]
	if r[i].start < start {
		kept = append(kept, span{r[i].start, start})
	}
	if r[j-1].end > end {
		kept = append(kept, span{end, r[j-1].end})
	}
	*s = slices.Replace(r, i, j, kept...)
}

// removeBelow deletes everything below v, moving what is left to the
// front so that the array is reused.
func (s *rangeSet) removeBelow(v int64) {
	r := *s
	i := 0
	for i < len(r) && r[i].end <= v {
		i++
	}
	n := copy(r, r[i:])
	clear(r[n:])
	r = r[:n]
	if len(r) > 0 && r[0].start < v {
		r[0].start = v
	}
	*s = r
}

// contains reports whether v is in the set.
func (s rangeSet) contains(v int64) bool {
	lo, hi := 0, len(s)
	for lo < hi {
		m := (lo + hi) / 2
		if s[m].end <= v {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(s) && s[lo].start <= v
}

// covers reports whether all of [start, end) is in the set.
func (s rangeSet) covers(start, end int64) bool {
	for _, x := range s {
		if x.start <= start && x.end >= end {
			return true
		}
	}
	return start >= end
}

// empty reports whether the set is empty.
func (s rangeSet) empty() bool { return len(s) == 0 }

// prefixEnd returns the end of the span that starts at or before from and
// reaches past it, or from if none does: the first value >= from not in the
// set when from is covered.
func (s rangeSet) prefixEnd(from int64) int64 {
	for _, x := range s {
		if x.start <= from && x.end > from {
			return x.end
		}
		if x.start > from {
			break
		}
	}
	return from
}

// size returns the number of elements.
func (s rangeSet) size() int64 {
	var n int64
	for _, x := range s {
		n += x.end - x.start
	}
	return n
}
