package pcap

import (
	"encoding/binary"
	"errors"
	"fmt"

	"httpsim/sim/ipv4"
)

// ErrNotTCP: a packet that is not an IPv4 datagram carrying TCP, or whose
// headers do not fit the bytes captured.
var ErrNotTCP = errors.New("pcap: not an IPv4 TCP packet")

// TCP is an IPv4 datagram carrying a TCP segment, as DecodeTCP reads it.
type TCP struct {
	Src, Dst         ipv4.Addr
	SrcPort, DstPort uint16
	// TotalLen is the IPv4 total length (RFC 791 §3.1).
	TotalLen int
	TTL      uint8
	// DontFragment is the DF flag.
	DontFragment bool
	Seq, Ack     uint32
	// Flags are the control bits: FIN 0x01, SYN 0x02, RST 0x04, PSH
	// 0x08, ACK 0x10 (RFC 9293 §3.1).
	Flags  byte
	Window uint16
	// Options are the option bytes, padding included.
	Options []byte
	Payload []byte
	// IPChecksumOK and TCPChecksumOK say whether the header checksum and
	// the TCP checksum (over the pseudo-header) verify.
	IPChecksumOK, TCPChecksumOK bool
}

// DecodeTCP reads an IPv4 datagram carrying TCP. Options and Payload refer
// into pkt.
func DecodeTCP(pkt []byte) (*TCP, error) {
	if len(pkt) < ipv4.HeaderLen || pkt[0]>>4 != 4 {
		return nil, fmt.Errorf("%w: no IPv4 header", ErrNotTCP)
	}
	ihl := int(pkt[0]&0xf) * 4
	total := int(binary.BigEndian.Uint16(pkt[2:]))
	switch {
	case ihl < ipv4.HeaderLen || total < ihl || total > len(pkt):
		return nil, fmt.Errorf("%w: IHL %d, total length %d, %d bytes captured", ErrNotTCP, ihl, total, len(pkt))
	case pkt[9] != ipv4.ProtoTCP:
		return nil, fmt.Errorf("%w: protocol %d", ErrNotTCP, pkt[9])
	}
	t := &TCP{TotalLen: total, TTL: pkt[8], DontFragment: pkt[6]&0x40 != 0,
		Src: ipv4.Addr(pkt[12:16]), Dst: ipv4.Addr(pkt[16:20]),
		IPChecksumOK: ipv4.Checksum(pkt[:ihl]) == 0}
	seg := pkt[ihl:total]
	if len(seg) < 20 {
		return nil, fmt.Errorf("%w: TCP header is %d of 20 bytes", ErrNotTCP, len(seg))
	}
	off := int(seg[12]>>4) * 4
	if off < 20 || off > len(seg) {
		return nil, fmt.Errorf("%w: data offset %d in a %d-byte segment", ErrNotTCP, off, len(seg))
	}
	be := binary.BigEndian
	t.SrcPort, t.DstPort = be.Uint16(seg), be.Uint16(seg[2:])
	t.Seq, t.Ack = be.Uint32(seg[4:]), be.Uint32(seg[8:])
	t.Flags, t.Window = seg[13]&0x3f, be.Uint16(seg[14:])
	t.Options, t.Payload = seg[20:off], seg[off:]
	t.TCPChecksumOK = ipv4.Fold(ipv4.Sum(ipv4.PseudoHeaderSum(t.Src, t.Dst, ipv4.ProtoTCP, len(seg)), seg)) == 0
	return t, nil
}
