package pcap

import (
	"fmt"

	"httpsim/sim/trace"
)

// Packet is one record of a capture with the trace event of the same
// packet (see Match).
type Packet struct {
	Record Record
	TCP    *TCP
	// Event is the client's packet_sent or packet_received event.
	Event trace.Event
	// Behind: the segment carries data (or a SYN or FIN) that starts
	// below the end of what the capture had already seen its sender send
	// on the connection, which a capture tool shows as a retransmission
	// (or an out-of-order segment). A retransmission whose original was
	// lost, and that nothing later overtook, is not behind: the capture
	// cannot tell it from a first transmission.
	Behind bool
	// Unclaimed: a reset the client host received for a connection it no
	// longer has, having sent its FIN or RST or taken a reset on it (the
	// server's RST after the client closed it). The host drops it with no endpoint to take it
	// (host.Receive), so the trace has no event for it, while a capture on
	// the host shows it.
	Unclaimed bool
}

// Match reads a capture and checks it against the trace of the run it was
// taken from: its records are the client's packet_sent and packet_received
// events, in order, with the same time, connection (the client port),
// sequence and acknowledgement numbers relative to the SYNs', control
// flags, payload length and IPv4 total length (the packet's size on the
// link); the checksums verify; the window field is the event's window
// shifted as the sender's SYN announced; and every byte that two records
// carry agrees. A reset received with no event of its own where it falls
// in the trace is an Unclaimed packet. It returns the first disagreement
// as an error.
func Match(file []byte, events []trace.Event) ([]Packet, error) {
	f, err := Read(file)
	if err != nil {
		return nil, err
	}
	var evs []trace.Event
	for _, e := range events {
		if (e.Kind == trace.PacketSent || e.Kind == trace.PacketReceived) && e.Side == trace.Client {
			evs = append(evs, e)
		}
	}
	type key struct {
		conn uint16
		dir  int // 0 from the client, 1 to it
	}
	flows := map[key]*flow{}
	get := func(k key) *flow {
		if flows[k] == nil {
			flows[k] = &flow{}
		}
		return flows[k]
	}
	out := make([]Packet, len(f.Records))
	j := 0 // the next event
	for i, r := range f.Records {
		p, err := DecodeTCP(r.Data)
		if err != nil {
			return nil, fmt.Errorf("record %d: %w", i, err)
		}
		if p.Flags&0x04 != 0 && p.DstPort >= FirstClientPort && (j == len(evs) || !evs[j].Flags.Has(trace.FlagRST) ||
			evs[j].Kind != trace.PacketReceived || evs[j].At != r.At || int32(p.DstPort)-FirstClientPort != evs[j].Conn) {
			if !get(key{p.DstPort, 0}).closed || !p.IPChecksumOK || !p.TCPChecksumOK {
				return nil, fmt.Errorf("record %d: a reset to port %d with no event in the trace, the connection not closed by the client (or a bad checksum)", i, p.DstPort)
			}
			out[i] = Packet{Record: r, TCP: p, Unclaimed: true}
			continue
		}
		if j == len(evs) {
			return nil, fmt.Errorf("pcap: record %d; the trace has %d client packet_sent and packet_received events", i, len(evs))
		}
		e := evs[j]
		j++
		k := key{p.SrcPort, 0}
		if e.Kind == trace.PacketReceived {
			k = key{p.DstPort, 1}
		}
		fl, back := get(k), get(key{k.conn, 1 - k.dir})
		if k.dir == 0 && p.Flags&0x05 != 0 || k.dir == 1 && p.Flags&0x04 != 0 {
			// The client's FIN or RST, or a reset it took: later
			// resets find the connection gone.
			get(key{k.conn, 0}).closed = true
		}
		syn := p.Flags&0x02 != 0
		if syn {
			fl.isn, fl.shift, fl.end = p.Seq, synShift(p.Options), p.Seq
		}
		relAck := int64(p.Ack - back.isn)
		if p.Flags&0x10 == 0 {
			relAck = e.Ack // no ACK flag: the field is zero
		}
		shift := fl.shift
		if syn {
			shift = 0 // RFC 7323 §2.2: a SYN's window is not scaled
		}
		got := fmt.Sprint(int64(r.At), int32(k.conn)-FirstClientPort, int64(p.Seq-fl.isn), relAck, p.Flags, len(p.Payload), p.TotalLen, p.Window)
		want := fmt.Sprint(int64(e.At), e.Conn, e.Seq, e.Ack, byte(e.Flags&0x1f), e.Len, e.Size, min(e.Wnd>>shift, 0xffff))
		if got != want {
			return nil, fmt.Errorf("record %d (%s) = at, conn, seq, ack, flags, len, size, window %s; want %s", i, e.Kind, got, want)
		}
		if !p.IPChecksumOK || !p.TCPChecksumOK || len(r.Data) != r.OrigLen {
			return nil, fmt.Errorf("record %d: IPv4 checksum ok %v, TCP checksum ok %v, %d of %d bytes captured", i, p.IPChecksumOK, p.TCPChecksumOK, len(r.Data), r.OrigLen)
		}
		n := uint32(len(p.Payload))
		if syn || p.Flags&0x01 != 0 {
			n++
		}
		out[i] = Packet{Record: r, TCP: p, Event: e, Behind: n > 0 && int32(p.Seq-fl.end) < 0}
		if int32(p.Seq+n-fl.end) > 0 {
			fl.end = p.Seq + n
		}
		if at, ok := fl.put(int64(p.Seq-fl.isn)-1, p.Payload); !ok {
			return nil, fmt.Errorf("record %d: the payload byte at stream offset %d differs from an earlier record's", i, at)
		}
	}
	if j != len(evs) {
		return nil, fmt.Errorf("pcap: %d records for %d client packet_sent and packet_received events", len(f.Records), len(evs))
	}
	return out, nil
}

// synShift is the shift of the window scale option among a SYN's options
// (RFC 7323 §2.2), 0 without one.
func synShift(opts []byte) uint8 {
	for i := 0; i < len(opts); {
		switch kind := opts[i]; {
		case kind == 0:
			return 0
		case kind == 1:
			i++
		case i+1 >= len(opts) || opts[i+1] < 2:
			return 0
		case kind == 3 && opts[i+1] == 3 && i+2 < len(opts):
			return opts[i+2]
		default:
			i += int(opts[i+1])
		}
	}
	return 0
}

// flow is one direction of a connection as Match has seen it.
type flow struct {
	isn   uint32 // from the SYN
	shift uint8  // the window scale the SYN announced
	end   uint32 // one past the highest sequence number seen
	// closed: the client sent a FIN or a RST on the connection, or took a
	// reset (kept on the flow from the client).
	closed bool
	// bytes and known are the stream as the records showed it.
	bytes []byte
	known []bool
}

// put records p at stream offset off and reports the first offset where
// an earlier record said otherwise.
func (f *flow) put(off int64, p []byte) (int64, bool) {
	if need := off + int64(len(p)); need > int64(len(f.bytes)) {
		f.bytes = append(f.bytes, make([]byte, need-int64(len(f.bytes)))...)
		f.known = append(f.known, make([]bool, need-int64(len(f.known)))...)
	}
	for i, x := range p {
		j := off + int64(i)
		if f.known[j] && f.bytes[j] != x {
			return j, false
		}
		f.bytes[j], f.known[j] = x, true
	}
	return 0, true
}
