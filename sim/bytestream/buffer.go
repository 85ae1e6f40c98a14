// Package bytestream holds a sender's outgoing byte stream as it is written:
// real bytes where they teach something (headers, frame headers, handshake
// messages) and filler where only the length matters (response bodies). A
// TCP segment or a QUIC STREAM frame refers to a range of such a stream
// instead of copying it; the receiver reads the bytes it parses through the
// reference, and skips filler by count.
package bytestream

import "fmt"

// chunk is a run of the stream: real bytes, or n bytes of filler when data is
// nil.
type chunk struct {
	off  int64
	n    int64
	data []byte
}

// Buffer is an append-only byte stream whose acknowledged prefix can be
// discarded. Offsets count from 0 at the first byte ever written.
type Buffer struct {
	// chunks are contiguous and in order. Those wholly before start are
	// dead: they are dropped in one copy once they are half the slice, so
	// that discarding costs amortised constant time however much is
	// queued behind (a copy per ACK made long queues quadratic).
	chunks []chunk
	start  int64 // bytes before start have been discarded
	end    int64 // offset one past the last byte written

	// block is the memory real bytes are copied into: chunks are slices
	// of it, so that the many small writes of headers and frame headers
	// share one allocation. block[:len(block)] is taken; the rest is
	// free. open says the last chunk ends at len(block), so a write can
	// extend it in place.
	block []byte
	open  bool
}

// Block sizes: the first block of a buffer is small (most streams carry a
// few hundred bytes of headers), later ones double up to maxBlock. A write
// of at least maxBlock/2 bytes gets memory of its own.
const (
	minBlock  = 512
	maxBlock  = 8192
	minChunks = 4
)

// Len is the offset one past the last byte written: the total written.
func (b *Buffer) Len() int64 { return b.end }

// Start is the offset of the first byte still held.
func (b *Buffer) Start() int64 { return b.start }

// Write appends real bytes (copied).
func (b *Buffer) Write(p []byte) {
	if len(p) == 0 {
		return
	}
	k := len(b.chunks)
	if len(p) >= maxBlock/2 {
		b.add(chunk{off: b.end, n: int64(len(p)), data: append([]byte(nil), p...)})
		b.open = false
		b.end += int64(len(p))
		return
	}
	free := cap(b.block) - len(b.block)
	if b.open && len(p) <= free {
		// The last chunk ends where the free memory begins: grow it.
		c := &b.chunks[k-1]
		b.block = append(b.block, p...)
		c.data = c.data[:len(c.data)+len(p)]
		c.n += int64(len(p))
		b.end += int64(len(p))
		return
	}
	if len(p) > free {
		b.block = make([]byte, 0, max(min(max(2*cap(b.block), minBlock), maxBlock), len(p)))
	}
	at := len(b.block)
	b.block = append(b.block, p...)
	b.add(chunk{off: b.end, n: int64(len(p)), data: b.block[at:len(b.block)]})
	b.open = true
	b.end += int64(len(p))
}

// WriteFiller appends n bytes whose content does not matter (a body). Filler
// reads as zero bytes.
func (b *Buffer) WriteFiller(n int64) {
	if n <= 0 {
		return
	}
	if k := len(b.chunks); k > 0 && b.chunks[k-1].data == nil {
		b.chunks[k-1].n += n
	} else {
		b.add(chunk{off: b.end, n: n})
	}
	b.open = false
	b.end += n
}

// add appends c to the chunks. A stream holds a few chunks at a time (a
// header block, a body, the frame headers between): starting with room for
// minChunks saves the growths through one and two.
func (b *Buffer) add(c chunk) {
	if b.chunks == nil {
		b.chunks = make([]chunk, 0, minChunks)
	}
	b.chunks = append(b.chunks, c)
}

// Discard drops the bytes before off; they can no longer be read.
func (b *Buffer) Discard(off int64) {
	if off <= b.start {
		return
	}
	if off > b.end {
		off = b.end
	}
	b.start = off
	i := b.find(off) // the chunks before i are dead
	if 2*i >= len(b.chunks) {
		n := copy(b.chunks, b.chunks[i:])
		clear(b.chunks[n:])
		b.chunks = b.chunks[:n]
	}
	if len(b.chunks) == 0 {
		// Nothing refers to the block any more (readers never keep
		// the bytes they are shown): reuse it from the start.
		b.block = b.block[:0]
		b.open = false
	}
}

// find returns the index of the chunk holding off.
func (b *Buffer) find(off int64) int {
	lo, hi := 0, len(b.chunks)
	for lo < hi {
		m := (lo + hi) / 2
		if b.chunks[m].off+b.chunks[m].n <= off {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// ReadAt copies the bytes at [off, off+len(dst)) into dst; filler reads as
// zeros. The range must have been written and not discarded.
func (b *Buffer) ReadAt(dst []byte, off int64) {
	if off < b.start || off+int64(len(dst)) > b.end {
		panic(fmt.Sprintf("bytestream: read [%d,%d) outside held [%d,%d)", off, off+int64(len(dst)), b.start, b.end))
	}
	i := b.find(off)
	for len(dst) > 0 {
		c := b.chunks[i]
		rel := off - c.off
		n := c.n - rel
		if n > int64(len(dst)) {
			n = int64(len(dst))
		}
		if c.data != nil {
			copy(dst[:n], c.data[rel:rel+n])
		} else {
			clear(dst[:n])
		}
		dst = dst[n:]
		off += n
		i++
	}
}

// Slice is a range of a Buffer: what a segment or a frame refers to.
type Slice struct {
	Buf *Buffer
	Off int64
	N   int64
}

// Bytes materialises the slice (filler as zeros).
func (s Slice) Bytes() []byte {
	p := make([]byte, s.N)
	s.Buf.ReadAt(p, s.Off)
	return p
}

// ReadAt copies len(dst) bytes starting at offset rel within the slice.
func (s Slice) ReadAt(dst []byte, rel int64) { s.Buf.ReadAt(dst, s.Off+rel) }

// Sub returns the part of s starting rel bytes in, n bytes long.
func (s Slice) Sub(rel, n int64) Slice { return Slice{Buf: s.Buf, Off: s.Off + rel, N: n} }

// Each calls fn for each run of the slice in order: real bytes (filler == 0)
// or a run of filler (real == nil). The bytes must not be retained.
func (s Slice) Each(fn func(real []byte, filler int64)) {
	b := s.Buf
	off, end := s.Off, s.Off+s.N
	for i := b.find(off); off < end && i < len(b.chunks); i++ {
		c := b.chunks[i]
		lo, hi := max(off, c.off), min(end, c.off+c.n)
		if lo >= hi {
			continue
		}
		if c.data != nil {
			fn(c.data[lo-c.off:hi-c.off], 0)
		} else {
			fn(nil, hi-lo)
		}
		off = hi
	}
}
