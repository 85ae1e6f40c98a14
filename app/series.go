package app

import (
	"httpsim/sim/trace"
)

// cwndSeries is the sender's congestion state over a run, in the order the
// trace recorded it: what the congestion-window chart draws. It holds plain
// parallel slices (no per-point allocation) and lives only in unexported
// fields, so go-app never compares it.
type cwndSeries struct {
	// At, Cwnd and Ssthresh are one sample per recovery:metrics_updated
	// event of the server: time in nanoseconds, window and threshold in
	// bytes. Ssthresh is 0 while it is unset (before the first loss).
	At       []int64
	Cwnd     []int64
	Ssthresh []int64
	// Losses are the times at which the server declared a packet lost.
	Losses []int64
	// End is the time of the last event of the run, in nanoseconds.
	End int64
}

// unsetSsthresh is the value from which an ssthresh counts as "not yet set":
// RFC 5681, section 3.1, has it start "arbitrarily high", and sim/tcp starts
// it at 1 GiB (others use the largest integer). No simulated window gets near.
const unsetSsthresh = 1 << 30

// seriesFromEvents extracts the server's congestion window, slow-start
// threshold and loss detections from a run's events.
func seriesFromEvents(events []trace.Event) cwndSeries {
	var s cwndSeries
	for i := range events {
		e := &events[i]
		if int64(e.At) > s.End {
			s.End = int64(e.At)
		}
		if e.Side != trace.Server {
			continue
		}
		switch e.Kind {
		case trace.MetricsUpdated:
			ss := e.Ssthresh
			if ss <= 0 || ss >= unsetSsthresh {
				ss = 0
			}
			s.At = append(s.At, int64(e.At))
			s.Cwnd = append(s.Cwnd, e.Cwnd)
			s.Ssthresh = append(s.Ssthresh, ss)
		case trace.PacketLost:
			s.Losses = append(s.Losses, int64(e.At))
		}
	}
	return s
}

// Len is the number of samples.
func (s *cwndSeries) Len() int { return len(s.At) }

// MaxY is the largest window or threshold in the series, in bytes.
func (s *cwndSeries) MaxY() int64 {
	var m int64
	for i := range s.At {
		m = max(m, s.Cwnd[i], s.Ssthresh[i])
	}
	return m
}
