package updates

import (
	"slices"

	"httpsim/sim"
)

// Result is what a run measured, as the CLI prints it. Times are in
// milliseconds since the start of the run; latencies in milliseconds.
type Result struct {
	Mode Mode `json:"mode"`
	// Status is "delivered" once every event reached the page, "time
	// limit" or "event limit" if the run stopped first, "failed" if an
	// end broke a protocol rule (Error says which), "running" otherwise.
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
	// Events is the number of events the server generates; Delivered how
	// many reached the page.
	Events    int `json:"events"`
	Delivered int `json:"delivered"`
	// DoneMs is when the last event reached the page (the run's
	// completion), -1 if not every event did.
	DoneMs float64 `json:"done_ms"`
	// EndMs is when the run stopped: when the last event reached the
	// page, except over a WebSocket, which the page then closes (Closed);
	// or at a limit, or when an end failed.
	EndMs float64 `json:"end_ms"`
	// Closed says a WebSocket's closing handshake completed: Close frames
	// both ways, then the server's FIN and the page's, acknowledged (RFC
	// 6455 §7.1.1, §7.1.2).
	Closed bool `json:"closed"`
	// Latency summarises, over the delivered events, the time from the
	// server generating an event to the page having all of its bytes.
	Latency LatencyStats `json:"latency"`
	// Requests is the number of HTTP requests the page sent (over
	// WebSocket, the one Upgrade request).
	Requests int64 `json:"requests"`
	// Responses is the number of HTTP responses the server wrote;
	// EmptyResponses those with no event (204); Timeouts those of them
	// that ended a long poll's hold.
	Responses      int64 `json:"responses"`
	EmptyResponses int64 `json:"empty_responses"`
	Timeouts       int64 `json:"timeouts"`
	// Frames is the number of WebSocket frames written, both directions,
	// the Close frames included.
	Frames int64 `json:"ws_frames"`
	// Connections is the number of TCP connections opened: one, kept
	// alive (nothing here reconnects).
	Connections int `json:"connections"`
	// Packets, PacketsLost and Retransmits count segments of both
	// directions.
	Packets     int64     `json:"packets"`
	PacketsLost int64     `json:"packets_lost"`
	Retransmits int64     `json:"retransmits"`
	Wire        WireBytes `json:"wire"`
	// HOLEvents is the number of events held back at the page's TCP after
	// all their bytes had arrived, waiting for an earlier lost segment
	// (head-of-line blocking).
	HOLEvents int           `json:"hol_events"`
	PerEvent  []EventResult `json:"per_event"`
	// TraceEvents and TraceHash identify the trace (the same scenario
	// and seed give the same hash on every machine).
	TraceEvents int64  `json:"trace_events"`
	TraceHash   string `json:"trace_hash"`
}

// LatencyStats summarise event delivery latencies, in milliseconds. The
// median of an even count is the mean of the two middle values; P95 is the
// nearest-rank 95th percentile (the smallest latency at or above which lie
// no more than 5% of the events).
type LatencyStats struct {
	Count  int     `json:"count"`
	Mean   float64 `json:"mean_ms"`
	Median float64 `json:"median_ms"`
	P95    float64 `json:"p95_ms"`
	Max    float64 `json:"max_ms"`
	Min    float64 `json:"min_ms"`
}

// WireBytes splits the bytes on the wire. Total is every byte of every
// packet sent, both directions, all headers included. When every byte
// written has been sent, Total = TCPIP + TLS + HTTPHeaders + WSFraming +
// Payload + Retransmitted.
type WireBytes struct {
	Total int64 `json:"total"`
	// TCPIP is the IP and TCP headers and options.
	TCPIP int64 `json:"tcpip"`
	// TLS is handshakes and record framing.
	TLS int64 `json:"tls"`
	// HTTPHeaders is request and response heads, the opening handshake's
	// included.
	HTTPHeaders int64 `json:"http_headers"`
	// WSFraming is WebSocket frame headers (masking keys included).
	WSFraming int64 `json:"ws_framing"`
	// Payload is the JSON: poll answers' bodies (envelope included),
	// frame payloads (events, acks, pings and pongs, the Close frames'
	// status codes).
	Payload int64 `json:"payload"`
	// Retransmitted is payload sent again.
	Retransmitted int64 `json:"retransmitted"`
}

// EventResult is one event's fate. DeliveredMs and LatencyMs are -1 for an
// event that never arrived.
type EventResult struct {
	ID          int     `json:"id"`
	GeneratedMs float64 `json:"generated_ms"`
	DeliveredMs float64 `json:"delivered_ms"`
	LatencyMs   float64 `json:"latency_ms"`
	// HOLMs is how long the event waited at the page after its last byte
	// reached the page's TCP: head-of-line blocking behind a lost segment
	// (0 without loss).
	HOLMs float64 `json:"hol_ms"`
	// Request is the number of the HTTP request whose answer carried the
	// event (from 0 on the connection); -1 over WebSocket.
	Request int64 `json:"request"`
}

// Result summarises the run so far.
func (r *Run) Result() Result {
	res := Result{
		Mode:           r.cfg.Mode,
		Status:         r.status(),
		Events:         len(r.times),
		Delivered:      r.count,
		DoneMs:         -1,
		EndMs:          r.loop.Now().Ms(),
		Closed:         r.closed,
		Requests:       r.st.requests,
		Responses:      r.st.responses,
		EmptyResponses: r.st.empty,
		Timeouts:       r.st.timeouts,
		Frames:         r.st.frames,
		Connections:    1,
		Packets:        r.st.packets,
		PacketsLost:    r.st.lost,
		Retransmits:    r.st.rtx,
		TraceEvents:    r.log.Len(),
		TraceHash:      r.log.HashString(),
	}
	if r.err != nil {
		res.Error = r.err.Error()
	}
	if r.done {
		res.DoneMs = r.doneAt.Ms()
	}
	res.Wire = WireBytes{
		Total:         r.st.wire,
		TCPIP:         r.st.tcpip,
		HTTPHeaders:   r.st.httpHeaders,
		WSFraming:     r.st.wsFraming,
		Payload:       r.st.payload,
		Retransmitted: r.st.rtxBytes,
	}
	for _, t := range r.tlsEnds {
		res.Wire.TLS += t.Stats().Overhead()
	}
	var lat []float64
	res.PerEvent = make([]EventResult, len(r.times))
	for i, t := range r.times {
		e := EventResult{ID: i, GeneratedMs: t.Ms(), DeliveredMs: -1, LatencyMs: -1, Request: r.carrier[i]}
		if d := r.delivered[i]; d != sim.Never {
			e.DeliveredMs = d.Ms()
			e.LatencyMs = float64(d.Sub(t)) / 1e6
			if w := d.Sub(r.lastAt[i]); w > 0 && r.lastAt[i] > 0 {
				e.HOLMs = float64(w) / 1e6
				res.HOLEvents++
			}
			lat = append(lat, e.LatencyMs)
		}
		res.PerEvent[i] = e
	}
	res.Latency = summarise(lat)
	return res
}

func (r *Run) status() string {
	switch {
	case r.done:
		return "delivered"
	case r.err != nil:
		return "failed"
	case r.timedOut || r.loop.Status() == sim.TimeLimit:
		return "time limit"
	case r.loop.Status() == sim.EventLimit:
		return "event limit"
	}
	return "running"
}

// summarise computes the latency statistics of xs (in any order).
func summarise(xs []float64) LatencyStats {
	s := LatencyStats{Count: len(xs)}
	if len(xs) == 0 {
		return s
	}
	v := slices.Clone(xs)
	slices.Sort(v)
	sum := 0.0
	for _, x := range v {
		sum += x
	}
	n := len(v)
	s.Mean = sum / float64(n)
	s.Min, s.Max = v[0], v[n-1]
	if n%2 == 1 {
		s.Median = v[n/2]
	} else {
		s.Median = (v[n/2-1] + v[n/2]) / 2
	}
	// Nearest rank: the ceil(0.95 n)-th smallest, in integers.
	s.P95 = v[(95*n+99)/100-1]
	return s
}
