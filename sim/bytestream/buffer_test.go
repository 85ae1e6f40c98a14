package bytestream

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// TestBufferMatchesModel writes, reads and discards at random and checks
// every read against a plain byte slice holding the whole stream (filler as
// zeros): chunks sharing blocks, extended in place, and reused after a full
// discard must never show one write's bytes in place of another's.
func TestBufferMatchesModel(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		rng := rand.New(rand.NewPCG(seed, 0))
		var b Buffer
		var model []byte
		for step := 0; step < 2000; step++ {
			switch op := rng.IntN(10); {
			case op < 4:
				n := rng.IntN(300)
				if rng.IntN(20) == 0 {
					n = maxBlock/2 + rng.IntN(maxBlock)
				}
				p := make([]byte, n)
				for i := range p {
					p[i] = byte(rng.IntN(255) + 1)
				}
				b.Write(p)
				model = append(model, p...)
				clear(p) // the buffer must have copied p
			case op < 6:
				n := int64(rng.IntN(2000))
				b.WriteFiller(n)
				model = append(model, make([]byte, n)...)
			case op < 7:
				// Sometimes everything, as a TLS record reader does.
				off := b.Len()
				if rng.IntN(2) == 0 {
					off = b.Start() + rng.Int64N(b.Len()-b.Start()+1)
				}
				b.Discard(off)
			default:
				if b.Len() == b.Start() {
					continue
				}
				off := b.Start() + rng.Int64N(b.Len()-b.Start())
				n := rng.Int64N(b.Len() - off + 1)
				s := Slice{Buf: &b, Off: off, N: n}
				if got, want := s.Bytes(), model[off:off+n]; !bytes.Equal(got, want) {
					t.Fatalf("seed %d step %d: Bytes [%d,%d) = %x; want %x", seed, step, off, off+n, got, want)
				}
				var each []byte
				s.Each(func(real []byte, filler int64) {
					if real != nil {
						each = append(each, real...)
					} else {
						each = append(each, make([]byte, filler)...)
					}
				})
				if want := model[off : off+n]; !bytes.Equal(each, want) {
					t.Fatalf("seed %d step %d: Each [%d,%d) = %x; want %x", seed, step, off, off+n, each, want)
				}
			}
			if b.Len() != int64(len(model)) {
				t.Fatalf("seed %d step %d: Len = %d; want %d", seed, step, b.Len(), len(model))
			}
		}
	}
}

// Acknowledging a little at a time of a long queue (a WebSocket server
// with a gigabyte of events written at once, ACKed segment by segment)
// costs constant time per call; it used to copy every chunk behind.
func BenchmarkDiscardLongQueue(b *testing.B) {
	for b.Loop() {
		var buf Buffer
		for range 20000 {
			buf.Write([]byte("frame header"))
			buf.WriteFiller(16 << 10)
		}
		for off := int64(0); off < buf.Len(); off += 1448 {
			buf.Discard(off)
		}
	}
}
