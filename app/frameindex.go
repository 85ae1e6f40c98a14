package app

import (
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strconv"

	"httpsim/sim/h2"
	"httpsim/sim/h3"
	"httpsim/sim/hol"
	"httpsim/sim/hpack"
	"httpsim/sim/qpack"
	"httpsim/sim/quic/wire"
	"httpsim/sim/trace"
	"httpsim/sim/updates"
)

// frameRec is one HTTP/2 frame (or HTTP/1.x message head) as written, and
// when its receiver parsed it.
type frameRec struct {
	conn       int32
	fromServer bool
	// whole: a DATA frame, whose parsed is when its last byte reached the
	// receiver's HTTP layer; sim/h2 and sim/h3 trace its parse as soon as
	// its header is read, with the payload still on its way.
	whole   bool
	created int64
	parsed  int64 // -1 if the receiver never parsed it
	// read is when the receiver read a frame whose parse then waited: an
	// HTTP/3 HEADERS whose section waited for the QPACK encoder stream
	// (its block is the panel's from then, shown waiting); 0 otherwise.
	read   int64
	stream int64
	row    int // lane row of the stream's resource, or -1
	name   string
	abbrev string // its label in the strip (frameAbbrev), worked out once, not per redraw
	n      int64  // its length on the wire (header included; a message head with its body)
	raw    []byte // its header and, except DATA, its payload; a message head's text
	h3     bool   // an HTTP/3 frame (RFC 9114 §7), not HTTP/2
}

// buildFrames lists the frames of a run in the order they were written and
// matches each with its parse: on one connection and direction, TCP delivers
// in order, so the k-th frame parsed is the k-th written. A DATA frame is
// parsed once the receiver's in-order edge passes its last byte: in the
// TCP byte stream, at the offset maps give (byteMap.ends: with TLS, the
// end of its record), or in its QUIC stream (HTTP/3).
func buildFrames(events *trace.Log, rowOf *denseIndex, isH3 bool, maps perDir[*byteMap]) []frameRec {
	// Frames are matched per stream: TCP delivers a connection in order,
	// and QUIC each stream. A stream's frames are found by the sending
	// side's slot and the stream number (with no connection, in other).
	type sent struct {
		written []int // the stream's frames, in order
		parsed  int   // how many of them the peer has parsed
		// A QPACK encoder stream is read as bytes, not frames: read is
		// how many have reached the decoder, done how many of them
		// belong to the parsed batches.
		read, done int64
		// data are the DATA frames waiting on the byte stream: a QUIC
		// stream's; TCP's is one per direction, kept with stream -1.
		data dataWait
	}
	type otherKey struct {
		slot   int
		stream int64
	}
	var (
		out     []frameRec
		marks   []int // the updates lesson's "event" marks, by update (see below)
		streams []sent
		bySlot  perDir[denseIndex] // stream number → index in streams
		other   map[otherKey]int
	)
	find := func(conn int32, server bool, stream int64) *sent {
		if conn < 0 {
			k := otherKey{slot(conn, server), stream}
			i, ok := other[k]
			if !ok {
				if other == nil {
					other = map[otherKey]int{}
				}
				i = len(streams)
				streams = append(streams, sent{})
				other[k] = i
			}
			return &streams[i]
		}
		// Negative numbers (-1: a TCP direction's whole byte stream) go
		// in row 1 of the slot's index, from 0.
		row := int32(0)
		if stream < 0 {
			row, stream = 1, -1-stream
		}
		idx := bySlot.at(conn, server)
		i, ok := idx.get(row, stream)
		if !ok {
			i = len(streams)
			streams = append(streams, sent{})
			idx.set(row, stream, i)
		}
		return &streams[i]
	}
	for e := range events.All() {
		if e.Side != trace.Client && e.Side != trace.Server {
			continue
		}
		// The updates lesson's "event" is no frame but the moment the
		// server had update Stream, and then when the page had all of it
		// (sim/updates): it takes no place in a byte stream, and is
		// matched by its update's number, not among the frames.
		if e.Name == "event" && (e.Kind == trace.FrameCreated || e.Kind == trace.FrameParsed) {
			switch k := e.Stream; {
			case k < 0 || k >= int64(events.Kept()):
				// not an update's number
			case e.Kind == trace.FrameCreated:
				for int64(len(marks)) <= k {
					marks = append(marks, -1)
				}
				marks[k] = len(out)
				out = append(out, frameRec{conn: e.Conn, fromServer: e.Side == trace.Server, created: int64(e.At), parsed: -1,
					stream: k, row: -1, name: e.Name, abbrev: frameAbbrev(e.Name, e.Value), n: e.Len, h3: isH3})
			case k < int64(len(marks)) && marks[k] >= 0:
				out[marks[k]].parsed = int64(e.At)
			}
			continue
		}
		switch e.Kind {
		case trace.FrameCreated:
			row := -1
			if r, ok := rowOf.get(e.Conn, e.Stream); ok {
				row = r
			}
			server := e.Side == trace.Server
			s := find(e.Conn, server, e.Stream)
			s.written = append(s.written, len(out))
			out = append(out, frameRec{conn: e.Conn, fromServer: server, created: int64(e.At), parsed: -1,
				stream: e.Stream, row: row, name: e.Name, abbrev: frameAbbrev(e.Name, e.Value), n: e.Len, raw: e.Raw, h3: isH3})
			// Where the frame ends in the byte stream (its QUIC stream,
			// or its TCP direction's); -1: never all on the wire.
			q, end := &s.data, int64(-1)
			switch m := maps.get(e.Conn, server); {
			case isH3:
				q.n += e.Len
				end = q.n
			case m != nil:
				q = &find(e.Conn, server, -1).data
				if q.n < int64(len(m.ends)) {
					end = m.ends[q.n]
				}
				q.n++
			default:
				continue // no map: the header's parse it is
			}
			// DATA, and an HTTP/1.x message, whose box counts its body
			// too, are parsed once whole: a response's head is read
			// long before its body has all arrived.
			if e.Name != "DATA" && e.Name != "data" && e.Name != "request" && e.Name != "response" {
				continue
			}
			out[len(out)-1].whole = true
			if end >= 0 {
				q.frames, q.ends = append(q.frames, len(out)-1), append(q.ends, end)
			}
		case trace.DataMoved:
			// The receiver's transport handed bytes on in order: the
			// sender's DATA frames they complete have arrived whole.
			st := e.Stream
			if !isH3 {
				st = -1 // TCP's whole direction
			}
			find(e.Conn, e.Side != trace.Server, st).data.deliver(e.Seq+e.Len, int64(e.At), out)
		case trace.FrameParsed:
			s := find(e.Conn, e.Side != trace.Server, e.Stream) // the sender's side
			if e.Name == "qpack_encoder" {
				// A batch of instructions is parsed once its last byte
				// has reached the decoder.
				s.read += e.Len
				for s.parsed < len(s.written) && s.done+out[s.written[s.parsed]].n <= s.read {
					out[s.written[s.parsed]].parsed = int64(e.At)
					s.done += out[s.written[s.parsed]].n
					s.parsed++
				}
				continue
			}
			if s.parsed < len(s.written) && !out[s.written[s.parsed]].whole {
				out[s.written[s.parsed]].parsed = int64(e.At)
			}
			s.parsed++
		case trace.HOLBlocked:
			// A HEADERS frame whose field section waited for the QPACK
			// encoder stream (RFC 9204 §2.1.2) is read, but not parsed
			// into fields, until the insertions arrive: its box stays
			// outlined until then, as the lanes hatch it and the panel
			// says it waits.
			if !isH3 || e.Name != hol.CauseQPACK {
				continue
			}
			// The wait of the HEADERS frame itself began when it was
			// read; the stream's bytes after it waited too, reported
			// from when each came.
			s := find(e.Conn, e.Side != trace.Server, e.Stream)
			for k := s.parsed - 1; k >= 0; k-- {
				if f := &out[s.written[k]]; f.name == "headers" && f.parsed == int64(e.Arrived) && f.parsed < int64(e.At) {
					f.read, f.parsed = f.parsed, int64(e.At)
					break
				}
			}
		}
	}
	return out
}

// dataWait holds one byte stream's DATA frames whose last byte has not yet
// been delivered, in the order written, which is the order of their ends.
type dataWait struct {
	frames []int   // indexes in the run's frames
	ends   []int64 // the offset the in-order edge must reach for each
	// n counts what was written: the QUIC stream's bytes, or the TCP
	// direction's frames (an index into its byteMap.ends).
	n int64
}

// deliver moves the in-order edge to edge at time at: the frames it
// completes are parsed then.
func (q *dataWait) deliver(edge, at int64, out []frameRec) {
	n := 0
	for n < len(q.ends) && q.ends[n] <= edge {
		out[q.frames[n]].parsed = at
		n++
	}
	q.frames, q.ends = q.frames[n:], q.ends[n:]
}

// upTo returns the number of frames written by time t (frames are in time
// order).
func framesUpTo(frames []frameRec, t int64) int {
	return sort.Search(len(frames), func(i int) bool { return frames[i].created > t })
}

// frameField is one row of a frame's details.
type frameField struct {
	Name, Value string
}

// frameDetails decodes a frame's raw bytes for display. HTTP/1.x heads are
// shown as their text; HTTP/2 frames through the frame parser, whose
// Fields name every field as RFC 9113 does.
func frameDetails(f *frameRec, lang Lang) (fields []frameField, text string, err error) {
	switch f.name {
	case "request", "response", "ws_upgrade":
		return nil, string(f.raw), nil
	case "ws_frame":
		return wsFrameDetails(f.raw, lang)
	case "event":
		// Not a frame: the moment the server had an update to send.
		return nil, lang.T("frames.event", f.n), nil
	}
	if f.h3 {
		return h3FrameDetails(f, lang)
	}
	h, err := h2.ParseFrameHeader(f.raw)
	if err != nil {
		return nil, "", err
	}
	if h.Type == h2.FrameData {
		// Only the header was kept: DATA payloads are sized filler.
		fr, _, err := h2.ReadFrame(append(append([]byte(nil), f.raw[:h2.FrameHeaderLen]...), make([]byte, h.Length)...), h2.MaxFrameSizeLimit)
		if err != nil {
			return nil, "", err
		}
		for _, fl := range fr.Fields() {
			if fl.Name == "Data" {
				fl.Value = lang.T("frames.notkept", h.Length)
			}
			fields = append(fields, frameField{fl.Name, fl.Value})
		}
		return fields, "", nil
	}
	fr, _, err := h2.ReadFrame(f.raw, h2.MaxFrameSizeLimit)
	if err != nil {
		return nil, "", err
	}
	for _, fl := range fr.Fields() {
		fields = append(fields, frameField{fl.Name, fl.Value})
	}
	return fields, "", nil
}

// wsFrameDetails lists a WebSocket frame header's fields (RFC 6455 §5.2)
// and a Close frame's status code and reason (§5.5.1), which the trace
// keeps; other payloads are not kept (events are sized filler).
func wsFrameDetails(raw []byte, lang Lang) ([]frameField, string, error) {
	h, n, err := updates.ParseFrameHeader(raw)
	if err != nil {
		return nil, "", err
	}
	fields := []frameField{
		{"FIN", strconv.FormatBool(h.FIN)},
		{"Opcode", lang.T("ws.opcode", uint8(h.Opcode), wsOpcodeName(h.Opcode, lang))},
		{"MASK", strconv.FormatBool(h.Mask)},
		{"Payload length", strconv.FormatUint(h.PayloadLength, 10)},
	}
	if h.Mask {
		fields = append(fields, frameField{"Masking-key", hex.EncodeToString(h.MaskingKey[:])})
	}
	if h.Opcode != updates.OpClose || uint64(len(raw)-n) != h.PayloadLength {
		return fields, "", nil
	}
	body := append([]byte(nil), raw[n:]...)
	if h.Mask {
		updates.MaskBytes(h.MaskingKey, 0, body)
	}
	code, reason, err := updates.ParseClosePayload(body)
	if err != nil {
		return fields, "", err
	}
	if code == updates.CloseNoStatus {
		return append(fields, frameField{"Status code", lang.T("ws.nostatus")}), "", nil
	}
	fields = append(fields, frameField{"Status code", wsCloseCodeName(code, lang)})
	if reason != "" {
		fields = append(fields, frameField{"Reason", reason})
	}
	return fields, "", nil
}

// wsOpcodeName names a WebSocket opcode as RFC 6455 §11.8's registry does,
// with what it is in the page's language.
func wsOpcodeName(op updates.Opcode, lang Lang) string {
	key := "ws.op." + op.String()
	if name := lang.T(key); name != key {
		return name
	}
	return op.String() // a reserved opcode
}

// wsCloseCodeName is a Close frame's status code with its meaning (RFC
// 6455 §7.4.1) in the page's language, or alone for a code the RFC leaves
// to applications (§7.4.2).
func wsCloseCodeName(code updates.CloseCode, lang Lang) string {
	s := strconv.Itoa(int(code))
	key := "ws.close." + s
	if name := lang.T(key); name != key {
		return s + " " + name
	}
	return s
}

// qpackEncoderDetails lists a batch of QPACK encoder instructions (RFC 9204
// §4.3), one row each.
func qpackEncoderDetails(raw []byte, lang Lang) ([]frameField, string, error) {
	var fields []frameField
	for len(raw) > 0 {
		in, n, err := qpack.ParseEncoderInstruction(raw, 1<<20)
		if err != nil {
			return fields, "", err
		}
		raw = raw[n:]
		var v string
		switch in.Type {
		case qpack.SetDynamicTableCapacity:
			v = strconv.FormatUint(in.Capacity, 10)
		case qpack.InsertWithNameReference:
			key := "qe.namedyn"
			if in.Static {
				key = "qe.namestatic"
			}
			v = lang.T(key, in.Index, in.Value)
		case qpack.InsertWithLiteralName:
			v = in.Name + ": " + in.Value
		case qpack.Duplicate:
			v = lang.T("qe.dup", in.Index)
		}
		fields = append(fields, frameField{in.Type.String(), v})
	}
	return fields, "", nil
}

// hpackTrack is one HPACK context: the decoder of one direction of one
// connection, replayed block by block.
type hpackTrack struct {
	conn       int32
	fromServer bool // true: the server's encoder, the client's decoder (responses)
	blocks     []hpackBlock
	err        string // the first decoding error, after which the track stops
	qpack      bool   // QPACK (HTTP/3) rather than HPACK
	// qpackCapacity is the run's QPACK dynamic table capacity.
	qpackCapacity uint64
	// batches are the peer encoder's instructions in stream order, each
	// with when it reached this decoder (QPACK with a dynamic table).
	batches []qpackBatch
	// replay caches the last decodeQPACKAt, fallback the last
	// fallbackQPACKAt.
	replay, fallback qpackReplay
}

// qpackBatch is one batch of QPACK encoder instructions (RFC 9204 §4.3).
type qpackBatch struct {
	at  int64 // when its last byte reached the decoder
	raw []byte
}

// qpackReplay is a section decoded with the first n batches applied.
type qpackReplay struct {
	k, n  int
	ok    bool
	rec   *qpack.SectionRecord
	table []qpack.TableEntry
	// tableLen, tableSize and capacity describe the table at that moment.
	tableLen, tableSize, capacity int
	err                           string
	// waiting: the section needs need insertions and have have arrived.
	waiting    bool
	need, have uint64
}

// hpackBlock is the decoder's state after one header block.
type hpackBlock struct {
	at     int64 // when the receiver parsed the block's last frame
	first  int   // the index in the view's frames of its first frame (HEADERS or PUSH_PROMISE)
	frame  int   // and of its last (a CONTINUATION, or the same)
	stream int64
	rec    hpack.BlockRecord
	table  []hpack.TableEntry
	// For HTTP/3, section is the encoded field section, decoded into
	// qpack (instead of rec) the first time the panel shows it: sections
	// decode independently, and the panel shows one per column.
	section  []byte
	qpack    *qpack.SectionRecord
	qpackErr string
}

// decodeQPACK decodes the block's field section once, with the static
// table only (the run's QPACK has no dynamic table).
func (b *hpackBlock) decodeQPACK() (*qpack.SectionRecord, string) {
	if b.qpack != nil || b.qpackErr != "" {
		return b.qpack, b.qpackErr
	}
	rec := &qpack.SectionRecord{}
	dec := qpack.NewDecoder(0, 0)
	if _, _, err := dec.DecodeFieldSection(uint64(max(b.stream, 0)), b.section, rec); err != nil {
		b.qpackErr = fmt.Sprintf("stream %d: %v", b.stream, err)
		return nil, b.qpackErr
	}
	b.qpack = rec
	return rec, ""
}

// decodeQPACKAt replays the decoder of a QPACK track with a dynamic table
// as it was at t: the encoder instructions that had reached it by then
// (RFC 9204 §4.3), then block k's section. A section whose instructions had
// not all arrived is still blocked at t (§2.2.1): the answer says so, with
// the table as it was.
func (tr *hpackTrack) decodeQPACKAt(k int, t int64) *qpackReplay {
	return tr.replayQPACK(k, t, &tr.replay)
}

// fallbackQPACKAt is decodeQPACKAt for the earlier sections the panel shows
// while the latest one waits, cached apart so that the two do not evict
// each other on every redraw.
func (tr *hpackTrack) fallbackQPACKAt(k int, t int64) *qpackReplay {
	return tr.replayQPACK(k, t, &tr.fallback)
}

// replayQPACK decodes block k at t into cache, unless cache holds it.
func (tr *hpackTrack) replayQPACK(k int, t int64, cache *qpackReplay) *qpackReplay {
	n := tr.arrived(t)
	if r := cache; r.ok && r.k == k && r.n == n {
		return r
	}
	b := &tr.blocks[k]
	r := qpackReplay{k: k, n: n, ok: true}
	dec := qpack.NewDecoder(tr.qpackCapacity, 1<<16)
	for _, batch := range tr.batches[:n] {
		if _, err := dec.FeedEncoderStream(batch.raw, nil); err != nil {
			r.err = fmt.Sprintf("encoder stream: %v", err)
			break
		}
	}
	if r.err == "" {
		rec := &qpack.SectionRecord{}
		switch _, blocked, err := dec.DecodeFieldSection(uint64(max(b.stream, 0)), b.section, rec); {
		case err != nil:
			r.err = fmt.Sprintf("stream %d: %v", b.stream, err)
		case blocked:
			r.waiting, r.need, r.have = true, rec.RequiredInsertCount, dec.InsertCount()
			r.err = fmt.Sprintf("stream %d waits for the encoder stream: its section needs %d insertions, %d have arrived (RFC 9204 §2.2.1)",
				b.stream, r.need, r.have)
		default:
			r.rec = rec
		}
	}
	r.table = dec.AppendTable(nil)
	r.tableLen, r.tableSize, r.capacity = dec.TableLen(), dec.TableSize(), dec.Capacity()
	*cache = r
	return cache
}

// buildQPACK lists every HTTP/3 field section, to be decoded when shown,
// and, with a dynamic table, the peer encoder's instructions with when they
// reached the decoder, to replay its table.
func buildQPACK(frames []frameRec, capacity uint64, fromServer bool) []*hpackTrack {
	var tracks []*hpackTrack
	byDir := map[mapKey]*hpackTrack{}
	for i := range frames {
		f := &frames[i]
		if (f.name != "headers" && f.name != "qpack_encoder") || f.fromServer != fromServer {
			continue
		}
		k := mapKey{f.conn, f.fromServer}
		tr := byDir[k]
		if tr == nil {
			tr = &hpackTrack{conn: f.conn, fromServer: f.fromServer, qpack: true, qpackCapacity: capacity}
			byDir[k] = tr
			tracks = append(tracks, tr)
		}
		if f.name == "qpack_encoder" {
			at := f.parsed
			if at < 0 {
				at = inFlightForever
			}
			tr.batches = append(tr.batches, qpackBatch{at: at, raw: f.raw})
			continue
		}
		if tr.err != "" {
			continue
		}
		fr, _, err := h3.ParseFrame(f.raw)
		if err != nil {
			tr.err = err.Error()
			continue
		}
		hf, ok := fr.(*h3.HeadersFrame)
		if !ok {
			continue
		}
		at := f.parsed
		if f.read > 0 {
			at = f.read // the panel shows it waiting until it is parsed
		}
		if at < 0 {
			at = inFlightForever
		}
		tr.blocks = append(tr.blocks, hpackBlock{at: at, first: i, frame: i, stream: f.stream, section: hf.EncodedFieldSection})
	}
	// Sections are parsed in stream order, not wire order: sort by time.
	for _, tr := range tracks {
		blocks := tr.blocks
		sort.SliceStable(blocks, func(i, j int) bool { return blocks[i].at < blocks[j].at })
	}
	sort.SliceStable(tracks, func(i, j int) bool { return tracks[i].fromServer && !tracks[j].fromServer })
	return tracks
}

// buildHPACK replays every header block of an HTTP/2 run through a decoder
// set up as the receiving endpoint's (sim/h2): a 4096-byte table, limited
// to the SETTINGS_HEADER_TABLE_SIZE it advertises once the sender's
// SETTINGS ACK (in the same direction, so in order with the blocks) says
// the sender's encoder applies it (RFC 9113 §4.3.1, §6.5.3).
func buildHPACK(frames []frameRec, tableSize uint32, fromServer bool) []*hpackTrack {
	type state struct {
		track *hpackTrack
		dec   *hpack.Decoder
		block []byte
		first int // the frame that opened the block being read
	}
	var tracks []*hpackTrack
	states := map[mapKey]*state{}
	var rec hpack.BlockRecord
	for i := range frames {
		f := &frames[i]
		if f.name != "HEADERS" && f.name != "PUSH_PROMISE" && f.name != "CONTINUATION" && f.name != "SETTINGS" || f.fromServer != fromServer {
			continue
		}
		k := mapKey{f.conn, f.fromServer}
		st := states[k]
		if st == nil {
			dec := hpack.NewDecoder(hpack.DefaultTableSize)
			dec.SetTableSizeLimit(max(tableSize, hpack.DefaultTableSize))
			dec.SetMaxHeaderListSize(256 << 10)
			st = &state{track: &hpackTrack{conn: f.conn, fromServer: f.fromServer}, dec: dec}
			states[k] = st
			tracks = append(tracks, st.track)
		}
		if st.track.err != "" {
			continue
		}
		fr, _, err := h2.ReadFrame(f.raw, h2.MaxFrameSizeLimit)
		if err != nil {
			st.track.err = err.Error()
			continue
		}
		var frag []byte
		var end bool
		switch x := fr.(type) {
		case *h2.SettingsFrame:
			if x.Ack {
				st.dec.SetTableSizeLimit(tableSize)
			}
			continue
		case *h2.HeadersFrame:
			frag, end, st.block, st.first = x.FieldBlockFragment, x.EndHeaders, st.block[:0], i
		case *h2.PushPromiseFrame:
			frag, end, st.block, st.first = x.FieldBlockFragment, x.EndHeaders, st.block[:0], i
		case *h2.ContinuationFrame:
			frag, end = x.FieldBlockFragment, x.EndHeaders
		}
		st.block = append(st.block, frag...)
		if !end {
			continue
		}
		if _, err := st.dec.Decode(nil, st.block, &rec); err != nil && !errors.Is(err, hpack.ErrHeaderListTooLarge) {
			st.track.err = fmt.Sprintf("stream %d: %v", f.stream, err)
			continue
		}
		at := f.parsed
		if at < 0 {
			at = inFlightForever
		}
		st.track.blocks = append(st.track.blocks, hpackBlock{at: at, first: st.first, frame: i, stream: f.stream, rec: rec.Clone(), table: st.dec.AppendTable(nil)})
	}
	sort.SliceStable(tracks, func(i, j int) bool {
		if tracks[i].conn != tracks[j].conn {
			return tracks[i].conn < tracks[j].conn
		}
		return tracks[i].fromServer && !tracks[j].fromServer
	})
	return tracks
}

// arrived returns how many encoder-stream batches had reached the decoder
// by time t (0 without a QPACK dynamic table).
func (tr *hpackTrack) arrived(t int64) int {
	return sort.Search(len(tr.batches), func(i int) bool { return tr.batches[i].at > t })
}

// at returns the index of the last block decoded by time t, or -1.
func (t *hpackTrack) at(ts int64) int {
	return sort.Search(len(t.blocks), func(i int) bool { return t.blocks[i].at > ts }) - 1
}

// h3FrameDetails decodes an HTTP/3 frame: its Type and Length fields and,
// but for DATA (whose payload was not kept), its payload's fields.
func h3FrameDetails(f *frameRec, lang Lang) ([]frameField, string, error) {
	if f.name == "qpack_encoder" {
		return qpackEncoderDetails(f.raw, lang)
	}
	t, n1, err := wire.ReadVarint(f.raw)
	if err != nil {
		return nil, "", err
	}
	l, _, err := wire.ReadVarint(f.raw[n1:])
	if err != nil {
		return nil, "", err
	}
	fields := []frameField{
		{"Type", fmt.Sprintf("%s (0x%x)", h3.FrameType(t), t)},
		{"Length", strconv.FormatUint(l, 10)},
	}
	if h3.FrameType(t) == h3.FrameData {
		return append(fields, frameField{"Data", lang.T("frames.notkept", int(l))}), "", nil
	}
	fr, _, err := h3.ParseFrame(f.raw)
	if err != nil {
		return fields, "", err
	}
	for _, fl := range fr.Fields() {
		fields = append(fields, frameField{fl.Name, fl.Value})
	}
	return fields, "", nil
}
