package h2

import "testing"

// The hot paths of a simulated transfer: a DATA frame header per chunk of
// body, a HEADERS frame per request and response.

func BenchmarkAppendDataHeader(b *testing.B) {
	buf := make([]byte, 0, 64)
	for i := 0; i < b.N; i++ {
		buf = AppendDataHeader(buf[:0], 1, 16384, i&1 == 0)
	}
}

func BenchmarkParseDataHeader(b *testing.B) {
	wire := (&DataFrame{StreamID: 1, Padded: true, PadLength: 8, DataLen: 16000}).AppendHeader(nil)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h, err := ParseFrameHeader(wire)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ParseDataHeader(h, wire[FrameHeaderLen:]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadDataFrame(b *testing.B) {
	wire := (&DataFrame{StreamID: 1, Data: make([]byte, 16384)}).Append(nil)
	b.SetBytes(int64(len(wire)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := ReadFrame(wire, DefaultMaxFrameSize); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendHeadersFrame(b *testing.B) {
	f := &HeadersFrame{StreamID: 1, EndHeaders: true, FieldBlockFragment: make([]byte, 40)}
	buf := make([]byte, 0, 64)
	for i := 0; i < b.N; i++ {
		buf = f.Append(buf[:0])
	}
}

func BenchmarkParseHeadersFrame(b *testing.B) {
	wire := (&HeadersFrame{StreamID: 1, EndHeaders: true, Padded: true, PadLength: 4, HasPriority: true,
		Priority: PriorityParam{StreamDependency: 0, Weight: 255}, FieldBlockFragment: make([]byte, 40)}).Append(nil)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h, err := ParseFrameHeader(wire)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ParseHeadersFrame(h, wire[FrameHeaderLen:]); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadHeadersFrame(b *testing.B) {
	wire := (&HeadersFrame{StreamID: 1, EndHeaders: true, FieldBlockFragment: make([]byte, 40)}).Append(nil)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := ReadFrame(wire, DefaultMaxFrameSize); err != nil {
			b.Fatal(err)
		}
	}
}
