package updates

import (
	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/hol"
	"httpsim/sim/tcp"
)

// frameReader parses the WebSocket frames of one direction of a connection
// as its bytes are delivered. Headers are always read for real and checked
// (RFC 6455 §5.1, §5.2). Payloads up to keep bytes (control frames, acks)
// are read and unmasked; longer ones, the events, are filler on the wire
// and are skipped by count.
type frameReader struct {
	fromClient bool
	keep       uint64
	// streamOf names the trace stream a frame's bytes belong to (the
	// event it carries), for head-of-line accounting.
	streamOf func(h FrameHeader) int64
	tracker  *hol.Tracker

	hdr       []byte // header bytes so far
	h         FrameHeader
	inPayload bool
	left      uint64 // payload bytes still to come
	pos       uint64 // payload offset, for unmasking
	payload   []byte // kept payload so far (nil when skipped)
	stream    int64
	lastAt    sim.Time // latest arrival of any of the frame's bytes
	// Header bytes consumed before the header was whole: their stream is
	// known only then.
	pendN  int64
	pendAt tcp.Arrival
}

// wsFrame is a frame read whole.
type wsFrame struct {
	FrameHeader
	raw     []byte // the header as it was on the wire
	payload []byte // unmasked; nil if the payload was skipped
	stream  int64
	// lastAt is when the frame's last byte reached the transport: the
	// frame's delivery minus lastAt is how long it was held back
	// (head-of-line blocking behind a lost segment).
	lastAt sim.Time
}

// feed consumes d and calls done for every frame completed. An error (a
// FrameError from RFC 6455's rules, or done's) stops it: the connection
// must then be failed.
func (r *frameReader) feed(d bytestream.Slice, at tcp.Arrival, done func(f *wsFrame) error) error {
	var rel int64
	for rel < d.N {
		if !r.inPayload {
			need := minHeaderLen
			if len(r.hdr) >= minHeaderLen {
				need = headerLen(r.hdr[1])
			}
			k := min(int64(need-len(r.hdr)), d.N-rel)
			var buf [maxHeaderLen]byte
			d.ReadAt(buf[:k], rel)
			r.hdr = append(r.hdr, buf[:k]...)
			rel += k
			r.pendN += k
			r.pendAt = at
			r.lastAt = sim.MaxTime(r.lastAt, at.At)
			if len(r.hdr) < minHeaderLen || len(r.hdr) < headerLen(r.hdr[1]) {
				continue
			}
			h, _, err := ParseFrameHeader(r.hdr)
			if err != nil {
				return err
			}
			if err := CheckMask(h, r.fromClient); err != nil {
				return err
			}
			r.h, r.inPayload, r.left, r.pos = h, true, h.PayloadLength, 0
			r.stream = r.streamOf(h)
			r.deliver(r.pendN, r.pendAt)
			r.pendN = 0
			r.payload = nil
			if h.PayloadLength <= r.keep {
				r.payload = make([]byte, 0, h.PayloadLength)
			}
		} else {
			k := min(int64(r.left), d.N-rel)
			if r.payload != nil {
				p := make([]byte, k)
				d.ReadAt(p, rel)
				if r.h.Mask {
					MaskBytes(r.h.MaskingKey, r.pos, p)
				}
				r.payload = append(r.payload, p...)
			}
			rel += k
			r.pos += uint64(k)
			r.left -= uint64(k)
			r.lastAt = sim.MaxTime(r.lastAt, at.At)
			r.deliver(k, at)
		}
		if r.inPayload && r.left == 0 {
			f := &wsFrame{FrameHeader: r.h, raw: append([]byte(nil), r.hdr...), payload: r.payload, stream: r.stream, lastAt: r.lastAt}
			r.hdr, r.inPayload, r.payload, r.lastAt = r.hdr[:0], false, nil, 0
			if err := done(f); err != nil {
				return err
			}
		}
	}
	return nil
}

func (r *frameReader) deliver(n int64, at tcp.Arrival) {
	if r.tracker != nil {
		r.tracker.Deliver(r.stream, n, at)
	}
}
