package quic

import (
	"testing"
	"time"

	"httpsim/sim/link"
	"httpsim/sim/units"
)

// BenchmarkTransfer10MBLoss1 is a 10 MB download over 100 Mbit/s, RTT
// 100 ms, with 1% loss on the server's data packets.
func BenchmarkTransfer10MBLoss1(b *testing.B) {
	var events, packets int64
	for i := 0; i < b.N; i++ {
		p := newPair(b, pairOpts{rtt: 100 * time.Millisecond, bw: 100 * units.Mbps, noKeep: true,
			down: link.Config{Loss: link.Loss{Model: link.Bernoulli, Rate: 0.01, DataOnly: true}}})
		p.requestResponse(b, 100, 10<<20)
		p.start()
		p.run()
		if p.capp.rec(0).bytes != 10<<20 {
			b.Fatalf("transfer incomplete")
		}
		events += p.loop.Events()
		packets += p.client.Stats().Packets + p.server.Stats().Packets
	}
	s := b.Elapsed().Seconds()
	b.ReportMetric(float64(events)/s, "events/s")
	b.ReportMetric(float64(packets)/s, "packets/s")
	b.ReportMetric(float64(events)/float64(b.N), "events/op")
}
