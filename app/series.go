package app

import (
	"httpsim/sim/trace"
)

// ccSeries is the data senders' congestion state over a run, in trace order:
// what the charts draw. The server sends the data, so its connections are
// the ones shown; with several connections (HTTP/1.1 opens six) windows and
// bytes in flight are summed, which is what the path sees.
type ccSeries struct {
	// At, Cwnd and InFlight are one sample per recovery:metrics_updated
	// event of the server: the time in nanoseconds and, summed over its
	// connections, the congestion windows and bytes in flight.
	At       []int64
	Cwnd     []int64
	InFlight []int64
	// Ssthresh is the slow-start threshold when the server has one
	// connection, 0 while unset; nil otherwise.
	Ssthresh []int64
	// RTT holds each connection's smoothed RTT and RTT samples.
	RTT []rttSeries
	// Losses are the times at which the server declared a packet lost.
	Losses []int64
	// Conns is the number of server connections seen.
	Conns int
	// End is the time of the last event of the run, in nanoseconds.
	End int64
}

// rttSeries is one connection's RTT estimates over time.
type rttSeries struct {
	At, SRTT []int64 // when SRTT changed, and its new value
	SampleAt []int64 // each new RTT sample (trace.FlagRTTSample)
	Sample   []int64
}

// unsetSsthresh is the value from which an ssthresh counts as "not yet set":
// RFC 5681, section 3.1, has it start "arbitrarily high", and sim/tcp starts
// it at 1 GiB (others use the largest integer). No simulated window gets near.
const unsetSsthresh = 1 << 30

// buildSeries extracts the server's congestion state from a run's events.
func buildSeries(events *trace.Log) ccSeries {
	var s ccSeries
	type connState struct {
		cwnd, inflight int64
		seen, closed   bool
	}
	var conns []connState
	var sumCwnd, sumFlight int64
	var single []int64 // ssthresh while there is one connection
	for e := range events.All() {
		s.End = max(s.End, int64(e.At))
		if e.Side != trace.Server {
			continue
		}
		if e.Kind == trace.PacketLost {
			s.Losses = append(s.Losses, int64(e.At))
			continue
		}
		if e.Conn < 0 {
			continue
		}
		// The connection's new window, flight and threshold.
		var cwnd, flight, ss int64
		switch {
		case e.Kind == trace.MetricsUpdated:
			for int(e.Conn) >= len(conns) {
				conns = append(conns, connState{})
				s.RTT = append(s.RTT, rttSeries{})
			}
			c := &conns[e.Conn]
			if !c.seen {
				c.seen = true
				s.Conns++
			}
			r := &s.RTT[e.Conn]
			if e.SRTT > 0 && (len(r.SRTT) == 0 || r.SRTT[len(r.SRTT)-1] != int64(e.SRTT)) {
				r.At = append(r.At, int64(e.At))
				r.SRTT = append(r.SRTT, int64(e.SRTT))
			}
			if e.RTT > 0 && e.Flags.Has(trace.FlagRTTSample) {
				r.SampleAt = append(r.SampleAt, int64(e.At))
				r.Sample = append(r.Sample, int64(e.RTT))
			}
			if c.closed {
				continue
			}
			cwnd, flight, ss = e.Cwnd, e.InFlight, e.Ssthresh
			if ss <= 0 || ss >= unsetSsthresh {
				ss = 0
			}
		case e.Kind == trace.ConnectionStateUpdated && int(e.Conn) < len(conns) && !conns[e.Conn].closed && closedState(e.Name):
			// A closed connection has no window and nothing in flight:
			// it leaves the sums (HTTP/1.0's thirty connections, one a
			// request, added up to a window no path had).
			conns[e.Conn].closed = true
		default:
			continue
		}
		c := &conns[e.Conn]
		sumCwnd += cwnd - c.cwnd
		sumFlight += flight - c.inflight
		c.cwnd, c.inflight = cwnd, flight
		s.At = append(s.At, int64(e.At))
		s.Cwnd = append(s.Cwnd, sumCwnd)
		s.InFlight = append(s.InFlight, sumFlight)
		single = append(single, ss)
	}
	if s.Conns == 1 {
		s.Ssthresh = single
	}
	return s
}

// closedState reports whether a server's connection state (trace
// ConnectionStateUpdated) means the connection is over. sim/tcp:
// "peer_closed", the client's FIN, which it sends once it has read all it
// wanted (RFC 9112 §9.6), so nothing of the server's is left in flight,
// a reset either way (RFC 9293 §3.10.7), and "dropped", forgotten when
// the client's address went away (a path change). sim/quic: "closed", for the
// closing and the draining state alike (RFC 9000 §10.2), and
// "idle_timeout" (§10.1).
func closedState(name string) bool {
	switch name {
	case "closed", "idle_timeout", "peer_closed", "reset", "reset_by_peer", "dropped":
		return true
	}
	return false
}

// Len is the number of samples.
func (s *ccSeries) Len() int { return len(s.At) }

// MaxY is the largest window, threshold or flight in the series, in bytes.
func (s *ccSeries) MaxY() int64 {
	var m int64
	for i := range s.At {
		m = max(m, s.Cwnd[i], s.InFlight[i])
		if s.Ssthresh != nil {
			m = max(m, s.Ssthresh[i])
		}
	}
	return m
}

// MaxRTT is the largest smoothed RTT or sample, in nanoseconds.
func (s *ccSeries) MaxRTT() int64 {
	var m int64
	for _, r := range s.RTT {
		for _, v := range r.SRTT {
			m = max(m, v)
		}
		for _, v := range r.Sample {
			m = max(m, v)
		}
	}
	return m
}
