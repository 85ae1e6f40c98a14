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
		s := lossyBulk(uint64(i%5+1), Bulk().Network.RTT, 0.01)
		s.Bulk.Size = 10 * units.MB
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

// benchmarkPage loads the built-in page over proto (TLS 1.3 for HTTP/1.1
// and HTTP/2) at 2% loss in both directions, the seed cycling through 1–5:
// simulated page loads per second, and engine events per second.
func benchmarkPage(b *testing.B, proto string) {
	var events int64
	for i := 0; i < b.N; i++ {
		s := Page()
		s.Protocols = []string{proto}
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

// BenchmarkPageH1, H2 and H3 compare the protocols on the same page, network
// and seeds: the comparison the browser's default view re-runs on every
// change (issue: H1, H2 and H3 at 2% loss).
func BenchmarkPageH1(b *testing.B) { benchmarkPage(b, "h1") }
func BenchmarkPageH2(b *testing.B) { benchmarkPage(b, "h2") }
func BenchmarkPageH3(b *testing.B) { benchmarkPage(b, "h3") }

// BenchmarkPageCompareAll runs all three one after the other, as one
// comparison: what one slider change costs the page.
func BenchmarkPageCompareAll(b *testing.B) {
	for i := 0; i < b.N; i++ {
		s := Page()
		s.Protocols = Protocols()
		s.Seed = uint64(i%5 + 1)
		s.Network.Down.Loss = link.Loss{Model: link.Bernoulli, Rate: 0.02}
		s.Network.Up.Loss = s.Network.Down.Loss
		if _, err := Run(s, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "comparisons/s")
}
