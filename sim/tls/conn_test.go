package tls

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/host"
	"httpsim/sim/link"
	"httpsim/sim/tcp"
	"httpsim/sim/trace"
	"httpsim/sim/units"
)

// app records when it could write and what it received; the client writes
// req bytes as soon as it may, the server answers with resp bytes.
type app struct {
	conn      *Conn
	ready     sim.Time
	got       []byte
	gotN      int64
	firstData sim.Time
	arrivals  []tcp.Arrival
	write     []byte
	filler    int64
	closed    bool
}

func (a *app) OnEstablished(now sim.Time) {
	a.ready = now
	if a.write != nil {
		a.conn.Write(now, a.write)
	}
	if a.filler > 0 {
		a.conn.WriteFiller(now, a.filler)
	}
}

func (a *app) OnData(now sim.Time, d bytestream.Slice, at tcp.Arrival) {
	if a.firstData == 0 {
		a.firstData = now
	}
	a.gotN += d.N
	a.got = append(a.got, d.Bytes()...)
	a.arrivals = append(a.arrivals, at)
}

func (a *app) OnPeerClose(sim.Time) { a.closed = true }

type tlsPair struct {
	loop           *sim.Loop
	log            *trace.Log
	client, server *app
	c, s           *Conn
}

// newTLSPair joins a client and a server; downDrop lists scripted losses
// of the server's packets with payload (link.Config.Drop).
func newTLSPair(t *testing.T, cfg Config, rtt time.Duration, bw units.Rate, downDrop ...int) *tlsPair {
	t.Helper()
	loop := sim.NewLoop(sim.Limits{MaxTime: sim.At(time.Minute)})
	log := trace.NewLog(true)
	lc := link.Config{Bandwidth: bw, Delay: rtt / 2, QueueBytes: 1 << 24}
	// Two hosts joined by a link each way (built here rather than with
	// sim/topo, which imports QUIC, which imports this package).
	ch, sh := host.New("client", nil), host.New("server", nil)
	ch.SetLink(link.New(loop, log, "up", lc, 1, sh))
	dc := lc
	dc.Drop = downDrop
	sh.SetLink(link.New(loop, log, "down", dc, 1, ch))
	tc := tcp.NewConn(0, trace.Client, tcp.DefaultConfig(), loop, log, ch, sim.Seed(1).Stream("c"))
	ts := tcp.NewConn(0, trace.Server, tcp.DefaultConfig(), loop, log, sh, sim.Seed(1).Stream("s"))
	ch.Attach(0, tc)
	sh.Attach(0, ts)
	ts.Listen()
	p := &tlsPair{loop: loop, log: log}
	p.c = NewClient(tc, cfg, loop, log)
	p.s = NewServer(ts, cfg, loop, log)
	// ALPN comes before early_data in the server's EncryptedExtensions:
	// the client must walk the extensions to find it.
	p.c.Hello("www.example.com", "http/1.1")
	p.s.Hello("www.example.com", "http/1.1")
	p.client = &app{conn: p.c, write: []byte("GET / HTTP/1.1\r\n\r\n")}
	p.server = &app{conn: p.s}
	p.c.SetHandler(p.client)
	p.s.SetHandler(p.server)
	loop.After(0, tc.Connect)
	return p
}

func TestHandshakeRoundTrips(t *testing.T) {
	const rtt = 100 * time.Millisecond
	tests := []struct {
		name string
		cfg  Config
		// When the client may first write, and when its first byte of
		// application data reaches the server, in RTTs after the start.
		clientReady, serverGets float64
	}{
		{"TLS 1.2 full", Config{Version: TLS12, CertChain: 4000, MaxRecord: 16384}, 3, 3.5},
		{"TLS 1.2 resumed", Config{Version: TLS12, CertChain: 4000, MaxRecord: 16384, Resume: true}, 2, 2.5},
		{"TLS 1.3 full", Config{Version: TLS13, CertChain: 4000, MaxRecord: 16384}, 2, 2.5},
		{"TLS 1.3 resumed", Config{Version: TLS13, CertChain: 4000, MaxRecord: 16384, Resume: true}, 2, 2.5},
		{"TLS 1.3 0-RTT", Config{Version: TLS13, CertChain: 4000, MaxRecord: 16384, Resume: true, EarlyData: true}, 1, 1.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newTLSPair(t, tt.cfg, rtt, units.Gbps)
			p.loop.Run(0)
			within := func(got sim.Time, rtts float64) bool {
				d := got.Sub(sim.At(time.Duration(rtts * float64(rtt))))
				return d >= 0 && d < time.Millisecond // serialisation at 1 Gbps
			}
			if !within(p.client.ready, tt.clientReady) {
				t.Errorf("client ready at %v; want %.1f RTT", p.client.ready, tt.clientReady)
			}
			if !within(p.server.firstData, tt.serverGets) {
				t.Errorf("server got the request at %v; want %.1f RTT", p.server.firstData, tt.serverGets)
			}
			if string(p.server.got) != "GET / HTTP/1.1\r\n\r\n" {
				t.Errorf("server got %q; want the request bytes", p.server.got)
			}
			if !p.c.HandshakeComplete() || !p.s.HandshakeComplete() {
				t.Error("handshake did not complete on both sides")
			}
			// A resumed session sends no certificate (RFC 8446 §2.2,
			// RFC 5246 §7.3).
			certs := 0
			for _, e := range p.log.Events() {
				if e.Kind == trace.RecordCreated && strings.Contains(e.Value, "Certificate,") {
					certs++
				}
			}
			if want := map[bool]int{false: 1, true: 0}[tt.cfg.Resume]; certs != want {
				t.Errorf("%d records with a Certificate; want %d", certs, want)
			}
		})
	}
}

func TestRecordOverhead(t *testing.T) {
	tests := []struct {
		v        Version
		perRecod int64
	}{{TLS13, 5 + 1 + 16}, {TLS12, 5 + 8 + 16}}
	for _, tt := range tests {
		cfg := DefaultConfig()
		cfg.Version = tt.v
		p := newTLSPair(t, cfg, 20*time.Millisecond, units.Gbps)
		p.server.filler = 100000 // 100000 bytes: 7 records of at most 16384
		p.loop.Run(0)
		st := p.s.Stats()
		if p.client.gotN != 100000 {
			t.Fatalf("%s: client got %d bytes; want 100000", tt.v, p.client.gotN)
		}
		if st.AppBytes != 100000 || st.RecordOverhead != 7*tt.perRecod {
			t.Errorf("%s: app %d, overhead %d; want 100000 and 7 records × %d", tt.v, st.AppBytes, st.RecordOverhead, tt.perRecod)
		}
	}
}

func TestRecordIsUsableOnlyWhenComplete(t *testing.T) {
	// 30 KB at 10 Mbps: the first 16 KB record spans 12 segments. Its
	// bytes arrive over about 13 ms and are delivered together when its
	// last segment arrives.
	p := newTLSPair(t, DefaultConfig(), 50*time.Millisecond, 10*units.Mbps)
	p.server.filler = 30000
	var deliveries []trace.Event
	p.loop.Run(0)
	for _, e := range p.log.Events() {
		if e.Kind == trace.RecordParsed && e.Side == trace.Client && e.Name == "application_data" {
			deliveries = append(deliveries, e)
		}
	}
	if len(deliveries) != 2 {
		t.Fatalf("client parsed %d application records; want 2", len(deliveries))
	}
	if p.client.firstData != deliveries[0].At {
		t.Errorf("first application bytes usable at %v; want when the first record completed, %v", p.client.firstData, deliveries[0].At)
	}
	var firstSegment sim.Time
	for _, e := range p.log.Events() {
		if e.Kind == trace.PacketReceived && e.Side == trace.Client && e.Len > 0 && e.At > sim.At(150*time.Millisecond) {
			firstSegment = e.At
			break
		}
	}
	if gap := deliveries[0].At.Sub(firstSegment); gap < 10*time.Millisecond {
		t.Errorf("record completed %v after its first segment arrived; want about 12 segments' time (>10ms)", gap)
	}
}

func TestLargeCertificateChainCostsARoundTrip(t *testing.T) {
	// With an initial window of 10 × 1460 = 14600 bytes, a 4 KB chain fits
	// in the server's first flight; a 20 KB chain does not, and the rest of
	// the flight waits for the client's ACKs: one more round trip.
	ready := func(chain int) sim.Time {
		cfg := DefaultConfig()
		cfg.CertChain = chain
		p := newTLSPair(t, cfg, 100*time.Millisecond, units.Gbps)
		p.loop.Run(0)
		return p.client.ready
	}
	small, large := ready(4000), ready(20000)
	if d := large.Sub(small); d < 90*time.Millisecond || d > 110*time.Millisecond {
		t.Errorf("client ready at %v with 4 KB and %v with 20 KB; want one RTT (100ms) apart", small, large)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		cfg  Config
		want string
	}{
		{Config{Version: "1.4"}, `version: "1.4" is not a TLS version (use none, 1.2 or 1.3)`},
		{Config{Version: TLS13, CertChain: 10, MaxRecord: 16384}, "cert_chain: 10 is out of range (100 bytes to 1MiB)"},
		{Config{Version: TLS13, CertChain: 4000, MaxRecord: 20000}, "max_record: 20000 is out of range (256 to 16384 bytes)"},
		{Config{Version: TLS12, CertChain: 4000, MaxRecord: 16384, Resume: true, EarlyData: true}, "early_data: 0-RTT needs TLS 1.3 and a resumed session (RFC 8446 §2.3)"},
	}
	for _, tt := range tests {
		if err := tt.cfg.Validate(); err == nil || err.Error() != tt.want {
			t.Errorf("Validate(%+v) = %v; want %q", tt.cfg, err, tt.want)
		}
	}
}

// TestKeyChangesOnRecordBoundaries checks RFC 8446 §5.1: "Handshake
// messages MUST NOT span key changes": EndOfEarlyData, the last message
// under the early keys, and the client's Finished, under the handshake
// keys, go in records of their own.
func TestKeyChangesOnRecordBoundaries(t *testing.T) {
	p := newTLSPair(t, Config{Version: TLS13, CertChain: 4000, MaxRecord: 16384, Resume: true, EarlyData: true}, 100*time.Millisecond, units.Gbps)
	p.loop.Run(0)
	var got []string
	for _, e := range p.log.Events() {
		if e.Kind == trace.RecordCreated && e.Side == trace.Client && e.Name == "handshake" {
			got = append(got, e.Value)
		}
	}
	want := []string{"ClientHello", "EndOfEarlyData", "Finished"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("client handshake records = %q; want %q", got, want)
	}
}

// TestRecordHeldByALossInside: a segment lost in the middle of a record
// holds back the bytes before it as well as after it, since none of the
// record is usable before all of it. Those before it reached TCP in order;
// they count as in order only when the hole was repaired, and say so
// (HeldByRecord), so that their wait is measured, from when the record
// would have been complete without the loss (HeldFrom). Those after it say
// so too, to be attributed once the record's repair is known. Without a
// loss no record wait is counted: a record waiting for its sender's window
// is not head-of-line blocking.
func TestRecordHeldByALossInside(t *testing.T) {
	clean := newTLSPair(t, DefaultConfig(), 50*time.Millisecond, 10*units.Mbps)
	clean.server.filler = 30000
	clean.loop.Run(0)
	for _, a := range clean.client.arrivals {
		if a.HeldByRecord || a.InOrder != a.At {
			t.Fatalf("without loss, an arrival %+v waited", a)
		}
	}

	p := newTLSPair(t, DefaultConfig(), 50*time.Millisecond, 10*units.Mbps, 10)
	p.server.filler = 30000
	p.loop.Run(0)
	if p.client.gotN != 30000 {
		t.Fatalf("client got %d bytes; want 30000", p.client.gotN)
	}
	var retx sim.Time
	for _, e := range p.log.Events() {
		if e.Kind == trace.PacketReceived && e.Side == trace.Client && e.Flags.Has(trace.FlagRetransmit) && retx == 0 {
			retx = e.At
		}
	}
	if retx == 0 {
		t.Fatal("no retransmission reached the client")
	}
	arrived := map[sim.Time]bool{}
	for _, a := range p.client.arrivals {
		if !a.Retransmitted {
			arrived[a.At] = true
		}
	}
	before, behind := 0, 0
	for _, a := range p.client.arrivals {
		if a.Retransmitted && (a.HeldByRecord || a.At != a.InOrder) {
			// Retransmitted bytes keep their time: they say whose bytes
			// filled the hole, and when.
			t.Errorf("retransmitted arrival %+v; want it delivered as it arrived", a)
		}
		if !a.HeldByRecord {
			continue
		}
		if a.At >= a.InOrder || a.InOrder != retx {
			t.Errorf("held arrival %+v; want in order when the retransmission arrived, %v", a, retx)
		}
		switch a.TCPInOrder {
		case a.At:
			// Before the hole. The record spans two flights: it
			// would have been complete only when its last byte came,
			// in the second, and the hole holds these bytes back from
			// then (HeldFrom), not from their arrival, which TCP
			// delivered at once.
			before++
			if a.HeldFrom <= a.At || a.HeldFrom >= a.InOrder || !arrived[a.HeldFrom] {
				t.Errorf("held arrival %+v; want it held from a later arrival of its record's bytes", a)
			}
		case a.InOrder:
			// Behind the hole: they waited in TCP, and are held to be
			// attributed with the record's repair known.
			behind++
		default:
			t.Errorf("held arrival %+v; want it in order in TCP on arrival or at the repair", a)
		}
	}
	if before == 0 || behind == 0 {
		t.Errorf("%d held arrivals before the hole and %d behind it; want some of each: %+v", before, behind, p.client.arrivals)
	}
}

// TestEarlyDataRejected checks RFC 8446 §4.2.10 and §4.5 with a server that
// refuses 0-RTT: the client writes its request as early data at once, the
// server skips those records unread, the client learns of the refusal from
// EncryptedExtensions, sends no EndOfEarlyData, and sends the same bytes
// again after its Finished. The server's application gets them once, in
// order, one round trip later than with 0-RTT accepted.
func TestEarlyDataRejected(t *testing.T) {
	const rtt = 100 * time.Millisecond
	cfg := Config{Version: TLS13, CertChain: 4000, MaxRecord: 16384, Resume: true, EarlyData: true, RejectEarlyData: true}
	tests := []struct {
		name   string
		filler int64 // more early data after the request, in several records
		// serverGets: when the server's application gets the first
		// byte, in RTTs, or 0 not to check: 40 KB of early data is
		// more than TCP's initial window, and the client's Finished and
		// the replayed bytes queue behind what is left of it.
		serverGets float64
	}{
		{"one record", 0, 2.5},
		{"three records", 40000, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newTLSPair(t, cfg, rtt, units.Gbps)
			p.client.filler = tt.filler
			p.loop.Run(0)
			req := "GET / HTTP/1.1\r\n\r\n"
			want := int64(len(req)) + tt.filler
			if p.server.gotN != want || !strings.HasPrefix(string(p.server.got), req) {
				t.Fatalf("server app got %d bytes starting %q; want %d starting with the request, once", p.server.gotN, p.server.got[:min(len(p.server.got), len(req))], want)
			}
			for _, b := range p.server.got[len(req):] {
				if b != 0 {
					t.Fatal("server app got bytes other than the filler after the request")
				}
			}
			// The client may write at once (it offers early data), but
			// its bytes reach the server's application only after its
			// Finished: at 2.5 RTT, as without 0-RTT.
			if d := p.client.ready.Sub(sim.At(rtt)); d < 0 || d > time.Millisecond {
				t.Errorf("client ready at %v; want 1 RTT (early data offered)", p.client.ready)
			}
			if d := p.server.firstData.Sub(sim.At(time.Duration(tt.serverGets * float64(rtt)))); tt.serverGets > 0 && (d < 0 || d > time.Millisecond) {
				t.Errorf("server app got the request at %v; want %.1f RTT", p.server.firstData, tt.serverGets)
			}
			var clientHS []string
			var finished sim.Time
			var states []string
			skipped := int64(0)
			for _, e := range p.log.Events() {
				switch {
				case e.Kind == trace.RecordCreated && e.Side == trace.Client && e.Name == "handshake":
					clientHS = append(clientHS, e.Value)
				case e.Kind == trace.RecordParsed && e.Side == trace.Server && e.Value == "Finished":
					finished = e.At
				case e.Kind == trace.RecordParsed && e.Side == trace.Server && e.Value == "early_data_skipped":
					skipped++
				case e.Kind == trace.ConnectionStateUpdated && strings.HasPrefix(e.Name, "early_data"):
					states = append(states, e.Side.String()+":"+e.Name)
				}
			}
			if got := strings.Join(clientHS, " "); got != "ClientHello Finished" {
				t.Errorf("client handshake records = %q; want ClientHello and Finished, no EndOfEarlyData (RFC 8446 §4.5)", got)
			}
			if finished == 0 || p.server.firstData < finished {
				t.Errorf("server app got data at %v, its Finished parsed at %v; want after", p.server.firstData, finished)
			}
			if wantSkipped := (want + 16383) / 16384; skipped != wantSkipped {
				t.Errorf("server skipped %d early records; want %d", skipped, wantSkipped)
			}
			if got := strings.Join(states, " "); got != "client:early_data_sent server:early_data_rejected client:early_data_rejected" {
				t.Errorf("early data states %q; want sent, rejected by the server, then seen rejected by the client", got)
			}
			cs := p.c.Stats()
			if cs.EarlyData != 0 || cs.EarlyRejected != want || cs.AppBytes != 2*want {
				t.Errorf("client stats %+v; want EarlyData 0, EarlyRejected %d, AppBytes %d (sent twice)", cs, want, 2*want)
			}
			if !p.c.HandshakeComplete() || !p.s.HandshakeComplete() {
				t.Error("handshake did not complete on both sides")
			}
		})
	}
}

func TestValidateRejectEarlyData(t *testing.T) {
	cfg := Config{Version: TLS13, CertChain: 4000, MaxRecord: 16384, Resume: true, RejectEarlyData: true}
	want := "reject_early_data: a server can reject 0-RTT only if the client sends it: needs early_data (RFC 8446 §4.2.10)"
	if err := cfg.Validate(); err == nil || err.Error() != want {
		t.Errorf("Validate(%+v) = %v; want %q", cfg, err, want)
	}
	cfg.EarlyData = true
	if err := cfg.Validate(); err != nil {
		t.Errorf("Validate(%+v) = %v; want nil", cfg, err)
	}
}

// TestChangeCipherSpecCompat checks RFC 8446 Appendix D.4 over TCP: the
// ClientHello's session ID is not empty, so the server sends one dummy
// change_cipher_spec record right after its ServerHello, and the client
// one before its second flight, or right after its ClientHello when it
// offers early data. Each is the single byte 1, unencrypted (6 bytes with
// its header), and the peer drops it (§5). TLS 1.2 keeps its own
// ChangeCipherSpecs (RFC 5246 §7.3).
func TestChangeCipherSpecCompat(t *testing.T) {
	tests := []struct {
		name           string
		cfg            Config
		client, server string // the records each end creates, in order
	}{
		{"TLS 1.3 full", Config{Version: TLS13, CertChain: 4000, MaxRecord: 16384},
			"ClientHello CCS Finished app alert", "ServerHello CCS EncryptedExtensions,Certificate,CertificateVerify,Finished NewSessionTicket,NewSessionTicket app alert"},
		{"TLS 1.3 resumed", Config{Version: TLS13, CertChain: 4000, MaxRecord: 16384, Resume: true},
			"ClientHello CCS Finished app alert", "ServerHello CCS EncryptedExtensions,Finished NewSessionTicket app alert"},
		{"TLS 1.3 0-RTT", Config{Version: TLS13, CertChain: 4000, MaxRecord: 16384, Resume: true, EarlyData: true},
			"ClientHello CCS app EndOfEarlyData Finished alert", "ServerHello CCS EncryptedExtensions,Finished app NewSessionTicket alert"},
		{"TLS 1.3 0-RTT rejected", Config{Version: TLS13, CertChain: 4000, MaxRecord: 16384, Resume: true, EarlyData: true, RejectEarlyData: true},
			"ClientHello CCS app Finished app alert", "ServerHello CCS EncryptedExtensions,Finished NewSessionTicket app alert"},
		{"TLS 1.2 full", Config{Version: TLS12, CertChain: 4000, MaxRecord: 16384},
			"ClientHello ClientKeyExchange CCS Finished app alert", "ServerHello,Certificate,ServerKeyExchange,ServerHelloDone CCS Finished app alert"},
		{"TLS 1.2 resumed", Config{Version: TLS12, CertChain: 4000, MaxRecord: 16384, Resume: true},
			"ClientHello CCS Finished app alert", "ServerHello CCS Finished app alert"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newTLSPair(t, tt.cfg, 100*time.Millisecond, units.Gbps)
			p.server.write = []byte("HTTP/1.1 200 OK\r\n\r\n")
			p.loop.Run(0)
			p.loop.After(p.loop.Now(), func(now sim.Time) { p.c.Close(now); p.s.Close(now) })
			p.loop.Run(0)
			got := map[trace.Side][]string{}
			for _, e := range p.log.Events() {
				if e.Kind != trace.RecordCreated {
					continue
				}
				name := e.Value
				switch e.Name {
				case "change_cipher_spec":
					name = "CCS"
					if e.Len != 6 {
						t.Errorf("%s's change_cipher_spec record is %d bytes; want 6 (header and the byte 1, unencrypted)", e.Side, e.Len)
					}
				case "application_data":
					name = "app"
				case "alert":
					name = "alert"
				}
				got[e.Side] = append(got[e.Side], name)
			}
			if g := strings.Join(got[trace.Client], " "); g != tt.client {
				t.Errorf("client records %q; want %q", g, tt.client)
			}
			if g := strings.Join(got[trace.Server], " "); g != tt.server {
				t.Errorf("server records %q; want %q", g, tt.server)
			}
			if string(p.client.got) != "HTTP/1.1 200 OK\r\n\r\n" || string(p.server.got) != "GET / HTTP/1.1\r\n\r\n" {
				t.Errorf("client got %q, server %q; want the response and the request", p.client.got, p.server.got)
			}
			// A TLS 1.3 receiver drops the dummy record (RFC 8446 §5);
			// a TLS 1.2 one takes it as the switch to the new keys.
			for _, e := range p.log.Events() {
				if e.Kind == trace.RecordParsed && e.Name == "change_cipher_spec" {
					if dropped := e.Value == "dropped (middlebox compatibility)"; dropped != (tt.cfg.Version == TLS13) {
						t.Errorf("%s parsed a change_cipher_spec record as %q", e.Side, e.Value)
					}
				}
			}
		})
	}
}

// TestClientHelloRecord: a ClientHello is padded to 512 bytes (RFC 7685),
// one resuming TLS 1.3 carries its ticket and binder besides (RFC 8446
// §4.2.11); one resuming TLS 1.2 names the session by its ID and is padded
// as a first one: it carried a session_ticket extension of zeros 200 bytes
// long, though the model's TLS 1.2 server sends no tickets.
func TestClientHelloRecord(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want int64
	}{
		{"TLS 1.2", Config{Version: TLS12, CertChain: 4000, MaxRecord: 16384}, 5 + 4 + 508},
		{"TLS 1.2 resumed", Config{Version: TLS12, CertChain: 4000, MaxRecord: 16384, Resume: true}, 5 + 4 + 508},
		{"TLS 1.3", Config{Version: TLS13, CertChain: 4000, MaxRecord: 16384}, 5 + 4 + 508},
		{"TLS 1.3 resumed", Config{Version: TLS13, CertChain: 4000, MaxRecord: 16384, Resume: true}, 5 + 4 + 508 + 200},
	}
	for _, tt := range tests {
		p := newTLSPair(t, tt.cfg, 100*time.Millisecond, units.Gbps)
		p.loop.Run(0)
		for _, e := range p.log.Events() {
			if e.Kind == trace.RecordCreated && e.Value == "ClientHello" && e.Len != tt.want {
				t.Errorf("%s: ClientHello record of %d bytes; want %d", tt.name, e.Len, tt.want)
			}
		}
	}
}

// sentApp is a server application that notes, each time TCP sends new
// bytes, how far its own bytes and TCP's have left.
type sentApp struct {
	*app
	calls []struct{ app, tcp int64 }
}

func (a *sentApp) OnSent(sim.Time) {
	a.calls = append(a.calls, struct{ app, tcp int64 }{a.conn.Sent(), a.conn.TCP().Sent()})
}

// Sent counts the application's bytes that have left, without the records'
// framing (an HTTP/1.1 server measures with it how long a pipelined
// response waited behind the bytes ahead of it): an application byte has
// left when the TCP byte that carries it has. Checked against the records
// the trace shows, at every send.
func TestSentCountsApplicationBytes(t *testing.T) {
	const total = 60_000
	for _, cfg := range []Config{
		{Version: TLS12, CertChain: 4000, MaxRecord: 4000},
		{Version: TLS13, CertChain: 4000, MaxRecord: 4000},
		{Version: TLS13, CertChain: 4000, MaxRecord: 16384},
	} {
		t.Run(fmt.Sprintf("%v, records of %d", cfg.Version, cfg.MaxRecord), func(t *testing.T) {
			p := newTLSPair(t, cfg, 50*time.Millisecond, 10*units.Mbps)
			p.server.filler = total
			a := &sentApp{app: p.server}
			p.s.SetHandler(a)
			p.s.WatchSent(true)
			p.loop.Run(0)
			// The application records, as the trace has them: where
			// each one's content begins in TCP's stream, and its length.
			type rec struct{ app, tcp, n int64 }
			var recs []rec
			var app int64
			prefix, suffix := int64(0), int64(tagLen+1)
			if cfg.Version == TLS12 {
				prefix, suffix = explicitNonce12, tagLen
			}
			for e := range p.log.All() {
				if e.Kind == trace.RecordCreated && e.Side == trace.Server && e.Name == "application_data" {
					n := e.Len - recordHeaderLen - prefix - suffix
					recs = append(recs, rec{app, e.Seq + recordHeaderLen + prefix, n})
					app += n
				}
			}
			want := func(tcpSent int64) int64 {
				var w int64
				for _, r := range recs {
					if tcpSent > r.tcp {
						w = r.app + min(tcpSent-r.tcp, r.n)
					}
				}
				return w
			}
			if app != total || len(a.calls) < 2 {
				t.Fatalf("%d application bytes in records, %d sends told; want %d in several", app, len(a.calls), total)
			}
			for _, c := range a.calls {
				if c.app != want(c.tcp) {
					t.Errorf("TCP sent %d: Sent() = %d; want %d", c.tcp, c.app, want(c.tcp))
				}
			}
			if last := a.calls[len(a.calls)-1]; last.app != total {
				t.Errorf("at the end Sent() = %d; want all %d", last.app, total)
			}
		})
	}
}
