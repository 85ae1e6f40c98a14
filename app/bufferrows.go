package app

import "math"

// Which connections the receive-buffer panel shows. A page over HTTP/1.0
// opens a connection per request, thirty in all, a few at a time: a row
// for each would make the panel thirty rows tall, almost all "nothing
// waiting". The panel instead has as many rows as the run ever had
// connections receiving at once, and shows at the scrub time the
// connections receiving then, topped up with the ones that finished most
// recently. (Plain loops: the connections are few, and each generic sort
// instantiated for them would add to the WebAssembly program.)

// span is when a connection received: from its first byte's arrival to
// the last delivery (over TLS, the last record opened); ok is false if it
// received nothing.
func (c *connRecv) span() (first, last int64, ok bool) {
	if len(c.recv) == 0 {
		return 0, 0, false
	}
	first, last = c.recv[0].at, c.recv[len(c.recv)-1].at
	if n := len(c.delivered.at); n > 0 {
		last = max(last, c.delivered.at[n-1])
	}
	if n := len(c.opened.at); n > 0 {
		last = max(last, c.opened.at[n-1])
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

// countBufferRows counts, at the start of each connection's span (where
// the number receiving can only have grown), the spans that contain it.
func (v *runView) countBufferRows() int {
	most := 1
	for i := range v.conns {
		at, _, ok := v.conns[i].span()
		if !ok {
			continue
		}
		n := 0
		for j := range v.conns {
			if first, last, ok := v.conns[j].span(); ok && first <= at && at <= last {
				n++
			}
		}
		most = max(most, n)
	}
	return most
}

// buffersAt appends to out the connections to show at t, in connection
// order: those receiving at t, then those that finished most recently, up
// to rows of them (ties to the lower connection). None before the first
// byte arrives.
func (v *runView) buffersAt(t int64, rows int, out []int) []int {
	out = out[:0]
	receiving, done := 0, 0
	for i := range v.conns {
		first, last, ok := v.conns[i].span()
		switch {
		case !ok || first > t:
		case last >= t:
			receiving++
		default:
			done++
		}
	}
	// The finished ones shown are those that ended after cut, and atCut
	// of those that ended at cut (ties go to the lower connection).
	spare := min(rows-receiving, done)
	cut, above := int64(math.MaxInt64), 0
	for spare > 0 {
		next, n := int64(-1), 0
		for i := range v.conns {
			first, last, ok := v.conns[i].span()
			switch {
			case !ok || first > t || last >= t || last >= cut:
			case last > next:
				next, n = last, 1
			case last == next:
				n++
			}
		}
		cut = next
		if above+n >= spare {
			break
		}
		above += n
	}
	atCut := spare - above
	for i := range v.conns {
		first, last, ok := v.conns[i].span()
		switch {
		case !ok || first > t:
		case last >= t, last > cut:
			out = append(out, i)
		case last == cut && atCut > 0:
			out = append(out, i)
			atCut--
		}
	}
	return out
}
