package app

import (
	"sort"

	"httpsim/sim/tls"
	"httpsim/sim/trace"
)

// byteMap says which HTTP stream each byte of one direction of a TCP
// connection carries, so that packets can be coloured by stream and bytes
// waiting in a receive buffer attributed to their streams.
//
// The trace does not say it directly: it lists the frames (or HTTP/1.x
// messages) each side wrote, in order, and the TLS records that wrapped
// them, with their offsets in the TCP byte stream. Walking the frames
// through the records gives the map. It is exact for HTTP/2 and for
// HTTP/1.x bodies sent with Content-Length; chunked bodies' framing is not
// in the trace and shifts the attribution of later responses on the same
// connection by a few bytes.
type byteMap struct {
	segs []byteSeg // ascending, disjoint
	// ends are, for each frame in the order written, the TCP offset the
	// receiver's in-order edge must reach for the frame to be read whole:
	// just past its last byte, or with TLS past the record holding that
	// byte, which is opened only whole (RFC 8446 §5.2); -1 while some of
	// the frame is in no record.
	ends []int64
}

// byteSeg is a range of TCP stream offsets that carries one stream's bytes.
type byteSeg struct {
	start, end int64
	stream     int64
}

// appFrame is one frame or message as the application wrote it.
type appFrame struct {
	n      int64
	stream int64
}

// tlsRecord is one application-data record on the wire.
type tlsRecord struct {
	off, n int64 // its first byte in the TCP stream, its length on the wire
}

// recordOverhead returns the bytes before and after the content of a
// protected record: the 5-byte header and TLS 1.2's explicit nonce, and the
// AEAD tag (with TLS 1.3's inner content type). See sim/tls.
func recordOverhead(v tls.Version) (prefix, suffix int64) {
	if v == tls.TLS12 {
		return 5 + 8, 16
	}
	return 5, 1 + 16
}

// buildByteMap maps frames written from application offset start through
// records (nil for plain TCP) of TLS version v.
func buildByteMap(frames []appFrame, start int64, records []tlsRecord, v tls.Version) byteMap {
	var m byteMap
	add := func(a, b, stream int64) {
		if b <= a {
			return
		}
		if n := len(m.segs); n > 0 && m.segs[n-1].stream == stream && m.segs[n-1].end == a {
			m.segs[n-1].end = b
			return
		}
		m.segs = append(m.segs, byteSeg{a, b, stream})
	}
	prefix, suffix := recordOverhead(v)
	app := start
	r, rApp := 0, int64(0) // current record and the app offset of its content
	m.ends = make([]int64, 0, len(frames))
	for _, f := range frames {
		a, b := app, app+f.n
		app = b
		if records == nil {
			add(a, b, f.stream)
			m.ends = append(m.ends, b)
			continue
		}
		last := int64(-1)
		for a < b && r < len(records) {
			rec := records[r]
			n := rec.n - prefix - suffix
			if n <= 0 || a >= rApp+n {
				rApp += max(n, 0)
				r++
				continue
			}
			if a < rApp {
				a = rApp // bytes before any record: not on the wire yet
			}
			end := min(b, rApp+n)
			tcp := rec.off + prefix + (a - rApp)
			add(tcp, tcp+(end-a), f.stream)
			if end == b {
				last = rec.off + rec.n
			}
			a = end
		}
		m.ends = append(m.ends, last)
	}
	return m
}

// first returns the stream of the first byte in [off, off+n) that a frame
// covers: a segment that starts with a TLS record's header still carries
// the stream its record holds.
func (m *byteMap) first(off, n int64) (int64, bool) {
	i := sort.Search(len(m.segs), func(i int) bool { return m.segs[i].end > off })
	if i < len(m.segs) && m.segs[i].start < off+n {
		return m.segs[i].stream, true
	}
	return 0, false
}

// split calls fn for each stream's share of bytes [off, off+n), in order;
// bytes no frame covers (TLS framing) are left out.
func (m *byteMap) split(off, n int64, fn func(stream, start, count int64)) {
	end := off + n
	i := sort.Search(len(m.segs), func(i int) bool { return m.segs[i].end > off })
	for ; i < len(m.segs) && m.segs[i].start < end; i++ {
		s := m.segs[i]
		a, b := max(s.start, off), min(s.end, end)
		if b > a {
			fn(s.stream, a, b-a)
		}
	}
}

// mapKey names one direction of one connection by the side that sends.
type mapKey struct {
	conn   int32
	server bool
}

// buildByteMaps builds the map of every connection and direction of a run.
// proto is "h1", "h2" or "" (plain TCP, no frames: no map).
func buildByteMaps(events *trace.Log, proto string, v tls.Version) perDir[*byteMap] {
	type dir struct {
		seen    bool
		frames  []appFrame
		records []tlsRecord
	}
	var dirs perDir[dir]
	for e := range events.All() {
		if e.Side != trace.Client && e.Side != trace.Server {
			continue
		}
		switch e.Kind {
		case trace.FrameCreated:
			if e.Name == "event" {
				continue // the updates lesson's mark of an update, not on the wire (sim/updates)
			}
			if d := dirs.at(e.Conn, e.Side == trace.Server); d != nil {
				d.seen = true
				stream := e.Stream
				if e.Name == "ws_upgrade" {
					stream = -1 // the WebSocket's opening: no update's bytes, as a ping's are none
				}
				d.frames = append(d.frames, appFrame{n: e.Len, stream: stream})
			}
		case trace.RecordCreated:
			if e.Name != "application_data" {
				continue
			}
			if d := dirs.at(e.Conn, e.Side == trace.Server); d != nil {
				d.seen = true
				d.records = append(d.records, tlsRecord{off: e.Seq, n: e.Len})
			}
		}
	}
	out := make(perDir[*byteMap], len(dirs))
	for i, d := range dirs {
		if !d.seen {
			continue
		}
		start := int64(0)
		if proto == "h2" && i%2 == 0 {
			start = 24 // the client's connection preface (RFC 9113 §3.4), not a frame
		}
		var recs []tlsRecord
		if v != tls.None && v != "" {
			recs = d.records
			if recs == nil {
				recs = []tlsRecord{} // TLS, but no data records yet
			}
		}
		m := buildByteMap(d.frames, start, recs, v)
		out[i] = &m
	}
	return out
}
