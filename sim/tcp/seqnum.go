package tcp

// Seq is a 32-bit TCP sequence number. Comparisons are wrap-aware (RFC 9293
// §3.4: "arithmetic on sequence numbers must be performed modulo 2**32"), so
// a connection whose initial sequence number is near 2^32 keeps working.
type Seq uint32

// Add returns s+n modulo 2^32.
func (s Seq) Add(n int64) Seq { return s + Seq(uint32(n)) }

// Sub returns the signed distance s-t, valid when |s-t| < 2^31.
func (s Seq) Sub(t Seq) int64 { return int64(int32(s - t)) }

// LessThan reports whether s comes before t in sequence space.
func (s Seq) LessThan(t Seq) bool { return int32(s-t) < 0 }

// LessThanEq reports whether s comes before t or equals it.
func (s Seq) LessThanEq(t Seq) bool { return int32(s-t) <= 0 }

// InWindow reports whether s lies in [start, start+size).
func (s Seq) InWindow(start Seq, size int64) bool {
	d := uint32(s - start)
	return int64(d) < size
}
