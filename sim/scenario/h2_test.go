package scenario

import (
	"bytes"
	"fmt"
	"io"
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/h2"
	"httpsim/sim/trace"
	"httpsim/sim/units"
	"httpsim/sim/web"

	xhttp2 "golang.org/x/net/http2"
	xhpack "golang.org/x/net/http2/hpack"
)

// imagesPage is a small document that references n images of size bytes
// at once: the streams a multiplexing lesson needs.
func imagesPage(n int, size int64) *web.Page {
	p := &web.Page{Origin: "www.example.com", Resources: []web.Resource{{URL: "/", Type: web.HTML, Size: 2000, Parent: -1}}}
	for i := 0; i < n; i++ {
		p.Resources = append(p.Resources, web.Resource{URL: fmt.Sprintf("/img/%d.jpg", i), Type: web.Image, Size: size, Parent: 0, After: 0})
	}
	return p
}

func h2Scenario(scheduler string) *Scenario {
	s := Page()
	s.Page = imagesPage(6, 60_000)
	s.Protocols = []string{"h2"}
	s.H2.Scheduler = scheduler
	// Two bandwidth-delay products of queue: deep enough that slow start
	// never overflows it on this page (only the scripted loss happens),
	// shallow enough not to bloat the RTT.
	s.Network.QueueBytes = 256 << 10
	return s
}

func TestZeroLossMeansNoHeadOfLineBlocking(t *testing.T) {
	for _, proto := range []string{"h1", "h2", "h3"} {
		for _, sched := range []string{"seq", "rr", "urgency"} {
			s := Page()
			s.Protocols = []string{proto}
			s.H2.Scheduler, s.H3.Scheduler = sched, sched
			s.Network.QueueBytes = 16 << 20
			run := runPage(t, s)
			if run.PacketsLost != 0 {
				t.Fatalf("%s/%s: %d packets lost; the test needs none", proto, sched, run.PacketsLost)
			}
			for _, x := range run.Resources {
				if x.HOL != 0 || x.LossDelay != 0 {
					t.Errorf("%s/%s: %s HoL %v, loss delay %v; want 0 and 0 at zero loss", proto, sched, x.URL, x.HOL, x.LossDelay)
				}
			}
		}
	}
}

// victim finds the stream whose bytes the dropped packet carried: the one
// with own-loss delay.
func victim(run *ProtocolRun) (web.ResourceState, bool) {
	for _, x := range run.Resources {
		if x.LossDelay > 0 {
			return x, true
		}
	}
	return web.ResourceState{}, false
}

// repair returns when the retransmission was sent and when it filled the
// hole (the end of the victim's own-loss wait).
func repair(run *ProtocolRun) (sent, filled sim.Time) {
	for _, e := range run.Log.Events() {
		if e.Kind == trace.PacketSent && e.Side == trace.Server && e.Flags.Has(trace.FlagRetransmit) && sent == 0 {
			sent = e.At
		}
		if e.Kind == trace.HOLBlocked && e.Name == "loss" && e.At > filled {
			filled = e.At
		}
	}
	return sent, filled
}

// firstData returns when the server wrote each stream's first DATA frame.
func firstData(run *ProtocolRun) map[int64]sim.Time {
	first := map[int64]sim.Time{}
	for _, e := range run.Log.Events() {
		if e.Kind == trace.FrameCreated && e.Side == trace.Server && e.Name == "DATA" {
			if _, ok := first[e.Stream]; !ok {
				first[e.Stream] = e.At
			}
		}
	}
	return first
}

// TestOneLostPacketStallsEveryHTTP2Stream: ORACLES.md's central lesson. One
// lost packet carrying stream A's DATA, with round-robin interleaving: every
// other stream with bytes behind the hole waits until the retransmission
// arrives — about one RTT with fast retransmit — and the page finishes later.
func TestOneLostPacketStallsEveryHTTP2Stream(t *testing.T) {
	rtt := Page().Network.RTT
	clean := runPage(t, h2Scenario("rr"))
	s := h2Scenario("rr")
	s.Network.Down.Drop = []int{120} // mid-transfer, after slow start
	lossy := runPage(t, s)
	v, ok := victim(lossy)
	if !ok {
		t.Fatal("no stream waited for its own retransmission")
	}
	for _, e := range lossy.Log.Events() {
		if e.Kind == trace.LossTimerUpdated && e.Name == "rto" {
			t.Fatalf("a retransmission timeout at %v; the lesson needs fast retransmit", e.At)
		}
	}
	if lossy.PacketsLost != 1 {
		t.Fatalf("%d packets lost; want only the scripted one", lossy.PacketsLost)
	}
	_, filled := repair(lossy)
	if v.LossDelay < rtt || v.LossDelay > 2*rtt {
		t.Errorf("stream %d waited %v for its own retransmission; want about one RTT (fast retransmit)", v.Stream, v.LossDelay)
	}
	blocked, longest := 0, time.Duration(0)
	for _, x := range lossy.Resources[1:] {
		if x.Stream == v.Stream {
			continue
		}
		t.Logf("stream %2d (%s): cross-stream HoL %v (%.0f byte-ms), own loss delay %v", x.Stream, x.URL, x.HOL, x.HOLByteMs, x.LossDelay)
		if x.HOL == 0 {
			t.Errorf("stream %d shows no HoL; every stream with bytes behind the hole should", x.Stream)
			continue
		}
		blocked++
		longest = max(longest, x.HOL)
		if x.LossDelay != 0 {
			t.Errorf("stream %d: own loss delay %v; want 0 (the lost packet was not its)", x.Stream, x.LossDelay)
		}
	}
	// Each stream's wait ends when the hole is filled.
	for _, e := range lossy.Log.Events() {
		if e.Kind == trace.HOLBlocked && e.Name == "transport" && e.At != filled {
			t.Errorf("stream %d's HoL interval ends at %v; want at the fill, %v", e.Stream, e.At, filled)
		}
	}
	t.Logf("lost packet carried stream %d (%s), which waited %v; %d other streams blocked, longest %v; PLT %v → %v",
		v.Stream, v.URL, v.LossDelay, blocked, longest, clean.PLT, lossy.PLT)
	if longest < v.LossDelay*3/4 || longest > v.LossDelay {
		t.Errorf("longest cross-stream HoL %v; want close to the recovery time %v", longest, v.LossDelay)
	}
	if d := lossy.PLT - clean.PLT; d <= 0 || d > v.LossDelay*3/2 {
		t.Errorf("the loss made the page %v slower; want longer by up to about the recovery time %v", d, v.LossDelay)
	}
}

func TestSequentialSchedulerSparesUnstartedStreams(t *testing.T) {
	s := h2Scenario("seq")
	s.Network.Down.Drop = []int{25}
	run := runPage(t, s)
	v, ok := victim(run)
	if !ok {
		t.Fatal("no stream waited for its own retransmission")
	}
	resent, filled := repair(run)
	first := firstData(run)
	unstarted := 0
	for _, x := range run.Resources[1:] {
		t.Logf("stream %2d: first DATA written at %v, cross-stream HoL %v", x.Stream, first[x.Stream], x.HOL)
		if first[x.Stream] > resent {
			unstarted++
			if x.HOL != 0 {
				t.Errorf("stream %d had sent nothing when the loss was repaired but shows HoL %v; want none", x.Stream, x.HOL)
			}
		}
	}
	t.Logf("victim stream %d; retransmission sent at %v, hole filled at %v; %d streams not yet started", v.Stream, resent, filled, unstarted)
	if unstarted < 3 {
		t.Errorf("%d streams not started at the loss; the test needs several", unstarted)
	}
}

func TestSmallStreamWindowThrottles(t *testing.T) {
	// One 256 KB response with a 16 KB stream window: the server may send
	// 16 KB, then waits for the WINDOW_UPDATE that the client sends when it
	// has consumed half the window — here a whole frame, so one window per
	// round trip: 16 rounds, each one RTT plus the window's serialisation.
	const size, window = 256 << 10, 16 << 10
	rtt := 100 * time.Millisecond
	s := Page()
	s.Protocols = []string{"h2"}
	s.Page = &web.Page{Origin: "www.example.com", Resources: []web.Resource{
		{URL: "/big.bin", Type: web.Other, Size: size, Parent: -1},
	}}
	s.H2.StreamWindow = window
	s.Network.Bandwidth = 100 * units.Mbps
	s.Network.RTT = rtt
	s.Network.QueueBytes = 16 << 20
	run := runPage(t, s)
	x := run.Resources[0]
	rounds := size / window
	body := x.Done.Sub(x.FirstByte)
	perRound := rtt + s.Network.Bandwidth.TxTime(window+window/1460*40)
	want := time.Duration(rounds-1) * perRound
	t.Logf("256 KB through a 16 KB window: body took %v after the first byte; %d rounds of %v predict %v", body, rounds, perRound, want)
	if d := body - want; d < -5*time.Millisecond || d > 5*time.Millisecond {
		t.Errorf("body took %v; want (%d-1) rounds of RTT + serialisation = %v (±5ms)", body, rounds, want)
	}
}

func TestServerPush(t *testing.T) {
	page := func() *web.Page {
		p := &web.Page{Origin: "www.example.com", Resources: []web.Resource{
			{URL: "/", Type: web.HTML, Size: 20_000, Parent: -1, NoStore: true},
			{URL: "/app.css", Type: web.CSS, Size: 20_000, Parent: 0, After: 1000, Push: true, MaxAge: 86400},
		}}
		return p
	}
	run := func(push, repeat bool) *ProtocolRun {
		s := Page()
		s.Protocols = []string{"h2"}
		s.Page = page()
		s.H2.Push = push
		s.Visit.Repeat = repeat
		return runPage(t, s)
	}
	without, with := run(false, false), run(true, false)
	css0, css1 := without.Resources[1], with.Resources[1]
	t.Logf("app.css done at %v without push, %v with push (stream %d)", css0.Done, css1.Done, css1.Stream)
	if css1.Stream%2 != 0 {
		t.Errorf("pushed app.css on stream %d; want an even, server-initiated stream", css1.Stream)
	}
	if css1.Done >= css0.Done {
		t.Errorf("pushed app.css done at %v; want earlier than when requested (%v)", css1.Done, css0.Done)
	}
	// On a repeat visit the browser holds app.css fresh: it cancels the push.
	again := run(true, true)
	canceled := false
	for _, e := range again.Log.Events() {
		if e.Kind == trace.FrameCreated && e.Side == trace.Client && e.Name == "RST_STREAM" && e.Stream%2 == 0 {
			canceled = true
		}
	}
	if !canceled || again.Resources[1].Cache != "fresh" {
		t.Errorf("repeat visit: push canceled %v, app.css cache %q; want RST_STREAM on the pushed stream and a fresh copy", canceled, again.Resources[1].Cache)
	}
}

func TestHPACKShrinksHeaders(t *testing.T) {
	s := Page()
	s.Protocols = []string{"h1", "h2"}
	r, err := Run(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	h1, h2 := r.Runs[0], r.Runs[1]
	t.Logf("header bytes: HTTP/1.1 %d, HTTP/2 %d (HPACK) of %d uncompressed", h1.HeaderBytes, h2.HeaderBytes, h2.HeaderUncompressed)
	if h2.HeaderBytes*3 > h1.HeaderBytes || h2.HeaderUncompressed < h1.HeaderBytes*9/10 {
		t.Errorf("HPACK headers %d vs HTTP/1.1 %d (uncompressed %d); want under a third", h2.HeaderBytes, h1.HeaderBytes, h2.HeaderUncompressed)
	}
}

// TestXNetReadsOurHTTP2 replays each side's frames of a whole page load
// (preface, SETTINGS, HPACK-compressed HEADERS, DATA, WINDOW_UPDATE ...)
// through x/net's http2.Framer with its HPACK decoder: a peer implementation
// must accept every frame and decode every header block.
func TestXNetReadsOurHTTP2(t *testing.T) {
	s := Page()
	s.Protocols = []string{"h2"}
	s.H2.Push = true
	s.Page.Resources[1].Push = true
	s.H2.HeaderTableSize = 8192
	run := runPage(t, s)
	for _, side := range []trace.Side{trace.Client, trace.Server} {
		var stream bytes.Buffer
		if side == trace.Client {
			stream.WriteString(xhttp2.ClientPreface)
		}
		frames := 0
		for _, e := range run.Log.Events() {
			if e.Kind != trace.FrameCreated || e.Side != side {
				continue
			}
			stream.Write(e.Raw)
			if e.Name == "DATA" {
				stream.Write(make([]byte, int(e.Len)-len(e.Raw)))
			}
			frames++
		}
		if side == trace.Client {
			stream.Next(len(xhttp2.ClientPreface))
		}
		fr := xhttp2.NewFramer(nil, &stream)
		fr.MaxHeaderListSize = 1 << 20
		// Each side's encoder works within the peer's advertised table.
		fr.ReadMetaHeaders = xhpack.NewDecoder(8192, nil)
		read, paths := 0, 0
		for {
			f, err := fr.ReadFrame()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s frame %d: x/net: %v", side, read, err)
			}
			read++
			if mh, ok := f.(*xhttp2.MetaHeadersFrame); ok {
				if mh.PseudoValue("path") != "" || mh.PseudoValue("status") != "" {
					paths++
				}
			}
			if pp, ok := f.(*xhttp2.PushPromiseFrame); ok {
				// x/net's Framer does not decode PUSH_PROMISE blocks; ours
				// share the HPACK context, so decode it the same way.
				if _, err := fr.ReadMetaHeaders.DecodeFull(pp.HeaderBlockFragment()); err != nil {
					t.Fatalf("%s PUSH_PROMISE: x/net HPACK: %v", side, err)
				}
			}
		}
		t.Logf("%s: x/net read %d frames (we wrote %d, HEADERS merged with CONTINUATION), %d header blocks with :path or :status", side, read, frames, paths)
		if read == 0 || paths == 0 {
			t.Errorf("%s: x/net read %d frames and %d header blocks", side, read, paths)
		}
	}
}

// A peer may encode with the protocol's 4096-byte HPACK table until it
// acknowledges a smaller SETTINGS_HEADER_TABLE_SIZE (RFC 9113 §6.5.3).
// Requests a browser sends on a new connection before the server's
// SETTINGS reach it (queued requests, retried after a move to another
// network) were COMPRESSION_ERRORs: the server held its decoder to the
// smaller size at once, sent GOAWAY, and then wrote after its FIN, which
// panicked the run.
func TestSmallHPACKTableBeforeTheSettingsAck(t *testing.T) {
	for _, size := range []uint32{0, 100} {
		s := Page()
		s.Protocols = []string{"h2"}
		s.H2.HeaderTableSize = size
		s.Network.PathChanges = []PathChange{{At: 500 * time.Millisecond}}
		run := runPage(t, s)
		for _, e := range run.Log.Events() {
			if e.Name == "GOAWAY" {
				t.Errorf("table %d: GOAWAY at %v: %q", size, e.At, e.Raw)
			}
		}
	}
}

// TestHPACKUsesTheTableThePeerAllows checks that a larger
// SETTINGS_HEADER_TABLE_SIZE takes effect: each encoder announces the new
// size in a dynamic table size update (RFC 7541 §6.3) at the start of a
// header block after the peer's SETTINGS. The hpack lesson's slider went
// to 64 KB, but the encoders stayed at 4096 bytes.
func TestHPACKUsesTheTableThePeerAllows(t *testing.T) {
	for _, size := range []uint32{4096, 16384} {
		s, _ := Builtin("hpack")
		s.H2.HeaderTableSize, s.Protocols, s.Variants = size, []string{"h2"}, nil
		run := runPage(t, s)
		// 16384 as a size update: 001 prefix, 5-bit integer (RFC 7541 §5.1).
		update := []byte{0x3f, 0xe1, 0x7f}
		found := map[trace.Side]bool{}
		for _, e := range run.Log.Events() {
			if e.Kind == trace.FrameCreated && e.Name == "HEADERS" && len(e.Raw) > 9+len(update) && bytes.Equal(e.Raw[9:9+len(update)], update) {
				found[e.Side] = true
			}
		}
		want := size == 16384
		if found[trace.Client] != want || found[trace.Server] != want {
			t.Errorf("table %d: size update to 16384 from the client %v, the server %v; want %v", size, found[trace.Client], found[trace.Server], want)
		}
	}
}

// "As HTTP/1.1 text", HTTP/2's and HTTP/3's header sections weigh what
// HTTP/1.1 sends for the same request and response: the lost-first-flight
// lesson's one page, where HTTP/1.1's heads hold a Connection: keep-alive
// line of their own and the others a Priority field (the document's
// urgency 0, RFC 9218), and nothing else differs. The pseudo-headers
// counted as field lines (":scheme: https") weighed 27 bytes more.
func TestHeaderTextIsHTTP1s(t *testing.T) {
	lesson, err := Builtin("lost-first-flight")
	if err != nil {
		t.Fatal(err)
	}
	s := lesson.Variants[indexOfVariant(lesson, "tls13")].Scenario
	s.Protocols = []string{"h1", "h2", "h3"}
	res, err := Run(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	h1 := res.Runs[0].HeaderBytes
	want := h1 - int64(len("Connection: keep-alive\r\n")) + int64(len("priority: u=0\r\n"))
	for _, run := range res.Runs[1:] {
		if run.HeaderUncompressed != want {
			t.Errorf("%s: %d bytes as HTTP/1.1 text; want HTTP/1.1's %d less its Connection line, with the Priority field: %d", run.Proto, run.HeaderUncompressed, h1, want)
		}
	}
}

// A request made while an upload is going out goes after at most the
// low-water mark of the body, not behind all of it: the client reads an
// upload as the connection drains, as browsers do, and its HEADERS leave
// between two chunks; one found with the upload goes before any of its
// body. A 600 KB POST held a small GET found at the same moment until
// 1,154 ms, over HTTP/1.1's own connection 623 ms; then, with the body
// written at the low-water mark, a round trip late: one round trip now.
// Over HTTP/3 the client's QUIC sent the upload's stream to completion
// before the search's (1,008 ms); it now sends bodies after every other
// request's HEADERS, whatever their urgency (an image's is 4, the POST's
// 3) and whatever scheduler orders the server's responses ("seq" ordered
// the client's streams too).
func TestUploadDoesNotHoldBackLaterRequests(t *testing.T) {
	tests := []struct {
		scheduler string
		other     web.Type
	}{
		{"urgency", web.JSON},
		{"urgency", web.Image},
		{"seq", web.JSON},
		{"rr", web.Image},
	}
	for _, tt := range tests {
		s := Page()
		s.Protocols = []string{"h2", "h3"}
		s.H2.Scheduler, s.H3.Scheduler = tt.scheduler, tt.scheduler
		s.Page = &web.Page{Origin: "shop.example.com", Resources: []web.Resource{
			{URL: "/account", Type: web.HTML, Size: 12_000, Parent: -1},
			{URL: "/upload", Type: web.JSON, Size: 300, Parent: 0, After: 1000, Method: "POST", RequestBody: 600_000},
			{URL: "/search?q=x", Type: tt.other, Size: 8000, Parent: 0, After: 1000},
		}}
		if err := s.Validate(); err != nil {
			t.Fatal(err)
		}
		res, err := Run(s, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, run := range res.Runs {
			up, search := run.Resources[1], run.Resources[2]
			if rtt := s.Network.RTT; search.Sent != up.Sent || search.Done.Sub(search.Sent) > rtt*3/2 || search.Done >= up.Done {
				t.Errorf("%s, scheduler %s, a %s request: upload sent at %v, done %v; the other sent at %v, done %v; want it done a round trip (%v) after it was sent, long before the upload",
					run.Proto, tt.scheduler, tt.other, up.Sent, up.Done, search.Sent, search.Done, rtt)
			}
		}
	}
}

// A larger h2.Config.MaxFrameSize is advertised by the client
// (SETTINGS_MAX_FRAME_SIZE, RFC 9113 §6.5.2) and the server's DATA frames
// use it; it did nothing: the client never raised the initial 2^14.
func TestMaxFrameSizeIsAdvertised(t *testing.T) {
	s := Page()
	s.Protocols = []string{"h2"}
	s.H2.MaxFrameSize = 65536
	res, err := Run(s, Options{KeepTrace: true})
	if err != nil {
		t.Fatal(err)
	}
	largest := int64(0)
	for e := range res.Runs[0].Log.All() {
		if e.Kind == trace.FrameCreated && e.Side == trace.Server && e.Name == "DATA" {
			largest = max(largest, e.Len)
		}
	}
	if largest <= h2.DefaultMaxFrameSize+h2.FrameHeaderLen || largest > 65536+h2.FrameHeaderLen {
		t.Errorf("largest DATA frame %d bytes; want above 2^14 and at most 65,536 of payload", largest)
	}
}

// TestOwnLossSurvivesAnotherLostRetransmission: in h2-hol, losing the 140th
// data packet as well as the 120th costs photo6 (stream 13) its own
// retransmission, 170 ms of own-loss delay. Losing also the 120th's
// retransmission (the 242nd) keeps photo4's hole, before photo6's, open
// longer: photo6's retransmission then arrives while that hole is still
// open and waits behind it. It still repaired photo6's own hole when it
// arrived, so photo6 waits for its own loss as long as before and for
// photo4's after that; it showed all of it as photo4's, and no own loss.
func TestOwnLossSurvivesAnotherLostRetransmission(t *testing.T) {
	run := func(drop ...int) (*ProtocolRun, web.ResourceState) {
		t.Helper()
		s, err := Builtin("h2-hol")
		if err != nil {
			t.Fatal(err)
		}
		s.Network.Down.Drop = drop
		r := runPage(t, s)
		for _, x := range r.Resources {
			if x.URL == "/img/photo6.jpg" {
				return r, x
			}
		}
		t.Fatal("no photo6 in h2-hol")
		return nil, web.ResourceState{}
	}
	_, two := run(120, 140)
	three, x := run(120, 140, 242)
	resent := false
	for _, e := range three.Log.Events() {
		if e.Kind == trace.PacketDropped && e.PN == 242 {
			resent = e.Flags.Has(trace.FlagRetransmit)
		}
	}
	if !resent {
		t.Fatal("the 242nd data packet was not a retransmission dropped")
	}
	if two.LossDelay == 0 || two.HOL != 0 {
		t.Fatalf("drops 120 and 140: photo6 HoL %v, own loss %v; want only own loss", two.HOL, two.LossDelay)
	}
	if x.LossDelay != two.LossDelay {
		t.Errorf("drops 120, 140 and 242: photo6 own-loss delay %v; want %v, as without the third drop", x.LossDelay, two.LossDelay)
	}
	// The two causes tile photo6's wait: own loss, then photo4's.
	from, to := sim.Never, sim.Time(0)
	for _, e := range three.Log.Events() {
		if e.Kind == trace.HOLBlocked && e.Conn == x.Conn && e.Stream == x.Stream {
			from, to = min(from, e.Arrived), max(to, e.At)
		}
	}
	if x.HOL == 0 || x.HOL+x.LossDelay != to.Sub(from) {
		t.Errorf("drops 120, 140 and 242: photo6 HoL %v and own loss %v; want them to add up to its wait, %v to %v", x.HOL, x.LossDelay, from, to)
	}
}
