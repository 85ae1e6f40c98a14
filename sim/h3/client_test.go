package h3

import (
	"testing"

	"httpsim/sim"
	"httpsim/sim/qpack"
	"httpsim/sim/quic"
)

// TestRequestSentWhenTheStreamLimitAllows checks that a request beyond the
// server's stream limit (initial_max_streams_bidi 2, RFC 9000 §4.6) counts
// as sent when MAX_STREAMS lets its stream send, after the first responses
// have freed streams, and not when the client wrote it.
func TestRequestSentWhenTheStreamLimitAllows(t *testing.T) {
	cfg := DefaultConfig()
	qc := quic.DefaultConfig()
	qc.InitialMaxStreamsBidi = 2
	h := newClientHarnessQUIC(t, cfg, qc, []string{"/a", "/b", "/c", "/d"}, func(h *harness, now sim.Time) {
		h.peer.uni(now, controlStream(cfg))
	})
	h.peer.onFin = func(now sim.Time, id uint64) {
		h.peer.conn.Write(now, id, headers(id, qpack.Field{Name: ":status", Value: "200"}))
		h.peer.conn.CloseStream(now, id)
	}
	h.run()
	h.wantClose(-1)
	for i, x := range h.x {
		if !x.done || x.sent < 0 {
			t.Fatalf("request %d: done %v, sent at %v; want both", i, x.done, x.sent)
		}
	}
	a, b, c, d := h.x[0], h.x[1], h.x[2], h.x[3]
	if b.sent != a.sent {
		t.Errorf("second request sent at %v, first at %v; want both at once, within the limit", b.sent, a.sent)
	}
	for i, x := range []*testExchange{c, d} {
		if x.sent <= a.doneAt {
			t.Errorf("request %d sent at %v; want after the first response freed a stream (done at %v)", i+3, x.sent, a.doneAt)
		}
	}
}
