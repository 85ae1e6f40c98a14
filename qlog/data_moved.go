package qlog

import "httpsim/sim/trace"

// dataMoved is transport:data_moved (draft-ietf-quic-qlog-quic-events-02
// §3.3.15): bytes [offset, offset+length) of a stream (QUIC) or of the
// connection's byte stream (TCP, no stream_id) handed from the transport to
// the application. The time they waited in the transport's reassembly
// buffer, the head-of-line blocking this simulator is about, is
// waited_ms, an additional field.
type dataMoved struct {
	StreamID *int64  `json:"stream_id,omitempty"`
	Offset   int64   `json:"offset"`
	Length   int64   `json:"length"`
	From     string  `json:"from"`
	To       string  `json:"to"`
	WaitedMs float64 `json:"waited_ms"`
}

func moved(e *trace.Event) dataMoved {
	d := dataMoved{Offset: e.Seq, Length: e.Len, From: "transport", To: "application", WaitedMs: ms(e.At.Sub(e.Arrived))}
	if e.Stream >= 0 {
		id := e.Stream
		d.StreamID = &id
	}
	return d
}
