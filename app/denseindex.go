package app

// denseIndex maps a (connection, number) pair to an int: a lane row by
// connection and stream, or the last packet sent by connection, direction
// and packet number. Both numbers count from 0 and stay small in a page
// load (streams in the hundreds, packets in the thousands), so a table per
// connection is both smaller and, in WebAssembly, several times faster than
// a hashed map; numbers beyond denseLimit go to a map.
type denseIndex struct {
	dense [][]int32 // [conn][n] → value+1; 0 means none
	other map[denseKey]int
}

type denseKey struct {
	conn int32
	n    int64
}

// denseLimit bounds a connection's table (256 KB of int32).
const denseLimit = 1 << 16

// set records v for (conn, n). conn and n must not be negative.
func (x *denseIndex) set(conn int32, n int64, v int) {
	if n >= denseLimit || conn >= denseLimit {
		if x.other == nil {
			x.other = map[denseKey]int{}
		}
		x.other[denseKey{conn, n}] = v
		return
	}
	for int(conn) >= len(x.dense) {
		x.dense = append(x.dense, nil)
	}
	t := x.dense[conn]
	if int(n) >= len(t) {
		t = append(t, make([]int32, int(n)+1-len(t)+len(t)/2)...)
		x.dense[conn] = t
	}
	t[n] = int32(v) + 1
}

// get returns the value recorded for (conn, n).
func (x *denseIndex) get(conn int32, n int64) (int, bool) {
	if conn < 0 || n < 0 {
		return 0, false
	}
	if n >= denseLimit || conn >= denseLimit {
		v, ok := x.other[denseKey{conn, n}]
		return v, ok
	}
	if int(conn) >= len(x.dense) || int(n) >= len(x.dense[conn]) {
		return 0, false
	}
	v := x.dense[conn][n]
	if v == 0 {
		return 0, false
	}
	return int(v) - 1, true
}

// perDir holds a value for each direction of each connection, at slot
// conn*2 (the client's sending side) or conn*2+1 (the server's): a slice
// where a map keyed by (connection, side) would hash every packet's key.
type perDir[T any] []T

// slot is the index of a connection's direction, or -1 for no connection.
func slot(conn int32, server bool) int {
	if conn < 0 {
		return -1
	}
	if server {
		return int(conn)*2 + 1
	}
	return int(conn) * 2
}

// at returns the value of a direction for writing, growing the slice; nil
// for no connection.
func (p *perDir[T]) at(conn int32, server bool) *T {
	i := slot(conn, server)
	if i < 0 {
		return nil
	}
	for i >= len(*p) {
		var zero T
		*p = append(*p, zero)
	}
	return &(*p)[i]
}

// get returns the value of a direction (the zero value if none).
func (p perDir[T]) get(conn int32, server bool) T {
	if i := slot(conn, server); i >= 0 && i < len(p) {
		return p[i]
	}
	var zero T
	return zero
}
