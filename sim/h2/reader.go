package h2

import (
	"httpsim/sim/bytestream"
	"httpsim/sim/tcp"
)

// frameSink receives what a frameReader finds in the byte stream.
type frameSink interface {
	// bytes: n bytes of the stream belonged to HTTP/2 stream id (0 for the
	// preface and connection frames); called in byte order for every byte,
	// so that head-of-line blocking can be attributed.
	bytes(id uint32, n int64, at tcp.Arrival)
	// frame: a complete frame other than DATA.
	frame(h FrameHeader, payload []byte)
	// dataStart: a DATA frame's header has arrived; its payload follows.
	dataStart(h FrameHeader)
	// data: n bytes of DATA payload of the current frame (padding and the
	// pad length excluded).
	data(h FrameHeader, n int64, at tcp.Arrival)
	// dataEnd: the current DATA frame is complete.
	dataEnd(h FrameHeader)
	// fail: the stream broke a framing rule (a connection error).
	fail(err error)
}

// frameReader parses frames from a connection's bytes as they arrive in
// pieces. DATA payloads are counted, not copied: they are filler.
type frameReader struct {
	preface  int // client preface bytes still expected (server side)
	maxFrame uint32
	// settingsSeen: the peer's first frame, a SETTINGS, has arrived. Each
	// side's preface ends (the client's) or is (the server's) a SETTINGS
	// frame, and "Clients and servers MUST treat an invalid connection
	// preface as a connection error ... of type PROTOCOL_ERROR" (RFC 9113
	// §3.4).
	settingsSeen bool

	hdr     [FrameHeaderLen]byte
	nhdr    int
	pending []pendingBytes // arrivals of header bytes, until the stream is known

	fh       FrameHeader
	inFrame  bool
	left     int64  // payload bytes still to come
	payload  []byte // non-DATA payload collected so far
	padRead  bool   // DATA: the pad length byte has been read (or there is none)
	dataLeft int64  // DATA: data bytes still to come in this frame
	failed   bool
}

type pendingBytes struct {
	n  int64
	at tcp.Arrival
}

// feed consumes d.
func (r *frameReader) feed(d bytestream.Slice, at tcp.Arrival, sink frameSink) {
	var off int64
	for off < d.N && !r.failed {
		if r.preface > 0 {
			n := min(int64(r.preface), d.N-off)
			got := make([]byte, n)
			d.ReadAt(got, off)
			want := ClientPreface[len(ClientPreface)-r.preface : len(ClientPreface)-r.preface+int(n)]
			if string(got) != want {
				r.failed = true
				sink.fail(ConnError{Code: ErrCodeProtocol, Reason: "invalid connection preface (RFC 9113 §3.4)"})
				return
			}
			sink.bytes(0, n, at)
			r.preface -= int(n)
			off += n
			continue
		}
		if !r.inFrame {
			n := min(int64(FrameHeaderLen-r.nhdr), d.N-off)
			d.ReadAt(r.hdr[r.nhdr:r.nhdr+int(n)], off)
			r.nhdr += int(n)
			off += n
			r.pending = append(r.pending, pendingBytes{n, at})
			if r.nhdr < FrameHeaderLen {
				continue
			}
			h, err := ParseFrameHeader(r.hdr[:])
			if err == nil && h.Length > r.maxFrame {
				err = ConnError{Code: ErrCodeFrameSize, Reason: "frame larger than SETTINGS_MAX_FRAME_SIZE (RFC 9113 §4.2)"}
			}
			if err == nil && !r.settingsSeen {
				if h.Type != FrameSettings || h.Flags.Has(FlagAck) {
					err = ConnError{Code: ErrCodeProtocol, Reason: "invalid connection preface: the first frame is " + h.Type.String() + ", not SETTINGS (RFC 9113 §3.4)"}
				}
				r.settingsSeen = true
			}
			if err != nil {
				r.failed = true
				sink.fail(err)
				return
			}
			for _, p := range r.pending {
				sink.bytes(h.StreamID, p.n, p.at)
			}
			r.pending = r.pending[:0]
			r.nhdr = 0
			r.fh, r.inFrame, r.left = h, true, int64(h.Length)
			r.payload = r.payload[:0]
			r.padRead = !h.Flags.Has(FlagPadded)
			r.dataLeft = int64(h.Length)
			if h.Type == FrameData {
				if err := checkDataHeader(h); err != nil {
					r.failed = true
					sink.fail(err)
					return
				}
				sink.dataStart(h)
			}
		}
		if r.left > 0 {
			n := min(r.left, d.N-off)
			sink.bytes(r.fh.StreamID, n, at)
			if r.fh.Type == FrameData {
				r.dataPiece(d.Sub(off, n), at, sink)
			} else {
				k := len(r.payload)
				r.payload = append(r.payload, make([]byte, n)...)
				d.ReadAt(r.payload[k:], off)
			}
			r.left -= n
			off += n
		}
		if r.left == 0 {
			r.inFrame = false
			if r.fh.Type == FrameData {
				sink.dataEnd(r.fh)
				continue
			}
			sink.frame(r.fh, r.payload)
		}
	}
}

// dataPiece hands up the data part of a piece of a DATA payload, skipping
// the pad length byte and the padding (RFC 9113 §6.1).
func (r *frameReader) dataPiece(p bytestream.Slice, at tcp.Arrival, sink frameSink) {
	if !r.padRead && p.N > 0 {
		var b [1]byte
		p.ReadAt(b[:], 0)
		r.padRead = true
		r.dataLeft = int64(r.fh.Length) - 1 - int64(b[0])
		if r.dataLeft < 0 {
			r.failed = true
			sink.fail(ConnError{Code: ErrCodeProtocol, Reason: "padding longer than the DATA payload (RFC 9113 §6.1)"})
			return
		}
		p = p.Sub(1, p.N-1)
	}
	if n := min(p.N, r.dataLeft); n > 0 {
		r.dataLeft -= n
		sink.data(r.fh, n, at)
	}
}
