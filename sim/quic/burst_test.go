package quic

import (
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/link"
	"httpsim/sim/trace"
)

// RFC 9002 §7.7: bursts are limited to an initial window. The ACKs of a
// transfer are held up 400 to 1000 ms (the way back is down); when they
// arrive the window has grown, and the server sent 86 packets in one
// instant. Now no instant carries more than an initial window and a
// datagram, and the transfer still completes.
func TestBurstsLimitedToAnInitialWindow(t *testing.T) {
	p := newPair(t, pairOpts{up: link.Config{Outages: []link.Outage{{From: 400 * time.Millisecond, To: time.Second}}}})
	p.requestResponse(t, 100, 3<<20)
	p.start()
	p.run()
	if p.capp.rec(0).fin < 0 {
		t.Fatal("the response did not complete")
	}
	perInstant := map[sim.Time]int64{}
	most := int64(0)
	for _, e := range p.events(trace.PacketSent, trace.Server) {
		perInstant[e.At] += e.Size
		most = max(most, perInstant[e.At])
	}
	iw := int64(InitialWindow(p.server.cfg.MaxDatagramSize))
	if limit := iw + int64(p.server.cfg.MaxDatagramSize) + 28; most > limit {
		t.Errorf("the server sent %d bytes in one instant; want at most an initial window and a datagram, %d", most, limit)
	}
}
