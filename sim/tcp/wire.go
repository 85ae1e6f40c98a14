package tcp

import (
	"encoding/binary"

	"httpsim/sim/ipv4"
	"httpsim/sim/trace"
)

// TCP option kinds (RFC 9293 §3.2, RFC 2018 §2 and §3, RFC 7323 §2.2).
const (
	optNOP           = 1
	optMSS           = 2
	optWindowScale   = 3
	optSACKPermitted = 4
	optSACK          = 5
)

// maxWindowShift is the largest window scale shift (RFC 7323 §2.3: "the
// shift count must be limited to 14").
const maxWindowShift = 14

// WindowShift is the window scale shift (RFC 7323 §2) a receiver with a
// buffer of buf bytes announces: the smallest that lets its largest window
// fit the 16-bit field, as Linux chooses it (4 MiB gives 7). A buffer past
// 65535<<14 bytes is capped: the most a window can say is 1,073,725,440.
func WindowShift(buf int) uint8 {
	var s uint8
	for buf>>s > 0xffff && s < maxWindowShift {
		s++
	}
	return s
}

// Endpoints are the addresses and ports a segment is written with: the
// simulator names connections by number, and an export gives them the
// 4-tuple a capture shows.
type Endpoints struct {
	Src, Dst         ipv4.Addr
	SrcPort, DstPort uint16
}

// AppendWire appends s as it would be on the wire to b: an IPv4 header (RFC
// 791, DF set, TTL 64, with its checksum), the TCP header (RFC 9293 §3.1)
// with its options and checksum, and the payload. It writes exactly
// s.WireSize() bytes.
//
// The options are those the simulator models: on a SYN, MSS, SACK-permitted
// (if offered) and window scale, laid out as Linux lays them out without
// timestamps (NOP, NOP, SACK-permitted, NOP, window scale: 12 bytes, the
// synOptionsLen WireSize counts); on other segments, the SACK blocks (RFC
// 2018 §3) after two NOPs. The window field of a SYN is not scaled (RFC
// 7323 §2.2); later ones are Wnd >> shift, the sender's shift, rounded down
// where the simulator's exact byte count is not a multiple of 1<<shift.
//
// The payload is the range of the sender's stream the segment carries:
// real bytes where the simulator wrote them (headers, frame headers, TLS
// record headers), zeros for filler (bodies). A part of the range the
// sender has already discarded, which happens only to a duplicate arriving
// after its bytes were acknowledged (the receiver had them already), is
// zeros unless past fills it: past(dst, off) is given the bytes of dst
// that stand for the stream's bytes from offset off, before the checksum
// is computed; nil leaves them zero.
func AppendWire(b []byte, s *Segment, e Endpoints, past func(dst []byte, off int64)) []byte {
	optLen := s.optionsLen()
	tcpLen := TCPHeaderLen + optLen + int(s.Data.N)
	b = ipv4.AppendHeader(b, ipv4.Header{
		TotalLen: ipv4.HeaderLen + tcpLen, DontFragment: true, TTL: ipv4.DefaultTTL,
		Protocol: ipv4.ProtoTCP, Src: e.Src, Dst: e.Dst,
	})
	at := len(b)
	b = binary.BigEndian.AppendUint16(b, e.SrcPort)
	b = binary.BigEndian.AppendUint16(b, e.DstPort)
	b = binary.BigEndian.AppendUint32(b, uint32(s.Seq))
	var ack uint32
	if s.Flags.Has(trace.FlagACK) {
		ack = uint32(s.Ack) // zero unless ACK is set (RFC 9293 §3.1)
	}
	b = binary.BigEndian.AppendUint32(b, ack)
	b = append(b, byte((TCPHeaderLen+optLen)/4)<<4, wireFlags(s.Flags))
	b = binary.BigEndian.AppendUint16(b, wireWindow(s))
	b = append(b, 0, 0, 0, 0) // checksum (below) and urgent pointer
	b = appendOptions(b, s)
	b = appendPayload(b, s, past)
	sum := ipv4.PseudoHeaderSum(e.Src, e.Dst, ipv4.ProtoTCP, tcpLen)
	binary.BigEndian.PutUint16(b[at+16:], ipv4.Fold(ipv4.Sum(sum, b[at:])))
	return b
}

// wireFlags are the control bits of the header (RFC 9293 §3.1: FIN, SYN,
// RST, PSH, ACK from bit 0 up). The trace's flags keep them in the same
// low bits; FlagRetransmit and the others above them are not on the wire.
func wireFlags(f trace.Flags) byte { return byte(f & (trace.FlagACK<<1 - 1)) }

// wireWindow is the 16-bit window field of s.
func wireWindow(s *Segment) uint16 {
	w := s.Wnd
	if !s.Flags.Has(trace.FlagSYN) {
		w >>= s.wscale
	}
	return uint16(min(w, 0xffff))
}

// appendOptions appends the options of s, padded to a multiple of 4 bytes.
func appendOptions(b []byte, s *Segment) []byte {
	if s.Flags.Has(trace.FlagSYN) {
		b = append(b, optMSS, 4)
		b = binary.BigEndian.AppendUint16(b, s.mss)
		if s.sackPermitted {
			b = append(b, optNOP, optNOP, optSACKPermitted, 2)
		} else {
			b = append(b, optNOP, optNOP, optNOP, optNOP)
		}
		return append(b, optNOP, optWindowScale, 3, s.wscale)
	}
	if s.NSACK == 0 {
		return b
	}
	b = append(b, optNOP, optNOP, optSACK, byte(2+8*s.NSACK))
	for _, blk := range s.SACK[:s.NSACK] {
		b = binary.BigEndian.AppendUint32(b, uint32(blk.Left))
		b = binary.BigEndian.AppendUint32(b, uint32(blk.Right))
	}
	return b
}

// appendPayload appends the bytes s carries (see AppendWire).
func appendPayload(b []byte, s *Segment, past func(dst []byte, off int64)) []byte {
	d := s.Data
	if d.N == 0 {
		return b
	}
	at := len(b)
	b = append(b, make([]byte, d.N)...) // zeros: filler, and bytes no longer held
	if start := d.Buf.Start(); d.Off < start {
		unheld := min(start-d.Off, d.N)
		if past != nil {
			past(b[at:at+int(unheld)], d.Off)
		}
		at += int(unheld)
		d = d.Sub(unheld, d.N-unheld)
	}
	d.Each(func(real []byte, filler int64) {
		if real != nil {
			at += copy(b[at:], real)
		} else {
			at += int(filler)
		}
	})
	return b
}
