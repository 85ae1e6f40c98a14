package qlog

import (
	"errors"
	"fmt"
	"math"

	"httpsim/sim/h3"
	"httpsim/sim/hpack"
	"httpsim/sim/qpack"
	"httpsim/sim/trace"
)

// This file maps HTTP/3 frames to http:frame_created and http:frame_parsed
// (draft-ietf-quic-qlog-h3-events-02 §3.1.4, §3.1.5), the frames to
// Appendix A.3's HTTPFrame objects.

// httpFrameEvent is §3.1.4's HTTPFrameCreated and §3.1.5's
// HTTPFrameParsed: length is the frame's Length field (the payload), which
// §2.2.1 says equals raw.payload_length.
type httpFrameEvent struct {
	StreamID int64   `json:"stream_id"`
	Length   int64   `json:"length"`
	Frame    any     `json:"frame"`
	Raw      rawInfo `json:"raw"`
}

// httpField is A.3.2's HTTPField; HEADERS and PUSH_PROMISE frames are
// written decoded (the draft's "uncompressed, plaintext" frame).
type httpField struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// plainFields copies decoded fields (QPACK's are HPACK's type) into
// HTTPFields.
func plainFields(fs []hpack.HeaderField) []httpField {
	out := make([]httpField, len(fs))
	for i, f := range fs {
		out[i] = httpField{Name: f.Name, Value: f.Value}
	}
	return out
}

type httpDataFrame struct {
	FrameType string `json:"frame_type"`
}

type httpHeadersFrame struct {
	FrameType string      `json:"frame_type"`
	Headers   []httpField `json:"headers"`
}

type httpSetting struct {
	Name  string `json:"name"`
	Value uint64 `json:"value"`
}

type httpSettingsFrame struct {
	FrameType string        `json:"frame_type"`
	Settings  []httpSetting `json:"settings"`
}

type httpPushIDFrame struct {
	FrameType string `json:"frame_type"`
	PushID    uint64 `json:"push_id"`
}

type httpPushPromiseFrame struct {
	FrameType string      `json:"frame_type"`
	PushID    uint64      `json:"push_id"`
	Headers   []httpField `json:"headers"`
}

// httpGoawayFrame is A.3.6's HTTPGoawayFrame: id is a stream ID from a
// server and a push ID from a client.
type httpGoawayFrame struct {
	FrameType string `json:"frame_type"`
	ID        uint64 `json:"id"`
}

// httpPriorityUpdateFrame is RFC 9218 §7.2's PRIORITY_UPDATE, which
// h3-events -02 predates; its fields are named as later h3-events drafts
// name them (target_stream_type, prioritized_element_id,
// priority_field_value).
type httpPriorityUpdateFrame struct {
	FrameType            string `json:"frame_type"`
	TargetStreamType     string `json:"target_stream_type"`
	PrioritizedElementID uint64 `json:"prioritized_element_id"`
	PriorityFieldValue   string `json:"priority_field_value"`
}

// httpReservedFrame is A.3.8's HTTPReservedFrame.
type httpReservedFrame struct {
	FrameType string `json:"frame_type"`
	Length    uint64 `json:"length"`
}

// httpUnknownFrame is quic-events -02 A.12.21's UnknownFrame, which A.3.9
// reuses.
type httpUnknownFrame struct {
	FrameType    string `json:"frame_type"`
	RawFrameType uint64 `json:"raw_frame_type"`
	RawLength    uint64 `json:"raw_length"`
}

// fieldKey identifies a field section: the n-th HEADERS (or PUSH_PROMISE)
// frame sender wrote on a stream.
type fieldKey struct {
	conn   int32
	sender trace.Side
	stream int64
	typ    string
	n      int
}

// streamKey counts field sections per stream and direction.
type streamKey struct {
	conn   int32
	side   trace.Side
	stream int64
	typ    string
}

// qpackState decodes the field sections of a run's HTTP/3 connections. A
// section is decoded when its sender writes it, by a decoder fed with that
// sender's encoder stream in the order the sender wrote it, so no section is
// ever blocked (RFC 9204 §2.1.2: an encoder references only entries it has
// sent). The receiver's frame_parsed shows the same fields.
type qpackState struct {
	ends    connEnds
	dec     map[streamKey]*qpack.Decoder // by conn and sender
	fields  map[fieldKey][]httpField
	created map[streamKey]int
	parsed  map[streamKey]int
}

func newQPACKState() *qpackState {
	return &qpackState{
		dec:     map[streamKey]*qpack.Decoder{},
		fields:  map[fieldKey][]httpField{},
		created: map[streamKey]int{},
		parsed:  map[streamKey]int{},
	}
}

func (q *qpackState) decoder(conn int32, sender trace.Side) *qpack.Decoder {
	k := streamKey{conn: conn, side: sender}
	d := q.dec[k]
	if d == nil {
		// The bounds are the receiver's settings in a real peer; here
		// the sender's encoder already kept within them.
		d = qpack.NewDecoder(math.MaxUint32, math.MaxUint32)
		d.SetMaxFieldSectionSize(math.MaxUint64)
		q.dec[k] = d
	}
	return d
}

// encoderStream feeds what a sender wrote on its QPACK encoder stream.
func (q *qpackState) encoderStream(e *trace.Event) error {
	if _, err := q.decoder(e.Conn, e.Side).FeedEncoderStream(e.Raw, nil); err != nil {
		return fmt.Errorf("QPACK encoder stream: %w", err)
	}
	return nil
}

// section returns the fields of a field section: decoded if e created it,
// looked up from its creation if e parsed it.
func (q *qpackState) section(e *trace.Event, typ string, encoded []byte) ([]httpField, error) {
	if e.Kind == trace.FrameCreated {
		k := streamKey{e.Conn, e.Side, e.Stream, typ}
		n := q.created[k]
		q.created[k] = n + 1
		fs, blocked, err := q.decoder(e.Conn, e.Side).DecodeFieldSection(uint64(e.Stream), encoded, nil)
		switch {
		case err != nil:
			return nil, fmt.Errorf("QPACK field section: %w", err)
		case blocked:
			return nil, errors.New("QPACK field section references entries its encoder stream has not sent")
		}
		out := plainFields(fs)
		q.fields[fieldKey{e.Conn, e.Side, e.Stream, typ, n}] = out
		return out, nil
	}
	k := streamKey{e.Conn, e.Side, e.Stream, typ}
	n := q.parsed[k]
	q.parsed[k] = n + 1
	fs, ok := q.fields[fieldKey{e.Conn, q.ends.peer(e.Conn, e.Side), e.Stream, typ, n}]
	if !ok {
		return nil, fmt.Errorf("%s frame %d parsed on stream %d was never created by the peer", typ, n, e.Stream)
	}
	return fs, nil
}

// h3Frame maps a FrameCreated or FrameParsed event of an HTTP/3 run. ok is
// false for events that are not HTTP/3 frames (the QPACK encoder stream's
// instructions, which feed the decoder).
func (x *exporter) h3Frame(e *trace.Event) (ev httpFrameEvent, ok bool, err error) {
	if e.Name == "qpack_encoder" || e.Name == "qpack_decoder" {
		if e.Name == "qpack_encoder" && e.Kind == trace.FrameCreated {
			if err := x.qpack.encoderStream(e); err != nil {
				return ev, false, x.eventErr(e, err)
			}
		}
		return ev, false, nil
	}
	ev = httpFrameEvent{StreamID: e.Stream}
	if e.Name == "data" {
		// DATA's Raw is the frame header alone: the payload is filler.
		ev.Length = e.Len - int64(len(e.Raw))
		ev.Frame = httpDataFrame{FrameType: "data"}
		ev.Raw = rawInfo{Length: e.Len, PayloadLength: ev.Length}
		return ev, true, nil
	}
	f, n, err := h3.ParseFrame(e.Raw)
	if err != nil {
		return ev, false, x.eventErr(e, fmt.Errorf("HTTP/3 %s frame: %w", e.Name, err))
	}
	ev.Length = int64(f.PayloadLen())
	ev.Raw = rawInfo{Length: int64(n), PayloadLength: ev.Length}
	switch f := f.(type) {
	case *h3.HeadersFrame:
		fields, err := x.qpack.section(e, "headers", f.EncodedFieldSection)
		if err != nil {
			return ev, false, x.eventErr(e, err)
		}
		ev.Frame = httpHeadersFrame{FrameType: "headers", Headers: fields}
	case *h3.PushPromiseFrame:
		fields, err := x.qpack.section(e, "push_promise", f.EncodedFieldSection)
		if err != nil {
			return ev, false, x.eventErr(e, err)
		}
		ev.Frame = httpPushPromiseFrame{FrameType: "push_promise", PushID: f.PushID, Headers: fields}
	case *h3.SettingsFrame:
		s := httpSettingsFrame{FrameType: "settings", Settings: make([]httpSetting, 0, len(f.Settings))}
		for _, st := range f.Settings {
			s.Settings = append(s.Settings, httpSetting{Name: st.ID.String(), Value: st.Value})
		}
		ev.Frame = s
	case *h3.GoawayFrame:
		ev.Frame = httpGoawayFrame{FrameType: "goaway", ID: f.ID}
	case *h3.CancelPushFrame:
		ev.Frame = httpPushIDFrame{FrameType: "cancel_push", PushID: f.PushID}
	case *h3.MaxPushIDFrame:
		ev.Frame = httpPushIDFrame{FrameType: "max_push_id", PushID: f.PushID}
	case *h3.PriorityUpdateFrame:
		target := "request"
		if f.IsPush {
			target = "push"
		}
		ev.Frame = httpPriorityUpdateFrame{FrameType: "priority_update", TargetStreamType: target,
			PrioritizedElementID: f.PrioritizedElementID, PriorityFieldValue: f.PriorityFieldValue}
	case *h3.UnknownFrame:
		if f.FrameType.IsReserved() {
			ev.Frame = httpReservedFrame{FrameType: "reserved", Length: f.PayloadLength}
		} else {
			ev.Frame = httpUnknownFrame{FrameType: "unknown", RawFrameType: uint64(f.FrameType), RawLength: f.PayloadLength}
		}
	default:
		return ev, false, x.eventErr(e, fmt.Errorf("HTTP/3 frame type %#x has no qlog mapping", uint64(f.Type())))
	}
	return ev, true, nil
}

// connEnds are the two vantage points of each connection: the browser and
// the origin, or, with an edge in between, the browser and the edge on
// one connection and the edge and the origin on the other.
type connEnds map[int32][2]trace.Side

// endsOf finds the two ends of every connection in events.
func endsOf(events []trace.Event) connEnds {
	ends := connEnds{}
	for i := range events {
		e := &events[i]
		if e.Conn < 0 || e.Side == trace.Network {
			continue
		}
		pair, ok := ends[e.Conn]
		switch {
		case !ok:
			ends[e.Conn] = [2]trace.Side{e.Side, e.Side}
		case pair[0] == pair[1] && pair[0] != e.Side:
			ends[e.Conn] = [2]trace.Side{pair[0], e.Side}
		}
	}
	return ends
}

// peer is the other end of conn from s.
func (c connEnds) peer(conn int32, s trace.Side) trace.Side {
	if pair, ok := c[conn]; ok && pair[0] != pair[1] {
		if pair[0] == s {
			return pair[1]
		}
		return pair[0]
	}
	if s == trace.Client {
		return trace.Server
	}
	return trace.Client
}

// browsers reports whether the browser is one end of conn: the
// connections a page load's qlog shows (an edge's to the origin are not).
func (c connEnds) browsers(conn int32) bool {
	pair := c[conn]
	return pair[0] == trace.Client || pair[1] == trace.Client
}
