package h2

import (
	"bytes"
	"reflect"
	"testing"
)

// addSeeds adds every valid and invalid frame of the tables, and a few
// frame sequences, to the fuzz corpus.
func addSeeds(f *testing.F) {
	var all []byte
	for _, tt := range validFrames() {
		b := tt.f.Append(nil)
		f.Add(b)
		all = append(all, b...)
	}
	for _, tt := range invalidFrameTests {
		f.Add(unhex(tt.wire))
	}
	f.Add(all)
	f.Add([]byte(ClientPreface))
	f.Add([]byte{})
}

// normalize returns the octets a receiver's view of frame b re-encodes
// to: what §4.1 says to ignore on receipt is cleared — the reserved bit of
// the frame header, the unused flags of known types — and so are the
// reserved bits inside payloads (Promised Stream ID, Last-Stream-ID,
// Window Size Increment, Prioritized Stream ID). These are the only
// normalisations: everything else re-encodes as received.
func normalize(b []byte) []byte {
	b = bytes.Clone(b)
	t := FrameType(b[3])
	b[4] &= byte(t.DefinedFlags())
	b[5] &= 0x7f
	p := b[FrameHeaderLen:]
	switch t {
	case FramePushPromise:
		if Flags(b[4]).Has(FlagPadded) {
			p = p[1:]
		}
		p[0] &= 0x7f
	case FrameGoAway, FrameWindowUpdate, FramePriorityUpdate:
		p[0] &= 0x7f
	}
	return b
}

// FuzzReadFrame checks that ReadFrame never panics, that every error is
// ErrIncomplete, a ConnError or a StreamError, and that every frame it
// accepts re-appends to the octets it was read from (modulo normalize)
// and reads back to an equal frame.
func FuzzReadFrame(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, n, err := ReadFrame(b, MaxFrameSizeLimit)
		if err == ErrIncomplete {
			h, herr := ParseFrameHeader(b)
			if n != 0 || fr != nil || (herr == nil && len(b) >= FrameHeaderLen+int(h.Length)) {
				t.Fatalf("ReadFrame(%x) = %v, %d, ErrIncomplete for a complete frame", b, fr, n)
			}
			return
		}
		if err != nil {
			if _, _, ok := ErrorCodeOf(err); !ok || fr != nil {
				t.Fatalf("ReadFrame(%x) = %v, %v; want a ConnError or StreamError", b, fr, err)
			}
			return
		}
		h, _ := ParseFrameHeader(b)
		if n != FrameHeaderLen+int(h.Length) || fr.PayloadLen() != int(h.Length) {
			t.Fatalf("ReadFrame(%x) n = %d, PayloadLen = %d; header says Length %d", b, n, fr.PayloadLen(), h.Length)
		}
		got := fr.Append(nil)
		if want := normalize(b[:n]); !bytes.Equal(got, want) {
			t.Fatalf("ReadFrame(%x).Append() = %x; want %x", b[:n], got, want)
		}
		again, m, err := ReadFrame(got, MaxFrameSizeLimit)
		if err != nil || m != len(got) || !reflect.DeepEqual(canon(again), canon(fr)) {
			t.Fatalf("ReadFrame(%x) = %+v, %d, %v; want %+v", got, again, m, err, fr)
		}
		if fields := fr.Fields(); len(fields) < 4 {
			t.Fatalf("Fields() = %q; want at least the header fields", fields)
		}
	})
}

// FuzzReadFrameXNet reads the same octets with ReadFrame and with
// golang.org/x/net/http2's Framer (see compareWithXNet).
func FuzzReadFrameXNet(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		compareWithXNet(t, b, MaxFrameSizeLimit)
	})
}
