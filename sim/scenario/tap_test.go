package scenario

import (
	"slices"
	"testing"

	"httpsim/sim"
	"httpsim/sim/host"
	"httpsim/sim/link"
	"httpsim/sim/tcp"
	"httpsim/sim/trace"
)

// A tap on the client host observes a run without changing it: the trace
// hash is the same with and without one, and it sees every TCP segment the
// client sends (a QUIC datagram may coalesce several packets, each its own
// packet_sent event).
func TestClientTapKeepsTheRun(t *testing.T) {
	runs := goldenRuns()
	var names []string
	for name, s := range runs {
		if s.Workload == WorkloadPage {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		s := runs[name]
		plain, err := Run(s, Options{KeepTrace: true})
		if err != nil {
			t.Fatalf("Run(%s) = %v", name, err)
		}
		var sent, received, tcpSent int
		last := sim.Time(-1)
		tap := func(now sim.Time, p link.Packet, dir host.Direction) {
			if now < last {
				t.Errorf("%s: tap at %v after %v", name, now, last)
			}
			last = now
			if dir == host.Sent {
				sent++
				if _, ok := p.(*tcp.Segment); ok {
					tcpSent++
				}
			} else {
				received++
			}
		}
		tapped, err := Run(s, Options{KeepTrace: true, ClientTap: tap})
		if err != nil {
			t.Fatalf("Run(%s, tapped) = %v", name, err)
		}
		for i, r := range plain.Runs {
			if got, want := tapped.Runs[i].TraceHash, r.TraceHash; got != want {
				t.Errorf("Run(%s, tapped).Runs[%d].TraceHash = %s; want %s (untapped)", name, i, got, want)
			}
		}
		// The tap sees every TCP packet the client sends (the golden
		// runs each have one protocol).
		wantSent := 0
		for _, r := range plain.Runs {
			if r.Proto == "h3" {
				continue
			}
			for _, e := range r.Log.Events() {
				if e.Kind == trace.PacketSent && e.Side == trace.Client {
					wantSent++
				}
			}
		}
		if tcpSent != wantSent || sent == 0 || received == 0 {
			t.Errorf("Run(%s) tap saw %d sent (%d TCP), %d received; want %d TCP (the client's packet_sent events), some received", name, sent, tcpSent, received, wantSent)
		}
	}
}
