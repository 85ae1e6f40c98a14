package updates

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/tcp"
	"httpsim/sim/tls"
	"httpsim/sim/trace"
	"httpsim/sim/web"
)

const rtt = 100 * time.Millisecond

// ms converts a duration to milliseconds.
func ms(d time.Duration) float64 { return float64(d) / 1e6 }

// frames returns the trace's events of kind k on side named name, in order.
func frames(log *trace.Log, k trace.Kind, side trace.Side, name string) []trace.Event {
	var out []trace.Event
	for _, e := range log.Events() {
		if e.Kind == k && e.Side == side && e.Name == name {
			out = append(out, e)
		}
	}
	return out
}

// The ordering a networking course states, at its default network (RTT
// 100 ms, 10 Mbit/s, no loss) and the same events for all three: WebSocket
// delivers sooner than long polling, which delivers sooner than short
// polling.
func TestOrderingAtDefaults(t *testing.T) {
	var got []Result
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-10s %9s %9s %9s %9s %8s %8s %8s %8s %8s\n", "mode", "mean ms", "median", "p95", "max", "requests", "wire B", "http B", "ws B", "end s")
	for _, m := range Modes() {
		o := runUpdates(t, withMode(m), defaultNet(), 1)
		r := o.res
		if r.Status != "delivered" || r.Delivered != r.Events {
			t.Fatalf("%s: status %s, %d of %d delivered (%s)", m, r.Status, r.Delivered, r.Events, r.Error)
		}
		got = append(got, r)
		fmt.Fprintf(&b, "%-10s %9.1f %9.1f %9.1f %9.1f %8d %8d %8d %8d %8.1f\n", m, r.Latency.Mean, r.Latency.Median, r.Latency.P95, r.Latency.Max,
			r.Requests, r.Wire.Total, r.Wire.HTTPHeaders, r.Wire.WSFraming, r.EndMs/1000)
	}
	t.Log(b.String())
	short, long, ws := got[0], got[1], got[2]
	if !(ws.Latency.Mean < long.Latency.Mean && long.Latency.Mean < short.Latency.Mean) {
		t.Errorf("mean latency: websocket %.1f, long poll %.1f, short poll %.1f ms; want increasing", ws.Latency.Mean, long.Latency.Mean, short.Latency.Mean)
	}
	// And the cost: polling pays an HTTP head per request, the WebSocket
	// one handshake and a few bytes of framing per event.
	if !(ws.Wire.Total < short.Wire.Total && ws.Wire.Total < long.Wire.Total) {
		t.Errorf("bytes on the wire: websocket %d, short %d, long %d; want websocket least", ws.Wire.Total, short.Wire.Total, long.Wire.Total)
	}
	if ws.Requests != 1 || ws.Wire.WSFraming == 0 || short.Wire.WSFraming != 0 {
		t.Errorf("websocket: %d requests, %d framing bytes; short poll %d framing bytes; want 1, >0, 0", ws.Requests, ws.Wire.WSFraming, short.Wire.WSFraming)
	}
}

// WebSocket, zero loss: every event takes the one-way delay plus the
// serialisation of its frame (a few hundred bytes at 10 Mbit/s: well under
// a millisecond), i.e. half a round trip.
func TestWebSocketLatencyIsHalfRTT(t *testing.T) {
	for _, v := range []tls.Version{tls.TLS13, tls.None} {
		n := defaultNet()
		n.tls = v
		o := runUpdates(t, withMode(WebSocket), n, 3)
		for _, e := range o.res.PerEvent {
			lo, hi := ms(rtt/2), ms(rtt/2)+1
			if e.LatencyMs < lo || e.LatencyMs > hi || e.HOLMs != 0 {
				t.Errorf("TLS %s, event %d: latency %.3f ms, HOL %.3f; want %.0f to %.0f, 0", v, e.ID, e.LatencyMs, e.HOLMs, lo, hi)
			}
		}
	}
}

// Long polling, zero loss, per event (RFC 6202 §2.1, §2.2): an event that
// comes while a request is held is answered at once and takes half a round
// trip; one that comes while the page is between requests waits for the
// next request to reach the server (at most one round trip), then half a
// round trip: at most 1.5 RTT.
func TestLongPollLatencyPerEvent(t *testing.T) {
	n := defaultNet()
	n.keep = true
	cfg := withMode(LongPoll)
	cfg.Events = 300
	cfg.MeanGap = 300 * time.Millisecond // often between polls
	o := runUpdates(t, cfg, n, 5)
	arrive := frames(o.log, trace.FrameParsed, trace.Server, "request")
	answer := frames(o.log, trace.FrameCreated, trace.Server, "response")
	const tol = 2.0 // ms: serialisation of a request and a response
	held, between := 0, 0
	for _, e := range o.res.PerEvent {
		k := e.Request
		if k < 0 || int(k) >= len(arrive) || int(k) >= len(answer) {
			t.Fatalf("event %d carried by request %d of %d", e.ID, k, len(arrive))
		}
		a, s := arrive[k].At.Ms(), answer[k].At.Ms()
		if a <= e.GeneratedMs {
			held++
			if s != e.GeneratedMs || math.Abs(e.LatencyMs-ms(rtt/2)) > tol {
				t.Errorf("event %d at %.3f (request %d held since %.3f): answered at %.3f, latency %.3f ms; want at once, %.0f ms", e.ID, e.GeneratedMs, k, a, s, e.LatencyMs, ms(rtt/2))
			}
			continue
		}
		between++
		// The request before had been answered before the event came,
		// and this one was answered the moment it arrived.
		if k == 0 || answer[k-1].At.Ms() > e.GeneratedMs || s != a {
			t.Errorf("event %d at %.3f between requests: request %d arrived %.3f, answered %.3f", e.ID, e.GeneratedMs, k, a, s)
		}
		want := a - e.GeneratedMs + ms(rtt/2)
		if math.Abs(e.LatencyMs-want) > tol || e.LatencyMs > 1.5*ms(rtt)+tol {
			t.Errorf("event %d between requests: latency %.3f ms; want %.3f (at most 1.5 RTT)", e.ID, e.LatencyMs, want)
		}
	}
	if held == 0 || between == 0 {
		t.Errorf("%d events came during a hold, %d between requests; want some of each", held, between)
	}
	t.Logf("%d events during a hold, %d between requests; mean %.1f ms, max %.1f ms", held, between, o.res.Latency.Mean, o.res.Latency.Max)
}

// Long polling with the times set by hand: an event 30 ms after another
// comes while the answer to the first is on its way; the next request
// reaches the server one round trip after the first answer left, so the
// second event takes 1 RTT - 30 ms + RTT/2 = 120 ms. Gaps longer than the
// hold time out with 204.
func TestLongPollByHand(t *testing.T) {
	cfg := withMode(LongPoll)
	cfg.EventTimes = []time.Duration{2 * time.Second, 2030 * time.Millisecond, 40 * time.Second, 100 * time.Second}
	cfg.Events = 0
	o := runUpdates(t, cfg, defaultNet(), 1)
	want := []float64{50, 120, 50, 50}
	for i, e := range o.res.PerEvent {
		if math.Abs(e.LatencyMs-want[i]) > 2 {
			t.Errorf("event %d at %.0f ms: latency %.3f ms; want %.0f", i, e.GeneratedMs, e.LatencyMs, want[i])
		}
	}
	// Requests: one held from the start to 2 s, one answered on arrival
	// (event 1), one held to 32.1 s (timeout), one to 40 s, one to 70.2 s
	// (timeout), one to 100 s.
	r := o.res
	if r.Requests != 6 || r.Timeouts != 2 || r.EmptyResponses != 2 || r.Requests != r.Responses {
		t.Errorf("requests %d, responses %d, timeouts %d, empty %d; want 6, 6, 2, 2", r.Requests, r.Responses, r.Timeouts, r.EmptyResponses)
	}
}

// Short polling, zero loss, per event: polls leave on a fixed clock, and
// an event waits for the first poll that reaches the server after it, then
// half a round trip for the answer.
func TestShortPollLatencyPerEvent(t *testing.T) {
	n := defaultNet()
	n.keep = true
	cfg := withMode(ShortPoll)
	cfg.Events = 100
	o := runUpdates(t, cfg, n, 11)
	sent := frames(o.log, trace.FrameCreated, trace.Client, "request")
	arrive := frames(o.log, trace.FrameParsed, trace.Server, "request")
	for k := range sent {
		if want := sent[0].At.Add(time.Duration(k) * cfg.PollInterval); sent[k].At != want {
			t.Errorf("poll %d sent at %v; want %v", k, sent[k].At, want)
		}
	}
	for _, e := range o.res.PerEvent {
		k := 0
		for k < len(arrive) && arrive[k].At.Ms() < e.GeneratedMs {
			k++
		}
		if k == len(arrive) || e.Request != int64(k) {
			t.Errorf("event %d at %.3f: carried by request %d; want %d", e.ID, e.GeneratedMs, e.Request, k)
			continue
		}
		want := arrive[k].At.Ms() - e.GeneratedMs + ms(rtt/2)
		if math.Abs(e.LatencyMs-want) > 2 {
			t.Errorf("event %d: latency %.3f ms; want %.3f (poll %d reached the server at %.3f)", e.ID, e.LatencyMs, want, k, arrive[k].At.Ms())
		}
	}
	// Requests: one per interval from the first poll to the last answer.
	r := o.res
	first := sent[0].At.Ms()
	if want := int64(math.Floor((r.EndMs-first)/ms(cfg.PollInterval))) + 1; r.Requests != want || int(r.Requests) != len(sent) {
		t.Errorf("requests = %d; want %d (one per %v from %.0f ms to %.0f ms)", r.Requests, want, cfg.PollInterval, first, r.EndMs)
	}
	if r.EmptyResponses == 0 || r.Responses != r.Requests {
		t.Errorf("responses %d (%d empty) for %d requests; want one each, some 204", r.Responses, r.EmptyResponses, r.Requests)
	}
}

// Short polling in aggregate: the wait for the next poll is uniform over
// the interval, so the mean latency is interval/2 + RTT/2 (measured from
// the event at the server; counted from the poll that catches it, it is
// the time to that poll plus one RTT). 2000 events make the standard error
// interval/√(12·2000) ≈ 32 ms; the tolerance is 100 ms.
func TestShortPollMean(t *testing.T) {
	cfg := withMode(ShortPoll)
	cfg.Events = 2000
	o := runUpdates(t, cfg, defaultNet(), 13)
	want := ms(cfg.PollInterval)/2 + ms(rtt)/2
	if got := o.res.Latency.Mean; math.Abs(got-want) > 100 {
		t.Errorf("mean latency = %.1f ms; want %.1f ± 100", got, want)
	}
	if got := o.res.Latency.Max; got > ms(cfg.PollInterval)+ms(rtt)/2+2 {
		t.Errorf("max latency = %.1f ms; want at most interval + RTT/2", got)
	}
}

// Requests: long polling sends one per answer (answers with events, plus
// timeouts); a WebSocket exactly one, the Upgrade.
func TestRequests(t *testing.T) {
	for seed := sim.Seed(1); seed <= 3; seed++ {
		cfg := withMode(LongPoll)
		cfg.MeanGap = 20 * time.Second
		cfg.HoldTimeout = 15 * time.Second
		o := runUpdates(t, cfg, defaultNet(), seed)
		r := o.res
		withEvents := r.Responses - r.EmptyResponses
		if r.Requests != withEvents+r.Timeouts || r.Timeouts != r.EmptyResponses || withEvents > int64(r.Events) || r.Timeouts == 0 {
			t.Errorf("long poll, seed %d: %d requests, %d answers with events, %d timeouts; want requests = answers + timeouts > answers", seed, r.Requests, withEvents, r.Timeouts)
		}
		// Every gap between events longer than the hold costs
		// floor(gap/hold) timeouts, give or take one for where the hold
		// started.
		times := cfg.Schedule(seed)
		lo, hi := int64(0), int64(0)
		for i := 1; i < len(times); i++ {
			k := int64(times[i].Sub(times[i-1]) / cfg.HoldTimeout)
			lo += max(k-1, 0)
			hi += k + 1
		}
		if r.Timeouts < lo || r.Timeouts > hi+int64(times[0].Sub(0)/cfg.HoldTimeout)+1 {
			t.Errorf("long poll, seed %d: %d timeouts; want %d to %d from the gaps", seed, r.Timeouts, lo, hi)
		}

		// Frames: one per event, and the two Close frames of the
		// closing handshake.
		o = runUpdates(t, withMode(WebSocket), defaultNet(), seed)
		if o.res.Requests != 1 || o.res.Responses != 1 || o.res.Frames != int64(o.res.Events)+2 {
			t.Errorf("websocket, seed %d: %d requests, %d responses, %d frames; want 1, 1, %d", seed, o.res.Requests, o.res.Responses, o.res.Frames, o.res.Events+2)
		}
	}
}

// Same seed, same trace; another seed, other event times and another trace.
func TestDeterminism(t *testing.T) {
	for _, m := range Modes() {
		n := defaultNet()
		n.loss = 0.02
		a := runUpdates(t, withMode(m), n, 42).res
		b := runUpdates(t, withMode(m), n, 42).res
		c := runUpdates(t, withMode(m), n, 43).res
		if a.TraceHash != b.TraceHash || a.TraceEvents != b.TraceEvents || a.Latency != b.Latency {
			t.Errorf("%s: seed 42 twice: hashes %s, %s; want equal", m, a.TraceHash, b.TraceHash)
		}
		if a.TraceHash == c.TraceHash || a.PerEvent[0].GeneratedMs == c.PerEvent[0].GeneratedMs {
			t.Errorf("%s: seeds 42 and 43 give hash %s and %s, first event at %.3f and %.3f ms; want different", m, a.TraceHash, c.TraceHash, a.PerEvent[0].GeneratedMs, c.PerEvent[0].GeneratedMs)
		}
	}
}

// With 2% loss each way the runs still complete, and latencies rise; a
// WebSocket event that waited for a retransmission took more than a round
// trip.
func TestLoss(t *testing.T) {
	for _, m := range Modes() {
		var clean, lossy float64
		maxLossy := 0.0
		for seed := sim.Seed(1); seed <= 3; seed++ {
			cfg := withMode(m)
			cfg.Events = 100
			c := runUpdates(t, cfg, defaultNet(), seed).res
			n := defaultNet()
			n.loss = 0.02
			l := runUpdates(t, cfg, n, seed).res
			if l.Status != "delivered" || l.Delivered != l.Events || l.PacketsLost == 0 {
				t.Fatalf("%s seed %d with loss: %s, %d of %d delivered, %d packets lost (%s)", m, seed, l.Status, l.Delivered, l.Events, l.PacketsLost, l.Error)
			}
			clean += c.Latency.Mean
			lossy += l.Latency.Mean
			maxLossy = max(maxLossy, l.Latency.Max)
		}
		t.Logf("%-10s mean latency %.1f ms clean, %.1f ms with 2%% loss (max %.1f)", m, clean/3, lossy/3, maxLossy)
		if lossy <= clean {
			t.Errorf("%s: mean latency with 2%% loss %.1f ms; want above %.1f without", m, lossy/3, clean/3)
		}
		if m == WebSocket && maxLossy <= ms(rtt) {
			t.Errorf("websocket with loss: max latency %.1f ms; want above one RTT", maxLossy)
		}
	}
}

// Head-of-line blocking over a WebSocket: five events 10 ms apart, the
// segment carrying the first one lost. The four after it reach the page's
// TCP on time but wait, in order, for the retransmission (fast retransmit
// after three duplicate ACKs): all five take more than a round trip, and
// the four are reported as blocked by event 0.
func TestWebSocketHeadOfLineBlocking(t *testing.T) {
	cfg := withMode(WebSocket)
	cfg.EventTimes = []time.Duration{1000 * time.Millisecond, 1010 * time.Millisecond, 1020 * time.Millisecond, 1030 * time.Millisecond, 1040 * time.Millisecond}
	cfg.Events = 0
	n := defaultNet()
	n.tls = tls.None // so that the down link's data segments are: 1 the 101, 2 event 0, ...
	n.keep = true
	clean := runUpdates(t, cfg, n, 1).res
	for _, e := range clean.PerEvent {
		if e.LatencyMs > ms(rtt/2)+1 {
			t.Fatalf("without loss, event %d took %.3f ms; want RTT/2", e.ID, e.LatencyMs)
		}
	}
	n.drop = []int{2}
	o := runUpdates(t, cfg, n, 1)
	ev := o.res.PerEvent
	if ev[0].LatencyMs <= ms(rtt) || ev[0].HOLMs != 0 {
		t.Errorf("event 0 (lost): latency %.3f ms, HOL %.3f; want above one RTT, 0", ev[0].LatencyMs, ev[0].HOLMs)
	}
	for _, e := range ev[1:] {
		if e.LatencyMs <= ms(rtt) || e.HOLMs <= 0 || e.DeliveredMs != ev[0].DeliveredMs {
			t.Errorf("event %d: latency %.3f ms, HOL %.3f ms, delivered %.3f; want above one RTT, above 0, with event 0 at %.3f", e.ID, e.LatencyMs, e.HOLMs, e.DeliveredMs, ev[0].DeliveredMs)
		}
	}
	if o.res.HOLEvents != 4 {
		t.Errorf("HOL events = %d; want 4", o.res.HOLEvents)
	}
	blocked := map[int64]bool{}
	for _, e := range o.log.Events() {
		if e.Kind == trace.HOLBlocked && e.Side == trace.Client && e.Name == "transport" && e.Value == "0" {
			blocked[e.Stream] = true
		}
	}
	for s := int64(1); s <= 4; s++ {
		if !blocked[s] {
			t.Errorf("no HOLBlocked event for event %d behind event 0 (got %v)", s, blocked)
		}
	}
	t.Logf("latencies with event 0 lost: %.1f %.1f %.1f %.1f %.1f ms", ev[0].LatencyMs, ev[1].LatencyMs, ev[2].LatencyMs, ev[3].LatencyMs, ev[4].LatencyMs)
}

// Acks and pings: every client frame is masked and every server frame is
// not (RFC 6455 §5.1); the server unmasks each ack and pong and checks its
// content, so a masking error would fail the run.
func TestAcksAndPings(t *testing.T) {
	cfg := withMode(WebSocket)
	cfg.Ack = true
	cfg.PingInterval = time.Second
	n := defaultNet()
	n.keep = true
	o := runUpdates(t, cfg, n, 2)
	r := o.res
	if r.Status != "delivered" {
		t.Fatalf("status %s (%s)", r.Status, r.Error)
	}
	count := map[string]int{}
	for _, side := range []trace.Side{trace.Client, trace.Server} {
		for _, e := range frames(o.log, trace.FrameCreated, side, "ws_frame") {
			masked := e.Raw[1]&0x80 != 0
			if masked != (side == trace.Client) {
				t.Errorf("%s %s frame: mask bit %v", side, e.Value, masked)
			}
			count[side.String()+" "+e.Value]++
		}
	}
	// The page acks every event, the last one too, before its Close; the
	// server pings until the Close reaches it, and the page answers every
	// ping, having received no Close (RFC 6455 §5.5.2).
	if count["server text"] != r.Events || count["client text"] != r.Events || count["server ping"] == 0 ||
		count["client pong"] != count["server ping"] || count["client close"] != 1 || count["server close"] != 1 {
		t.Errorf("frames %v; want %d events, %d acks, every ping answered, a Close each way", count, r.Events, r.Events)
	}
	// The server reads the page's frames up to its Close, and discards
	// what follows (§1.4): pongs to the pings that crossed the Close.
	var sent []string
	for _, e := range frames(o.log, trace.FrameCreated, trace.Client, "ws_frame") {
		sent = append(sent, e.Value)
		if e.Value == "close" {
			break
		}
	}
	var read []string
	for _, e := range frames(o.log, trace.FrameParsed, trace.Server, "ws_frame") {
		read = append(read, e.Value)
	}
	if !slices.Equal(read, sent) {
		t.Errorf("the server read the page's frames %v; want those up to its Close, %v", read, sent)
	}
	if r.Wire.WSFraming != int64(4*count["server text"]+2*(count["server ping"]+count["server close"])+6*(count["client text"]+count["client pong"]+count["client close"])) {
		t.Errorf("framing bytes %d for frames %v; want 4 per event (16-bit length), 2 per ping and server Close, 6 per masked frame", r.Wire.WSFraming, count)
	}
}

// Pings more often than a round trip: each pong answers an earlier ping
// than the latest, which RFC 6455 §5.5.3 allows. The server failed the
// connection on the first of them (1002), and 17 of 20 seeds at 5 % loss
// with pings every 500 ms.
func TestPongsToEarlierPings(t *testing.T) {
	cfg := withMode(WebSocket)
	cfg.PingInterval = 10 * time.Millisecond
	o := runUpdates(t, cfg, defaultNet(), 1)
	if o.res.Status != "delivered" {
		t.Errorf("pings every 10 ms: status %s (%s); want every event delivered", o.res.Status, o.res.Error)
	}
}

// Total bytes on the wire split exactly into their parts once everything
// written has been sent.
func TestWireBytesAddUp(t *testing.T) {
	acked := withMode(WebSocket)
	acked.Ack = true
	for _, cfg := range []Config{withMode(ShortPoll), withMode(LongPoll), withMode(WebSocket), acked} {
		for _, v := range []tls.Version{tls.TLS13, tls.TLS12, tls.None} {
			n := defaultNet()
			n.tls = v
			w := runUpdates(t, cfg, n, 4).res.Wire
			sum := w.TCPIP + w.TLS + w.HTTPHeaders + w.WSFraming + w.Payload + w.Retransmitted
			if w.Total != sum || (v == tls.None) != (w.TLS == 0) {
				t.Errorf("%s (ack %v) over TLS %s: total %d; want the sum of the parts %+v = %d", cfg.Mode, cfg.Ack, v, w.Total, w, sum)
			}
		}
	}
}

// The heads on the wire are HTTP/1.1 a server can parse, with the fields
// polling needs.
func TestHeads(t *testing.T) {
	for _, m := range []Mode{ShortPoll, LongPoll} {
		n := defaultNet()
		n.keep = true
		cfg := withMode(m)
		cfg.Events = 3
		cfg.Cookie = 300
		o := runUpdates(t, cfg, n, 1)
		reqs := frames(o.log, trace.FrameCreated, trace.Client, "request")
		for i, e := range reqs {
			h := string(e.Raw)
			cookie := "\r\nCookie: " + web.CookieValue(300) + "\r\n"
			if !strings.HasPrefix(h, "GET /updates?since=") || !strings.Contains(h, "\r\nHost: example.com\r\n") || !strings.Contains(h, "\r\nCache-Control: no-cache\r\n") ||
				!strings.Contains(h, cookie) || len(web.CookieValue(300)) != 300 || !strings.HasSuffix(h, "\r\n\r\n") {
				t.Errorf("%s request %d head: %q", m, i, h)
			}
			if m == LongPoll && !strings.Contains(h, "&timeout=30 ") {
				t.Errorf("long poll request %d does not state its hold: %q", i, h)
			}
		}
		for i, e := range frames(o.log, trace.FrameCreated, trace.Server, "response") {
			h := string(e.Raw)
			ok := strings.HasPrefix(h, "HTTP/1.1 204 No Content\r\n") && !strings.Contains(h, "Content-Length") && e.Len == int64(len(e.Raw))
			if strings.HasPrefix(h, "HTTP/1.1 200 OK\r\n") {
				cl := fmt.Sprintf("\r\nContent-Length: %d\r\n", e.Len-int64(len(e.Raw)))
				ok = strings.Contains(h, cl) && strings.Contains(h, "\r\nContent-Type: application/json\r\n")
			}
			if !ok || !strings.Contains(h, "\r\nDate: Thu, 26 Nov 2026 09:") {
				t.Errorf("%s response %d head: %q (length %d)", m, i, h, e.Len)
			}
		}
	}
}

func TestStartRejectsBadConfig(t *testing.T) {
	cfg := withMode("carrier_pigeon")
	cfg.Events = -1
	loop := sim.NewLoop(sim.Limits{})
	log := trace.NewLog(false)
	r, err := Start(loop, log, nil, tcp.DefaultConfig(), tls.DefaultConfig(), cfg, 1)
	if r != nil || err == nil || !strings.Contains(err.Error(), "mode:") || !strings.Contains(err.Error(), "events:") {
		t.Errorf("Start(bad config) = %v, %v; want nil and errors naming mode and events", r, err)
	}
}

// A run that cannot finish stops at its time limit and says so.
func TestTimeLimit(t *testing.T) {
	cfg := withMode(ShortPoll)
	cfg.TimeLimit = 20 * time.Second
	r := runUpdates(t, cfg, defaultNet(), 1).res
	if r.Status != "time limit" || r.Delivered >= r.Events || r.EndMs != 20000 {
		t.Errorf("status %s, %d of %d delivered, end %.0f ms; want time limit, some undelivered, 20000", r.Status, r.Delivered, r.Events, r.EndMs)
	}
	for _, e := range r.PerEvent[r.Delivered:] {
		if e.LatencyMs != -1 || e.DeliveredMs != -1 {
			t.Errorf("undelivered event %d: latency %.1f, delivered %.1f; want -1, -1", e.ID, e.LatencyMs, e.DeliveredMs)
		}
	}
}

// Events that happen before the channel is open wait at the server and go
// out as soon as it is: in the first answer, or right after the 101.
func TestEventsBeforeTheChannelOpens(t *testing.T) {
	for _, m := range Modes() {
		n := defaultNet()
		n.keep = true
		cfg := withMode(m)
		cfg.EventTimes = []time.Duration{0, 10 * time.Millisecond}
		cfg.Events = 0
		o := runUpdates(t, cfg, n, 1)
		if o.res.Status != "delivered" {
			t.Fatalf("%s: status %s (%s)", m, o.res.Status, o.res.Error)
		}
		// The first answer (or the 101) leaves when the first request
		// arrives, and carries (or is followed by) both events.
		first := frames(o.log, trace.FrameParsed, trace.Server, "request")
		if m == WebSocket {
			first = frames(o.log, trace.FrameParsed, trace.Server, "ws_upgrade")
		}
		want := first[0].At.Ms() + ms(rtt/2)
		for _, e := range o.res.PerEvent {
			if math.Abs(e.DeliveredMs-want) > 2 || e.Request != map[bool]int64{true: -1, false: 0}[m == WebSocket] {
				t.Errorf("%s: event %d delivered at %.3f ms by request %d; want %.3f by the first", m, e.ID, e.DeliveredMs, e.Request, want)
			}
		}
	}
}
