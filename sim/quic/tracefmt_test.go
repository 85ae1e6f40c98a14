package quic

import (
	"reflect"
	"testing"

	"httpsim/sim/quic/wire"
	"httpsim/sim/trace"
)

func TestTraceFramesListsStreamsAndAcks(t *testing.T) {
	p := newPair(t, pairOpts{})
	p.requestResponse(t, 100, 50000)
	p.start()
	p.run()
	var streamBytes, acks int64
	for _, e := range p.events(trace.PacketSent, trace.Server) {
		_, frames, err := EventFrames(&e, 8)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range frames {
			switch f := f.(type) {
			case *wire.StreamFrame:
				if f.StreamID != 0 || f.Data != nil {
					t.Errorf("stream frame %+v; want stream 0 with data elided", f)
				}
				streamBytes += int64(f.DataLen)
			case *wire.AckFrame:
				acks++
			}
		}
	}
	if streamBytes != 50000 {
		t.Errorf("STREAM frames of the server carry %d bytes; want 50000", streamBytes)
	}
	if acks == 0 {
		t.Error("no ACK frames from the server")
	}
}

func FuzzTraceFrames(f *testing.F) {
	p := newPair(f, pairOpts{})
	p.requestResponse(f, 100, 5000)
	p.start()
	p.run()
	for i, e := range p.log.Events() {
		if e.Kind == trace.PacketSent && i%3 == 0 {
			f.Add(e.Raw, e.Len, 8)
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte, elided int64, dcidLen int) {
		dcidLen &= 0x1f
		h, frames, err := TraceFrames(raw, elided, dcidLen)
		if err != nil {
			return
		}
		enc := h.Append(nil)
		for _, fr := range frames {
			enc = wire.AppendElided(enc, fr)
		}
		h2, frames2, err := TraceFrames(enc, elided, dcidLen)
		if err != nil {
			t.Fatalf("re-parse of %x: %v", enc, err)
		}
		if !reflect.DeepEqual(frames, frames2) || h2.PacketNumber != h.PacketNumber || h2.Type != h.Type {
			t.Fatalf("round trip of %x: %v %v; want %v %v", raw, h2, frames2, h, frames)
		}
	})
}
