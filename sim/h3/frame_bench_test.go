package h3

import "testing"

// BenchmarkFrameReaderResponse reads a 1 MB response (HEADERS, then DATA
// frames of 16 KiB filler) delivered in 1200-byte pieces, as a QUIC
// receiver would hand it over.
func BenchmarkFrameReaderResponse(b *testing.B) {
	const body, frame, chunk = 1_000_000, 16384, 1200
	var stream []segment
	stream = append(stream, segment{b: (&HeadersFrame{EncodedFieldSection: make([]byte, 40)}).Append(nil)})
	for sent := 0; sent < body; sent += frame {
		n := min(frame, body-sent)
		stream = append(stream, segment{b: (&DataFrame{DataLen: uint64(n)}).AppendHeader(nil)}, segment{n: uint64(n)})
	}
	b.ReportAllocs()
	for b.Loop() {
		r := NewFrameReader(StreamRequest)
		for _, s := range stream {
			if s.b != nil {
				r.Feed(s.b)
			} else {
				for left := s.n; left > 0; left -= min(left, chunk) {
					r.FeedFiller(min(left, chunk))
					for {
						_, ok, err := r.Next()
						if err != nil {
							b.Fatal(err)
						}
						if !ok {
							break
						}
					}
				}
			}
		}
		if r.DataRead() != body {
			b.Fatalf("DataRead() = %d", r.DataRead())
		}
	}
}

// BenchmarkParseSettings parses a typical SETTINGS frame.
func BenchmarkParseSettings(b *testing.B) {
	enc := (&SettingsFrame{Settings: []Setting{
		{SettingQPACKMaxTableCapacity, 4096}, {SettingMaxFieldSectionSize, 65536},
		{SettingQPACKBlockedStreams, 16}, {SettingH3Datagram, 1}, {0x21 + 0x1f*7, 3},
	}}).Append(nil)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := ParseFrame(enc); err != nil {
			b.Fatal(err)
		}
	}
}
