package pcap

import (
	"httpsim/sim"
	"httpsim/sim/host"
	"httpsim/sim/ipv4"
	"httpsim/sim/link"
	"httpsim/sim/tcp"
)

// Addresses from the documentation ranges (RFC 5737 §3): TEST-NET-1 for the
// client, TEST-NET-2 for the server, so that no capture names a real host.
var (
	ClientAddr = ipv4.Addr{192, 0, 2, 10}
	ServerAddr = ipv4.Addr{198, 51, 100, 20}
)

// Server ports: HTTPS and HTTP (the IANA service names registry; RFC 9110
// §4.2.1 and §4.2.2).
const (
	PortHTTPS = 443
	PortHTTP  = 80
)

// FirstClientPort is the client port of connection 0; connection n uses
// FirstClientPort+n, so that each connection is its own TCP stream in
// Wireshark. 49152 is the start of the dynamic port range (RFC 6335 §6).
const FirstClientPort = 49152

// Capture records the packets of a client host as a pcap file: set its Tap
// as the host's tap (scenario.Options.ClientTap), run, then take Bytes.
type Capture struct {
	serverPort uint16
	file       []byte
	pkt        []byte // scratch for one packet's bytes
	// Packets counts the records written, WireBytes their packets' bytes
	// (the sum of the IPv4 total lengths).
	Packets, WireBytes int64
	// Skipped counts packets the capture does not write: those that are
	// not TCP segments (QUIC datagrams).
	Skipped int64
	// Recalled counts payload bytes the server had discarded when their
	// segment arrived (a duplicate of acknowledged bytes, see
	// tcp.AppendWire), written from what the capture saw of them before.
	Recalled int64
	// Moves are the times the client moves to another network, in order
	// (scenario.PathChange: a new path "under a new client address"): the
	// client's address is ClientAddr's last byte plus the number of moves
	// at or before a packet's time (ClientAddrAt).
	Moves []sim.Time
	// down are the server's streams as captured, by connection ID.
	down []seen
}

// ClientAddrAt is the client's address at now: ClientAddr until the first
// move, then 192.0.2.11, 192.0.2.12… A connection the browser opens after a
// move therefore comes from another address, as TCP connections are named
// by theirs (RFC 9293 §3.4.1).
func (c *Capture) ClientAddrAt(now sim.Time) ipv4.Addr {
	a := ClientAddr
	for _, m := range c.Moves {
		if m <= now {
			a[3]++
		}
	}
	return a
}

// NewCapture returns a capture whose connections go to serverPort
// (PortHTTPS for TLS runs, PortHTTP for cleartext ones).
func NewCapture(serverPort uint16) *Capture {
	return &Capture{serverPort: serverPort, file: AppendFileHeader(nil, LinkTypeRaw)}
}

// Tap is a host.Tap: it writes p as a record at now, from the client if it
// was sent, to it if it was received. It keeps nothing of p.
func (c *Capture) Tap(now sim.Time, p link.Packet, dir host.Direction) {
	seg, ok := p.(*tcp.Segment)
	if !ok {
		c.Skipped++
		return
	}
	port := uint16(FirstClientPort + seg.Conn) // wraps past connection 16383
	client := c.ClientAddrAt(now)
	if dir == host.Sent {
		e := tcp.Endpoints{Src: client, Dst: ServerAddr, SrcPort: port, DstPort: c.serverPort}
		c.pkt = tcp.AppendWire(c.pkt[:0], seg, e, nil) // a sender holds what it sends
	} else {
		e := tcp.Endpoints{Src: ServerAddr, Dst: client, SrcPort: c.serverPort, DstPort: port}
		c.pkt = tcp.AppendWire(c.pkt[:0], seg, e, c.recall(seg))
		if seg.Len() > 0 {
			c.down[seg.Conn].remember(seg.Data.Off, c.pkt[len(c.pkt)-seg.Len():])
		}
	}
	c.file = AppendRecord(c.file, now, c.pkt)
	c.Packets++
	c.WireBytes += int64(len(c.pkt))
}

// Bytes is the pcap file so far: the file header and every record.
func (c *Capture) Bytes() []byte { return c.file }

// recall returns what fills the bytes of a received segment that the
// server no longer holds (see tcp.AppendWire): the bytes the capture saw
// of them before (see seen).
func (c *Capture) recall(seg *tcp.Segment) func([]byte, int64) {
	for int(seg.Conn) >= len(c.down) {
		c.down = append(c.down, seen{})
	}
	st := &c.down[seg.Conn]
	return func(dst []byte, off int64) {
		st.read(dst, off)
		c.Recalled += int64(len(dst))
	}
}
