package tls

import (
	"encoding/binary"

	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/tcp"
)

// piece is a run of received record bytes with when they reached TCP.
type piece struct {
	d       bytestream.Slice
	arrived tcp.Arrival
}

// recordReader reassembles records from the TCP byte stream. A record's
// contents are handed on only once all of it has arrived: an AEAD cannot
// authenticate, so a real stack cannot release, a partial record.
type recordReader struct {
	hdr    [recordHeaderLen]byte
	nhdr   int
	length int     // body length of the record being read
	got    int     // body bytes of it received so far
	body   []piece // its body, piece by piece
	start  int64   // TCP stream position of the record's first byte
	pos    int64   // TCP stream position of the next byte
	// repaired is when the last hole in the record being read was filled:
	// when its last byte from a retransmitted segment, or its last byte
	// that waited for a hole, became in order (0: none did).
	repaired sim.Time
	// held keeps the body of the record being read: the bytes TCP hands
	// up are only valid during the call (the sender may discard them once
	// acknowledged), so real bytes are copied and filler is counted.
	held bytestream.Buffer
}

// record is one complete record. Its body refers to the reader's memory and
// is valid during the call it is handed to only.
type record struct {
	outer  byte // content type in the header
	length int  // body length
	body   []piece
	start  int64
}

// recordHandler takes the records a recordReader completes.
type recordHandler interface {
	onRecord(now sim.Time, rec record)
}

// feed consumes d and hands each record it completes to h.
func (r *recordReader) feed(now sim.Time, d bytestream.Slice, arrived tcp.Arrival, h recordHandler) {
	var off int64
	var repaired sim.Time
	if arrived.Retransmitted || arrived.InOrder > arrived.At {
		repaired = arrived.InOrder
	}
	for off < d.N {
		if r.nhdr < recordHeaderLen {
			if r.nhdr == 0 {
				r.start = r.pos
				r.repaired = 0
			}
			r.repaired = max(r.repaired, repaired)
			n := min(int64(recordHeaderLen-r.nhdr), d.N-off)
			d.ReadAt(r.hdr[r.nhdr:r.nhdr+int(n)], off)
			r.nhdr += int(n)
			off += n
			r.pos += n
			if r.nhdr == recordHeaderLen {
				r.length = int(binary.BigEndian.Uint16(r.hdr[3:5]))
				r.got = 0
				r.body = r.body[:0]
			} else {
				continue
			}
		}
		n := min(int64(r.length-r.got), d.N-off)
		if n > 0 {
			at := r.held.Len()
			d.Sub(off, n).Each(func(real []byte, filler int64) {
				if real != nil {
					r.held.Write(real)
				} else {
					r.held.WriteFiller(filler)
				}
			})
			r.body = append(r.body, piece{d: bytestream.Slice{Buf: &r.held, Off: at, N: n}, arrived: arrived})
			r.repaired = max(r.repaired, repaired)
			r.got += int(n)
			off += n
			r.pos += n
		}
		if r.got == r.length {
			// None of a record's bytes is usable before all are (an AEAD
			// authenticates the whole record). Bytes that arrived in
			// order before a hole in their record waited for its
			// retransmission too, which was not counted: they count as
			// in order once the hole was repaired. The rest of the
			// record's wait, for bytes its sender had not yet sent (a
			// window in slow start, with no loss), is not head-of-line
			// blocking and is not counted, with a loss or without: the
			// hole holds such bytes back only from when the record would
			// have been complete had nothing been lost, when the last of
			// its bytes that came in first transmissions arrived
			// (HeldFrom). That is exact when the record's last
			// byte arrived. When it was lost itself, it is the earliest
			// the record could have been complete (the lost segment was
			// sent after the bytes before it): the wait counted is then
			// too long by the time between the two segments' arrivals,
			// one segment's serialisation within a flight, up to a round
			// trip when the lost one began the next flight. Bytes that
			// waited in TCP, behind this hole or an earlier one, count
			// that wait from when they arrived, as they do without TLS.
			//
			// Retransmitted bytes keep their own time: delivered as they
			// arrived, they tell the receiver whose bytes filled each hole
			// and when (a record with two holes needs both). Their own
			// wait for a later hole in the record goes uncounted. Bytes
			// of a record that holds a retransmission and that waited,
			// in TCP behind an earlier hole, say so too (HeldByRecord):
			// the repair inside the record held them back as well, though
			// an earlier hole, filled later, kept them from being in
			// order until then, and they come before it.
			r.holdForRepair()
			h.onRecord(now, record{outer: r.hdr[0], length: r.length, body: r.body, start: r.start})
			r.held.Discard(r.held.Len())
			r.nhdr = 0
		}
	}
}

// partial returns the record being read, as far as it has arrived, when the
// connection stops with bytes of it held behind a hole (Conn.OnStopped):
// its bytes before a repaired hole get the hold feed gives a whole record's.
func (r *recordReader) partial() (record, bool) {
	if r.nhdr < recordHeaderLen || r.got == 0 {
		return record{}, false
	}
	r.holdForRepair()
	return record{outer: r.hdr[0], length: r.length, body: r.body, start: r.start}, true
}

// holdForRepair gives the record's bytes the hold of a repaired hole
// inside it (feed's comment says which bytes, and from when), once the
// record is read whole, or as far as it came when its connection stopped.
func (r *recordReader) holdForRepair() {
	if r.repaired == 0 {
		return
	}
	var readable sim.Time
	lost := false
	for _, p := range r.body {
		if p.arrived.Retransmitted {
			lost = true
		} else {
			readable = max(readable, p.arrived.At)
		}
	}
	for i := range r.body {
		a := &r.body[i].arrived
		if !a.Retransmitted && (a.InOrder < r.repaired || lost && a.InOrder > a.At) {
			a.TCPInOrder, a.HeldFrom = a.InOrder, max(a.InOrder, readable)
			a.InOrder, a.HeldByRecord = r.repaired, true
		}
	}
}

// byteAt reads the byte at position i of the record body.
func (rec record) byteAt(i int) byte {
	var b [1]byte
	for _, p := range rec.body {
		if int64(i) < p.d.N {
			p.d.ReadAt(b[:], int64(i))
			return b[0]
		}
		i -= int(p.d.N)
	}
	return 0
}

// read copies body bytes [from, from+len(dst)).
func (rec record) read(dst []byte, from int) {
	for _, p := range rec.body {
		if len(dst) == 0 {
			return
		}
		if int64(from) >= p.d.N {
			from -= int(p.d.N)
			continue
		}
		n := min(int64(len(dst)), p.d.N-int64(from))
		p.d.ReadAt(dst[:n], int64(from))
		dst = dst[n:]
		from = 0
	}
}

// span calls fn with the parts of body range [from, to), piece by piece,
// each with the time it arrived.
func (rec record) span(from, to int, fn func(d bytestream.Slice, arrived tcp.Arrival)) {
	pos := 0
	for _, p := range rec.body {
		end := pos + int(p.d.N)
		lo, hi := max(from, pos), min(to, end)
		if lo < hi {
			fn(p.d.Sub(int64(lo-pos), int64(hi-lo)), p.arrived)
		}
		pos = end
		if pos >= to {
			return
		}
	}
}

// handshakeReader splits the handshake content of records into messages,
// which may span records (RFC 8446 §5.1).
type handshakeReader struct {
	hdr  [handshakeHeader]byte
	nhdr int
	left int // body bytes of the current message still to come
	// head is the start of the current message's body: all of an
	// EncryptedExtensions the model writes, which a client reads for
	// early_data.
	head  [maxEncryptedExtensionsLen]byte
	nhead int
}

// feed consumes n bytes of handshake content read by read(dst, from) and
// calls fn with the type of each message it completes and the start of its
// body (at most maxEncryptedExtensionsLen bytes).
func (h *handshakeReader) feed(n int, read func(dst []byte, from int), fn func(msgType byte, head []byte)) {
	i := 0
	for i < n {
		if h.nhdr < handshakeHeader {
			k := min(handshakeHeader-h.nhdr, n-i)
			read(h.hdr[h.nhdr:h.nhdr+k], i)
			h.nhdr += k
			i += k
			if h.nhdr < handshakeHeader {
				continue
			}
			h.left = int(h.hdr[1])<<16 | int(h.hdr[2])<<8 | int(h.hdr[3])
			h.nhead = 0
		}
		k := min(h.left, n-i)
		if m := min(k, len(h.head)-h.nhead); m > 0 {
			read(h.head[h.nhead:h.nhead+m], i)
			h.nhead += m
		}
		h.left -= k
		i += k
		if h.left == 0 {
			fn(h.hdr[0], h.head[:h.nhead])
			h.nhdr = 0
		}
	}
}
