package trace

import (
	"time"

	"httpsim/sim"
)

// record is a kept event without its text: the same numbers in the same
// order, and no pointers. Event's text fields come last, so text fills what
// would be padding after Res.
type record struct {
	At     sim.Time
	Kind   Kind
	Side   Side
	Conn   int32
	Stream int64
	Res    int32
	// text numbers the event's entry in Log.texts from 1; 0 if the event
	// has no text.
	text     uint32
	PN       int64
	Seq      int64
	Ack      int64
	Len      int64
	Size     int64
	Flags    Flags
	Wnd      int64
	Cwnd     int64
	Ssthresh int64
	InFlight int64
	RTT      time.Duration
	SRTT     time.Duration
	RTTVar   time.Duration
	MinRTT   time.Duration
	Arrived  sim.Time
}

// text is the text of a kept event.
type text struct {
	name, value string
	raw         []byte
}

// setNumbers sets r's numbers from e. It and numbersTo name every field of
// Event but the text (a test keeps them in step with the struct).
func (r *record) setNumbers(e *Event) {
	r.At, r.Kind, r.Side, r.Conn = e.At, e.Kind, e.Side, e.Conn
	r.Stream, r.Res = e.Stream, e.Res
	r.PN, r.Seq, r.Ack, r.Len, r.Size = e.PN, e.Seq, e.Ack, e.Len, e.Size
	r.Flags, r.Wnd = e.Flags, e.Wnd
	r.Cwnd, r.Ssthresh, r.InFlight = e.Cwnd, e.Ssthresh, e.InFlight
	r.RTT, r.SRTT, r.RTTVar, r.MinRTT = e.RTT, e.SRTT, e.RTTVar, e.MinRTT
	r.Arrived = e.Arrived
}

// numbersTo sets e's numbers from r.
func (r *record) numbersTo(e *Event) {
	e.At, e.Kind, e.Side, e.Conn = r.At, r.Kind, r.Side, r.Conn
	e.Stream, e.Res = r.Stream, r.Res
	e.PN, e.Seq, e.Ack, e.Len, e.Size = r.PN, r.Seq, r.Ack, r.Len, r.Size
	e.Flags, e.Wnd = r.Flags, r.Wnd
	e.Cwnd, e.Ssthresh, e.InFlight = r.Cwnd, r.Ssthresh, r.InFlight
	e.RTT, e.SRTT, e.RTTVar, e.MinRTT = r.RTT, r.SRTT, r.RTTVar, r.MinRTT
	e.Arrived = r.Arrived
}

// set copies s into e field by field: a whole-struct copy into the heap
// costs a bulk write barrier while the collector marks.
func (e *Event) set(s *Event) {
	e.At, e.Kind, e.Side, e.Conn = s.At, s.Kind, s.Side, s.Conn
	e.Stream, e.Res = s.Stream, s.Res
	e.PN, e.Seq, e.Ack, e.Len, e.Size = s.PN, s.Seq, s.Ack, s.Len, s.Size
	e.Flags, e.Wnd = s.Flags, s.Wnd
	e.Cwnd, e.Ssthresh, e.InFlight = s.Cwnd, s.Ssthresh, s.InFlight
	e.RTT, e.SRTT, e.RTTVar, e.MinRTT = s.RTT, s.SRTT, s.RTTVar, s.MinRTT
	e.Arrived = s.Arrived
	e.Name, e.Value, e.Raw = s.Name, s.Value, s.Raw
}
