package scenario

import (
	"testing"

	"httpsim/sim/link"
	"httpsim/sim/trace"
)

// Every loss a TCP sender declares names a packet it sent, by packet
// number, with that packet's sequence number and length: a lost
// retransmission under its own number, and a segment carrying the FIN
// with the length it was sent with (the FIN's sequence number is no
// payload). qlog's packet_lost events are these.
func TestDeclaredLossesNameSentPackets(t *testing.T) {
	for _, name := range []string{"keepalive", "h2-hol", "lost-first-flight"} {
		for seed := uint64(1); seed <= 4; seed++ {
			s, err := Builtin(name)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range append([]*Scenario{s}, variantScenarios(s)...) {
				x.Seed = seed
				x.Network.Down.Loss = link.Loss{Model: link.Bernoulli, Rate: 0.05}
				x.Network.Up.Loss = link.Loss{Model: link.Bernoulli, Rate: 0.05}
			}
			res, err := Run(s, Options{KeepTrace: true})
			if err != nil {
				t.Fatal(err)
			}
			declared := 0
			for _, run := range res.Runs {
				if run.Proto == "h3" {
					continue
				}
				type key struct {
					side trace.Side
					conn int32
					pn   int64
				}
				sent := map[key]trace.Event{}
				for e := range run.Log.All() {
					k := key{e.Side, e.Conn, e.PN}
					switch e.Kind {
					case trace.PacketSent:
						sent[k] = *e
					case trace.PacketLost:
						declared++
						p, ok := sent[k]
						if !ok {
							t.Errorf("%s seed %d %s: %v declared packet %d of connection %d lost, never sent", name, seed, run.Variant, e.At, e.PN, e.Conn)
						} else if p.Seq != e.Seq || p.Len != e.Len {
							t.Errorf("%s seed %d %s: packet %d of connection %d sent with seq %d len %d, declared lost with seq %d len %d", name, seed, run.Variant, e.PN, e.Conn, p.Seq, p.Len, e.Seq, e.Len)
						}
					}
				}
			}
			if declared == 0 {
				t.Errorf("%s seed %d: no loss declared at 5 %% loss", name, seed)
			}
		}
	}
}

// variantScenarios are s's variants' scenarios.
func variantScenarios(s *Scenario) []*Scenario {
	var out []*Scenario
	for _, v := range s.Variants {
		out = append(out, v.Scenario)
	}
	return out
}
