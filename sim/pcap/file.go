// Package pcap writes a run as a classic libpcap capture file, for
// Wireshark and tshark: the packets the client host sent and was delivered,
// as IPv4 datagrams with virtual-time timestamps. It builds bytes; writing
// them to a file is the caller's business. A small reader of the same
// format (Read) and of the IPv4 and TCP headers in it (DecodeTCP) serves
// the tests and anyone who wants to check an export in Go.
package pcap

import (
	"encoding/binary"

	"httpsim/sim"
)

// The classic libpcap file format (draft-ietf-opsawg-pcap §4 and §5; the
// format tcpdump and Wireshark have read since the 1990s).
const (
	// MagicNanoseconds is the magic number of a file whose timestamps'
	// fraction counts nanoseconds (draft-ietf-opsawg-pcap §4): virtual
	// time is kept in nanoseconds, so no precision is lost.
	MagicNanoseconds = 0xa1b23c4d
	// MagicMicroseconds is the original magic, whose fraction counts
	// microseconds; Read accepts it.
	MagicMicroseconds = 0xa1b2c3d4
	// VersionMajor and VersionMinor: 2.4, the only version in use.
	VersionMajor = 2
	VersionMinor = 4
	// LinkTypeRaw is LINKTYPE_RAW: each packet begins with its IPv4 (or
	// IPv6) header, with no link-layer header before it (the tcpdump.org
	// link-layer header types registry).
	LinkTypeRaw = 101
	// SnapLen is the largest packet a record holds whole: 262144, what
	// tcpdump and Wireshark capture by default. A simulated packet is at
	// most an MSS of 65495 plus headers, so none is cut.
	SnapLen = 262144
	// FileHeaderLen and RecordHeaderLen are the sizes of the file header
	// and of each record's header.
	FileHeaderLen   = 24
	RecordHeaderLen = 16
)

// AppendFileHeader appends a file header to b: little-endian, nanosecond
// timestamps, SnapLen, link type linkType.
func AppendFileHeader(b []byte, linkType uint32) []byte {
	le := binary.LittleEndian
	b = le.AppendUint32(b, MagicNanoseconds)
	b = le.AppendUint16(b, VersionMajor)
	b = le.AppendUint16(b, VersionMinor)
	b = le.AppendUint32(b, 0) // reserved (once thiszone)
	b = le.AppendUint32(b, 0) // reserved (once sigfigs)
	b = le.AppendUint32(b, SnapLen)
	return le.AppendUint32(b, linkType)
}

// AppendRecord appends one packet captured at virtual time at (seconds
// since the epoch 0: the run's start is 1970-01-01 00:00:00 UTC in
// Wireshark) to b, cut to SnapLen.
func AppendRecord(b []byte, at sim.Time, pkt []byte) []byte {
	le := binary.LittleEndian
	ns := int64(at)
	b = le.AppendUint32(b, uint32(ns/1e9))
	b = le.AppendUint32(b, uint32(ns%1e9))
	b = le.AppendUint32(b, uint32(min(len(pkt), SnapLen)))
	b = le.AppendUint32(b, uint32(len(pkt)))
	return append(b, pkt[:min(len(pkt), SnapLen)]...)
}
