package app

import (
	"slices"
	"testing"

	"httpsim/sim/tls"
)

func TestBuildByteMap(t *testing.T) {
	tests := []struct {
		name    string
		frames  []appFrame
		start   int64
		records []tlsRecord
		v       tls.Version
		want    []byteSeg
		ends    []int64 // past each frame's last byte
	}{
		{
			name:   "plain TCP: frames back to back",
			frames: []appFrame{{10, 1}, {20, 3}, {5, 3}},
			want:   []byteSeg{{0, 10, 1}, {10, 35, 3}},
			ends:   []int64{10, 30, 35},
		},
		{
			name:   "plain TCP after a preface",
			frames: []appFrame{{9, 0}, {30, 1}},
			start:  24,
			want:   []byteSeg{{24, 33, 0}, {33, 63, 1}},
			ends:   []int64{33, 63},
		},
		{
			// TLS 1.3: 5-byte header, content, 17 bytes of type and tag.
			name:    "TLS 1.3: one record holds two frames",
			frames:  []appFrame{{10, 1}, {20, 3}},
			records: []tlsRecord{{off: 100, n: 5 + 30 + 17}},
			v:       tls.TLS13,
			want:    []byteSeg{{105, 115, 1}, {115, 135, 3}},
			ends:    []int64{152, 152}, // the record's end
		},
		{
			name:    "TLS 1.3: a frame split over two records",
			frames:  []appFrame{{40, 5}},
			records: []tlsRecord{{off: 0, n: 5 + 25 + 17}, {off: 47, n: 5 + 15 + 17}},
			v:       tls.TLS13,
			want:    []byteSeg{{5, 30, 5}, {52, 67, 5}},
			ends:    []int64{84},
		},
		{
			// TLS 1.2 GCM: 5-byte header, 8-byte explicit nonce, 16-byte tag.
			name:    "TLS 1.2",
			frames:  []appFrame{{10, 7}},
			records: []tlsRecord{{off: 1000, n: 5 + 8 + 10 + 16}},
			v:       tls.TLS12,
			want:    []byteSeg{{1013, 1023, 7}},
			ends:    []int64{1039},
		},
		{
			name:    "TLS: frames not yet sealed are not on the wire",
			frames:  []appFrame{{10, 1}, {10, 3}},
			records: []tlsRecord{{off: 0, n: 5 + 10 + 17}},
			v:       tls.TLS13,
			want:    []byteSeg{{5, 15, 1}},
			ends:    []int64{32, -1},
		},
	}
	for _, tt := range tests {
		recs := tt.records
		if tt.v != "" && recs == nil {
			recs = []tlsRecord{}
		}
		m := buildByteMap(tt.frames, tt.start, recs, tt.v)
		if !slices.Equal(m.segs, tt.want) {
			t.Errorf("%s: segs = %v; want %v", tt.name, m.segs, tt.want)
		}
		if !slices.Equal(m.ends, tt.ends) {
			t.Errorf("%s: ends = %v; want %v", tt.name, m.ends, tt.ends)
		}
	}
}

func TestByteMapFirstAndSplit(t *testing.T) {
	m := byteMap{segs: []byteSeg{{5, 15, 1}, {20, 30, 3}, {30, 40, 5}}}
	// A segment is the stream of its first byte a frame covers: one that
	// starts with a record's header (bytes 0–4, 15–19) still carries
	// the record's stream.
	firsts := []struct {
		off, n int64
		stream int64
		ok     bool
	}{
		{0, 4, 0, false}, {0, 5, 0, false}, {0, 6, 1, true}, {5, 1, 1, true}, {14, 1, 1, true},
		{15, 5, 0, false}, {15, 6, 3, true}, {25, 10, 3, true}, {30, 1, 5, true}, {40, 10, 0, false},
	}
	for _, tt := range firsts {
		if st, ok := m.first(tt.off, tt.n); st != tt.stream || ok != tt.ok {
			t.Errorf("first(%d, %d) = %d, %v; want %d, %v", tt.off, tt.n, st, ok, tt.stream, tt.ok)
		}
	}
	var got [][3]int64
	m.split(10, 25, func(st, a, n int64) { got = append(got, [3]int64{st, a, n}) })
	want := [][3]int64{{1, 10, 5}, {3, 20, 10}, {5, 30, 5}}
	if !slices.Equal(got, want) {
		t.Errorf("split(10, 25) = %v; want %v", got, want)
	}
}
