package pcap

import (
	"encoding/binary"
	"errors"
	"fmt"

	"httpsim/sim"
)

// Errors of Read, named after what is wrong with the file.
var (
	// ErrMagic: the file does not begin with a pcap magic number.
	ErrMagic = errors.New("pcap: not a pcap file (bad magic number)")
	// ErrTruncated: the file ends inside a header or a packet.
	ErrTruncated = errors.New("pcap: truncated")
	// ErrRecordLen: a record says it holds more than the file's snap
	// length, or more than the packet's original length.
	ErrRecordLen = errors.New("pcap: bad record length")
)

// File is a pcap file as Read parses it.
type File struct {
	// Nanoseconds is true for MagicNanoseconds, false for microseconds.
	Nanoseconds bool
	// BigEndian says in which byte order the writer wrote the headers.
	BigEndian    bool
	Major, Minor uint16
	SnapLen      uint32
	LinkType     uint32
	Records      []Record
}

// Record is one captured packet.
type Record struct {
	// At is the timestamp as virtual time: nanoseconds since the epoch.
	At sim.Time
	// OrigLen is the packet's length on the wire; len(Data) is what was
	// captured of it.
	OrigLen int
	Data    []byte
}

// Read parses a classic pcap file of either byte order and either
// timestamp resolution. Data of the records refer into b.
func Read(b []byte) (*File, error) {
	if len(b) < FileHeaderLen {
		return nil, fmt.Errorf("%w: file header is %d of %d bytes", ErrTruncated, len(b), FileHeaderLen)
	}
	f := &File{}
	var bo binary.ByteOrder = binary.LittleEndian
	switch m := binary.LittleEndian.Uint32(b); {
	case m == MagicNanoseconds || m == MagicMicroseconds:
		f.Nanoseconds = m == MagicNanoseconds
	case binary.BigEndian.Uint32(b) == MagicNanoseconds || binary.BigEndian.Uint32(b) == MagicMicroseconds:
		bo, f.BigEndian = binary.BigEndian, true
		f.Nanoseconds = binary.BigEndian.Uint32(b) == MagicNanoseconds
	default:
		return nil, fmt.Errorf("%w: %#08x", ErrMagic, m)
	}
	f.Major, f.Minor = bo.Uint16(b[4:]), bo.Uint16(b[6:])
	f.SnapLen, f.LinkType = bo.Uint32(b[16:]), bo.Uint32(b[20:])
	unit := int64(1000)
	if f.Nanoseconds {
		unit = 1
	}
	for off := FileHeaderLen; off < len(b); {
		if len(b)-off < RecordHeaderLen {
			return nil, fmt.Errorf("%w: record %d header is %d of %d bytes", ErrTruncated, len(f.Records), len(b)-off, RecordHeaderLen)
		}
		h := b[off : off+RecordHeaderLen]
		sec, frac := int64(bo.Uint32(h)), int64(bo.Uint32(h[4:]))
		incl, orig := bo.Uint32(h[8:]), bo.Uint32(h[12:])
		if incl > f.SnapLen || incl > orig {
			return nil, fmt.Errorf("%w: record %d holds %d bytes of %d (snap length %d)", ErrRecordLen, len(f.Records), incl, orig, f.SnapLen)
		}
		off += RecordHeaderLen
		if uint64(len(b)-off) < uint64(incl) {
			return nil, fmt.Errorf("%w: record %d is %d of %d bytes", ErrTruncated, len(f.Records), len(b)-off, incl)
		}
		f.Records = append(f.Records, Record{
			At:      sim.Time(sec*1e9 + frac*unit),
			OrigLen: int(orig),
			Data:    b[off : off+int(incl) : off+int(incl)],
		})
		off += int(incl)
	}
	return f, nil
}
