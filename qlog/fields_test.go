package qlog

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"

	"httpsim/sim/h3"
	"httpsim/sim/scenario"
	"httpsim/sim/tls"
	"httpsim/sim/trace"
)

// events returns a trace's events of one name.
func events(j *jsonFile, tr int, name string) []jsonEvent {
	var out []jsonEvent
	for _, e := range j.Traces[tr].Events {
		if e.Name == name {
			out = append(out, e)
		}
	}
	return out
}

// num returns m[key] as a number, failing if it is not one.
func num(t *testing.T, m map[string]any, key string) float64 {
	t.Helper()
	v, ok := m[key].(float64)
	if !ok {
		t.Fatalf("%s = %v (%T); want a number in %v", key, m[key], m[key], m)
	}
	return v
}

func TestExportH3EventFields(t *testing.T) {
	s, run := pageRun(t, "h3", 0.02, 1)
	_, j := exportJSON(t, s, run)

	t.Run("metrics_updated", func(t *testing.T) {
		// quic-events -02 §3.4.2.
		updates := events(j, 1, "recovery:metrics_updated")
		if len(updates) == 0 {
			t.Fatal("no recovery:metrics_updated in the server's trace")
		}
		sampled := 0
		for _, e := range updates {
			if num(t, e.Data, "congestion_window") <= 0 {
				t.Errorf("congestion_window %v", e.Data["congestion_window"])
			}
			num(t, e.Data, "bytes_in_flight")
			if _, ok := e.Data["latest_rtt"]; !ok {
				continue
			}
			sampled++
			for _, k := range []string{"min_rtt", "smoothed_rtt", "latest_rtt", "rtt_variance"} {
				if v := num(t, e.Data, k); v < 0 || v > 10_000 {
					t.Errorf("%s = %v ms", k, v)
				}
			}
			if num(t, e.Data, "min_rtt") > num(t, e.Data, "latest_rtt") {
				t.Errorf("min_rtt > latest_rtt in %v", e.Data)
			}
		}
		if sampled == 0 {
			t.Error("no metrics_updated carries RTTs")
		}
	})

	t.Run("stream and crypto frames carry the packet's data", func(t *testing.T) {
		// quic-events -02 A.12.6, A.12.8: the lengths of a packet's
		// STREAM and CRYPTO frames add up to the data bytes it carried.
		var sent []trace.Event
		for _, e := range run.Log.Events() {
			if e.Kind == trace.PacketSent && e.Side == trace.Server {
				sent = append(sent, e)
			}
		}
		qs := events(j, 1, "transport:packet_sent")
		if len(qs) != len(sent) {
			t.Fatalf("%d packet_sent events for %d packets sent", len(qs), len(sent))
		}
		streams := 0
		for i, e := range qs {
			sum := 0.0
			for _, f := range e.Data["frames"].([]any) {
				fr := f.(map[string]any)
				switch fr["frame_type"] {
				case "stream":
					streams++
					num(t, fr, "stream_id")
					num(t, fr, "offset")
					sum += num(t, fr, "length")
					if fin, ok := fr["fin"]; ok && fin != true {
						t.Errorf("fin = %v: it is written only when true", fin)
					}
				case "crypto":
					num(t, fr, "offset")
					sum += num(t, fr, "length")
				case "ack":
					num(t, fr, "ack_delay")
					ranges := fr["acked_ranges"].([]any)
					if len(ranges) == 0 {
						t.Errorf("ack frame without ranges: %v", fr)
					}
					for _, r := range ranges {
						r := r.([]any)
						if len(r) < 1 || len(r) > 2 || len(r) == 2 && r[0].(float64) >= r[1].(float64) {
							t.Errorf("acked range %v: want [n] or [from, to] with from < to", r)
						}
					}
				}
			}
			if int64(sum) != sent[i].Len {
				t.Errorf("packet %d: frames carry %v data bytes; the trace says %d", sent[i].PN, sum, sent[i].Len)
			}
			h := e.Data["header"].(map[string]any)
			if int64(num(t, h, "packet_number")) != sent[i].PN || h["packet_type"] != sent[i].Name {
				t.Errorf("packet_sent %d has header %v; want %s packet %d", i, h, sent[i].Name, sent[i].PN)
			}
			if raw := num(t, e.Data["raw"].(map[string]any), "length"); int64(raw) != sent[i].Size && int64(raw)+28 != sent[i].Size {
				t.Errorf("packet %d: raw.length %v, the trace's size %d", sent[i].PN, raw, sent[i].Size)
			}
		}
		if streams == 0 {
			t.Error("the server sent no STREAM frame")
		}
	})

	t.Run("packet_lost", func(t *testing.T) {
		// quic-events -02 §3.4.5.
		for tr, side := range []trace.Side{trace.Client, trace.Server} {
			ls := events(j, tr, "recovery:packet_lost")
			if int64(len(ls)) != count(run, trace.PacketLost, side) {
				t.Errorf("%s: %d packet_lost events; the trace has %d", side, len(ls), count(run, trace.PacketLost, side))
			}
			for _, e := range ls {
				h := e.Data["header"].(map[string]any)
				num(t, h, "packet_number")
				if h["packet_type"] == "" || !strings.Contains("reordering_threshold time_threshold pto_expired", e.Data["trigger"].(string)) {
					t.Errorf("packet_lost %v", e.Data)
				}
			}
		}
		if len(events(j, 1, "recovery:packet_lost")) == 0 {
			t.Error("the server declared no packet lost at 2% loss")
		}
	})

	t.Run("http frames", func(t *testing.T) {
		// h3-events -02 §3.1.4, §3.1.5, A.3.
		created := events(j, 0, "http:frame_created")
		parsed := events(j, 1, "http:frame_parsed")
		if len(created) == 0 || len(created) != len(parsed) {
			t.Fatalf("client created %d HTTP/3 frames, server parsed %d", len(created), len(parsed))
		}
		byType := map[string]int{}
		for _, c := range created {
			f := c.Data["frame"].(map[string]any)
			byType[f["frame_type"].(string)]++
			num(t, c.Data, "stream_id")
			if num(t, c.Data, "length") != num(t, c.Data["raw"].(map[string]any), "payload_length") {
				t.Errorf("length and raw.payload_length differ: %v", c.Data)
			}
			if f["frame_type"] == "headers" {
				hs := f["headers"].([]any)
				first := hs[0].(map[string]any)
				if first["name"] != ":method" || first["value"] != "GET" {
					t.Errorf("request headers start with %v; want :method GET", first)
				}
			}
		}
		if byType["headers"] != 30 || byType["settings"] != 1 {
			t.Errorf("client frames by type %v; want 30 headers (one per resource) and 1 settings", byType)
		}
		// The server parses the same fields the client encoded.
		want := map[float64]string{}
		for _, c := range created {
			if f := c.Data["frame"].(map[string]any); f["frame_type"] == "headers" {
				want[num(t, c.Data, "stream_id")] = fmt.Sprint(f["headers"])
			}
		}
		for _, p := range parsed {
			if f := p.Data["frame"].(map[string]any); f["frame_type"] == "headers" {
				if got := fmt.Sprint(f["headers"]); got != want[num(t, p.Data, "stream_id")] {
					t.Errorf("stream %v: server parsed %s; client created %s", p.Data["stream_id"], got, want[num(t, p.Data, "stream_id")])
				}
			}
		}
		for _, e := range events(j, 1, "http:frame_created") {
			if f := e.Data["frame"].(map[string]any); f["frame_type"] == "headers" {
				first := f["headers"].([]any)[0].(map[string]any)
				if first["name"] != ":status" {
					t.Errorf("response headers start with %v; want :status", first)
				}
			}
		}
	})

	t.Run("connection states", func(t *testing.T) {
		// quic-events -02 §3.1.7.
		for tr := range j.Traces {
			var got []string
			for _, e := range events(j, tr, "connectivity:connection_state_updated") {
				got = append(got, e.Data["new"].(string))
			}
			if s := strings.Join(got, " "); !strings.Contains(s, "handshake_complete handshake_confirmed") {
				t.Errorf("trace %d connection states %q; want handshake_complete then handshake_confirmed", tr, s)
			}
		}
	})
}

func count(run *scenario.ProtocolRun, k trace.Kind, side trace.Side) int64 {
	n := int64(0)
	for _, e := range run.Log.Events() {
		if e.Kind == k && e.Side == side {
			n++
		}
	}
	return n
}

func TestH3ControlFrames(t *testing.T) {
	// h3-events -02 A.3.6 (GOAWAY), A.3.7 (MAX_PUSH_ID), A.3.8 (reserved),
	// and RFC 9218 §7.2's PRIORITY_UPDATE, which the page scenario's runs
	// do not always send.
	tests := []struct {
		f    h3.Frame
		want string
	}{
		{&h3.GoawayFrame{ID: 8}, `{"stream_id":3,"length":1,"frame":{"frame_type":"goaway","id":8},"raw":{"length":3,"payload_length":1}}`},
		{&h3.MaxPushIDFrame{PushID: 2}, `{"stream_id":3,"length":1,"frame":{"frame_type":"max_push_id","push_id":2},"raw":{"length":3,"payload_length":1}}`},
		{&h3.PriorityUpdateFrame{PrioritizedElementID: 4, PriorityFieldValue: "u=1, i"}, `{"stream_id":3,"length":7,"frame":{"frame_type":"priority_update","target_stream_type":"request","prioritized_element_id":4,"priority_field_value":"u=1, i"},"raw":{"length":12,"payload_length":7}}`},
		{&h3.UnknownFrame{FrameType: 0x21, PayloadLength: 2, Payload: []byte{1, 2}}, `{"stream_id":3,"length":2,"frame":{"frame_type":"reserved","length":2},"raw":{"length":4,"payload_length":2}}`},
	}
	x := &exporter{proto: "h3", qpack: newQPACKState()}
	for _, tt := range tests {
		e := &trace.Event{Kind: trace.FrameCreated, Side: trace.Client, Stream: 3, Name: tt.f.Type().String(), Len: int64(tt.f.Length()), Raw: tt.f.Append(nil)}
		ev, ok, err := x.h3Frame(e)
		if err != nil || !ok {
			t.Fatalf("h3Frame(%T) = %v, %v", tt.f, ok, err)
		}
		var buf bytes.Buffer
		if err := jsonEncode(&buf, ev); err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSpace(buf.String()); got != tt.want {
			t.Errorf("h3Frame(%T) = %s; want %s", tt.f, got, tt.want)
		}
	}
	// A truncated frame is an error that names the event, not a panic.
	e := &trace.Event{Kind: trace.FrameCreated, Side: trace.Client, Stream: 3, Name: "goaway", Raw: []byte{0x07, 0x05}}
	if _, _, err := x.h3Frame(e); err == nil || !strings.Contains(err.Error(), "goaway") {
		t.Errorf("h3Frame(truncated GOAWAY) error = %v; want one naming the frame", err)
	}
}

func TestExportTCPEventFields(t *testing.T) {
	s, run := pageRun(t, "h2", 0.02, 1)
	_, j := exportJSON(t, s, run)
	for tr := range j.Traces {
		for _, e := range events(j, tr, "transport:packet_sent") {
			h := e.Data["header"].(map[string]any)
			num(t, h, "sequence_number")
			num(t, h, "packet_number")
			raw := e.Data["raw"].(map[string]any)
			if num(t, raw, "length") != num(t, raw, "payload_length")+num(t, h, "header_length") {
				t.Errorf("raw %v and header %v disagree", raw, h)
			}
		}
	}
	// The server's records: its handshake flight, then application data.
	var types []string
	for _, e := range events(j, 1, "tls:record_created") {
		h := e.Data["header"].(map[string]any)
		types = append(types, h["content_type"].(string))
		raw := e.Data["raw"].(map[string]any)
		if num(t, raw, "payload_length") <= 0 || num(t, raw, "length") != num(t, raw, "payload_length")+num(t, h, "header_length") {
			t.Errorf("record header %v, raw %v", h, raw)
		}
	}
	if len(types) < 3 || types[0] != "handshake" || types[len(types)-1] != "application" {
		t.Errorf("server record types %v; want handshake first, application last", types)
	}
	// HTTP/2 HEADERS are decoded from HPACK, the same on both sides.
	created := events(j, 0, "http2:frame_created")
	parsed := events(j, 1, "http2:frame_parsed")
	if len(created) != len(parsed) {
		t.Fatalf("client created %d frames, server parsed %d", len(created), len(parsed))
	}
	headers := 0
	for i, c := range created {
		f := c.Data["frame"].(map[string]any)
		if f["frame_type"] != "headers" {
			continue
		}
		headers++
		if got, want := fmt.Sprint(parsed[i].Data["frame"].(map[string]any)["headers"]), fmt.Sprint(f["headers"]); got != want {
			t.Errorf("stream %v: parsed %s; created %s", c.Data["stream_id"], got, want)
		}
		if first := f["headers"].([]any)[0].(map[string]any); first["name"] != ":method" {
			t.Errorf("request headers start with %v", first)
		}
	}
	if headers != 30 {
		t.Errorf("%d HEADERS frames from the client; want 30", headers)
	}
}

func TestExportDeterministic(t *testing.T) {
	for _, proto := range []string{"h3", "h2", "h1"} {
		s1, r1 := pageRun(t, proto, 0.02, 7)
		s2, r2 := pageRun(t, proto, 0.02, 7)
		b1, _ := exportJSON(t, s1, r1)
		b2, _ := exportJSON(t, s2, r2)
		if !bytes.Equal(b1, b2) {
			t.Errorf("%s: two exports of the same run differ (%d and %d bytes)", proto, len(b1), len(b2))
		}
	}
}

func TestExportErrors(t *testing.T) {
	s, err := scenario.Builtin("page")
	if err != nil {
		t.Fatal(err)
	}
	s.Protocols = []string{"h3"}
	res, err := scenario.Run(s, scenario.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		run  *scenario.ProtocolRun
		want string
	}{
		{"nil", nil, "no run"},
		{"trace not kept", res.Runs[0], "KeepTrace"},
		{"unknown protocol", &scenario.ProtocolRun{Proto: "long_polling", Log: trace.NewLog(true)}, `cannot export a "long_polling" run`},
	}
	for _, tt := range tests {
		if _, err := Export(tt.run, Options{}); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Export(%s) error = %v; want one containing %q", tt.name, err, tt.want)
		}
	}
}

// jsonEncode writes v as one line of JSON, as WriteTo writes events.
func jsonEncode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// TestExportProtocolTypes: common_fields.protocol_type names the layers
// the run used: no TLS over plain TCP (it said TLS with no TLS event).
func TestExportProtocolTypes(t *testing.T) {
	for _, tt := range []struct {
		proto, tls string
		want       string
	}{
		{"h2", "1.3", "[TCP TLS HTTP2]"},
		{"h2", "none", "[TCP HTTP2]"},
		{"h1", "none", "[TCP HTTP1]"},
		{"h3", "1.3", "[QUIC HTTP3]"},
	} {
		s, err := scenario.Builtin("page")
		if err != nil {
			t.Fatal(err)
		}
		s.Protocols, s.TLS.Version = []string{tt.proto}, tls.Version(tt.tls)
		res, err := scenario.Run(s, scenario.Options{KeepTrace: true})
		if err != nil {
			t.Fatal(err)
		}
		_, j := exportJSON(t, s, res.Runs[0])
		for _, tr := range j.Traces {
			if got := fmt.Sprint(tr.CommonFields["protocol_type"]); got != tt.want {
				t.Errorf("%s over TLS %s: protocol_type %s; want %s", tt.proto, tt.tls, got, tt.want)
			}
		}
	}
}
