package h3

import (
	"testing"

	"httpsim/sim"
	"httpsim/sim/qpack"
)

// Bytes that break a rule somewhere other than the frame layer.
var (
	// badSection is a field section whose only line is an indexed field
	// line referring to static index 200, past the static table's end
	// (RFC 9204 §3.1, §4.5.2): Required Insert Count 0, Base 0, then
	// 0b11xxxxxx with index 63+137.
	badSection = []byte{0x00, 0x00, 0xff, 0x89, 0x01}
	// badEncoderStream opens an encoder stream and sets a dynamic table
	// capacity of 100 where the decoder allows 0 (RFC 9204 §4.3.1):
	// 0b001xxxxx with 31+69.
	badEncoderStream = []byte{byte(StreamTypeQPACKEncoder), 0x3f, 0x45}
	// badDecoderStream opens a decoder stream and sends an Insert Count
	// Increment of 0 (RFC 9204 §4.4.3).
	badDecoderStream = []byte{byte(StreamTypeQPACKDecoder), 0x00}
)

// TestServerConnectionErrors feeds a Server what a misbehaving client
// might send, and checks the code it closes the connection with (-1: it
// must not close it).
func TestServerConnectionErrors(t *testing.T) {
	get := headers(0, requestFields("/a")...)
	tests := []struct {
		name   string
		script func(h *harness, now sim.Time)
		want   int64
	}{
		{"well-behaved", func(h *harness, now sim.Time) {
			h.peer.uni(now, controlStream(h.server.ep.cfg, &MaxPushIDFrame{PushID: 3}, &PriorityUpdateFrame{PrioritizedElementID: 0, PriorityFieldValue: "u=1"}))
			h.peer.uni(now, []byte{0x21}, []byte("reserved stream type")) // RFC 9114 §6.2.3
			h.peer.bidi(now, get, true)
		}, -1},
		{"second control stream", func(h *harness, now sim.Time) {
			h.peer.uni(now, controlStream(h.server.ep.cfg))
			h.peer.uni(now, controlStream(h.server.ep.cfg))
		}, int64(ErrH3StreamCreationError)},
		{"second encoder stream", func(h *harness, now sim.Time) {
			h.peer.uni(now, controlStream(h.server.ep.cfg))
			h.peer.uni(now, []byte{byte(StreamTypeQPACKEncoder)})
			h.peer.uni(now, []byte{byte(StreamTypeQPACKEncoder)})
		}, int64(ErrH3StreamCreationError)},
		{"second decoder stream", func(h *harness, now sim.Time) {
			h.peer.uni(now, controlStream(h.server.ep.cfg))
			h.peer.uni(now, []byte{byte(StreamTypeQPACKDecoder)})
			h.peer.uni(now, []byte{byte(StreamTypeQPACKDecoder)})
		}, int64(ErrH3StreamCreationError)},
		{"push stream from a client", func(h *harness, now sim.Time) {
			h.peer.uni(now, controlStream(h.server.ep.cfg))
			h.peer.uni(now, []byte{byte(StreamTypePush), 0x00})
		}, int64(ErrH3StreamCreationError)},
		{"control stream without SETTINGS", func(h *harness, now sim.Time) {
			h.peer.uni(now, AppendStreamType(nil, StreamTypeControl), frames(&GoawayFrame{ID: 0}))
		}, int64(ErrH3MissingSettings)},
		{"control stream ended", func(h *harness, now sim.Time) {
			id := h.peer.uni(now, controlStream(h.server.ep.cfg))
			h.peer.conn.CloseStream(now, id)
		}, int64(ErrH3ClosedCriticalStream)},
		{"control stream reset", func(h *harness, now sim.Time) {
			id := h.peer.uni(now, controlStream(h.server.ep.cfg))
			h.at(50e6, func(now sim.Time) { h.peer.conn.ResetStream(now, id, 0) })
		}, int64(ErrH3ClosedCriticalStream)},
		{"encoder stream ended", func(h *harness, now sim.Time) {
			h.peer.uni(now, controlStream(h.server.ep.cfg))
			id := h.peer.uni(now, []byte{byte(StreamTypeQPACKEncoder)})
			h.peer.conn.CloseStream(now, id)
		}, int64(ErrH3ClosedCriticalStream)},
		{"decoder stream reset", func(h *harness, now sim.Time) {
			h.peer.uni(now, controlStream(h.server.ep.cfg))
			id := h.peer.uni(now, []byte{byte(StreamTypeQPACKDecoder)})
			h.at(50e6, func(now sim.Time) { h.peer.conn.ResetStream(now, id, 0) })
		}, int64(ErrH3ClosedCriticalStream)},
		{"HTTP/2 frame type on the control stream", func(h *harness, now sim.Time) {
			h.peer.uni(now, controlStream(h.server.ep.cfg), []byte{0x06, 0x00})
		}, int64(ErrH3FrameUnexpected)},
		{"MAX_PUSH_ID reduced", func(h *harness, now sim.Time) {
			h.peer.uni(now, controlStream(h.server.ep.cfg, &MaxPushIDFrame{PushID: 3}, &MaxPushIDFrame{PushID: 2}))
		}, int64(ErrH3IDError)},
		{"CANCEL_PUSH past MAX_PUSH_ID", func(h *harness, now sim.Time) {
			h.peer.uni(now, controlStream(h.server.ep.cfg, &MaxPushIDFrame{PushID: 3}, &CancelPushFrame{PushID: 4}))
		}, int64(ErrH3IDError)},
		// §7.2.3: a push ID no PUSH_PROMISE mentioned; this server
		// promises none.
		{"CANCEL_PUSH of a push never promised", func(h *harness, now sim.Time) {
			h.peer.uni(now, controlStream(h.server.ep.cfg, &MaxPushIDFrame{PushID: 3}, &CancelPushFrame{PushID: 2}))
		}, int64(ErrH3IDError)},
		{"GOAWAY from a client that increases", func(h *harness, now sim.Time) {
			h.peer.uni(now, controlStream(h.server.ep.cfg, &GoawayFrame{ID: 2}, &GoawayFrame{ID: 3}))
		}, int64(ErrH3IDError)},
		{"PUSH_PROMISE from a client", func(h *harness, now sim.Time) {
			h.peer.uni(now, controlStream(h.server.ep.cfg))
			pp := (&PushPromiseFrame{PushID: 0, EncodedFieldSection: staticSection(0, requestFields("/p")...)}).Append(nil)
			h.peer.bidi(now, append(get, pp...), true)
		}, int64(ErrH3FrameUnexpected)},
		{"DATA before HEADERS", func(h *harness, now sim.Time) {
			h.peer.uni(now, controlStream(h.server.ep.cfg))
			h.peer.bidi(now, append(frames(&DataFrame{DataLen: 3}), get...), true)
		}, int64(ErrH3FrameUnexpected)},
		{"DATA after trailers", func(h *harness, now sim.Time) {
			h.peer.uni(now, controlStream(h.server.ep.cfg))
			b := append(append([]byte(nil), get...), frames(&DataFrame{DataLen: 3})...)
			b = append(b, headers(0, qpack.Field{Name: "x-trailer", Value: "1"})...)
			h.peer.bidi(now, append(b, frames(&DataFrame{DataLen: 3})...), true)
		}, int64(ErrH3FrameUnexpected)},
		// A request has no interim sections: a second HEADERS is the
		// trailers, even with no DATA between.
		{"DATA after trailers with no body", func(h *harness, now sim.Time) {
			h.peer.uni(now, controlStream(h.server.ep.cfg))
			b := append(append([]byte(nil), get...), headers(0, qpack.Field{Name: "x-trailer", Value: "1"})...)
			h.peer.bidi(now, append(b, frames(&DataFrame{DataLen: 3})...), true)
		}, int64(ErrH3FrameUnexpected)},
		{"frame cut short by FIN", func(h *harness, now sim.Time) {
			h.peer.uni(now, controlStream(h.server.ep.cfg))
			h.peer.bidi(now, get[:len(get)-1], true)
		}, int64(ErrH3FrameError)},
		{"DATA cut short by FIN", func(h *harness, now sim.Time) {
			h.peer.uni(now, controlStream(h.server.ep.cfg))
			h.peer.bidi(now, append(append([]byte(nil), get...), frames(&DataFrame{DataLen: 3})[:3]...), true)
		}, int64(ErrH3FrameError)},
		{"bad field section", func(h *harness, now sim.Time) {
			h.peer.uni(now, controlStream(h.server.ep.cfg))
			h.peer.bidi(now, frames(&HeadersFrame{EncodedFieldSection: badSection}), true)
		}, int64(ErrQPACKDecompressionFailed)},
		{"bad encoder stream", func(h *harness, now sim.Time) {
			h.peer.uni(now, controlStream(h.server.ep.cfg))
			h.peer.uni(now, badEncoderStream)
		}, int64(ErrQPACKEncoderStreamError)},
		{"bad decoder stream", func(h *harness, now sim.Time) {
			h.peer.uni(now, controlStream(h.server.ep.cfg))
			h.peer.uni(now, badDecoderStream)
		}, int64(ErrQPACKDecoderStreamError)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newServerHarness(t, DefaultConfig(), tt.script)
			h.run()
			h.wantClose(tt.want)
			if tt.want < 0 && len(h.served) != 1 {
				t.Errorf("served %d requests; want 1", len(h.served))
			}
		})
	}
}

// TestClientConnectionErrors feeds a Client what a misbehaving server
// might send: on its control stream (control) and on the response to a
// GET (response, written once the request has ended). It checks the code
// the client closes the connection with (-1: it must not close it), and
// that the fetch then fails rather than hangs.
func TestClientConnectionErrors(t *testing.T) {
	ok := headers(0, qpack.Field{Name: ":status", Value: "200"})
	tests := []struct {
		name     string
		control  []Frame
		uni      []byte // a further stream the server opens, if not nil
		response []byte
		want     int64
	}{
		{"well-behaved", []Frame{&GoawayFrame{ID: 4}, &GoawayFrame{ID: 4}}, []byte{0x21}, ok, -1},
		{"GOAWAY with a server stream ID", []Frame{&GoawayFrame{ID: 1}}, nil, ok, int64(ErrH3IDError)},
		{"GOAWAY with a unidirectional stream ID", []Frame{&GoawayFrame{ID: 2}}, nil, ok, int64(ErrH3IDError)},
		{"GOAWAY that increases", []Frame{&GoawayFrame{ID: 4}, &GoawayFrame{ID: 8}}, nil, ok, int64(ErrH3IDError)},
		{"MAX_PUSH_ID to a client", []Frame{&MaxPushIDFrame{PushID: 1}}, nil, ok, int64(ErrH3FrameUnexpected)},
		{"CANCEL_PUSH of a push never allowed", []Frame{&CancelPushFrame{PushID: 0}}, nil, ok, int64(ErrH3IDError)},
		{"PRIORITY_UPDATE to a client", []Frame{&PriorityUpdateFrame{PrioritizedElementID: 0, PriorityFieldValue: "u=1"}}, nil, ok, int64(ErrH3FrameUnexpected)},
		{"push stream without MAX_PUSH_ID", nil, []byte{byte(StreamTypePush), 0x00}, ok, int64(ErrH3IDError)},
		{"PUSH_PROMISE without MAX_PUSH_ID", nil, nil,
			append(frames(&PushPromiseFrame{PushID: 0, EncodedFieldSection: staticSection(0, requestFields("/p")...)}), ok...), int64(ErrH3IDError)},
		{"DATA before HEADERS", nil, nil, append(frames(&DataFrame{DataLen: 2}), ok...), int64(ErrH3FrameUnexpected)},
		{"response cut short by FIN", nil, nil, ok[:len(ok)-1], int64(ErrH3FrameError)},
		{"bad field section", nil, nil, frames(&HeadersFrame{EncodedFieldSection: badSection}), int64(ErrQPACKDecompressionFailed)},
		// After the final response's header section, HEADERS is the
		// trailers: they are not a second response (their status 0 took
		// the 200's place), and nothing may follow them.
		{"trailers", nil, nil, append(append(append([]byte(nil), ok...), frames(&DataFrame{DataLen: 2})...), headers(0, qpack.Field{Name: "x-trailer", Value: "1"})...), -1},
		{"DATA after trailers with no body", nil, nil, append(append(append([]byte(nil), ok...), headers(0, qpack.Field{Name: "x-trailer", Value: "1"})...), frames(&DataFrame{DataLen: 2})...), int64(ErrH3FrameUnexpected)},
		// Interim responses, then the final one and its content; content
		// after an interim response alone is out of order (§4.1).
		{"interim responses", nil, nil, append(append(append(append([]byte(nil), headers(0, qpack.Field{Name: ":status", Value: "103"})...), headers(0, qpack.Field{Name: ":status", Value: "100"})...), ok...), frames(&DataFrame{DataLen: 2})...), -1},
		{"DATA after an interim response", nil, nil, append(append([]byte(nil), headers(0, qpack.Field{Name: ":status", Value: "103"})...), frames(&DataFrame{DataLen: 2})...), int64(ErrH3FrameUnexpected)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			h := newClientHarness(t, cfg, []string{"/a"}, func(h *harness, now sim.Time) {
				h.peer.uni(now, controlStream(cfg, tt.control...))
				if tt.uni != nil {
					h.peer.uni(now, tt.uni)
				}
			})
			h.peer.onFin = func(now sim.Time, id uint64) {
				h.peer.conn.Write(now, id, tt.response)
				h.peer.conn.CloseStream(now, id)
			}
			h.run()
			h.wantClose(tt.want)
			x := h.x[0]
			switch {
			case tt.want < 0 && (!x.done || x.status != 200):
				t.Errorf("exchange %+v; want a 200, done", *x)
			case tt.want >= 0 && (x.done || x.failed == ""):
				// The browser must see the failure (and may retry),
				// not wait for ever.
				t.Errorf("exchange %+v after the connection closed; want it failed", *x)
			}
		})
	}
}

// TestStreamCancellation resets a request stream whose field section is
// blocked on the encoder stream. The server must cancel it with the QPACK
// decoder (RFC 9204 §2.2.2.2, §4.4.2): a Stream Cancellation goes out on
// its decoder stream, and the stream no longer counts against
// SETTINGS_QPACK_BLOCKED_STREAMS, so that the next blocked section is
// accepted rather than refused with QPACK_DECOMPRESSION_FAILED.
func TestStreamCancellation(t *testing.T) {
	cfg := Config{QPACKTableCapacity: 4096, QPACKBlockedStreams: 1, Scheduler: "urgency"}
	// The client's encoder references every entry it inserts, at once:
	// it is told the server allows more blocked streams than it does, so
	// that what the server accepts does not depend on the encoder's care.
	enc := qpack.NewEncoder()
	enc.SetPeerSettings(cfg.QPACKTableCapacity, 16)
	enc.SetStrategy(qpack.StrategyIndexAll)
	fields := func(path string) []qpack.Field {
		return append(requestFields(path), qpack.Field{Name: "x-test", Value: "cancel"})
	}
	var encStream uint64
	var instructions []byte // encoder stream bytes held back
	var blockedAfterReset int
	h := newServerHarness(t, cfg, func(h *harness, now sim.Time) {
		h.peer.uni(now, controlStream(cfg))
		encStream = h.peer.uni(now, []byte{byte(StreamTypeQPACKEncoder)})
		section, ins := enc.AppendFieldSection(nil, nil, 0, fields("/a"), nil)
		instructions = append(instructions, ins...)
		h.peer.bidi(now, frames(&HeadersFrame{EncodedFieldSection: section}), false)
	})
	h.at(100e6, func(now sim.Time) {
		if n := h.server.ep.dec.BlockedStreams(); n != 1 {
			t.Errorf("before the reset: %d blocked streams; want 1", n)
		}
		h.peer.conn.ResetStream(now, 0, uint64(ErrH3RequestCancelled))
	})
	h.at(200e6, func(now sim.Time) {
		blockedAfterReset = h.server.ep.dec.BlockedStreams()
		section, ins := enc.AppendFieldSection(nil, nil, 4, fields("/b"), nil)
		instructions = append(instructions, ins...)
		if section[0] == 0 {
			t.Fatalf("the second section does not reference the dynamic table")
		}
		h.peer.bidi(now, frames(&HeadersFrame{EncodedFieldSection: section}), true)
	})
	h.at(300e6, func(now sim.Time) { h.peer.conn.Write(now, encStream, instructions) })
	h.run()

	if blockedAfterReset != 0 {
		t.Errorf("after the reset: %d blocked streams; want 0", blockedAfterReset)
	}
	var cancelled bool
	for _, b := range h.peer.in {
		if len(b) == 0 || StreamType(b[0]) != StreamTypeQPACKDecoder {
			continue
		}
		for b = b[1:]; len(b) > 0; {
			in, n, err := qpack.ParseDecoderInstruction(b)
			if err != nil {
				t.Fatalf("decoder stream: %v", err)
			}
			if in.Type == qpack.StreamCancellation && in.StreamID == 0 {
				cancelled = true
			}
			b = b[n:]
		}
	}
	if !cancelled {
		t.Errorf("no Stream Cancellation of stream 0 on the server's decoder stream")
	}
	h.wantClose(-1)
	if len(h.served) != 1 || h.served[0].Path != "/b" {
		t.Errorf("served %d requests; want the one for /b", len(h.served))
	}
}

// TestPriorityUpdateChecks: a server takes a PRIORITY_UPDATE for a request
// stream, and refuses one for a push it never promised (which it used to
// apply to the request stream of the same number) or for a stream that is
// not a request stream (RFC 9218 §7.2). The client's side is in
// TestClientConnectionErrors.
func TestPriorityUpdateChecks(t *testing.T) {
	tests := []struct {
		name string
		f    *PriorityUpdateFrame
		want int64
	}{
		{"request stream", &PriorityUpdateFrame{PrioritizedElementID: 0, PriorityFieldValue: "u=6"}, -1},
		{"push", &PriorityUpdateFrame{IsPush: true, PrioritizedElementID: 0, PriorityFieldValue: "u=6"}, int64(ErrH3IDError)},
		{"server bidirectional stream", &PriorityUpdateFrame{PrioritizedElementID: 1, PriorityFieldValue: "u=6"}, int64(ErrH3IDError)},
		{"unidirectional stream", &PriorityUpdateFrame{PrioritizedElementID: 2, PriorityFieldValue: "u=6"}, int64(ErrH3IDError)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var control uint64
			h := newServerHarness(t, DefaultConfig(), func(h *harness, now sim.Time) {
				control = h.peer.uni(now, controlStream(DefaultConfig()))
				// The request stays open, so that the update finds it.
				h.peer.bidi(now, headers(0, requestFields("/a")...), false)
			})
			h.at(100e6, func(now sim.Time) { h.peer.conn.Write(now, control, tt.f.Append(nil)) })
			h.at(200e6, func(now sim.Time) { h.peer.conn.CloseStream(now, 0) })
			h.run()
			h.wantClose(tt.want)
			if served := len(h.served) == 1; served != (tt.want < 0) {
				t.Errorf("served %d requests", len(h.served))
			}
		})
	}
}

// TestMalformedRequestIsAStreamError: a request without :path is
// malformed (RFC 9114 §4.3.1), a stream error of type H3_MESSAGE_ERROR
// (§4.1.2): that stream is reset, the connection and the next request go
// on. It used to be served as a request for the empty path.
func TestMalformedRequestIsAStreamError(t *testing.T) {
	var bad uint64
	h := newServerHarness(t, DefaultConfig(), func(h *harness, now sim.Time) {
		h.peer.uni(now, controlStream(h.server.ep.cfg))
		noPath := requestFields("/x")[:3]
		bad = h.peer.bidi(now, headers(0, noPath...), true)
		h.peer.bidi(now, headers(0, requestFields("/a")...), true)
	})
	h.run()
	h.wantClose(-1)
	if code, ok := h.peer.resets[bad]; !ok || code != uint64(ErrH3MessageError) {
		t.Errorf("malformed request's stream: reset %v with %#x; want H3_MESSAGE_ERROR", ok, code)
	}
	if len(h.served) != 1 || h.served[0].Path != "/a" {
		t.Errorf("served %v; want the well-formed request for /a only", h.served)
	}
}
