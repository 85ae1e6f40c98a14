package app

import "testing"

// BenchmarkPlotCwnd records and encodes one frame of the congestion-window
// chart for a long run: the Go half of a redraw (the JavaScript half runs in
// the browser, where the e2e test measures whole updates).
func BenchmarkPlotCwnd(b *testing.B) {
	s := cwndSeries{End: 60_000_000_000}
	for i := int64(0); i < 100_000; i++ {
		s.At = append(s.At, i*600_000)
		s.Cwnd = append(s.Cwnd, 14600+(i*7919)%500_000)
		s.Ssthresh = append(s.Ssthresh, 250_000)
		if i%1000 == 0 {
			s.Losses = append(s.Losses, i*600_000)
		}
	}
	var c Canvas
	b.ReportAllocs()
	for b.Loop() {
		c.Reset(800, 320)
		plotCwnd(&c, &s)
		_ = c.Encoded()
	}
	b.ReportMetric(float64(len(c.Encoded())), "bytes/frame")
}
