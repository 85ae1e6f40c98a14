package updates

import (
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/link"
	"httpsim/sim/tcp"
	"httpsim/sim/tls"
	"httpsim/sim/topo"
	"httpsim/sim/trace"
	"httpsim/sim/units"
)

// BenchmarkRun is one default run (20 events, RTT 100 ms, 10 Mbit/s, TLS
// 1.3, no loss) per mode, with a trace that is hashed but not kept.
func BenchmarkRun(b *testing.B) {
	for _, m := range Modes() {
		b.Run(string(m), func(b *testing.B) {
			cfg := withMode(m)
			lc := link.Config{Bandwidth: 10 * units.Mbps, Delay: 50 * time.Millisecond, QueueBytes: 1 << 20}
			for b.Loop() {
				loop := sim.NewLoop(sim.Limits{})
				log := trace.NewLog(false)
				path := topo.NewPath(loop, log, 1, lc, lc)
				if _, err := Start(loop, log, path, tcp.DefaultConfig(), tls.DefaultConfig(), cfg, 1); err != nil {
					b.Fatal(err)
				}
				loop.Run(0)
			}
		})
	}
}

func BenchmarkParseFrameHeader(b *testing.B) {
	hdr := AppendFrameHeader(nil, FrameHeader{FIN: true, Opcode: OpText, Mask: true, MaskingKey: [4]byte{1, 2, 3, 4}, PayloadLength: 200})
	for b.Loop() {
		if _, _, err := ParseFrameHeader(hdr); err != nil {
			b.Fatal(err)
		}
	}
}
