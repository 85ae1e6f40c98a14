package app

import (
	"cmp"
	"slices"
)

// Which connections the receive-buffer panel shows. A page over HTTP/1.0
// opens a connection per request, thirty in all, a few at a time: a row
// for each would make the panel thirty rows tall, almost all "nothing
// waiting". The panel instead has as many rows as the run ever had
// connections receiving at once, and shows at the scrub time the
// connections receiving then, topped up with the ones that finished most
// recently.

// span is when a connection received: from its first byte's arrival to
// the last delivery; ok is false if it received nothing.
func (c *connRecv) span() (first, last int64, ok bool) {
	if len(c.recv) == 0 {
		return 0, 0, false
	}
	first, last = c.recv[0].at, c.recv[len(c.recv)-1].at
	if n := len(c.delivered.at); n > 0 {
		last = max(last, c.delivered.at[n-1])
	}
	return first, last, true
}

// bufferRows is how many connections received at once at most (at least
// one): the panel's number of rows for a TCP run. It is worked out once.
func (v *runView) bufferRows() int {
	if v.bufRows == 0 {
		v.bufRows = v.countBufferRows()
	}
	return v.bufRows
}

func (v *runView) countBufferRows() int {
	type edge struct {
		at    int64
		delta int
	}
	var edges []edge
	for i := range v.conns {
		if first, last, ok := v.conns[i].span(); ok {
			edges = append(edges, edge{first, 1}, edge{last, -1})
		}
	}
	// Opens before closes at the same time: both count as receiving.
	slices.SortFunc(edges, func(a, b edge) int {
		if a.at != b.at {
			return cmp.Compare(a.at, b.at)
		}
		return b.delta - a.delta
	})
	most, open := 1, 0
	for _, e := range edges {
		open += e.delta
		most = max(most, open)
	}
	return most
}

// buffersAt appends to out the connections to show at t, in connection
// order: those receiving at t, then those that finished most recently, up
// to bufferRows of them. It shows none before the first byte arrives.
func (v *runView) buffersAt(t int64, rows int, out []int) []int {
	out = out[:0]
	var done []int // finished by t, latest last first
	for i := range v.conns {
		first, last, ok := v.conns[i].span()
		switch {
		case !ok || first > t:
		case last >= t:
			out = append(out, i)
		default:
			done = append(done, i)
		}
	}
	slices.SortStableFunc(done, func(a, b int) int {
		_, la, _ := v.conns[a].span()
		_, lb, _ := v.conns[b].span()
		return cmp.Compare(lb, la)
	})
	for _, i := range done {
		if len(out) >= rows {
			break
		}
		out = append(out, i)
	}
	if len(out) > rows {
		out = out[:rows]
	}
	slices.Sort(out)
	return out
}
