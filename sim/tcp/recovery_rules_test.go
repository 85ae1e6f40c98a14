package tcp

import (
	"testing"
	"time"

	"httpsim/sim/link"
	"httpsim/sim/trace"
)

// RFC 6675 §5 step 4.3 sets RescueRxt with HighRxt on entering recovery, so
// that NextSeg's rule 4 waits for an ACK beyond the first retransmission.
// Left undefined, it resent the last segment of the window at once, though
// it was in flight (and SACKed moments later): two retransmissions for one
// loss, whenever no new data was left to send.
func TestNoPrematureRescueRetransmission(t *testing.T) {
	tests := []struct {
		segs int64
		drop int
	}{{10, 2}, {60, 20}, {60, 30}}
	for _, tt := range tests {
		p := newPair(t, pairOpts{cfg: DefaultConfig(), size: tt.segs * 1460, down: link.Config{Drop: []int{tt.drop}}})
		p.run()
		if got := len(retransmissions(p)); got != 1 || p.sink.got != tt.segs*1460 {
			t.Errorf("%d segments, #%d lost: %d retransmissions, %d bytes delivered; want 1, all", tt.segs, tt.drop, got, p.sink.got)
		}
	}
}

// A retransmission lost in fast recovery leads to an RTO, and equation (4)
// of RFC 5681 over a FlightSize swollen by what recovery sent raised
// ssthresh back towards the window before the loss (15 segments to 20.5
// with SACK, 14.5 to 29 with NewReno): one window of loss, two different
// reductions. ssthresh keeps the lower.
func TestLostRetransmissionKeepsTheReduction(t *testing.T) {
	for _, sack := range []bool{true, false} {
		cfg := DefaultConfig()
		cfg.SACK = sack
		size := int64(60 * 1460)
		// The ordinal of the retransmission of #20 among the data packets.
		first := newPair(t, pairOpts{cfg: cfg, size: size, down: link.Config{Drop: []int{20}}})
		first.run()
		ordinal := 0
		for _, e := range first.events(trace.PacketSent, trace.Server) {
			if e.Len > 0 {
				ordinal++
				if e.Flags.Has(trace.FlagRetransmit) {
					break
				}
			}
		}
		p := newPair(t, pairOpts{cfg: cfg, size: size, down: link.Config{Drop: []int{20, ordinal}}})
		var inRecovery, afterRTO int64
		p.log.Observe(func(e *trace.Event) {
			if e.Side != trace.Server || e.Kind != trace.MetricsUpdated {
				return
			}
			switch st := p.server.snd.state; {
			case st == Recovery && inRecovery == 0:
				inRecovery = e.Ssthresh
			case st == Loss && afterRTO == 0:
				afterRTO = e.Ssthresh
			}
		})
		p.run()
		if inRecovery == 0 || afterRTO == 0 || p.sink.got != size {
			t.Fatalf("sack %v: ssthresh in recovery %d, after the RTO %d, %d bytes delivered; want a recovery, then an RTO (drop #%d too)", sack, inRecovery, afterRTO, p.sink.got, ordinal)
		}
		if afterRTO > inRecovery {
			t.Errorf("sack %v: ssthresh %d in recovery, %d after the RTO for its lost retransmission; want no higher", sack, inRecovery, afterRTO)
		}
	}
}

// RFC 5681 §3.1 with RFC 6928 §2: after more than one SYN-ACK retransmission
// the server starts with one segment, not ten; after one it keeps ten.
func TestInitialWindowAfterLostSynAcks(t *testing.T) {
	for _, tt := range []struct {
		outage time.Duration // of the server's link from 0
		want   int
	}{{500 * time.Millisecond, 10 * 1460}, {2500 * time.Millisecond, 1460}} {
		p := newPair(t, pairOpts{cfg: DefaultConfig(), size: 100 * 1460, down: link.Config{Outages: []link.Outage{{From: 0, To: tt.outage}}}})
		cwnd := 0
		p.log.Observe(func(e *trace.Event) {
			if e.Side == trace.Server && e.Kind == trace.ConnectionStateUpdated && e.Name == "established" {
				cwnd = p.server.snd.cc.Cwnd()
			}
		})
		p.run()
		if cwnd != tt.want || p.sink.got != 100*1460 {
			t.Errorf("SYN-ACKs lost for %v: initial window %d bytes (%d delivered); want %d", tt.outage, cwnd, p.sink.got, tt.want)
		}
	}
}
