package app

import (
	"math"
	"slices"
	"sort"
	"strings"

	"httpsim/sim"
	"httpsim/sim/hol"
	"httpsim/sim/link"
	"httpsim/sim/quic/wire"
	"httpsim/sim/scenario"
	"httpsim/sim/tls"
	"httpsim/sim/trace"
	"httpsim/sim/web"
)

// runView is one protocol's run, indexed once after the run so that drawing
// the state at any scrub time is a matter of binary searches and short
// scans: scrubbing never walks the whole trace.
type runView struct {
	proto string // "h1", "h2", "h3", or "tcp" for a bulk transfer
	// names is the run's heading in each language: the protocol, or the
	// scenario variant (and its protocol when the variant runs several).
	names  [2]string
	status string
	end    int64 // time of the run's last event, ns
	rtt    int64 // the scenario's round-trip time, ns
	plt    int64 // page load (or transfer) time, ns; -1 if it did not finish

	hpackTable    uint32 // the HPACK decoders' SETTINGS_HEADER_TABLE_SIZE
	qpackCapacity uint64 // the QPACK decoders' SETTINGS_QPACK_MAX_TABLE_CAPACITY
	qpackBlocked  uint64 // and their SETTINGS_QPACK_BLOCKED_STREAMS (0 without a table)

	packets   []packet  // ordered by send time
	moves     []pathRTT // the round-trip times of the paths moves opened, in time order
	maxFlight int64     // the longest time from a packet's sending to its arrival, drop, or reading if it was kept for its keys

	rows  []laneRow  // one per resource, in request order
	rowOf denseIndex // lane row by connection and stream: the request's last attempt
	// updateRows: the rows are an updates run's updates (rowsFromUpdates),
	// found by the stream their head-of-line events name.
	updateRows bool
	// updateNumbers: the byte map's streams are updates (WebSocket frames
	// carry one each), not requests.
	updateNumbers bool
	// colourOf is the lane row of every attempt's connection and stream:
	// a first attempt's bytes (before its connection failed) are the
	// resource's too. The lane counts the attempt in progress: the first
	// attempt's bytes until it is retried, then from 0 again.
	colourOf denseIndex

	conns []connRecv // the client's receive side of each connection, by id
	// bufRows caches bufferRows (0: not yet worked out).
	bufRows int
	// streams are the client's per-stream receive buffers of a QUIC run
	// (HTTP/3), where each stream has its own.
	streams []streamRecv
	quic    bool

	frames []frameRec // every frame (or HTTP/1.x head), in order written
	// edge: the browser talks to a CDN edge, which the views draw where
	// the server would be.
	edge bool
	// hpackDirs are the HPACK or QPACK tracks of each direction (0: the
	// client's encoder, requests; 1: the server's, responses), replayed the
	// first time the panel shows that direction: it shows one at a time.
	hpackDirs [2]struct {
		built  bool
		tracks []*hpackTrack
	}

	series ccSeries
	// holCauses has bit c set if some lane waited for cause c (holCause),
	// for the lanes' legend; ladderMarks, the ladder's marks the run has.
	holCauses   uint8
	ladderMarks ladderMark

	losses []int64 // times at which the network dropped a packet
	steps  []int64 // distinct times of events worth stepping to

	summary SummaryCol
}

// packet is one transmission of a segment over the link.
type packet struct {
	conn       int32
	fromServer bool
	sent, end  int64 // when it left the sender; when it arrived or was dropped (never: math.MaxInt64)
	lost       bool  // the network dropped it
	queueFull  bool  // lost to the sender's full queue (link.DropQueueFull), not on the path
	pathDown   bool  // lost to a path cut by a move (link.DropPathDown), in flight or as it left
	discarded  bool  // it arrived, and the receiver discarded it unread (see the PacketDropped case of index)
	handshake  bool  // it carries a handshake flight's bytes (TLS handshake records, QUIC's CRYPTO) and no resource's
	heldUntil  int64 // a QUIC packet kept for its keys (it arrived at end): when it was read; 0 if not kept
	seq, n     int64 // its payload, as offsets in the sender's byte stream
	size       int64
	flags      trace.Flags
	row        int    // lane row of the resource its first payload byte belongs to, or -1
	stream     int64  // that byte's stream, or -1
	label      string // handshake flight it starts ("SYN", "ClientHello", ...), or ""
	space      string // QUIC's packet number space ("initial", "handshake", "1RTT"); TCP's name, if any
}

// hue is the colour of lane row r: its resource's place in the page, so
// that a resource has one colour in every run side by side (rows are in
// each run's order of requests); an update's row, which no resource
// holds, has its own. -1 for none.
func (v *runView) hue(r int) int {
	if r < 0 || r >= len(v.rows) {
		return -1
	}
	if res := v.rows[r].res; res >= 0 {
		return res
	}
	return r
}

// inFlightForever marks a packet that neither arrived nor was dropped
// before the run ended.
const inFlightForever = math.MaxInt64

// laneRow is one resource (or the bulk transfer) in the stream lanes.
type laneRow struct {
	res                               int
	label                             string
	path                              string // the URL's path, whole
	status                            int    // the final response's status code, 0 if none
	conn                              int32
	stream                            int64
	discovered, sent, firstByte, done int64 // -1 when it did not happen
	cache                             string
	edge                              string // an edge cache's X-Cache verdict, if any
	failed                            bool
	retried                           bool      // sent again after its connection failed (its first byte the first attempt's)
	total                             int64     // bytes of its stream on the wire (frames or messages)
	arrived, delivered                cumSeries // its stream's bytes reaching the client's transport, and handed on in order
	hol                               []holSpan // merged, by start
}

// holSpan is a time its bytes waited, and why. It holds no pointers, so
// sorting and merging spans copies them without write barriers.
type holSpan struct {
	from, to int64
	cause    holCause
	bytes    int64
}

// holCause is a head-of-line cause, an index into holCauseNames.
type holCause uint8

// holCauseNames are trace.HOLBlocked's names (sim/hol), in the order of
// their names; a name not among them is holCauseOther.
var holCauseNames = [...]string{hol.CauseHandshake, hol.CauseHTTP, hol.CauseLoss, hol.CauseQPACK, hol.CauseTransport}

// holCauseOther stands for a cause this page does not know.
const holCauseOther = holCause(len(holCauseNames))

func holCauseOf(name string) holCause {
	for i, n := range holCauseNames {
		if n == name {
			return holCause(i)
		}
	}
	return holCauseOther
}

// String is the cause's trace name ("?" if unknown).
func (c holCause) String() string {
	if c < holCauseOther {
		return holCauseNames[c]
	}
	return "?"
}

// cumSeries is a step function of time: the running total after each time.
type cumSeries struct {
	at  []int64
	sum []int64
}

func (s *cumSeries) add(at, n int64) {
	last := int64(0)
	if k := len(s.sum); k > 0 {
		last = s.sum[k-1]
		if s.at[k-1] == at {
			s.sum[k-1] += n
			return
		}
	}
	s.at = append(s.at, at)
	s.sum = append(s.sum, last+n)
}

// value is the total at time t.
func (s *cumSeries) value(t int64) int64 {
	i := sort.Search(len(s.at), func(i int) bool { return s.at[i] > t })
	if i == 0 {
		return 0
	}
	return s.sum[i-1]
}

// connRecv is the client's receive side of one TCP connection: what it
// received and when, and how far it delivered in order.
type connRecv struct {
	conn      int32
	recv      []byteRange // new bytes as they arrived, in time order
	delivered cumSeries   // the in-order edge (rcv.nxt) over time, as a running maximum
	// opened is, over TLS, the end of the last record opened over time:
	// the edge of what the application has, since TLS hands a record's
	// bytes on only once it is whole (RFC 8446 §5.2). It has a step per
	// record, even for records opened at the same time: its sums are the
	// ends of the records in order, those opened later included.
	opened cumSeries
	tls    bool
	bm     *byteMap
}

// streamRecv is the client's receive side of one QUIC stream.
type streamRecv struct {
	conn   int32
	stream int64
	// colour is its resource's lane row, for colours and labels and the
	// bytes it counts while the attempt is in progress, a first attempt's
	// too (runView.colourOf); -1 for none.
	colour    int
	recv      []byteRange
	delivered cumSeries
	// qpackEncoder: it carries a QPACK encoder's instructions (RFC 9204
	// §4.2), a stream of no resource whose hole holds back the requests
	// whose header sections need its entries.
	qpackEncoder bool
}

// markQPACKEncoders marks the streams that carry QPACK encoder
// instructions, as the frame strip's QE batches say.
func markQPACKEncoders(streams []streamRecv, frames []frameRec) {
	for i := range frames {
		if f := &frames[i]; f.name == "qpack_encoder" {
			for k := range streams {
				if s := &streams[k]; s.conn == f.conn && s.stream == f.stream {
					s.qpackEncoder = true
				}
			}
		}
	}
}

// buffered returns the stream's in-order edge at t and the ranges received
// beyond it.
func (s *streamRecv) buffered(t int64, out [][2]int64) (int64, [][2]int64) {
	c := connRecv{recv: s.recv, delivered: s.delivered}
	return c.buffered(t, out)
}

// byteRange is bytes [a, b) of a stream that arrived at time at.
type byteRange struct {
	at, a, b int64
}

// rangeSet is a set of byte offsets as sorted, disjoint, non-adjacent
// ranges.
type rangeSet [][2]int64

// add inserts [a, b) and calls fresh for each part that was not yet in.
func (s *rangeSet) add(a, b int64, fresh func(a, b int64)) {
	if b <= a {
		return
	}
	// Fast paths: bytes arriving in order extend or follow the last range.
	if n := len(*s); n == 0 || a > (*s)[n-1][1] {
		fresh(a, b)
		*s = append(*s, [2]int64{a, b})
		return
	} else if last := &(*s)[n-1]; a >= last[0] {
		if b > last[1] {
			fresh(last[1], b)
			last[1] = b
		}
		return
	}
	cur := a
	out := (*s)[:0:0]
	inserted := false
	for _, r := range *s {
		if r[1] < a || inserted {
			out = append(out, r)
			continue
		}
		if r[0] > b {
			if cur < b {
				fresh(cur, b)
			}
			out = append(out, [2]int64{a, b}, r)
			inserted = true
			continue
		}
		// Overlapping or adjacent: the new bytes are those outside r.
		if cur < r[0] {
			fresh(cur, min(r[0], b))
		}
		cur = max(cur, r[1])
		a, b = min(a, r[0]), max(b, r[1])
	}
	if !inserted {
		if cur < b {
			fresh(cur, b)
		}
		out = append(out, [2]int64{a, b})
	}
	*s = out
}

// protoOf returns the protocol a run's view is labelled with.
func protoOf(run *scenario.ProtocolRun) string { return run.Proto }

// buildPageView indexes one protocol's run of a page scenario.
func buildPageView(s *scenario.Scenario, run *scenario.ProtocolRun) *runView {
	in := viewInputsOf(s, run.Proto)
	v := &runView{proto: protoOf(run), status: run.Status, rtt: int64(in.rtt), plt: int64(run.PLT), hpackTable: in.hpackTable,
		qpackCapacity: in.qpackCapacity, qpackBlocked: in.qpackBlocked}
	if v.plt < 0 {
		v.plt = -1
	}
	v.edge = s.Network.HasEdge()
	for _, c := range s.Network.PathChanges {
		if c.RTT > 0 {
			v.moves = append(v.moves, pathRTT{int64(c.At), int64(c.RTT)})
		}
	}
	events := browsersView(s, run.Log)
	if events == nil {
		events = trace.NewLog(true)
	}
	v.rowsFromResources(run.Resources)
	if run.Updates != nil {
		v.rowsFromUpdates(run.Updates)
	}
	maps := buildByteMaps(events, v.proto, s.TLS.Version)
	v.index(events, maps, s.TLS.Version)
	v.summary = summaryOfRun(run)
	return v
}

// buildBulkView indexes a bulk transfer: one stream on one connection.
func buildBulkView(s *scenario.Scenario, res *scenario.Result) *runView {
	v := &runView{proto: "tcp", status: res.Status, rtt: int64(s.Network.RTT), plt: int64(res.Completion)}
	if v.plt < 0 {
		v.plt = -1
	}
	events := res.Log
	if events == nil {
		events = trace.NewLog(true)
	}
	size := int64(s.Bulk.Size)
	if size <= 0 {
		size = 1 << 50
	}
	row := laneRow{res: 0, label: s.Bulk.Size.String(), conn: 0, stream: 0, discovered: 0, sent: 0, firstByte: -1, done: v.plt, total: int64(s.Bulk.Size)}
	v.rows = []laneRow{row}
	v.rowOf.set(0, 0, 0)
	v.colourOf.set(0, 0, 0)
	m := buildByteMap([]appFrame{{n: size, stream: 0}}, 0, nil, tls.None)
	var maps perDir[*byteMap]
	*maps.at(0, true) = &m
	v.index(events, maps, tls.None)
	if v.rows[0].firstByte < 0 && len(v.rows[0].arrived.at) > 0 {
		v.rows[0].firstByte = v.rows[0].arrived.at[0]
	}
	v.summary = summaryOfBulk(res)
	return v
}

// rowsFromResources makes the lane rows, in the order requests went out
// (resources served from the cache by their discovery time).
func (v *runView) rowsFromResources(res []web.ResourceState) {
	at := func(t sim.Time) int64 {
		if t == sim.Never {
			return -1
		}
		return int64(t)
	}
	for _, r := range res {
		if !r.Requested {
			continue
		}
		v.rows = append(v.rows, laneRow{
			res: r.Index, label: shortURL(r.URL), path: r.URL, status: r.Status, conn: r.Conn, stream: r.Stream,
			discovered: at(r.Discovered), sent: at(r.Sent), firstByte: at(r.FirstByte), done: at(r.Done),
			cache: r.Cache, edge: r.Edge, failed: r.Failed != "", retried: r.Retries > 0,
		})
	}
	key := func(r *laneRow) int64 {
		if r.sent >= 0 {
			return r.sent
		}
		return r.discovered
	}
	sort.SliceStable(v.rows, func(i, j int) bool { return key(&v.rows[i]) < key(&v.rows[j]) })
	for i, r := range v.rows {
		if r.sent >= 0 && r.conn >= 0 && r.stream >= 0 {
			v.rowOf.set(r.conn, r.stream, i)
			v.colourOf.set(r.conn, r.stream, i)
		}
	}
}

// shortURL keeps the last path segment: "/img/photo01.jpg" → "photo01.jpg".
func shortURL(u string) string {
	if i := strings.LastIndexByte(u, '/'); i >= 0 && i < len(u)-1 {
		return u[i+1:]
	}
	return u
}

// index makes every per-run index from the events.
func (v *runView) index(events *trace.Log, maps perDir[*byteMap], ver tls.Version) {
	// A request sent again after its connection failed (the migration
	// lesson's HTTP/2 run) ends on another connection and stream than its
	// first attempt, whose bytes are the resource's too: the browser
	// traces each attempt's (ResourceUpdated), and each takes the row's
	// colour.
	resRow := make([]int, 0, len(v.rows))
	for r := range v.rows {
		if res := v.rows[r].res; res >= 0 {
			for len(resRow) <= res {
				resRow = append(resRow, -1)
			}
			resRow[res] = r
		}
	}
	type pkey struct {
		conn   int32
		server bool
		pn     int64
	}
	// QUIC numbers packets per packet number space (RFC 9000 §12.3): a
	// number can recur in another space, so a key may match several
	// packets, chained through prev; a received packet names its space, a
	// dropped one does not.
	sent := 0
	for e := range events.All() {
		switch {
		case e.Kind == trace.PacketSent:
			sent++
		case e.Kind == trace.ResourceUpdated && e.Conn >= 0 && e.Stream >= 0 && int(e.Res) < len(resRow) && resRow[e.Res] >= 0:
			if _, ok := v.colourOf.get(e.Conn, e.Stream); !ok {
				v.colourOf.set(e.Conn, e.Stream, resRow[e.Res])
			}
		}
	}
	v.packets = make([]packet, 0, sent)
	prev := make([]int32, 0, sent)
	// The last packet sent with a number, by connection and direction
	// (conn*2+1 for the server's).
	var pkt denseIndex
	dir := func(k pkey) int32 {
		if k.server {
			return k.conn*2 + 1
		}
		return k.conn * 2
	}
	match := func(k pkey, space string, any bool) int {
		if k.conn < 0 {
			return -1
		}
		last, ok := pkt.get(dir(k), k.pn)
		j := int32(last)
		for ok && j >= 0 {
			p := &v.packets[j]
			if p.end == inFlightForever && (any || p.space == space) {
				return int(j)
			}
			j = prev[j]
		}
		return -1
	}
	var recvSets []*rangeSet // by connection
	// Over TLS a stream's bytes reach the application when their record
	// is opened, after TCP delivered all of it in order.
	overTLS := ver != tls.None && ver != ""
	conn := func(id int32) *connRecv {
		for int(id) >= len(v.conns) {
			v.conns = append(v.conns, connRecv{conn: int32(len(v.conns))})
		}
		c := &v.conns[id]
		if c.bm == nil {
			c.bm = maps.get(id, true)
			c.tls = overTLS
		}
		return c
	}
	var handshakes perDir[[]handshakeRecord]
	steps := make([]int64, 0, events.Kept())
	v.quic = v.proto == "h3"
	type skey struct {
		conn   int32
		stream int64
	}
	streamIdx := map[skey]int{}
	quicArrivals := map[int][][2]int64{}
	// An attempt that was retried counts no more: its row starts over
	// (restartLane in quicArrivals marks when, for QUIC's arrivals,
	// added in time order at the end).
	retired := map[skey]bool{}
	attemptRow := func(conn int32, stream int64) (int, bool) {
		if retired[skey{conn, stream}] {
			return -1, false
		}
		return v.colourOf.get(conn, stream)
	}
	strm := func(conn int32, stream int64) *streamRecv {
		k := skey{conn, stream}
		i, ok := streamIdx[k]
		if !ok {
			colour := -1
			if r, ok := v.colourOf.get(conn, stream); ok {
				colour = r
			}
			i = len(v.streams)
			streamIdx[k] = i
			v.streams = append(v.streams, streamRecv{conn: conn, stream: stream, colour: colour})
		}
		return &v.streams[i]
	}
	var labelled [2][2]bool // QUIC Initial and Handshake packets labelled, by side and space
	for e := range events.All() {
		at := int64(e.At)
		v.end = max(v.end, at)
		switch e.Kind {
		case trace.PacketSent:
			if e.Side != trace.Client && e.Side != trace.Server {
				continue
			}
			p := packet{conn: e.Conn, fromServer: e.Side == trace.Server, sent: at, end: inFlightForever,
				seq: e.Seq - 1, n: e.Len, size: e.Size, flags: e.Flags, row: -1, stream: -1}
			if e.Flags.Has(trace.FlagSYN) {
				p.seq = 0
				p.label = "SYN"
				if e.Flags.Has(trace.FlagACK) {
					p.label = "SYN-ACK"
				}
			}
			if v.quic {
				// A QUIC packet names the stream of its data and the
				// offset in that stream.
				p.seq = e.Seq
				if e.Stream >= 0 && p.n > 0 {
					p.stream = e.Stream
					if r, ok := v.colourOf.get(e.Conn, e.Stream); ok {
						p.row = r
					}
				}
				// Initial and Handshake packets with data carry CRYPTO
				// frames, the only data those spaces carry (RFC 9000
				// §12.4): handshake, sent first or again. A space's first
				// one is labelled.
				kind := e.Name
				p.handshake = (kind == "initial" || kind == "handshake") && e.Len > 0
				if p.handshake && !e.Flags.Has(trace.FlagRetransmit) {
					side, space := 0, 0
					if p.fromServer {
						side = 1
					}
					if kind == "handshake" {
						space = 1
					}
					if !labelled[side][space] {
						labelled[side][space] = true
						p.label = strings.ToUpper(kind[:1]) + kind[1:]
					}
				}
			} else if p.n > 0 {
				if m := maps.get(e.Conn, p.fromServer); m != nil {
					if st, ok := m.first(p.seq, p.n); ok {
						p.stream = st
						if r, ok := v.colourOf.get(e.Conn, st); ok {
							p.row = r
						}
					}
				}
				recs := handshakes.get(e.Conn, p.fromServer)
				if !e.Flags.Has(trace.FlagRetransmit) {
					p.label = takeHandshake(recs, p.seq, p.n)
				}
				p.handshake = p.row < 0 && carriesHandshake(recs, p.seq, p.n)
			}
			p.space = e.Name
			k2 := pkey{e.Conn, p.fromServer, e.PN}
			if j, ok := pkt.get(dir(k2), k2.pn); ok {
				prev = append(prev, int32(j))
			} else {
				prev = append(prev, -1)
			}
			if k2.conn >= 0 && k2.pn >= 0 {
				pkt.set(dir(k2), k2.pn, len(v.packets))
			}
			v.packets = append(v.packets, p)
			steps = append(steps, at)
		case trace.PacketReceived:
			if i := match(pkey{e.Conn, e.Side == trace.Client, e.PN}, e.Name, false); i >= 0 {
				v.packets[i].end = at
				if e.Arrived > 0 {
					// Kept for its keys (RFC 9001 §5.7): it arrived then,
					// and is read now.
					v.packets[i].end, v.packets[i].heldUntil = int64(e.Arrived), at
				}
				v.maxFlight = max(v.maxFlight, at-v.packets[i].sent) // at ≥ end: read then
			}
			steps = append(steps, at)
			if !v.quic && e.Side == trace.Client && e.Len > 0 {
				c := conn(e.Conn)
				for int(e.Conn) >= len(recvSets) {
					recvSets = append(recvSets, nil)
				}
				set := recvSets[e.Conn]
				if set == nil {
					set = &rangeSet{}
					recvSets[e.Conn] = set
				}
				set.add(e.Seq-1, e.Seq-1+e.Len, func(a, b int64) {
					c.recv = append(c.recv, byteRange{at, a, b})
					if c.bm != nil {
						c.bm.split(a, b-a, func(st, _, n int64) {
							if r, ok := attemptRow(e.Conn, st); ok {
								v.rows[r].arrived.add(at, n)
							}
						})
					}
				})
			}
		case trace.PacketDropped:
			if e.Side != trace.Network {
				// An endpoint discarded a packet that reached it: QUIC
				// packets it has no keys for, such as the 0-RTT packets of
				// a server that rejected early data (RFC 9001 §4.6.2,
				// §5.7), or duplicates. Not a loss: the packet arrived.
				// The sender is the other end, and the packet's type,
				// in its first byte, names its number space.
				space := quicPacketType(e.Raw)
				if i := match(pkey{e.Conn, e.Side == trace.Client, e.PN}, space, space == ""); i >= 0 {
					v.packets[i].end = at
					v.packets[i].discarded = true
					v.maxFlight = max(v.maxFlight, at-v.packets[i].sent)
				}
				steps = append(steps, at)
				break
			}
			// The server-to-client link: "down", or "down-N" for the Nth
			// path a move opened (sim/scenario's page network).
			server := e.Value == "down" || strings.HasPrefix(e.Value, "down-")
			space := ""
			if v.quic {
				space = quicPacketType(e.Raw)
			}
			if i := match(pkey{e.Conn, server, e.PN}, space, space == ""); i >= 0 {
				// The drop names a QUIC datagram's first packet; the
				// packets coalesced with it (RFC 9000 §12.2), traced
				// right after it at the same instant, are lost with it:
				// their sizes add up to the datagram's.
				first, size := v.packets[i], int64(0)
				for j := i; j < len(v.packets) && size < e.Size; j++ {
					q := &v.packets[j]
					if j > i && (!v.quic || q.conn != first.conn || q.fromServer != first.fromServer || q.sent != first.sent || q.end != inFlightForever) {
						break
					}
					q.end, q.lost = at, true
					q.queueFull = e.Name == link.DropQueueFull
					q.pathDown = e.Name == link.DropPathDown
					size += q.size
				}
				v.maxFlight = max(v.maxFlight, at-first.sent)
			}
			v.losses = append(v.losses, at)
			steps = append(steps, at)
		case trace.DataMoved, trace.RecordParsed:
			// TCP hands bytes to TLS in order (DataMoved), and TLS
			// hands a record's bytes on once it is whole (RecordParsed).
			if e.Side != trace.Client {
				continue
			}
			if v.quic {
				// A QUIC packet may carry several streams' frames, but
				// the trace names one stream per packet: a stream's
				// arrivals come from its deliveries, which say when
				// their bytes arrived.
				if e.Stream >= 0 {
					sr := strm(e.Conn, e.Stream)
					edge := e.Seq + e.Len
					if k := len(sr.delivered.sum); k == 0 || sr.delivered.sum[k-1] < edge {
						sr.delivered.add(at, edge-sr.delivered.value(at))
					}
					sr.recv = append(sr.recv, byteRange{int64(e.Arrived), e.Seq, edge})
					if sr.colour >= 0 && !retired[skey{e.Conn, e.Stream}] {
						v.deliver(sr.colour, at, e.Len)
						quicArrivals[sr.colour] = append(quicArrivals[sr.colour], [2]int64{int64(e.Arrived), e.Len})
					}
				}
				continue
			}
			c := conn(e.Conn)
			parsed := e.Kind == trace.RecordParsed
			s := &c.delivered
			if parsed {
				s = &c.opened
			}
			edge := e.Seq + e.Len
			if k := len(s.sum); k == 0 || s.sum[k-1] < edge {
				// A step per event, several at one time too: each
				// record opened is a step of its own.
				s.at, s.sum = append(s.at, at), append(s.sum, edge)
			}
			if c.bm != nil && c.tls == parsed {
				c.bm.split(e.Seq, e.Len, func(st, _, n int64) {
					if r, ok := attemptRow(e.Conn, st); ok {
						v.deliver(r, at, n)
					}
				})
			}
		case trace.RecordCreated:
			if e.Name == "handshake" || e.Name == "change_cipher_spec" {
				if h := handshakes.at(e.Conn, e.Side == trace.Server); h != nil {
					msgs := e.Value
					if msgs == "" {
						msgs = "ChangeCipherSpec" // a change_cipher_spec record is no handshake message
					}
					*h = append(*h, handshakeRecord{off: e.Seq, end: e.Seq + e.Len, msgs: msgs})
				}
			}
		case trace.HOLBlocked:
			span := holSpan{from: min(int64(e.Arrived), at), to: at, cause: holCauseOf(e.Name), bytes: e.Len}
			if v.updateRows {
				// Every update the blocked answer or frame carries
				// waited (rowsFromUpdates); the page's one connection.
				for r := range v.rows {
					if v.rows[r].stream == e.Stream && e.Side == trace.Client {
						v.rows[r].hol = append(v.rows[r].hol, span)
					}
				}
			} else if r, ok := v.colourOf.get(e.Conn, e.Stream); ok {
				// Every attempt's: a request sent again after its
				// connection died waited there too, until the death
				// (the resource's totals count it). Only between the
				// request and the completion, as the tables count
				// (web.Browser.Resources): a pushed response's bytes
				// that waited before the browser asked for them were
				// pushed ahead, and delayed nothing the page waited for.
				if span, ok := clipSpan(span, v.rows[r].sent, v.rows[r].done); ok {
					v.rows[r].hol = append(v.rows[r].hol, span)
				}
			}
		case trace.ResourceUpdated:
			steps = append(steps, at)
			// A request sent again after its connection failed: what
			// the failed attempt had is gone with it (the migration
			// lesson's video starts over from its first byte).
			if e.Name != "retry" || e.Conn < 0 || e.Stream < 0 {
				continue
			}
			r, ok := attemptRow(e.Conn, e.Stream)
			if !ok {
				continue
			}
			retired[skey{e.Conn, e.Stream}] = true
			row := &v.rows[r]
			if v.quic {
				quicArrivals[r] = append(quicArrivals[r], [2]int64{at, restartLane})
			} else if n := row.arrived.value(at); n != 0 {
				row.arrived.add(at, -n)
			}
			if n := row.delivered.value(math.MaxInt64); n != 0 {
				row.delivered.add(max(at, row.delivered.at[len(row.delivered.at)-1]), -n)
			}
		case trace.FrameCreated, trace.FrameParsed:
			steps = append(steps, at)
		}
	}
	for r, arr := range quicArrivals {
		sort.SliceStable(arr, func(i, j int) bool { return arr[i][0] < arr[j][0] })
		for _, a := range arr {
			if a[1] == restartLane {
				a[1] = -v.rows[r].arrived.value(a[0])
			}
			v.rows[r].arrived.add(a[0], a[1])
		}
	}
	for i := range v.streams {
		recv := v.streams[i].recv
		sort.SliceStable(recv, func(i, j int) bool { return recv[i].at < recv[j].at })
	}
	if v.quic {
		// A stream carries its frames and nothing else.
		for e := range events.All() {
			if e.Kind == trace.FrameCreated && e.Side == trace.Server {
				if r, ok := v.rowOf.get(e.Conn, e.Stream); ok {
					v.rows[r].total += e.Len
				}
			}
		}
	}
	for i, m := range maps {
		if m == nil || i%2 == 0 || v.quic {
			continue // the server's sending side carries the responses
		}
		conn := int32(i / 2)
		for _, s := range m.segs {
			if r, ok := v.rowOf.get(conn, s.stream); ok && v.proto != "tcp" {
				v.rows[r].total += s.end - s.start
			}
		}
	}
	for i := range v.rows {
		v.rows[i].hol = mergeSpans(v.rows[i].hol)
		for _, s := range v.rows[i].hol {
			v.holCauses |= 1 << s.cause
		}
	}
	v.frames = buildFrames(events, &v.colourOf, v.quic, maps)
	if v.qpackCapacity > 0 {
		markQPACKEncoders(v.streams, v.frames)
	}
	v.series = buildSeries(events)
	slices.Sort(steps)
	v.steps = uniqueSorted(steps)
	for i := range v.packets {
		p := &v.packets[i]
		if p.lost {
			v.ladderMarks |= markLost
		}
		if p.discarded {
			v.ladderMarks |= markDiscarded
		}
		if p.heldUntil > 0 {
			v.ladderMarks |= markHeld
		}
		if p.flags.Has(trace.FlagRetransmit) {
			v.ladderMarks |= markRetransmit
		}
	}
}

// ladderMark is a mark the ladder draws only where a run has it, for the
// ladder's legend (ladderLegendFor).
type ladderMark uint8

const (
	markLost ladderMark = 1 << iota
	markDiscarded
	markHeld
	markRetransmit
)

// restartLane, in place of a byte count among a QUIC row's arrivals, sets
// its count back to 0: its request was sent again.
const restartLane = math.MinInt64

// deliver counts n bytes of row r's stream as handed to the application
// at t, or at the row's first byte if that is later: the first byte is
// when the response's head has been parsed, and the bytes of a head not
// yet whole (cut by a record or a packet) are no use to the browser.
// Times only grow, so the series stays in order.
func (v *runView) deliver(r int, at, n int64) {
	row := &v.rows[r]
	row.delivered.add(max(at, row.firstByte), n)
}

// handshakeRecord is a TLS handshake (or change_cipher_spec) record a
// packet may start.
type handshakeRecord struct {
	off   int64
	end   int64  // its last byte's offset + 1
	msgs  string // its messages, comma-separated (sim/tls)
	taken bool
}

// takeHandshake returns the label of the unlabelled handshake records that
// start within [off, off+n), and marks them taken. A flight's records
// often share a packet (TLS 1.3's ServerHello and the encrypted
// EncryptedExtensions…Finished, RFC 8446 §2; TLS 1.2's ClientKeyExchange,
// ChangeCipherSpec and Finished, RFC 5246 §7.3): the label names them all.
func takeHandshake(recs []handshakeRecord, off, n int64) string {
	var msgs string
	for i := range recs {
		r := &recs[i]
		if !r.taken && r.off >= off && r.off < off+n {
			r.taken = true
			if msgs != "" {
				msgs += ","
			}
			msgs += r.msgs
		}
	}
	if msgs == "" {
		return ""
	}
	return flightLabel(msgs)
}

// carriesHandshake reports whether [off, off+n) holds bytes of one of recs:
// a flight's later segments (a certificate chain spans several) are
// handshake as much as the one that starts it and takes its label.
func carriesHandshake(recs []handshakeRecord, off, n int64) bool {
	for i := range recs {
		if recs[i].off < off+n && recs[i].end > off {
			return true
		}
	}
	return false
}

// flightLabel shortens a record's list of handshake messages:
// "ServerHello,EncryptedExtensions,...,Finished" → "ServerHello…Finished".
func flightLabel(msgs string) string {
	parts := strings.Split(msgs, ",")
	if len(parts) <= 2 {
		return strings.Join(parts, ", ")
	}
	return parts[0] + "…" + parts[len(parts)-1]
}

// clipSpan returns the part of s between a row's request (sent) and its
// completion (done, -1 while loading), if any: a row never sent has none.
func clipSpan(s holSpan, sent, done int64) (holSpan, bool) {
	if sent < 0 {
		return s, false
	}
	s.from = max(s.from, sent)
	if done >= 0 {
		s.to = min(s.to, done)
	}
	return s, s.to > s.from
}

// mergeSpans merges overlapping (or touching) spans of the same cause and
// orders the result by start, then cause. It reuses in's array.
//
// The trace reports a wait when the bytes are delivered, so a row's spans
// come nearly in order of their ends; in that order and walked backwards, each span either reaches
// the group of its cause that is open (ends at or after the group's start)
// or lies wholly before it and opens the next. That is linear. Sorting by
// start first, as this did, cost over half of indexing a run in the
// browser: a row can hold thousands of spans (at 1 % loss one HTTP/2 row
// has 2,309), and sort.SliceStable swaps by reflection.
func mergeSpans(in []holSpan) []holSpan {
	if len(in) < 2 {
		return in
	}
	if !sort.IsSorted(spansByEnd(in)) {
		// The order of spans with the same end does not change the
		// groups, so an unstable sort will do. (A wait that ended with
		// several deliveries is reported piece by piece, latest first, so
		// the spans are out of order here and there.)
		sort.Sort(spansByEnd(in))
	}
	// open[c] is the index in in of cause c's open group, or -1.
	var open [holCauseOther + 1]int
	for c := range open {
		open[c] = -1
	}
	w := len(in) // in[w:] holds the groups made so far
	for i := len(in) - 1; i >= 0; i-- {
		s := in[i]
		if g := open[s.cause]; g >= 0 && s.to >= in[g].from {
			in[g].from = min(in[g].from, s.from)
			in[g].bytes += s.bytes
			continue
		}
		// w > i: every span after i made at most one group.
		w--
		in[w] = s
		open[s.cause] = w
	}
	// Each cause's groups are in order already; only several causes need
	// sorting. A cause's groups are disjoint, so no two groups tie.
	out := in[w:]
	if !sort.IsSorted(spansByStart(out)) {
		sort.Sort(spansByStart(out))
	}
	return out
}

// spansByEnd orders spans by end.
type spansByEnd []holSpan

func (s spansByEnd) Len() int           { return len(s) }
func (s spansByEnd) Less(i, j int) bool { return s[i].to < s[j].to }
func (s spansByEnd) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }

// spansByStart orders spans by start, then cause.
type spansByStart []holSpan

func (s spansByStart) Len() int { return len(s) }
func (s spansByStart) Less(i, j int) bool {
	if s[i].from != s[j].from {
		return s[i].from < s[j].from
	}
	return s[i].cause < s[j].cause
}
func (s spansByStart) Swap(i, j int) { s[i], s[j] = s[j], s[i] }

func uniqueSorted(xs []int64) []int64 {
	out := xs[:0]
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// buffered returns, for connection c at time t, the edge of the bytes
// delivered to the application in order and the received ranges beyond
// it (merged, ascending).
//
// Over TLS the edge is the end of the last record opened, and the bytes
// TCP delivered past it, in a record not yet whole, come first among the
// ranges: they wait too. When the ranges stop short of that record's end,
// a last, empty range marks the end, so that the rest of the record shows
// as the hole they wait behind.
func (c *connRecv) buffered(t int64, out [][2]int64) (edge int64, ranges [][2]int64) {
	tcp := c.delivered.value(t)
	edge = tcp
	var set rangeSet = out[:0]
	var end int64 // the end of the record being read
	if o := &c.opened; c.tls {
		i := sort.Search(len(o.at), func(i int) bool { return o.at[i] > t })
		edge = 0
		if i > 0 {
			edge = o.sum[i-1]
		}
		if edge < tcp {
			set = append(set, [2]int64{edge, tcp})
			if i < len(o.sum) {
				end = o.sum[i]
			}
		}
	}
	for _, r := range c.recv {
		if r.at > t {
			break
		}
		if r.b > tcp {
			set.add(max(r.a, tcp), r.b, func(int64, int64) {})
		}
	}
	if n := len(set); n > 0 && set[n-1][1] < end {
		set = append(set, [2]int64{end, end})
	}
	return edge, set
}

// hpackTracks returns the HPACK or QPACK tracks of one direction (the
// server's encoder if fromServer), by connection, replaying them the first
// time they are asked for.
func (v *runView) hpackTracks(fromServer bool) []*hpackTrack {
	d := &v.hpackDirs[0]
	if fromServer {
		d = &v.hpackDirs[1]
	}
	if !d.built {
		d.built = true
		if v.quic {
			d.tracks = buildQPACK(v.frames, v.qpackCapacity, fromServer)
		} else {
			d.tracks = buildHPACK(v.frames, v.hpackTable, fromServer)
		}
	}
	return d.tracks
}

// quicPacketType names the type of the QUIC packet whose header starts
// raw, as the trace names it when the packet is sent ("initial", "0RTT",
// "handshake", "retry", "1RTT"); "" if raw is empty.
func quicPacketType(raw []byte) string {
	if len(raw) == 0 {
		return ""
	}
	return wire.TypeOf(raw[0]).String()
}

// pathRTT is a move to a path of another round-trip time.
type pathRTT struct{ at, rtt int64 }

// oneWayAt is the propagation delay of the path a packet sent at t took:
// the first path's, or the one the last move before t opened.
func (v *runView) oneWayAt(t int64) int64 {
	rtt := v.rtt
	for _, m := range v.moves {
		if m.at <= t {
			rtt = m.rtt
		}
	}
	return max(rtt/2, 1)
}

// flightReach is how long before t a packet the ladder shows at t may
// have been sent: a lost packet's line may reach past its drop, up to a
// one-way delay, and a packet kept for its keys shows until it is read.
func (v *runView) flightReach() int64 { return max(v.maxFlight, v.maxOneWay()) }

// maxOneWay is the longest propagation delay of the run's paths.
func (v *runView) maxOneWay() int64 {
	rtt := v.rtt
	for _, m := range v.moves {
		rtt = max(rtt, m.rtt)
	}
	return max(rtt/2, 1)
}
