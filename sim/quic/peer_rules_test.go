package quic

import (
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/link"
	"httpsim/sim/quic/wire"
	"httpsim/sim/trace"
)

// Stream IDs as the server sees them: the client's (the peer's) and its
// own, bidirectional or not (RFC 9000 §2.1).
func cBidi(n uint64) uint64 { return StreamID(n, false, true) }
func cUni(n uint64) uint64  { return StreamID(n, false, false) }
func sBidi(n uint64) uint64 { return StreamID(n, true, true) }
func sUni(n uint64) uint64  { return StreamID(n, true, false) }

// injectAt is when injected hands the server its frames: the handshake is
// confirmed and nothing else is in flight.
const injectAt = 500 * time.Millisecond

// injected connects a client and a server with cfg and, at injectAt, after
// before (if not nil) has run on the server, hands the server frames as
// if one 1-RTT packet from the client carried them: what a peer that
// breaks the rules could send. A STREAM frame's data is filler. It returns
// the pair, run to the end, and the transport error code the server
// closed the connection with (-1 if it did not).
func injected(t *testing.T, cfg Config, before func(now sim.Time, p *pair), frames ...wire.Frame) (*pair, int64) {
	t.Helper()
	p := newPair(t, pairOpts{cfg: cfg})
	var data bytestream.Buffer
	data.WriteFiller(16 << 20)
	p.loop.After(sim.At(injectAt), func(now sim.Time) {
		if !p.server.HandshakeConfirmed() {
			t.Fatalf("handshake not confirmed at %v", now)
		}
		if before != nil {
			before(now, p)
		}
		for _, f := range frames {
			var d bytestream.Slice
			if sf, ok := f.(*wire.StreamFrame); ok {
				d = bytestream.Slice{Buf: &data, Off: int64(sf.Offset), N: int64(sf.DataLen)}
			}
			p.server.onFrame(now, wire.SpaceApplicationData, f, d)
			if p.server.Closed() {
				break
			}
		}
	})
	p.start()
	p.run()
	cf := p.server.closing.frame
	if cf == nil {
		return p, -1
	}
	if cf.IsApplicationError {
		t.Fatalf("server closed with application error %#x; want a transport error", cf.ErrorCode)
	}
	return p, int64(cf.ErrorCode)
}

// openStreams has the server open a unidirectional and a bidirectional
// stream of its own.
func openStreams(now sim.Time, p *pair) {
	p.server.OpenStream(now, false)
	p.server.OpenStream(now, true)
}

func TestStreamStateAndLimitErrors(t *testing.T) {
	const none = -1
	limit := uint64(DefaultConfig().InitialMaxStreamsBidi)
	tests := []struct {
		name   string
		before func(sim.Time, *pair)
		frames []wire.Frame
		want   int64
	}{
		// RFC 9000 §19.4, §19.8, §19.13: frames of a sender, for a
		// stream this end only sends on.
		{"RESET_STREAM on a send-only stream", openStreams,
			[]wire.Frame{&wire.ResetStreamFrame{StreamID: sUni(0)}}, int64(wire.StreamStateError)},
		{"STREAM on a send-only stream", openStreams,
			[]wire.Frame{&wire.StreamFrame{StreamID: sUni(0), DataLen: 10}}, int64(wire.StreamStateError)},
		{"STREAM_DATA_BLOCKED on a send-only stream", openStreams,
			[]wire.Frame{&wire.StreamDataBlockedFrame{StreamID: sUni(0)}}, int64(wire.StreamStateError)},
		// §19.5, §19.10: frames of a receiver, for a stream this end
		// only receives on.
		{"STOP_SENDING on a receive-only stream", nil,
			[]wire.Frame{&wire.StreamFrame{StreamID: cUni(0), DataLen: 10}, &wire.StopSendingFrame{StreamID: cUni(0)}}, int64(wire.StreamStateError)},
		{"MAX_STREAM_DATA on a receive-only stream", nil,
			[]wire.Frame{&wire.StreamFrame{StreamID: cUni(0), DataLen: 10}, &wire.MaxStreamDataFrame{StreamID: cUni(0), MaximumStreamData: 1 << 30}}, int64(wire.StreamStateError)},
		// §19.5, §19.8, §19.10: a stream of ours not yet opened.
		{"STREAM on our stream not yet opened", nil,
			[]wire.Frame{&wire.StreamFrame{StreamID: sBidi(0), DataLen: 10}}, int64(wire.StreamStateError)},
		{"STOP_SENDING on our stream not yet opened", openStreams,
			[]wire.Frame{&wire.StopSendingFrame{StreamID: sBidi(1)}}, int64(wire.StreamStateError)},
		{"MAX_STREAM_DATA on our stream not yet opened", openStreams,
			[]wire.Frame{&wire.MaxStreamDataFrame{StreamID: sUni(1), MaximumStreamData: 1 << 30}}, int64(wire.StreamStateError)},
		// §4.6: a stream ID beyond the limit granted.
		{"STREAM beyond the stream limit", nil,
			[]wire.Frame{&wire.StreamFrame{StreamID: cBidi(limit), DataLen: 10}}, int64(wire.StreamLimitError)},
		{"unidirectional STREAM beyond the stream limit", nil,
			[]wire.Frame{&wire.StreamFrame{StreamID: cUni(limit), DataLen: 10}}, int64(wire.StreamLimitError)},
		{"RESET_STREAM beyond the stream limit", nil,
			[]wire.Frame{&wire.ResetStreamFrame{StreamID: cBidi(limit)}}, int64(wire.StreamLimitError)},
		{"STOP_SENDING beyond the stream limit", nil,
			[]wire.Frame{&wire.StopSendingFrame{StreamID: cBidi(limit)}}, int64(wire.StreamLimitError)},
		// What the rules allow.
		{"STREAM on the last stream the limit allows", nil,
			[]wire.Frame{&wire.StreamFrame{StreamID: cBidi(limit - 1), DataLen: 10}}, none},
		{"STOP_SENDING opens the peer's bidirectional stream", nil,
			[]wire.Frame{&wire.StopSendingFrame{StreamID: cBidi(3)}}, none},
		{"MAX_STREAM_DATA on the peer's bidirectional stream", nil,
			[]wire.Frame{&wire.MaxStreamDataFrame{StreamID: cBidi(0), MaximumStreamData: 1 << 30}}, none},
		{"STOP_SENDING and MAX_STREAM_DATA on our streams", openStreams,
			[]wire.Frame{&wire.MaxStreamDataFrame{StreamID: sUni(0), MaximumStreamData: 1 << 30}, &wire.StopSendingFrame{StreamID: sBidi(0)}}, none},
		{"RESET_STREAM on our bidirectional stream", openStreams,
			[]wire.Frame{&wire.ResetStreamFrame{StreamID: sBidi(0)}}, none},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := injected(t, DefaultConfig(), tt.before, tt.frames...)
			if got != tt.want {
				t.Errorf("server closed with error %d; want %d", got, tt.want)
			}
		})
	}
}

func TestFinalSizeErrors(t *testing.T) {
	const none = -1
	stream := func(id, off uint64, n int, fin bool) wire.Frame {
		return &wire.StreamFrame{StreamID: id, Offset: off, DataLen: n, Fin: fin}
	}
	reset := func(id, size uint64) wire.Frame { return &wire.ResetStreamFrame{StreamID: id, FinalSize: size} }
	window := uint64(DefaultConfig().InitialMaxStreamDataBidiRemote)
	small := DefaultConfig()
	small.InitialMaxData = 100_000
	tests := []struct {
		name   string
		cfg    *Config // nil: DefaultConfig
		frames []wire.Frame
		want   int64
	}{
		// RFC 9000 §4.5: the final size cannot change, and no data
		// goes at or beyond it.
		{"data past the final size without FIN", nil,
			[]wire.Frame{stream(cBidi(0), 0, 10, true), stream(cBidi(0), 10, 10, false)}, int64(wire.FinalSizeError)},
		{"empty frame past the final size", nil,
			[]wire.Frame{stream(cBidi(0), 0, 10, true), stream(cBidi(0), 20, 0, false)}, int64(wire.FinalSizeError)},
		{"FIN changes the final size", nil,
			[]wire.Frame{stream(cBidi(0), 0, 10, true), stream(cBidi(0), 0, 20, true)}, int64(wire.FinalSizeError)},
		{"FIN below data received", nil,
			[]wire.Frame{stream(cBidi(0), 0, 50, false), stream(cBidi(0), 0, 20, true)}, int64(wire.FinalSizeError)},
		{"RESET_STREAM changes the final size", nil,
			[]wire.Frame{stream(cBidi(0), 5, 5, true), reset(cBidi(0), 20)}, int64(wire.FinalSizeError)},
		{"RESET_STREAM changes the final size of a stream read to its end", nil,
			[]wire.Frame{stream(cBidi(0), 0, 10, true), reset(cBidi(0), 5)}, int64(wire.FinalSizeError)},
		{"RESET_STREAM below data received", nil,
			[]wire.Frame{stream(cBidi(0), 0, 50, false), reset(cBidi(0), 20)}, int64(wire.FinalSizeError)},
		{"second RESET_STREAM changes the final size", nil,
			[]wire.Frame{reset(cBidi(0), 10), reset(cBidi(0), 20)}, int64(wire.FinalSizeError)},
		{"data past the final size of a reset stream", nil,
			[]wire.Frame{reset(cBidi(0), 10), stream(cBidi(0), 0, 20, false)}, int64(wire.FinalSizeError)},
		// §4.1: a final size beyond the limits advertised means the
		// peer sent beyond them.
		{"RESET_STREAM beyond MAX_STREAM_DATA", nil,
			[]wire.Frame{reset(cBidi(0), window+1)}, int64(wire.FlowControlError)},
		{"RESET_STREAM beyond MAX_DATA", &small,
			[]wire.Frame{stream(cBidi(0), 0, 40_000, false), reset(cBidi(1), 60_001)}, int64(wire.FlowControlError)},
		// What the rules allow.
		{"RESET_STREAM again with the same final size", nil,
			[]wire.Frame{reset(cBidi(0), 10), reset(cBidi(0), 10)}, none},
		{"RESET_STREAM after FIN with the same final size", nil,
			[]wire.Frame{stream(cBidi(0), 5, 5, true), reset(cBidi(0), 10)}, none},
		{"RESET_STREAM up to MAX_DATA", &small,
			[]wire.Frame{stream(cBidi(0), 0, 40_000, false), reset(cBidi(1), 60_000)}, none},
		{"data below the final size of a reset stream", nil,
			[]wire.Frame{reset(cBidi(0), 20), stream(cBidi(0), 0, 10, false)}, none},
		{"data up to the final size without FIN", nil,
			[]wire.Frame{stream(cBidi(0), 10, 10, true), stream(cBidi(0), 0, 10, false)}, none},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			if tt.cfg != nil {
				cfg = *tt.cfg
			}
			_, got := injected(t, cfg, nil, tt.frames...)
			if got != tt.want {
				t.Errorf("server closed with error %d; want %d", got, tt.want)
			}
		})
	}
}

// TestResetStreamReturnsCredit checks RFC 9000 §4.5: a stream's final size
// is the connection flow-control credit it consumed. The client uploads on
// three streams in turn, each while its link is down, and resets each:
// what it sent is lost and never sent again, so the server never reads
// it, but the client counted it against MAX_DATA. The server must count
// it as consumed and give the credit back, or the client's last upload,
// which needs it, waits for ever.
func TestResetStreamReturnsCredit(t *testing.T) {
	const maxData = 30_000
	cfg := DefaultConfig()
	cfg.InitialMaxData = maxData
	var outages []link.Outage
	for k := range 3 {
		at := time.Second + time.Duration(k)*time.Second
		outages = append(outages, link.Outage{From: at, To: at + 20*time.Millisecond})
	}
	p := newPair(t, pairOpts{cfg: cfg, up: link.Config{Outages: outages}})
	for _, o := range outages {
		p.loop.After(sim.At(o.From), func(now sim.Time) {
			id, err := p.client.OpenStream(now, true)
			if err != nil {
				t.Fatal(err)
			}
			p.client.WriteFiller(now, id, maxData)
			p.loop.After(now.Add(30*time.Millisecond), func(now sim.Time) {
				if err := p.client.ResetStream(now, id, 0); err != nil {
					t.Fatal(err)
				}
			})
		})
	}
	last := StreamID(3, false, true)
	p.loop.After(sim.At(5*time.Second), func(now sim.Time) {
		id, err := p.client.OpenStream(now, true)
		if err != nil || id != last {
			t.Fatalf("OpenStream = %d, %v; want %d", id, err, last)
		}
		p.client.WriteFiller(now, id, maxData)
		p.client.CloseStream(now, id)
	})
	p.sapp.stopAt = 1
	p.start()
	p.run()
	// What the resets' final sizes count that the server never read.
	finalSize := map[uint64]int64{}
	for _, e := range p.events(trace.PacketSent, trace.Client) {
		_, frames, _ := EventFrames(&e, 8)
		for _, f := range frames {
			if r, ok := f.(*wire.ResetStreamFrame); ok {
				finalSize[r.StreamID] = int64(r.FinalSize)
			}
		}
	}
	var lost int64
	for id := range uint64(3) {
		sid := StreamID(id, false, true)
		lost += finalSize[sid] - p.sapp.rec(sid).bytes
	}
	if lost <= maxData/2 {
		t.Fatalf("%d bytes lost before the resets; want more than %d for the test to mean anything", lost, maxData/2)
	}
	if r := p.sapp.rec(last); r.fin < 0 {
		t.Errorf("last upload: %d of %d bytes, no FIN; want all (server MAX_DATA %d, consumed %d)", r.bytes, maxData, p.server.flow.max, p.server.flow.consumed)
	}
}
