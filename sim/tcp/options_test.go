package tcp

import (
	"testing"

	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/link"
	"httpsim/sim/trace"
)

// bulk writes size bytes once established, closes, and counts what the
// peer sends it.
type bulk struct {
	conn      *Conn
	size, got int64
	closed    bool
}

func (b *bulk) OnEstablished(now sim.Time) {
	b.conn.WriteFiller(now, b.size)
	b.conn.Close(now)
}
func (b *bulk) OnData(_ sim.Time, d bytestream.Slice, _ Arrival) { b.got += d.N }
func (b *bulk) OnPeerClose(sim.Time)                             { b.closed = true }

// TestSegmentsFitTheMTU runs a transfer in both directions at once with
// losses both ways, so that each end holds the other's data out of order
// while it sends full-sized segments of its own: those carry SACK blocks,
// and the options must come out of the payload, not go on top of it
// (RFC 9293 §3.7.1: the effective send MSS subtracts the TCP options;
// RFC 6691 §2: "the TCP sender ... must reduce the size of the data" by
// the options' length). No IP packet may exceed the 1,500-byte MTU that
// the 1,460-byte MSS stands for.
func TestSegmentsFitTheMTU(t *testing.T) {
	tests := []struct {
		name     string
		up, down []int // scripted drops, data packets counted from 1
	}{
		{"one loss each way", []int{20}, []int{25}},
		{"bursts each way", []int{10, 11, 12, 30, 50, 51}, []int{15, 16, 40, 41, 42, 70}},
		{"retransmissions lost", []int{20, 60, 61, 62}, []int{20, 21, 22, 23, 24, 25, 26}},
	}
	const size = 400 * 1460
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			p := newPair(t, pairOpts{cfg: cfg, up: link.Config{Drop: tt.up}, down: link.Config{Drop: tt.down}})
			cb := &bulk{conn: p.client, size: size}
			sb := &bulk{conn: p.server, size: size}
			p.client.SetHandler(cb)
			p.server.SetHandler(sb)
			p.run()
			if cb.got != size || sb.got != size || !cb.closed || !sb.closed {
				t.Fatalf("client got %d (closed %v), server got %d (closed %v); want %d each way", cb.got, cb.closed, sb.got, sb.closed, size)
			}
			mtu := int64(cfg.MSS + IPv4HeaderLen + TCPHeaderLen)
			sackedData, over := 0, 0
			for _, e := range p.log.Events() {
				if e.Kind != trace.PacketSent {
					continue
				}
				if e.Len > 0 && e.Flags.Has(trace.FlagSACK) {
					sackedData++
				}
				if e.Size > mtu {
					over++
					if over <= 5 {
						t.Errorf("%s PN %d at %v: %d bytes (payload %d, SACK %v); want at most %d", e.Side, e.PN, e.At, e.Size, e.Len, e.Flags.Has(trace.FlagSACK), mtu)
					}
				}
			}
			if over > 5 {
				t.Errorf("... %d packets over the MTU in all", over)
			}
			if sackedData == 0 {
				t.Error("no data segment carried SACK blocks: the case was not built")
			}
		})
	}
}
