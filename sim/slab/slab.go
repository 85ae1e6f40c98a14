// Package slab carves many small byte slices that live as long as a run
// (the Raw bytes of trace events) out of a few larger allocations.
package slab

// Bytes hands out the Raw bytes of trace events carved from larger chunks:
// one allocation per chunk instead of one per HTTP/1.x head or HTTP/2 frame
// (a page load traces thousands, and in WebAssembly the allocator and the
// collector are a large share of a run). A carved slice's capacity is capped
// at its length, so appending to it copies rather than writing into the next
// one. A chunk lives as long as any slice carved from it; slices are never
// handed back, since the trace keeps them for the whole run.
type Bytes struct {
	buf  []byte // the current chunk; its free part is buf[len(buf):cap(buf)]
	next int    // capacity of the next chunk, doubling up to slabMax
}

// Chunk sizes: small first, so a short connection wastes little.
const (
	slabFirst = 256
	slabMax   = 8192
)

// Take returns n bytes (nil if n is 0).
func (s *Bytes) Take(n int) []byte {
	if n == 0 {
		return nil
	}
	if cap(s.buf)-len(s.buf) < n {
		s.next = min(max(2*s.next, slabFirst), slabMax)
		s.buf = make([]byte, 0, max(s.next, n))
	}
	i := len(s.buf)
	s.buf = s.buf[:i+n]
	return s.buf[i : i+n : i+n]
}

// Copy returns a copy of b carved from the slab (nil if b is empty).
func (s *Bytes) Copy(b []byte) []byte {
	dst := s.Take(len(b))
	copy(dst, b)
	return dst
}
