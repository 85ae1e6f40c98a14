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

// A request stream the server resets with H3_REQUEST_REJECTED was not
// processed (RFC 9114 §4.1.1): the browser is told so, and may send it
// again whatever its method; with another code it may have been.
func TestRequestRejected(t *testing.T) {
	for _, tt := range []struct {
		code    ErrorCode
		refused bool
	}{
		{ErrH3RequestRejected, true},
		{ErrH3RequestCancelled, false},
		{ErrH3InternalError, false},
	} {
		cfg := DefaultConfig()
		h := newClientHarness(t, cfg, []string{"/a"}, func(h *harness, now sim.Time) {
			h.peer.uni(now, controlStream(cfg))
		})
		h.peer.onFin = func(now sim.Time, id uint64) {
			h.peer.conn.StopSending(now, id, uint64(tt.code))
			h.peer.conn.ResetStream(now, id, uint64(tt.code))
		}
		h.run()
		if x := h.x[0]; x.failed == "" || x.refused != tt.refused || x.done {
			t.Errorf("reset with %v: exchange %+v; want it failed, refused %v", tt.code, *x, tt.refused)
		}
	}
}
