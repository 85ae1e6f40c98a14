// Package ipv4 writes the IPv4 header (RFC 791) and the Internet checksum
// (RFC 1071) that the pcap exporter puts in front of each simulated packet.
// The simulator itself never routes on these bytes: hosts and links carry
// packets as values, and a header is only built when a packet is exported.
package ipv4

import "encoding/binary"

// Addr is an IPv4 address.
type Addr [4]byte

// String formats a as dotted decimal.
func (a Addr) String() string {
	b := make([]byte, 0, 15)
	for i, x := range a {
		if i > 0 {
			b = append(b, '.')
		}
		if x >= 100 {
			b = append(b, '0'+x/100)
		}
		if x >= 10 {
			b = append(b, '0'+x/10%10)
		}
		b = append(b, '0'+x%10)
	}
	return string(b)
}

// HeaderLen is the length of a header without options: IHL 5, in 32-bit
// words (RFC 791 §3.1).
const HeaderLen = 20

// Protocol numbers (the IANA registry RFC 791 §3.1 refers to).
const (
	ProtoTCP = 6
	ProtoUDP = 17
)

// DefaultTTL is the time to live a host sets: 64, the default the IANA
// registry recommends (RFC 1700, now an online database, RFC 3232; RFC
// 1122 §3.2.1.7 asks only for a fixed default), as Linux and macOS send.
const DefaultTTL = 64

// Header is what this package writes of an IPv4 header: version 4, IHL 5,
// DSCP and ECN 0, no options, no fragments.
type Header struct {
	// TotalLen is the datagram's length, header included (RFC 791 §3.1).
	TotalLen int
	// ID is the Identification field. RFC 6864 §4.1: for an atomic
	// datagram (DF set, not fragmented) its value does not matter.
	ID uint16
	// DontFragment sets the DF flag: TCP's path MTU discovery sends every
	// segment with it (RFC 1191 §3).
	DontFragment bool
	TTL          uint8
	Protocol     uint8
	Src, Dst     Addr
}

// AppendHeader appends h's 20 bytes to b, with its header checksum (RFC 791
// §3.1: the checksum of the header alone, computed with the field zero).
func AppendHeader(b []byte, h Header) []byte {
	at := len(b)
	var flags uint16
	if h.DontFragment {
		flags = 1 << 14 // bit 1 of the 3-bit flags field (RFC 791 §3.1)
	}
	b = append(b, 4<<4|HeaderLen/4, 0)
	b = binary.BigEndian.AppendUint16(b, uint16(h.TotalLen))
	b = binary.BigEndian.AppendUint16(b, h.ID)
	b = binary.BigEndian.AppendUint16(b, flags) // and fragment offset 0
	b = append(b, h.TTL, h.Protocol, 0, 0)
	b = append(b, h.Src[:]...)
	b = append(b, h.Dst[:]...)
	binary.BigEndian.PutUint16(b[at+10:], Checksum(b[at:at+HeaderLen]))
	return b
}
