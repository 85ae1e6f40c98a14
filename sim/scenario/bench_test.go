package scenario

import (
	"testing"
	"time"

	"httpsim/sim/link"
	"httpsim/sim/units"
)

// BenchmarkBulkLoss1pct runs the 1%-loss bulk scenario: 10 MB at 100 Mbps,
// RTT 100 ms, Bernoulli loss on data packets.
func BenchmarkBulkLoss1pct(b *testing.B) {
	var events int64
	for i := 0; i < b.N; i++ {
		s := Bulk()
		s.Seed = uint64(i%5 + 1)
		s.Bulk.Size = 10 * units.MB
		s.Network.Bandwidth = 100 * units.Mbps
		s.Network.Down.Loss = link.Loss{Model: link.Bernoulli, Rate: 0.01, DataOnly: true}
		r, err := Run(s, Options{})
		if err != nil {
			b.Fatal(err)
		}
		events += r.Events
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkFlow60s is 60 s of a loss-free 100 Mbps flow (RTT 100 ms, MSS
// 1448): the run a widely used C++ simulator takes about 17 s for here.
func BenchmarkFlow60s(b *testing.B) {
	var events int64
	for i := 0; i < b.N; i++ {
		s := Bulk()
		s.Bulk = BulkWorkload{Duration: 60 * time.Second}
		s.Network.Bandwidth = 100 * units.Mbps
		s.TCP.MSS = 1448
		r, err := Run(s, Options{})
		if err != nil {
			b.Fatal(err)
		}
		events += r.Events
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkPageH1 loads the built-in page over HTTP/1.1 and TLS 1.3 at 2%
// loss: simulated page loads per second.
func BenchmarkPageH1(b *testing.B) {
	var events int64
	for i := 0; i < b.N; i++ {
		s := Page()
		s.Seed = uint64(i%5 + 1)
		s.Network.Down.Loss = link.Loss{Model: link.Bernoulli, Rate: 0.02}
		s.Network.Up.Loss = s.Network.Down.Loss
		r, err := Run(s, Options{})
		if err != nil {
			b.Fatal(err)
		}
		events += r.Events
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "loads/s")
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}
