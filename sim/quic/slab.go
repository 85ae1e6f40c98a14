package quic

// This file holds the allocators behind the packer. A page load sends
// thousands of packets, each with a few short lists that outlive it (its
// encoded header in the trace, its data ranges on the link, its frame
// records in loss detection) and a few frames that do not (they are dead
// once encoded). Allocating each on its own made the Go runtime a large
// share of a run in WebAssembly.

// slab hands out short slices carved from larger chunks: one allocation
// per chunk instead of one per slice. A carved slice's capacity is capped
// at its length, so appending to it copies rather than writing into the
// next slice. A chunk lives as long as any slice carved from it; slices are
// never handed back.
type slab[T any] struct {
	buf  []T // the current chunk; its free part is buf[len(buf):cap(buf)]
	next int // capacity of the next chunk, doubling up to max
	max  int
}

// newSlab returns a slab whose chunks grow from first to limit elements:
// a short connection wastes little, a long one allocates rarely.
func newSlab[T any](first, limit int) slab[T] { return slab[T]{next: first, max: limit} }

// take returns a slice of n zero elements (nil if n is 0).
func (s *slab[T]) take(n int) []T {
	if n == 0 {
		return nil
	}
	if cap(s.buf)-len(s.buf) < n {
		s.buf = make([]T, 0, max(s.next, n))
		s.next = min(2*s.next, s.max)
	}
	i := len(s.buf)
	s.buf = s.buf[:i+n]
	return s.buf[i : i+n : i+n]
}

// copyOf returns a copy of x carved from the slab (nil if x is empty).
func (s *slab[T]) copyOf(x []T) []T {
	dst := s.take(len(x))
	copy(dst, x)
	return dst
}

// framePool hands out frames of one type for a packet being built, and
// takes them all back at once when the building is reused: by then the
// packet is encoded and nothing refers to its frames.
type framePool[F any] struct {
	all []*F
	n   int // all[:n] are in use
}

// get returns a zeroed frame.
func (p *framePool[F]) get() *F {
	if p.n == len(p.all) {
		p.all = append(p.all, new(F))
	}
	f := p.all[p.n]
	p.n++
	var zero F
	*f = zero
	return f
}

// reset takes every frame back.
func (p *framePool[F]) reset() { p.n = 0 }
