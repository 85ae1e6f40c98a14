package qlog

import (
	"fmt"
	"math"
	"strings"

	"httpsim/sim/h2"
	"httpsim/sim/hpack"
	"httpsim/sim/trace"
)

// This file writes HTTP/2 frames as http2:frame_created and
// http2:frame_parsed in the dialect of qvis's pcap converter
// (qlog_tcp_tls_h2.ts: IEventH2FrameCreated, IEventH2FrameParsed), which
// the qlog drafts do not define: stream_id, frame {frame_type, byte_length,
// stream_end, headers}, payload_length and header_length.

// h2FrameEvent is the dialect's IEventH2FrameCreated and
// IEventH2FrameParsed.
type h2FrameEvent struct {
	StreamID      uint32  `json:"stream_id"`
	Frame         h2Frame `json:"frame"`
	PayloadLength uint32  `json:"payload_length"`
	HeaderLength  int     `json:"header_length"`
}

// h2Frame is the dialect's HTTP2Frame: frame_type in its names ("data",
// "headers", "go_away", "window_update", ...), byte_length the payload's;
// headers decoded from HPACK on the frame that starts a field block.
// The remaining fields are this exporter's, for frames the dialect leaves
// bare.
type h2Frame struct {
	FrameType          string        `json:"frame_type"`
	ByteLength         uint32        `json:"byte_length"`
	StreamEnd          bool          `json:"stream_end,omitempty"`
	Headers            []httpField   `json:"headers,omitempty"`
	Settings           []httpSetting `json:"settings,omitempty"`
	Ack                bool          `json:"ack,omitempty"`
	ErrorCode          string        `json:"error_code,omitempty"`
	LastStreamID       *uint32       `json:"last_stream_id,omitempty"`
	Increment          uint32        `json:"window_size_increment,omitempty"`
	PromisedStreamID   uint32        `json:"promised_stream_id,omitempty"`
	PriorityFieldValue string        `json:"priority_field_value,omitempty"`
}

// h2FrameTypes are the dialect's HTTP2FrameTypeName values.
var h2FrameTypes = map[h2.FrameType]string{
	h2.FrameData:           "data",
	h2.FrameHeaders:        "headers",
	h2.FramePriority:       "priority",
	h2.FrameRSTStream:      "reset_stream",
	h2.FrameSettings:       "settings",
	h2.FramePushPromise:    "push_promise",
	h2.FramePing:           "ping",
	h2.FrameGoAway:         "go_away",
	h2.FrameWindowUpdate:   "window_update",
	h2.FrameContinuation:   "continuation",
	h2.FramePriorityUpdate: "priority_update",
}

// hpackState decodes a run's HTTP/2 field blocks. Like qpackState it
// decodes each block as its sender wrote it, with one decoder per
// connection and direction (RFC 7541 §2.2), and the receiver's
// frame_parsed shows the same fields.
type hpackState struct {
	ends    connEnds
	dec     map[streamKey]*hpack.Decoder
	block   map[streamKey][]byte // the field block being collected
	fields  map[fieldKey][]httpField
	created map[streamKey]int // blocks started, counted by prepare
	// createdSeen and parsedSeen count the blocks exported so far.
	createdSeen, parsedSeen map[streamKey]int
	// pending is, per sender and connection, the key of the block whose
	// HEADERS or PUSH_PROMISE frame is waiting for its CONTINUATIONs.
	pending map[streamKey]fieldKey
}

func newHPACKState() *hpackState {
	return &hpackState{
		dec:         map[streamKey]*hpack.Decoder{},
		block:       map[streamKey][]byte{},
		fields:      map[fieldKey][]httpField{},
		created:     map[streamKey]int{},
		createdSeen: map[streamKey]int{},
		parsedSeen:  map[streamKey]int{},
		pending:     map[streamKey]fieldKey{},
	}
}

// prepare decodes every field block of the run in the order its sender
// wrote it, before any event is exported: a HEADERS frame's fields are only
// known once its last CONTINUATION is in (RFC 9113 §6.10).
func (s *hpackState) prepare(events []trace.Event) error {
	for i := range events {
		e := &events[i]
		if e.Kind != trace.FrameCreated || e.Conn < 0 {
			continue
		}
		h, err := h2.ParseFrameHeader(e.Raw)
		if err != nil {
			continue // not an HTTP/2 frame: the h2 event check reports it
		}
		var frag []byte
		first := false
		switch h.Type {
		case h2.FrameHeaders, h2.FramePushPromise:
			f, err := h2.ParseFrame(h, e.Raw[h2.FrameHeaderLen:])
			if err != nil {
				return fmt.Errorf("qlog: %s %s at %s: %w", e.Side, h.Type, e.At, err)
			}
			first = true
			if hf, ok := f.(*h2.HeadersFrame); ok {
				frag = hf.FieldBlockFragment
			} else {
				frag = f.(*h2.PushPromiseFrame).FieldBlockFragment
			}
		case h2.FrameContinuation:
			f, err := h2.ParseContinuationFrame(h, e.Raw[h2.FrameHeaderLen:])
			if err != nil {
				return fmt.Errorf("qlog: %s CONTINUATION at %s: %w", e.Side, e.At, err)
			}
			frag = f.FieldBlockFragment
		default:
			continue
		}
		dir := streamKey{conn: e.Conn, side: e.Side}
		if first {
			k := streamKey{e.Conn, e.Side, int64(h.StreamID), h2FrameTypes[h.Type]}
			n := s.created[k]
			s.created[k] = n + 1
			s.pending[dir] = fieldKey{e.Conn, e.Side, int64(h.StreamID), h2FrameTypes[h.Type], n}
			s.block[dir] = s.block[dir][:0]
		} else if _, ok := s.pending[dir]; !ok {
			return fmt.Errorf("qlog: %s CONTINUATION at %s follows no HEADERS", e.Side, e.At)
		}
		s.block[dir] = append(s.block[dir], frag...)
		if h.Flags&h2.FlagEndHeaders == 0 {
			continue
		}
		fs, err := s.decoder(dir).Decode(nil, s.block[dir], nil)
		if err != nil {
			return fmt.Errorf("qlog: %s HPACK field block at %s: %w", e.Side, e.At, err)
		}
		s.fields[s.pending[dir]] = plainFields(fs)
		delete(s.pending, dir)
	}
	return nil
}

func (s *hpackState) decoder(dir streamKey) *hpack.Decoder {
	d := s.dec[dir]
	if d == nil {
		d = hpack.NewDecoder(hpack.DefaultTableSize)
		d.SetTableSizeLimit(math.MaxInt32)
		d.SetMaxHeaderListSize(math.MaxUint32)
		s.dec[dir] = d
	}
	return d
}

// fieldsOf returns the fields of the block a HEADERS or PUSH_PROMISE event
// starts: those of its sender's n-th such frame on the stream.
func (s *hpackState) fieldsOf(e *trace.Event, stream uint32, typ string) ([]httpField, error) {
	sender, seen := e.Side, s.createdSeen
	if e.Kind == trace.FrameParsed {
		sender, seen = s.ends.peer(e.Conn, e.Side), s.parsedSeen
	}
	k := streamKey{e.Conn, e.Side, int64(stream), typ}
	n := seen[k]
	seen[k] = n + 1
	fs, ok := s.fields[fieldKey{e.Conn, sender, int64(stream), typ, n}]
	if !ok {
		return nil, fmt.Errorf("%s frame %d on stream %d: its sender never completed the field block", typ, n, stream)
	}
	return fs, nil
}

// h2Frame maps a FrameCreated or FrameParsed event of an HTTP/2 run. DATA
// events hold the frame header alone; the others the whole frame.
func (x *exporter) h2Frame(e *trace.Event) (h2FrameEvent, error) {
	h, err := h2.ParseFrameHeader(e.Raw)
	if err != nil {
		return h2FrameEvent{}, x.eventErr(e, fmt.Errorf("HTTP/2 frame header: %w", err))
	}
	typ, ok := h2FrameTypes[h.Type]
	if !ok {
		typ = "unknown"
	}
	ev := h2FrameEvent{StreamID: h.StreamID, PayloadLength: h.Length, HeaderLength: h2.FrameHeaderLen,
		Frame: h2Frame{FrameType: typ, ByteLength: h.Length}}
	if h.Type == h2.FrameData {
		ev.Frame.StreamEnd = h.Flags&h2.FlagEndStream != 0
		return ev, nil
	}
	f, err := h2.ParseFrame(h, e.Raw[h2.FrameHeaderLen:])
	if err != nil {
		return ev, x.eventErr(e, fmt.Errorf("HTTP/2 %s frame: %w", h.Type, err))
	}
	switch f := f.(type) {
	case *h2.HeadersFrame:
		ev.Frame.StreamEnd = f.EndStream
		if ev.Frame.Headers, err = x.hpack.fieldsOf(e, h.StreamID, typ); err != nil {
			return ev, x.eventErr(e, err)
		}
	case *h2.PushPromiseFrame:
		ev.Frame.PromisedStreamID = f.PromisedStreamID
		if ev.Frame.Headers, err = x.hpack.fieldsOf(e, h.StreamID, typ); err != nil {
			return ev, x.eventErr(e, err)
		}
	case *h2.SettingsFrame:
		ev.Frame.Ack = f.Ack
		for _, s := range f.Settings {
			ev.Frame.Settings = append(ev.Frame.Settings, httpSetting{Name: s.ID.String(), Value: uint64(s.Value)})
		}
	case *h2.PingFrame:
		ev.Frame.Ack = f.Ack
	case *h2.GoAwayFrame:
		last := f.LastStreamID
		ev.Frame.LastStreamID, ev.Frame.ErrorCode = &last, strings.ToLower(f.ErrorCode.String())
	case *h2.RSTStreamFrame:
		ev.Frame.ErrorCode = strings.ToLower(f.ErrorCode.String())
	case *h2.WindowUpdateFrame:
		ev.Frame.Increment = f.WindowSizeIncrement
	case *h2.PriorityUpdateFrame:
		ev.Frame.PriorityFieldValue = f.PriorityFieldValue
	}
	return ev, nil
}
