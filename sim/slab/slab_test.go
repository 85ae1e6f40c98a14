package slab

import (
	"bytes"
	"testing"
)

// Carved slices keep their contents, never overlap (appending to one copies),
// and come from chunks that grow up to slabMax; a request larger than a chunk
// gets a chunk of its own.
func TestBytesCarves(t *testing.T) {
	var s Bytes
	if s.Take(0) != nil || s.Copy(nil) != nil {
		t.Fatalf("empty requests should give nil")
	}
	var got [][]byte
	var want [][]byte
	for i := range 300 {
		b := bytes.Repeat([]byte{byte(i)}, i%40+1)
		if i == 150 {
			b = bytes.Repeat([]byte{7}, 3*slabMax) // larger than any chunk
		}
		c := s.Copy(b)
		if cap(c) != len(c) {
			t.Fatalf("Copy(%d bytes) has capacity %d; want it capped at its length", len(b), cap(c))
		}
		got, want = append(got, c), append(want, b)
	}
	_ = append(got[0], 0xff) // must not write into got[1]
	for i := range got {
		if !bytes.Equal(got[i], want[i]) {
			t.Fatalf("slice %d changed: %v; want %v", i, got[i][:min(8, len(got[i]))], want[i][:min(8, len(want[i]))])
		}
	}
	if s.next != slabMax {
		t.Errorf("chunk size %d after many requests; want it grown to %d", s.next, slabMax)
	}
}
