package qlog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"httpsim/sim/link"
	"httpsim/sim/quic/wire"
	"httpsim/sim/scenario"
	"httpsim/sim/trace"
	"httpsim/sim/units"
	"httpsim/sim/web"
)

// pageRun runs the built-in page scenario over proto with random loss in
// both directions, keeping the trace.
func pageRun(t *testing.T, proto string, loss float64, seed uint64) (*scenario.Scenario, *scenario.ProtocolRun) {
	t.Helper()
	s, err := scenario.Builtin("page")
	if err != nil {
		t.Fatal(err)
	}
	s.Protocols = []string{proto}
	s.Seed = seed
	if loss > 0 {
		l := link.Loss{Model: link.Bernoulli, Rate: loss}
		s.Network.Down.Loss, s.Network.Up.Loss = l, l
	}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	res, err := scenario.Run(s, scenario.Options{KeepTrace: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Runs) != 1 || res.Runs[0].Proto != proto {
		t.Fatalf("Run(page, %s) gave %d runs", proto, len(res.Runs))
	}
	return s, res.Runs[0]
}

// exportJSON exports run and returns the bytes and the parsed file.
func exportJSON(t *testing.T, s *scenario.Scenario, run *scenario.ProtocolRun) ([]byte, *jsonFile) {
	t.Helper()
	f, err := Export(run, Options{Title: "test", ConnIDLen: s.QUIC.ConnIDLen})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	n, err := f.WriteTo(&buf)
	if err != nil || n != int64(buf.Len()) {
		t.Fatalf("WriteTo = %d, %v; want %d, nil", n, err, buf.Len())
	}
	var j jsonFile
	if err := json.Unmarshal(buf.Bytes(), &j); err != nil {
		t.Fatalf("the export is not JSON: %v", err)
	}
	return buf.Bytes(), &j
}

// jsonFile is the export as a consumer reads it, without this package's
// types.
type jsonFile struct {
	QlogVersion string `json:"qlog_version"`
	QlogFormat  string `json:"qlog_format"`
	Traces      []struct {
		VantagePoint struct {
			Type string `json:"type"`
		} `json:"vantage_point"`
		CommonFields map[string]any `json:"common_fields"`
		Events       []jsonEvent    `json:"events"`
	} `json:"traces"`
}

type jsonEvent struct {
	Time    float64        `json:"time"`
	Name    string         `json:"name"`
	Data    map[string]any `json:"data"`
	GroupID string         `json:"group_id"`
}

// checkHeader checks the file-level fields and the two vantage points.
func checkHeader(t *testing.T, j *jsonFile, protocols string) {
	t.Helper()
	if j.QlogVersion != "0.3" || j.QlogFormat != "JSON" {
		t.Errorf("qlog_version, qlog_format = %q, %q; want 0.3, JSON", j.QlogVersion, j.QlogFormat)
	}
	if len(j.Traces) != 2 {
		t.Fatalf("%d traces; want 2", len(j.Traces))
	}
	for i, want := range []string{"client", "server"} {
		tr := j.Traces[i]
		if tr.VantagePoint.Type != want {
			t.Errorf("trace %d vantage_point.type = %q; want %q", i, tr.VantagePoint.Type, want)
		}
		cf := tr.CommonFields
		if cf["time_format"] != "relative" || cf["reference_time"] != 0.0 {
			t.Errorf("trace %d common_fields = %v; want time_format relative, reference_time 0", i, cf)
		}
		if got := fmt.Sprint(cf["protocol_type"]); got != protocols {
			t.Errorf("trace %d protocol_type = %s; want %s", i, got, protocols)
		}
		if len(tr.Events) == 0 {
			t.Fatalf("trace %d has no events", i)
		}
		last := -1.0
		for k, e := range tr.Events {
			if e.Time < last {
				t.Fatalf("trace %d event %d at %v ms after one at %v ms: qlog needs ordered times", i, k, e.Time, last)
			}
			last = e.Time
		}
	}
}

// checkQvisLoads checks what qvis's loader for qlog 0.3 (QlogLoaderV2,
// which treats "0.3" as an alias of draft-02) checks or warns about: a
// qlog_format; events with time, name and data; group_id on all events of
// a trace or on none; no data.packet_type outside the header, and no
// header.packet_size or header.payload_length (which belong in raw).
func checkQvisLoads(t *testing.T, j *jsonFile) {
	t.Helper()
	if j.QlogFormat == "" {
		t.Error("no qlog_format")
	}
	for i, tr := range j.Traces {
		grouped := 0
		for k, e := range tr.Events {
			if e.Name == "" || !strings.Contains(e.Name, ":") || e.Data == nil {
				t.Fatalf("trace %d event %d: name %q, data %v; want category:event and data", i, k, e.Name, e.Data)
			}
			if e.GroupID != "" {
				grouped++
			}
			if _, ok := e.Data["packet_type"]; ok {
				t.Errorf("trace %d event %d (%s): data.packet_type belongs in data.header", i, k, e.Name)
			}
			if h, ok := e.Data["header"].(map[string]any); ok {
				for _, f := range []string{"packet_size", "payload_length"} {
					if _, ok := h[f]; ok {
						t.Errorf("trace %d event %d (%s): header.%s belongs in raw", i, k, e.Name, f)
					}
				}
			}
		}
		if grouped != 0 && grouped != len(tr.Events) {
			t.Errorf("trace %d: %d of %d events have a group_id", i, grouped, len(tr.Events))
		}
	}
}

// packetKey identifies a packet across the two traces.
type packetKey struct {
	group string
	typ   string
	pn    int64
}

func (k packetKey) String() string { return fmt.Sprintf("%s %s packet %d", k.group, k.typ, k.pn) }

// packets collects a trace's packet events of one name: how many times
// each packet appears, and when it first did.
func packets(t *testing.T, j *jsonFile, trace int, name string) (map[packetKey]int, map[packetKey]float64) {
	t.Helper()
	group, _ := j.Traces[trace].CommonFields["group_id"].(string)
	out, at := map[packetKey]int{}, map[packetKey]float64{}
	for _, e := range j.Traces[trace].Events {
		if e.Name != name {
			continue
		}
		h, _ := e.Data["header"].(map[string]any)
		pn, ok := h["packet_number"].(float64)
		if !ok {
			t.Fatalf("%s without header.packet_number: %v", name, e.Data)
		}
		typ, _ := h["packet_type"].(string)
		g := group
		if e.GroupID != "" {
			g = e.GroupID
		}
		k := packetKey{g, typ, int64(pn)}
		if out[k] == 0 {
			at[k] = e.Time
		}
		out[k]++
	}
	return out, at
}

// networkLosses returns the packets the links dropped, keyed by sender: a
// dropped datagram takes every packet coalesced in it (RFC 9000 §12.2),
// which are the sender's packet_sent events that add up to its size.
func networkLosses(t *testing.T, run *scenario.ProtocolRun, quic bool) map[trace.Side]map[packetKey]bool {
	t.Helper()
	out := map[trace.Side]map[packetKey]bool{trace.Client: {}, trace.Server: {}}
	events := run.Log.Events()
	for _, d := range events {
		if d.Kind != trace.PacketDropped || d.Side != trace.Network || strings.HasPrefix(d.Value, "origin") {
			continue // not on the browser's path (an edge's to the origin)
		}
		from := trace.Server
		if strings.HasPrefix(d.Value, "up") {
			from = trace.Client
		}
		typ := ""
		if quic {
			h, _, err := wire.ParseHeader(d.Raw, 8)
			if err != nil {
				t.Fatalf("dropped datagram's first packet: %v", err)
			}
			typ = h.Type.String()
		}
		// Find the datagram's first packet among the sender's, then
		// take the packets sent with it until their sizes add up.
		start := -1
		for i, e := range events {
			if e.Kind == trace.PacketSent && (e.Side == from || from == trace.Server && e.Side == trace.Edge) && e.Conn == d.Conn && e.PN == d.PN && (!quic || e.Name == typ) {
				start = i
			}
			if e.At > d.At {
				break
			}
		}
		if start < 0 {
			t.Fatalf("network dropped %s packet %d (conn %d) that %s never sent", typ, d.PN, d.Conn, from)
		}
		size := int64(0)
		for i := start; size < d.Size && i < len(events); i++ {
			e := events[i]
			if e.Kind != trace.PacketSent || e.Side != events[start].Side || e.Conn != d.Conn {
				continue
			}
			if e.At != events[start].At {
				break
			}
			size += e.Size
			name := ""
			if quic {
				name = e.Name
			}
			out[from][packetKey{groupID(e.Conn), name, e.PN}] = true
		}
		if size != d.Size {
			t.Fatalf("dropped datagram of %d bytes: its packets add up to %d", d.Size, size)
		}
	}
	return out
}

// counts are what became of the packets one endpoint sent.
type counts struct {
	sent, received, lost, discarded, inFlight int
}

// matchPackets checks that every packet one endpoint sent was received by
// the other, dropped by the network, discarded by the receiver, or still on
// the link when the run ended; and that nothing was received that was not
// sent. Links deliver in order, so a packet still in flight was sent no
// earlier than the last one that arrived.
func matchPackets(t *testing.T, j *jsonFile, lost map[trace.Side]map[packetKey]bool, from, to int, side trace.Side) counts {
	t.Helper()
	s, sentAt := packets(t, j, from, "transport:packet_sent")
	r, _ := packets(t, j, to, "transport:packet_received")
	d, _ := packets(t, j, to, "transport:packet_dropped")
	lastArrived := -1.0
	for k := range s {
		if r[k] > 0 {
			lastArrived = max(lastArrived, sentAt[k])
		}
	}
	var c counts
	for k, n := range s {
		if n != 1 {
			t.Errorf("%s sent %v %d times", side, k, n)
		}
		c.sent++
		switch {
		case r[k] > 0:
			c.received++
		case lost[side][k]:
			c.lost++
		case d[k] > 0:
			c.discarded++
		case sentAt[k] >= lastArrived:
			c.inFlight++
		default:
			t.Errorf("%s sent %v at %v ms: never received, nor dropped by the network or the receiver, though a later packet arrived", side, k, sentAt[k])
		}
	}
	for k := range r {
		if s[k] == 0 {
			t.Errorf("%v received from %s, which never sent it", k, side)
		}
	}
	for k := range lost[side] {
		if s[k] == 0 {
			t.Errorf("network dropped %v from %s, which the export does not show sent", k, side)
		}
	}
	if c.sent != c.received+c.lost+c.discarded+c.inFlight {
		t.Errorf("%s: %+v do not add up", side, c)
	}
	return c
}

func (c counts) String() string {
	return fmt.Sprintf("%d sent = %d received + %d lost + %d discarded + %d in flight at the end", c.sent, c.received, c.lost, c.discarded, c.inFlight)
}

func TestExportH3PacketsMatchAcrossVantagePoints(t *testing.T) {
	s, run := pageRun(t, "h3", 0.02, 1)
	_, j := exportJSON(t, s, run)
	checkHeader(t, j, "[QUIC HTTP3]")
	checkQvisLoads(t, j)
	lost := networkLosses(t, run, true)
	up := matchPackets(t, j, lost, 0, 1, trace.Client)
	down := matchPackets(t, j, lost, 1, 0, trace.Server)
	t.Logf("client to server: %v", up)
	t.Logf("server to client: %v", down)
	checkCounts(t, up, down, lost)
}

// checkCounts checks that the run lost some packets, in both directions,
// that the export found every loss, and that few were left in flight.
func checkCounts(t *testing.T, up, down counts, lost map[trace.Side]map[packetKey]bool) {
	t.Helper()
	if up.lost == 0 || down.lost == 0 || up.received < up.sent/2 || down.received < down.sent/2 {
		t.Errorf("a run at 2%% loss should lose some packets each way and deliver most: %v; %v", up, down)
	}
	if up.lost != len(lost[trace.Client]) || down.lost != len(lost[trace.Server]) {
		t.Errorf("lost %d and %d sent packets; the network dropped %d and %d", up.lost, down.lost, len(lost[trace.Client]), len(lost[trace.Server]))
	}
	if up.inFlight+down.inFlight > 20 {
		t.Errorf("%d and %d packets in flight at the end of the run", up.inFlight, down.inFlight)
	}
}

func TestExportTCPPacketsMatchAcrossVantagePoints(t *testing.T) {
	for _, tt := range []struct{ proto, protocols string }{
		{"h2", "[TCP TLS HTTP2]"},
		{"h1", "[TCP TLS HTTP1]"},
	} {
		t.Run(tt.proto, func(t *testing.T) {
			s, run := pageRun(t, tt.proto, 0.02, 1)
			_, j := exportJSON(t, s, run)
			checkHeader(t, j, tt.protocols)
			checkQvisLoads(t, j)
			lost := networkLosses(t, run, false)
			up := matchPackets(t, j, lost, 0, 1, trace.Client)
			down := matchPackets(t, j, lost, 1, 0, trace.Server)
			t.Logf("client to server: %v", up)
			t.Logf("server to client: %v", down)
			checkCounts(t, up, down, lost)
		})
	}
}

// Through an edge the export is the browser's connection seen from both
// ends: the edge is its server. The edge's own connection to the origin is
// left out; it once landed in the client's trace, because the HTTP layers
// called every connecting end the client, and with its own stream IDs.
func TestExportThroughAnEdge(t *testing.T) {
	for _, proto := range []string{"h1", "h2", "h3"} {
		t.Run(proto, func(t *testing.T) {
			s, err := scenario.Builtin("page")
			if err != nil {
				t.Fatal(err)
			}
			s.Protocols = []string{proto}
			l := link.Loss{Model: link.Bernoulli, Rate: 0.02}
			s.Network.Down.Loss, s.Network.Up.Loss = l, l
			s.Network.Edge = &scenario.EdgeNetwork{EdgeConfig: web.EdgeConfig{Cache: true}, RTT: 80 * time.Millisecond,
				Bandwidth: units.Gbps, Protocol: "h2", Loss: link.Loss{Model: link.NoLoss}}
			res, err := scenario.Run(s, scenario.Options{KeepTrace: true})
			if err != nil {
				t.Fatal(err)
			}
			run := res.Runs[0]
			if run.PLT < 0 || run.EdgeMisses == 0 {
				t.Fatalf("through the edge: PLT %v, %d edge misses; want a loaded page that went through it", run.PLT, run.EdgeMisses)
			}
			_, j := exportJSON(t, s, run)
			checkQvisLoads(t, j)
			lost := networkLosses(t, run, proto == "h3")
			up := matchPackets(t, j, lost, 0, 1, trace.Client)
			down := matchPackets(t, j, lost, 1, 0, trace.Server)
			t.Logf("browser to edge: %v", up)
			t.Logf("edge to browser: %v", down)
			checkCounts(t, up, down, lost)
		})
	}
}

// A QUIC packet that came before the keys to read it (RFC 9001 §5.7) is
// logged as transport:packet_buffered when it arrived, and received when it
// was read: the lost-first-flight lesson's 0-RTT response, in 1-RTT packet
// 1, arrives at about 100 ms and waits for the handshake until about
// 1,099 ms. The client trace said nothing between 0 and 999 ms, so a qlog
// reader saw a 1,049 ms trip on a 100 ms path. Events stay in time order.
func TestExportPacketBufferedForKeys(t *testing.T) {
	lesson, err := scenario.Builtin("lost-first-flight")
	if err != nil {
		t.Fatal(err)
	}
	var s *scenario.Scenario
	for _, v := range lesson.Variants {
		if v.Name == "quic-0rtt" {
			s = v.Scenario
		}
	}
	if s == nil {
		t.Fatal("no quic-0rtt variant")
	}
	res, err := scenario.Run(s, scenario.Options{KeepTrace: true})
	if err != nil {
		t.Fatal(err)
	}
	_, j := exportJSON(t, s, res.Runs[0])
	client := j.Traces[0].Events
	buffered := map[float64]float64{} // packet number → arrival
	last := -1.0
	for _, e := range client {
		if e.Time < last {
			t.Fatalf("%s at %v ms after an event at %v ms", e.Name, e.Time, last)
		}
		last = e.Time
		if e.Name != "transport:packet_buffered" {
			continue
		}
		h, _ := e.Data["header"].(map[string]any)
		if e.Data["trigger"] != "keys_unavailable" || h["packet_type"] != "1RTT" {
			t.Errorf("packet_buffered %v; want a 1-RTT packet, trigger keys_unavailable", e.Data)
		}
		buffered[h["packet_number"].(float64)] = e.Time
	}
	at, ok := buffered[1]
	if !ok || at < 99 || at > 102 {
		t.Fatalf("1-RTT packet 1 buffered at %v ms (%v); want on arrival, about 100 ms", at, ok)
	}
	for _, e := range client {
		if h, _ := e.Data["header"].(map[string]any); e.Name == "transport:packet_received" && h["packet_type"] == "1RTT" && h["packet_number"] == 1.0 {
			if e.Time < 1098 || e.Time > 1101 {
				t.Errorf("1-RTT packet 1 received (read) at %v ms; want about 1,099 ms, once the handshake is done", e.Time)
			}
			return
		}
	}
	t.Error("1-RTT packet 1 was never received")
}
