package qlog

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"time"

	"httpsim/sim/quic"
	"httpsim/sim/scenario"
	"httpsim/sim/trace"
)

// Options describe the file and how to read the run's packets.
type Options struct {
	// Title and Description are the file's (main schema -02, "QlogFile").
	Title, Description string
	// ConnIDLen is the length of the QUIC connection IDs the endpoints
	// issue (the scenario's QUIC.ConnIDLen), which a short header does not
	// carry (RFC 9000 §17.3.1); 0 means quic.DefaultConfig's.
	ConnIDLen int
}

// named is an event's name and data before it is given a time.
type named struct {
	name string
	data any
}

// exporter builds the two traces of one run.
type exporter struct {
	proto     string
	connIDLen int
	views     map[trace.Side]*view
	qpack     *qpackState
	hpack     *hpackState
}

// view is one vantage point's trace under construction.
type view struct {
	trace      *Trace
	conns      map[int32]bool
	state      map[int32]string // connection state, for "old"
	congestion map[int32]string // congestion state, for "old"
}

// Export returns the qlog file of one protocol run whose trace was kept
// (scenario.Options.KeepTrace): the client's trace, then the server's.
func Export(run *scenario.ProtocolRun, o Options) (*File, error) {
	if run == nil {
		return nil, errors.New("qlog: no run to export")
	}
	if run.Log == nil || !run.Log.Keeps() {
		return nil, errors.New("qlog: the run's trace was not kept (run it with scenario.Options{KeepTrace: true})")
	}
	var protocols []string
	switch run.Proto {
	case "h3":
		protocols = []string{"QUIC", "HTTP3"}
	case "h2":
		protocols = []string{"TCP", "TLS", "HTTP2"}
	case "h1":
		protocols = []string{"TCP", "TLS", "HTTP1"}
	default:
		return nil, fmt.Errorf("qlog: cannot export a %q run (protocols: h1, h2, h3)", run.Proto)
	}
	if run.Proto != "h3" && !hasTLS(run.Log) {
		protocols = slices.DeleteFunc(protocols, func(p string) bool { return p == "TLS" }) // --tls none
	}
	x := &exporter{proto: run.Proto, connIDLen: o.ConnIDLen, views: map[trace.Side]*view{}, qpack: newQPACKState(), hpack: newHPACKState()}
	if x.connIDLen == 0 {
		x.connIDLen = quic.DefaultConfig().ConnIDLen
	}
	f := &File{QlogVersion: Version, QlogFormat: "JSON", Title: o.Title, Description: o.Description}
	for _, side := range []trace.Side{trace.Client, trace.Server} {
		t := &Trace{
			Title:        fmt.Sprintf("%s %s", run.Proto, side),
			VantagePoint: VantagePoint{Name: "httpsim " + side.String(), Type: side.String()},
			CommonFields: CommonFields{ProtocolType: protocols, TimeFormat: "relative", ReferenceTime: 0},
			Events:       []Event{},
		}
		if run.Variant != "" && run.Variant != run.Proto {
			t.Title = run.Variant + " " + t.Title
		}
		f.Traces = append(f.Traces, t)
		x.views[side] = &view{trace: t, conns: map[int32]bool{}, state: map[int32]string{}, congestion: map[int32]string{}}
	}
	events := run.Log.Events()
	ends := endsOf(events)
	x.hpack.ends, x.qpack.ends = ends, ends
	if x.proto == "h2" {
		if err := x.hpack.prepare(events); err != nil {
			return nil, err
		}
	}
	for i := range events {
		e := &events[i]
		if e.Conn < 0 || e.Side == trace.Network || !ends.browsers(e.Conn) {
			continue // the network's events, the page's, and an edge's to the origin
		}
		v := x.views[trace.Server] // the origin, or an edge in front of it
		if e.Side == trace.Client {
			v = x.views[trace.Client]
		}
		out, err := x.event(e, v)
		if err != nil {
			return nil, err
		}
		for _, n := range out {
			at := e.At
			if b, ok := n.data.(packetBuffered); ok {
				at = b.arrived // logged when the packet arrived
			}
			v.trace.Events = append(v.trace.Events, Event{Time: at.Ms(), Name: n.name, Data: n.data, conn: e.Conn})
			v.conns[e.Conn] = true
		}
	}
	for _, v := range x.views {
		// In time order: a packet_buffered goes back to when its
		// packet arrived.
		sort.SliceStable(v.trace.Events, func(i, j int) bool { return v.trace.Events[i].Time < v.trace.Events[j].Time })
		v.group()
	}
	return f, nil
}

// event maps one trace event to qlog events of its endpoint's view.
func (x *exporter) event(e *trace.Event, v *view) ([]named, error) {
	tcp := x.proto != "h3"
	switch e.Kind {
	case trace.PacketSent, trace.PacketReceived:
		name := "transport:packet_sent"
		if e.Kind == trace.PacketReceived {
			name = "transport:packet_received"
		}
		if tcp {
			return []named{{name, tcpPacket(e)}}, nil
		}
		p, err := x.quicPacket(e)
		if err != nil {
			return nil, err
		}
		if e.Kind == trace.PacketReceived && e.Arrived > 0 && e.Arrived < e.At {
			// It came before the keys to read it and was kept for them
			// (RFC 9001 §5.7): quic-events -02's packet_buffered when it
			// arrived, packet_received when it was read.
			pe := p.(packetEvent)
			return []named{{"transport:packet_buffered", packetBuffered{Header: pe.Header, Raw: pe.Raw, Trigger: "keys_unavailable", arrived: e.Arrived}}, {name, p}}, nil
		}
		return []named{{name, p}}, nil
	case trace.PacketDropped:
		if tcp {
			return []named{{"transport:packet_dropped", tcpDropped(e)}}, nil
		}
		return []named{{"transport:packet_dropped", x.quicDropped(e)}}, nil
	case trace.PacketLost:
		if tcp {
			return []named{{"recovery:packet_lost", tcpLost(e)}}, nil
		}
		return []named{{"recovery:packet_lost", quicLost(e)}}, nil
	case trace.MetricsUpdated:
		return []named{{"recovery:metrics_updated", metrics(e)}}, nil
	case trace.CongestionStateUpdated:
		old := v.congestion[e.Conn]
		v.congestion[e.Conn] = e.Name
		return []named{{"recovery:congestion_state_updated", congestionStateUpdated{Old: old, New: e.Name}}}, nil
	case trace.LossTimerUpdated:
		return []named{{"recovery:loss_timer_updated", lossTimer(e)}}, nil
	case trace.DataMoved:
		return []named{{"transport:data_moved", moved(e)}}, nil
	case trace.ConnectionStateUpdated:
		var out []named
		if tcp {
			v.state[e.Conn], out = tcpState(e, v.state[e.Conn])
		} else {
			v.state[e.Conn], out = quicState(e, v.state[e.Conn])
		}
		return out, nil
	case trace.RecordCreated, trace.RecordParsed:
		name := "tls:record_created"
		if e.Kind == trace.RecordParsed {
			name = "tls:record_parsed"
		}
		return []named{{name, tlsRecord(e)}}, nil
	case trace.FrameCreated, trace.FrameParsed:
		return x.frame(e)
	}
	// HOLBlocked and ResourceUpdated are the simulator's own analyses, not
	// something an endpoint logs.
	return nil, nil
}

// frame maps an HTTP frame (or HTTP/1.x message head) event.
func (x *exporter) frame(e *trace.Event) ([]named, error) {
	created := e.Kind == trace.FrameCreated
	switch x.proto {
	case "h3":
		ev, ok, err := x.h3Frame(e)
		if err != nil || !ok {
			return nil, err
		}
		if created {
			return []named{{"http:frame_created", ev}}, nil
		}
		return []named{{"http:frame_parsed", ev}}, nil
	case "h2":
		ev, err := x.h2Frame(e)
		if err != nil {
			return nil, err
		}
		if created {
			return []named{{"http2:frame_created", ev}}, nil
		}
		return []named{{"http2:frame_parsed", ev}}, nil
	}
	ev, err := h1Message(e)
	if err != nil {
		return nil, x.eventErr(e, err)
	}
	if created {
		return []named{{"http1:message_created", ev}}, nil
	}
	return []named{{"http1:message_parsed", ev}}, nil
}

// group names the connections: in common_fields when the view has one, on
// every event when it has several (main schema -02, "group_id"), which
// qvis splits into one trace each.
func (v *view) group() {
	switch len(v.conns) {
	case 0:
	case 1:
		for c := range v.conns {
			v.trace.CommonFields.GroupID = groupID(c)
		}
	default:
		for i := range v.trace.Events {
			v.trace.Events[i].GroupID = groupID(v.trace.Events[i].conn)
		}
	}
}

func groupID(conn int32) string { return "connection " + strconv.Itoa(int(conn)) }

// eventErr says which event could not be exported.
func (x *exporter) eventErr(e *trace.Event, err error) error {
	return fmt.Errorf("qlog: %s %s at %s (connection %d, packet %d, stream %d): %w",
		e.Side, e.Kind, e.At, e.Conn, e.PN, e.Stream, err)
}

// ms is d in milliseconds, qlog's unit of time.
func ms(d time.Duration) float64 { return float64(d) / 1e6 }

// hasTLS reports whether a run over TCP wrote any TLS record.
func hasTLS(log *trace.Log) bool {
	for _, e := range log.Events() {
		if e.Kind == trace.RecordCreated {
			return true
		}
	}
	return false
}
