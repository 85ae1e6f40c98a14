package updates

import (
	"bytes"
	"testing"

	"httpsim/sim/bytestream"
	"httpsim/sim/tcp"
)

// frameSeeds are valid and broken frames for the fuzz corpora.
var frameSeeds = []string{
	"81 05 48 65 6c 6c 6f",
	"81 85 37 fa 21 3d 7f 9f 4d 51 58",
	"01 03 48 65 6c 80 02 6c 6f",
	"89 05 48 65 6c 6c 6f 8a 85 37 fa 21 3d 7f 9f 4d 51 58",
	"82 7e 00 7e",
	"82 7f 00 00 00 00 00 01 00 00",
	"81 7e 00 7d",
	"c1 00",
	"8b 00",
	"08 00",
	"88 02 03 e8",
	"88 82 37 fa 21 3d 34 12",
	"88 01 03",
	"88 02 03 ed",
	"",
}

// FuzzParseFrame: ParseFrame never panics, and a frame it accepts encodes
// back to exactly the bytes it read (the length encoding is minimal, so
// the wire form is unique).
func FuzzParseFrame(f *testing.F) {
	for _, s := range frameSeeds {
		f.Add(unhex(f, s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, n, err := ParseFrame(b)
		if err != nil {
			if n != 0 {
				t.Fatalf("ParseFrame(% x) = n %d with error %v; want 0", b, n, err)
			}
			return
		}
		if got := AppendFrame(nil, fr); !bytes.Equal(got, b[:n]) {
			t.Fatalf("AppendFrame(ParseFrame(% x)) = % x; want % x", b, got, b[:n])
		}
		h, hn, err := ParseFrameHeader(b)
		if err != nil || h != fr.FrameHeader || hn != h.Len() || !bytes.Equal(AppendFrameHeader(nil, h), b[:hn]) {
			t.Fatalf("ParseFrameHeader(% x) = %+v, %d, %v; want %+v, %d, nil", b, h, hn, err, fr.FrameHeader, h.Len())
		}
	})
}

// FuzzFrameReader: the streaming reader, fed the bytes in pieces of any
// size, finds the same frames as ParseFrame on the whole, and fails exactly
// where ParseFrame or the masking rule (RFC 6455 §5.1) says the bytes are
// bad.
func FuzzFrameReader(f *testing.F) {
	for i, s := range frameSeeds {
		f.Add(unhex(f, s), uint8(i+1), i%2 == 0)
	}
	f.Fuzz(func(t *testing.T, b []byte, piece uint8, fromClient bool) {
		step := int64(piece%32) + 1
		// The reference: ParseFrame over the whole.
		var want []Frame
		wantErr := false
		// The reader judges a header as soon as it is whole, before its
		// payload has come.
		for rest := b; ; {
			h, _, err := ParseFrameHeader(rest)
			if err == nil {
				err = CheckMask(h, fromClient)
			}
			if err == ErrShortFrame {
				break
			}
			if err != nil {
				wantErr = true
				break
			}
			fr, n, err := ParseFrame(rest)
			if err != nil {
				break // the payload is incomplete
			}
			want = append(want, fr)
			rest = rest[n:]
		}
		var buf bytestream.Buffer
		buf.Write(b)
		r := frameReader{fromClient: fromClient, keep: maxControlPayload, streamOf: func(FrameHeader) int64 { return 0 }}
		var got []*wsFrame
		var gotErr error
		for off := int64(0); off < buf.Len() && gotErr == nil; off += step {
			d := bytestream.Slice{Buf: &buf, Off: off, N: min(step, buf.Len()-off)}
			gotErr = r.feed(d, tcp.Arrival{}, func(fr *wsFrame) error { got = append(got, fr); return nil })
		}
		if (gotErr != nil) != wantErr || len(got) != len(want) {
			t.Fatalf("reader over % x in pieces of %d: %d frames, error %v; want %d frames, error %v", b, step, len(got), gotErr, len(want), wantErr)
		}
		for i, w := range want {
			g := got[i]
			if g.FrameHeader != w.FrameHeader || !bytes.Equal(g.raw, AppendFrameHeader(nil, w.FrameHeader)) {
				t.Fatalf("frame %d: header %+v; want %+v", i, g.FrameHeader, w.FrameHeader)
			}
			if w.PayloadLength <= maxControlPayload && !bytes.Equal(g.payload, w.Payload) {
				t.Fatalf("frame %d: payload % x; want % x", i, g.payload, w.Payload)
			}
		}
	})
}

// FuzzParseClosePayload: ParseClosePayload never panics, and a body it
// accepts is the one AppendClosePayload writes for its code and reason
// (an empty body, 1005, is written by no one: RFC 6455 §7.4.1).
func FuzzParseClosePayload(f *testing.F) {
	for _, s := range []string{"", "03", "03 e8", "03 e8 62 79 65", "03 ec", "03 e8 ff fe", "0b b8", "13 88"} {
		f.Add(unhex(f, s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		code, reason, err := ParseClosePayload(b)
		if err != nil {
			return
		}
		if len(b) == 0 {
			if code != CloseNoStatus || reason != "" {
				t.Fatalf("ParseClosePayload(empty) = %d, %q; want 1005, \"\"", code, reason)
			}
			return
		}
		if got := AppendClosePayload(nil, code, reason); !bytes.Equal(got, b) {
			t.Fatalf("AppendClosePayload(ParseClosePayload(% x)) = % x", b, got)
		}
	})
}
