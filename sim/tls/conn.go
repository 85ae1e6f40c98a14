package tls

import (
	"encoding/binary"
	"slices"
	"strings"

	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/tcp"
	"httpsim/sim/trace"
	"httpsim/sim/transport"
)

// Stats count what TLS added to the wire.
type Stats struct {
	// HandshakeBytes is every byte of handshake, change_cipher_spec and
	// alert records, headers included.
	HandshakeBytes int64
	// RecordOverhead is the framing of application data records: header,
	// explicit nonce or inner content type, and tag.
	RecordOverhead int64
	// AppBytes is the application data carried.
	AppBytes int64
	// Records counts records written.
	Records int64
	// EarlyData is the application data sent (or accepted) as 0-RTT.
	// On a client whose early data the server rejected it is 0: those
	// bytes count in EarlyRejected instead.
	EarlyData int64
	// EarlyRejected is the application data a client sent as 0-RTT and
	// the server rejected (RFC 8446 §4.2.10): the client sends the same
	// bytes again once the handshake completes, so AppBytes counts them
	// twice. A server counts nothing here; the records it skipped are in
	// its trace.
	EarlyRejected int64
}

// Overhead is everything TLS added: handshakes and record framing.
func (s Stats) Overhead() int64 { return s.HandshakeBytes + s.RecordOverhead }

// Conn is one end of a TLS connection over a TCP connection. It implements
// transport.Conn for the application above and tcp.Handler for the TCP
// connection below.
type Conn struct {
	cfg    Config
	client bool
	tcp    *tcp.Conn
	loop   *sim.Loop
	log    *trace.Log
	app    transport.Handler

	// serverName and alpn are what a client's ClientHello names and
	// offers, and what a server acknowledges and selects (Hello); ""
	// leaves the extension out.
	serverName, alpn string
	// closed: close_notify and TCP's FIN are sent; nothing more goes out.
	// A server that answered 0-RTT requests and closed (HTTP/1.0) can get
	// the client's Finished afterwards, and would write its session
	// tickets after its FIN.
	closed bool

	// Handshake progress.
	complete bool // handshake finished: application data flows
	appReady bool // OnEstablished has been called
	early    bool // this connection sends or accepts 0-RTT data
	earlyOn  bool // the client is still writing early data
	// rejected: the client learnt from EncryptedExtensions that the
	// server refused its early data (RFC 8446 §4.2.10).
	rejected bool
	// skipEarly: a server refusing the client's early data skips its
	// records until one deprotects with the handshake keys, the
	// client's Finished (RFC 8446 §4.2.10).
	skipEarly  bool
	peerCrypt  bool // the peer's records are now encrypted
	myCrypt    bool // our records are now encrypted
	handshaker handshakeReader
	reader     recordReader

	// Application data written and not yet sealed into records. A client
	// keeps what it sealed as early data too, from pending.Start(), until
	// the server accepts it, or sends it again if the server rejects it.
	pending    bytestream.Buffer
	sealed     int64
	flushTimer sim.Timer
	closing    bool
	sent       int64 // TCP stream position of the next record
	stats      Stats
	lowWater   int64
	flightBuf  []byte // scratch for writeFlight
	tickets    int    // NewSessionTickets a client received
	// watch: the application asked to learn how far its bytes have been
	// sent (transport.SendProgress). recs then maps the application bytes
	// of the records not yet wholly sent into TCP's stream, and appSent
	// is where the records already sent end.
	watch bool
	// sentApp is app as a SentHandler, or nil: looked up once, not on
	// every send (an interface assertion is a lookup in the runtime's
	// itab table).
	sentApp transport.SentHandler
	recs    []appRecord
	appSent int64
	// heldPeer is the peer's TCP stream, as the bytes held behind a hole
	// at the connection's stop refer to it (OnHeld).
	heldPeer *bytestream.Buffer
}

// appRecord is one application data record as written: n bytes of the
// application's stream from offset app, at TCP stream offset tcp.
type appRecord struct{ app, tcp, n int64 }

var (
	_ transport.Conn          = (*Conn)(nil)
	_ transport.EarlyDataConn = (*Conn)(nil)
	_ tcp.Handler             = (*Conn)(nil)
	_ transport.SendProgress  = (*Conn)(nil)
	_ tcp.SentHandler         = (*Conn)(nil)
	_ tcp.HeldHandler         = (*Conn)(nil)
)

// NewClient wraps the client end of a TCP connection; the handshake starts
// when TCP is established.
func NewClient(c *tcp.Conn, cfg Config, loop *sim.Loop, log *trace.Log) *Conn {
	return newConn(c, cfg, loop, log, true)
}

// NewServer wraps the server end of a TCP connection.
func NewServer(c *tcp.Conn, cfg Config, loop *sim.Loop, log *trace.Log) *Conn {
	return newConn(c, cfg, loop, log, false)
}

func newConn(c *tcp.Conn, cfg Config, loop *sim.Loop, log *trace.Log, client bool) *Conn {
	t := &Conn{cfg: cfg, client: client, tcp: c, loop: loop, log: log, lowWater: -1}
	t.early = cfg.EarlyData && cfg.Version == TLS13 && cfg.Resume
	if t.early && cfg.RejectEarlyData && !client {
		// The client still offers early data; this server will not
		// accept it.
		t.early, t.skipEarly = false, true
	}
	loop.InitTimer(&t.flushTimer, t.flush)
	c.SetHandler(t)
	return t
}

// ID implements transport.Conn.
func (t *Conn) ID() int32 { return t.tcp.ID() }

// TCP implements transport.Conn.
func (t *Conn) TCP() *tcp.Conn { return t.tcp }

// SetHandler implements transport.Conn.
func (t *Conn) SetHandler(h transport.Handler) {
	t.app = h
	t.sentApp, _ = h.(transport.SentHandler)
}

// Stats returns the counters so far.
func (t *Conn) Stats() Stats { return t.stats }

// HandshakeComplete reports whether the handshake has finished.
func (t *Conn) HandshakeComplete() bool { return t.complete }

// TicketsReceived is the number of TLS 1.3 NewSessionTickets a client
// received (RFC 8446 §4.6.1): each lets one later connection resume.
func (t *Conn) TicketsReceived() int { return t.tickets }

// Write implements transport.Conn: bytes are sealed into records at the end
// of the current instant, so that writes made together share records, as a
// buffered TLS writer does.
func (t *Conn) Write(now sim.Time, p []byte) {
	t.pending.Write(p)
	t.scheduleFlush(now)
}

// WriteFiller implements transport.Conn.
func (t *Conn) WriteFiller(now sim.Time, n int64) {
	t.pending.WriteFiller(n)
	t.scheduleFlush(now)
}

// Close implements transport.Conn: a close_notify alert, then TCP's FIN.
func (t *Conn) Close(now sim.Time) {
	t.closing = true
	t.scheduleFlush(now)
}

// Abort implements transport.Conn.
func (t *Conn) Abort() {
	t.flushTimer.Stop()
	t.tcp.Abort()
}

// Unsent implements transport.Conn.
func (t *Conn) Unsent() int64 { return t.pending.Len() - t.sealed + t.tcp.Unsent() }

// SetLowWater implements transport.Conn.
func (t *Conn) SetLowWater(n int64) {
	t.lowWater = n
	t.tcp.SetLowWater(n)
}

// OnWritable implements tcp.WritableHandler, passing TCP's call up.
func (t *Conn) OnWritable(now sim.Time) {
	if wh, ok := t.app.(transport.WritableHandler); ok && t.pending.Len() == t.sealed {
		wh.OnWritable(now)
	}
}

// WatchSent implements transport.SendProgress. Turn it on before writing.
func (t *Conn) WatchSent(on bool) {
	t.watch = on
	t.tcp.WatchSent(on)
}

// OnSent implements tcp.SentHandler, passing TCP's call up.
func (t *Conn) OnSent(now sim.Time) {
	if t.sentApp != nil && t.watch {
		t.sentApp.OnSent(now)
	}
}

// Sent implements transport.SendProgress: the application bytes whose TCP
// bytes have been sent at least once. A record's framing is not counted:
// an application byte has left when its own TCP byte has.
func (t *Conn) Sent() int64 {
	sent := t.tcp.Sent()
	i := 0
	for ; i < len(t.recs) && t.recs[i].tcp+t.recs[i].n <= sent; i++ {
		t.appSent = t.recs[i].app + t.recs[i].n
	}
	t.recs = t.recs[:copy(t.recs, t.recs[i:])]
	if len(t.recs) > 0 && t.recs[0].tcp < sent {
		return t.recs[0].app + sent - t.recs[0].tcp
	}
	return t.appSent
}

func (t *Conn) canSendApp() bool { return t.complete || t.earlyOn }

// InEarlyData implements transport.EarlyDataConn: the client is still
// writing 0-RTT data.
func (t *Conn) InEarlyData() bool { return t.earlyOn }

func (t *Conn) scheduleFlush(now sim.Time) {
	if !t.flushTimer.IsSet() {
		t.flushTimer.Set(now)
	}
}

// flush seals pending application data into records (as much as the
// handshake allows), then sends close_notify if the application closed.
func (t *Conn) flush(now sim.Time) {
	if t.closed {
		return
	}
	if t.canSendApp() {
		for t.sealed < t.pending.Len() {
			n := min(int64(t.cfg.MaxRecord), t.pending.Len()-t.sealed)
			t.writeAppRecord(now, bytestream.Slice{Buf: &t.pending, Off: t.sealed, N: n})
			t.sealed += n
		}
		if !t.earlyOn {
			// Early data stays until the server's answer says whether
			// it must be sent again (RFC 8446 §4.2.10).
			t.pending.Discard(t.sealed)
		}
	}
	if t.closing && t.sealed == t.pending.Len() && t.complete {
		t.closing = false
		// close_notify (RFC 8446 §6.1): a two-byte alert, encrypted.
		t.writeRecord(now, ctAlert, []byte{1, 0}, "close_notify")
		t.tcp.Close(now)
		t.closed = true
	}
}

// writeAppRecord seals application data into one record.
func (t *Conn) writeAppRecord(now sim.Time, d bytestream.Slice) {
	before := t.sent
	t.writeHeaderAndPrefix(now, ctApplicationData, int(d.N), true)
	if t.watch {
		t.recs = append(t.recs, appRecord{app: d.Off, tcp: t.sent, n: d.N})
	}
	d.Each(func(real []byte, filler int64) {
		if real != nil {
			t.tcp.Write(now, real)
		} else {
			t.tcp.WriteFiller(now, filler)
		}
	})
	t.sent += d.N
	t.writeSuffix(now, ctApplicationData, true)
	overhead := t.sent - before - d.N
	t.stats.RecordOverhead += overhead
	t.stats.AppBytes += d.N
	if t.earlyOn {
		t.stats.EarlyData += d.N
	}
	t.traceRecord(now, trace.RecordCreated, "application_data", "", before, t.sent-before)
}

// encrypted reports whether our next record is protected, and how.
func (t *Conn) recordOverhead(encrypted bool) (prefix, suffix int, outer func(inner byte) byte) {
	if !encrypted {
		return 0, 0, func(inner byte) byte { return inner }
	}
	if t.cfg.Version == TLS13 {
		// TLSInnerPlaintext: content, then the real content type, then
		// the tag; the outer type is always application_data (RFC 8446
		// §5.2).
		return 0, 1 + tagLen, func(byte) byte { return ctApplicationData }
	}
	return explicitNonce12, tagLen, func(inner byte) byte { return inner }
}

func (t *Conn) writeHeaderAndPrefix(now sim.Time, inner byte, contentLen int, encrypted bool) {
	prefix, suffix, outer := t.recordOverhead(encrypted)
	var h [recordHeaderLen]byte
	h[0] = outer(inner)
	// legacy_record_version: 0x0303 (0x0301 for a first ClientHello is
	// allowed too; RFC 8446 §5.1).
	h[1], h[2] = 3, 3
	binary.BigEndian.PutUint16(h[3:], uint16(prefix+contentLen+suffix))
	t.tcp.Write(now, h[:])
	t.sent += recordHeaderLen
	if prefix > 0 {
		t.tcp.WriteFiller(now, int64(prefix))
		t.sent += int64(prefix)
	}
	t.stats.Records++
}

func (t *Conn) writeSuffix(now sim.Time, inner byte, encrypted bool) {
	_, suffix, _ := t.recordOverhead(encrypted)
	if suffix == 0 {
		return
	}
	if t.cfg.Version == TLS13 {
		t.tcp.Write(now, []byte{inner})
		suffix--
		t.sent++
	}
	t.tcp.WriteFiller(now, int64(suffix))
	t.sent += int64(suffix)
}

// writeRecord writes one non-application record with real content.
func (t *Conn) writeRecord(now sim.Time, ct byte, content []byte, what string) {
	if t.closed {
		return
	}
	before := t.sent
	enc := t.myCrypt && ct != ctChangeCipherSpec
	t.writeHeaderAndPrefix(now, ct, len(content), enc)
	t.tcp.Write(now, content)
	t.sent += int64(len(content))
	t.writeSuffix(now, ct, enc)
	t.stats.HandshakeBytes += t.sent - before
	t.traceRecord(now, trace.RecordCreated, contentTypeName(ct), what, before, t.sent-before)
}

// writeCCS writes a change_cipher_spec record: the single byte 1, never
// encrypted (RFC 5246 §7.1). In TLS 1.2 it switches the sender to the new
// keys; in TLS 1.3 it is the dummy of middlebox compatibility mode (RFC 8446
// Appendix D.4), which the peer drops (§5).
func (t *Conn) writeCCS(now sim.Time) {
	t.writeRecord(now, ctChangeCipherSpec, []byte{1}, "ChangeCipherSpec")
}

// message is a handshake message to send: its type and body size.
type message struct {
	typ  byte
	size int
}

// writeFlight packs handshake messages into records of at most MaxRecord
// bytes of content. Message headers are real bytes, and so are the
// messages' structures that a peer or a capture reads: the hellos
// (hello.go), EncryptedExtensions (extensions.go) and TLS 1.2's key
// exchanges (keyexchange.go), the certificates' DER (certificate.go). Keys,
// signatures, MACs and tickets are zeros, since nothing here is
// cryptography.
func (t *Conn) writeFlight(now sim.Time, msgs ...message) {
	total := 0
	var buf [8]string
	names := buf[:0]
	for _, m := range msgs {
		total += handshakeHeader + m.size
		names = append(names, handshakeName(m.typ))
	}
	// The flight's bytes are built in scratch space (the TCP buffer copies
	// them), zeroed first since the bodies are zeros.
	content := slices.Grow(t.flightBuf[:0], total)[:total]
	clear(content)
	t.flightBuf = content
	at := 0
	for _, m := range msgs {
		content[at] = m.typ
		put24(content[at+1:], m.size)
		body := content[at+handshakeHeader : at+handshakeHeader+m.size]
		switch {
		case m.typ == hsClientHello:
			clientHello(body, t.cfg.Version == TLS13, t.cfg.Resume, t.early, t.serverName, t.alpn)
		case m.typ == hsServerHello:
			serverHello(body, t.cfg.Version == TLS13, t.cfg.Resume, t.sniAck(), t.alpn)
		case m.typ == hsEncryptedExtensions:
			// Capped at the body, so that a size that disagreed
			// could not overrun the next message.
			appendEncryptedExtensions(body[:0:len(body)], t.sniAck(), t.alpn, t.early)
		case m.typ == hsCertificate:
			certificateMessage(body, t.cfg.Version == TLS13, t.serverName)
		case m.typ == hsServerKeyExchange:
			serverKeyExchange(body)
		case m.typ == hsClientKeyExchange:
			clientKeyExchange(body)
		}
		at += handshakeHeader + m.size
	}
	what := strings.Join(names, ",")
	for len(content) > 0 {
		n := min(len(content), t.cfg.MaxRecord)
		t.writeRecord(now, ctHandshake, content[:n], what)
		content = content[n:]
	}
}

// put24 writes n as a 24-bit length (RFC 8446 §3.3), as handshake
// messages and certificate lists have them.
func put24(b []byte, n int) { b[0], b[1], b[2] = byte(n>>16), byte(n>>8), byte(n) }

func (t *Conn) traceRecord(now sim.Time, k trace.Kind, ct, what string, at, n int64) {
	side := t.tcp.Side() // the browser, the origin, or an edge
	t.log.Emit(trace.Event{At: now, Kind: k, Side: side, Conn: t.tcp.ID(), Stream: -1, PN: -1, Seq: at, Len: n, Name: ct, Value: what})
}

func (t *Conn) traceState(now sim.Time, name string) {
	side := t.tcp.Side() // the browser, the origin, or an edge
	t.log.Emit(trace.Event{At: now, Kind: trace.ConnectionStateUpdated, Side: side, Conn: t.tcp.ID(), Stream: -1, PN: -1, Name: name})
}

// Hello sets the server name (RFC 6066 §3) and the application protocol
// (RFC 7301 §3.1) of the connection, for a capture of the run: the model
// reads neither. A client's ClientHello names serverName and offers alpn;
// a server, given the same, acknowledges the name with an empty
// server_name extension and returns alpn as the protocol it selected, in
// its EncryptedExtensions (TLS 1.3) or ServerHello (TLS 1.2).
// "" leaves the extension out, and so does a name that cannot be one on
// the wire; one beyond ASCII goes as its A-labels (asciiHostName).
func (t *Conn) Hello(serverName, alpn string) {
	t.serverName, _ = asciiHostName(serverName)
	t.alpn = alpn
}

// sniAck reports whether a server acknowledges the client's server_name:
// the client sent one.
func (t *Conn) sniAck() bool { return sendsServerName(t.serverName) }

// ready tells the application it may write.
func (t *Conn) ready(now sim.Time) {
	if t.appReady {
		return
	}
	t.appReady = true
	if t.app != nil {
		t.app.OnEstablished(now)
	}
}

// OnEstablished implements tcp.Handler: TCP is up; the client speaks first.
func (t *Conn) OnEstablished(now sim.Time) {
	if !t.client {
		return
	}
	size := clientHelloLen
	if t.cfg.Resume && t.cfg.Version == TLS13 {
		// TLS 1.2 resumes by session ID, within the padded size.
		size += pskExtensionLen
	}
	t.writeFlight(now, message{hsClientHello, size})
	if t.early {
		// The ClientHello's session ID asks for middlebox compatibility
		// mode (RFC 8446 Appendix D.4): a client offering early data
		// sends its change_cipher_spec "immediately after its first
		// ClientHello", ahead of the early records.
		t.writeCCS(now)
		// RFC 8446 §2.3: early data follows the ClientHello at once,
		// protected with keys from the resumption secret.
		t.earlyOn = true
		t.myCrypt = true
		t.traceState(now, "early_data_sent")
		t.ready(now)
	}
}

// OnPeerClose implements tcp.Handler.
func (t *Conn) OnPeerClose(now sim.Time) {
	if t.app != nil {
		t.app.OnPeerClose(now)
	}
}

// OnReset implements tcp.ResetHandler: the application learns of a reset
// as such if it asks to, as it would over TCP alone.
func (t *Conn) OnReset(now sim.Time) {
	if rh, ok := t.app.(tcp.ResetHandler); ok {
		rh.OnReset(now)
	} else if t.app != nil {
		t.app.OnPeerClose(now)
	}
}

var _ tcp.ResetHandler = (*Conn)(nil)

// OnData implements tcp.Handler: bytes of records.
func (t *Conn) OnData(now sim.Time, d bytestream.Slice, arrived tcp.Arrival) {
	t.reader.feed(now, d, arrived, t)
}

// content returns the content type of a record and where its content lies
// in its body, given its real content type's byte (TLS 1.3 puts it after
// the content, RFC 8446 §5.2).
func (t *Conn) content(rec record, typeAt func(i int) byte) (ct byte, from, to int) {
	ct = rec.outer
	from, to = 0, rec.length
	if t.peerCrypt && ct != ctChangeCipherSpec {
		if t.cfg.Version == TLS13 {
			// Find the real content type before the tag (RFC 8446 §5.2).
			to = rec.length - tagLen - 1
			ct = typeAt(to)
		} else {
			from, to = explicitNonce12, rec.length-tagLen
		}
	}
	return ct, from, to
}

// stopped reports whether the connection was aborted: the application,
// from inside OnData, or the TCP connection under it.
func (t *Conn) stopped() bool { return t.tcp.State() == tcp.Closed }

// onRecord handles one complete record. Once the connection stopped (the
// application aborted it from inside OnData, part way through what TCP
// delivered), the application data not yet handed up goes to the
// application's HeldHandler instead, as bytes held at the stop do: it
// waited until then, and nothing more is done with it.
func (t *Conn) onRecord(now sim.Time, rec record) {
	if t.stopped() {
		heldRecords{t}.onRecord(now, rec)
		return
	}
	ct, from, to := t.content(rec, rec.byteAt)
	what := ""
	encrypted := t.peerCrypt // before this record's messages change it
	if t.skipEarly && ct == ctApplicationData {
		// RFC 8446 §4.2.10: a server rejecting early data "skips past
		// early data by attempting to deprotect received records using
		// the handshake traffic key, discarding records which fail
		// deprotection". The model reads the inner content type instead
		// of trying a key: early records are application data, and the
		// first handshake record (the client's Finished, as a client
		// told of the rejection sends no EndOfEarlyData) is where the
		// handshake keys start. The application never sees these bytes.
		t.traceRecord(now, trace.RecordParsed, contentTypeName(ct), "early_data_skipped", rec.start, int64(rec.length+recordHeaderLen))
		return
	}
	switch ct {
	case ctApplicationData:
		if t.app != nil && to > from {
			rec.span(from, to, func(d bytestream.Slice, arrived tcp.Arrival) {
				if !t.stopped() {
					t.app.OnData(now, d, arrived)
				} else if h, ok := t.app.(transport.HeldHandler); ok {
					h.OnHeld(now, d, arrived)
				}
			})
			if h, ok := t.app.(tcp.RecordEndHandler); ok {
				h.OnRecordEnd(now)
			}
		}
	case ctHandshake:
		var buf [8]string
		names := buf[:0]
		if encrypted {
			t.skipEarly = false // deprotected with the handshake keys
		}
		t.handshaker.feed(to-from, func(dst []byte, i int) { rec.read(dst, from+i) }, func(typ byte, head []byte) {
			names = append(names, handshakeName(typ))
			t.onMessage(now, typ, head)
		})
		what = strings.Join(names, ",")
	case ctChangeCipherSpec:
		if t.cfg.Version == TLS13 {
			// Middlebox compatibility mode's dummy record: "MUST
			// simply drop it without further processing" (RFC 8446
			// §5). The trace says so.
			what = "dropped (middlebox compatibility)"
			break
		}
		// TLS 1.2: the peer's records are encrypted from here on.
		t.peerCrypt = true
	case ctAlert:
		what = "alert"
	}
	t.traceRecord(now, trace.RecordParsed, contentTypeName(ct), what, rec.start, int64(rec.length+recordHeaderLen))
}

// OnHeld implements tcp.HeldHandler: the connection stopped with bytes held
// behind a hole. They are read into records as if the hole had been filled
// then, and the application data of each record they complete goes to the
// application's HeldHandler to measure its wait; nothing else is done with
// them (no handshake message or alert acts, no record is traced as parsed).
func (t *Conn) OnHeld(now sim.Time, d bytestream.Slice, at tcp.Arrival) {
	if _, ok := t.app.(transport.HeldHandler); !ok {
		return
	}
	t.heldPeer = d.Buf
	t.reader.feed(now, d, at, heldRecords{t})
}

// OnStopped implements tcp.HeldHandler: the application data of a record
// the held bytes began but did not complete waited too (its bytes behind
// the hole for the hole, those before it for the hole inside their record).
// The model reads its real content type from the sender's stream, since
// TLS 1.3 puts it at the record's end (RFC 8446 §5.2): a receiver never
// could, but a session ticket's bytes are no stream's.
func (t *Conn) OnStopped(now sim.Time) {
	h, ok := t.app.(transport.HeldHandler)
	if !ok {
		return
	}
	if rec, ok := t.reader.partial(); ok && t.heldPeer != nil {
		peer := t.heldPeer
		typeAt := func(i int) byte {
			var b [1]byte
			peer.ReadAt(b[:], rec.start+recordHeaderLen+int64(i))
			return b[0]
		}
		heldRecords{t}.deliver(now, rec, typeAt, h)
	}
	h.OnStopped(now)
}

// heldRecords takes the records completed by bytes held at the stop.
type heldRecords struct{ t *Conn }

func (hr heldRecords) onRecord(now sim.Time, rec record) {
	if h, ok := hr.t.app.(transport.HeldHandler); ok {
		hr.deliver(now, rec, rec.byteAt, h)
	}
}

// deliver hands the application data of rec (what of it was received) to h.
func (hr heldRecords) deliver(now sim.Time, rec record, typeAt func(int) byte, h transport.HeldHandler) {
	t := hr.t
	ct, from, to := t.content(rec, typeAt)
	if ct != ctApplicationData || t.skipEarly || !t.peerCrypt || to <= from {
		return
	}
	rec.span(from, to, func(d bytestream.Slice, arrived tcp.Arrival) { h.OnHeld(now, d, arrived) })
	if re, ok := t.app.(tcp.RecordEndHandler); ok {
		re.OnRecordEnd(now)
	}
}

// onMessage advances the handshake on each message received; head is the
// start of its body.
func (t *Conn) onMessage(now sim.Time, typ byte, head []byte) {
	v13 := t.cfg.Version == TLS13
	switch {
	case !t.client && typ == hsClientHello:
		t.serverFlight(now)
	case t.client && typ == hsNewSessionTicket:
		t.tickets++
	case t.client && typ == hsServerHello && v13:
		t.peerCrypt = true // everything after ServerHello is encrypted (RFC 8446 §2)
	case t.client && typ == hsEncryptedExtensions && v13 && t.early:
		if !hasEarlyData(head) {
			// RFC 8446 §4.2.10: no early_data extension in
			// EncryptedExtensions: the server rejected the early
			// data. Stop writing it; what was sent goes again after
			// the handshake (browsers replay the requests).
			t.rejected = true
			t.earlyOn = false
			t.traceState(now, "early_data_rejected")
		}
	case t.client && typ == hsFinished && v13:
		// The server's flight is complete: send our Finished. An
		// EndOfEarlyData ends the early keys' records: it "MUST" end on
		// a record boundary, and Finished goes in a record of the
		// handshake keys (RFC 8446 §5.1). RFC 8446 §4.5: 'If the server
		// does not send an "early_data" extension in EncryptedExtensions,
		// then the client MUST NOT send an EndOfEarlyData message.'
		if t.early && !t.rejected {
			t.writeFlight(now, message{hsEndOfEarlyData, endOfEarlyDataLen})
		}
		if !t.early {
			// Middlebox compatibility mode (RFC 8446 Appendix D.4):
			// the change_cipher_spec goes "immediately before its
			// second flight", unless it followed the ClientHello.
			t.writeCCS(now)
		}
		t.earlyOn = false
		t.myCrypt = true
		t.writeFlight(now, message{hsFinished, finished13Len})
		if t.rejected {
			// The early bytes are sealed again, as 1-RTT records after
			// the Finished, ahead of anything written since.
			t.stats.EarlyRejected += t.stats.EarlyData
			t.stats.EarlyData = 0
			t.sealed = t.pending.Start()
		} else {
			t.pending.Discard(t.sealed)
		}
		t.finish(now)
	case t.client && typ == hsServerHelloDone:
		// TLS 1.2 (RFC 5246 §7.3): ClientKeyExchange, ChangeCipherSpec,
		// Finished; then wait for the server's ChangeCipherSpec and
		// Finished before any application data.
		t.writeFlight(now, message{hsClientKeyExchange, clientKeyExchangeLen})
		t.writeCCS(now)
		t.myCrypt = true
		t.writeFlight(now, message{hsFinished, finished12Len})
	case t.client && typ == hsFinished && !v13:
		if t.cfg.Resume {
			// The abbreviated handshake (RFC 5246 §7.3, Figure 2): the
			// server finished first; the client answers with its
			// ChangeCipherSpec and Finished, and its data may follow.
			t.writeCCS(now)
			t.myCrypt = true
			t.writeFlight(now, message{hsFinished, finished12Len})
		}
		t.finish(now)
	case !t.client && typ == hsFinished && v13:
		t.finish(now)
		// Tickets for a later resumption (RFC 8446 §4.6.1).
		if t.cfg.Resume {
			t.writeFlight(now, message{hsNewSessionTicket, newSessionTicketLen})
		} else {
			t.writeFlight(now, message{hsNewSessionTicket, newSessionTicketLen}, message{hsNewSessionTicket, newSessionTicketLen})
		}
	case !t.client && typ == hsFinished && !v13:
		if !t.cfg.Resume {
			t.writeCCS(now)
			t.myCrypt = true
			t.writeFlight(now, message{hsFinished, finished12Len})
		}
		t.finish(now)
	}
}

// serverFlight answers a ClientHello.
func (t *Conn) serverFlight(now sim.Time) {
	if t.cfg.Version == TLS13 {
		t.writeFlight(now, message{hsServerHello, serverHelloLen(true, t.cfg.Resume, t.sniAck(), t.alpn)})
		// The client's session ID is not empty: "the server MUST send
		// the change_cipher_spec" right after its ServerHello (RFC 8446
		// Appendix D.4; QUIC has neither, RFC 9001 §8.4).
		t.writeCCS(now)
		t.myCrypt = true
		// The client's records after its ClientHello are encrypted:
		// early data, then its Finished (RFC 8446 §2).
		t.peerCrypt = true
		msgs := []message{{hsEncryptedExtensions, encryptedExtensionsLen(t.sniAck(), t.alpn, t.early)}}
		if !t.cfg.Resume {
			msgs = append(msgs, message{hsCertificate, t.cfg.CertChain + certificateOverhead}, message{hsCertificateVerify, certificateVerifyLen})
		}
		msgs = append(msgs, message{hsFinished, finished13Len})
		t.writeFlight(now, msgs...)
		if t.early {
			// Early data follows the ClientHello in the same flight and
			// is readable now (RFC 8446 §2.3); the server may answer it
			// before the client's Finished (0.5-RTT data).
			t.traceState(now, "early_data_accepted")
			t.complete = true
			t.ready(now)
		} else if t.skipEarly {
			// RFC 8446 §4.2.10: the server rejects the early data by
			// leaving early_data out of its EncryptedExtensions; it
			// answers nothing before the client's Finished.
			t.traceState(now, "early_data_rejected")
		}
		return
	}
	if t.cfg.Resume {
		// TLS 1.2 resumption by session ID (RFC 5246 §7.3, Figure 2:
		// the ClientHello names the earlier session, the ServerHello
		// echoes it; a full handshake here sends no NewSessionTicket, so
		// RFC 5077 tickets play no part): no certificate and no key exchange,
		// and the server sends its ChangeCipherSpec and Finished first,
		// one round trip after the ClientHello instead of two.
		t.writeFlight(now, message{hsServerHello, serverHelloLen(false, t.cfg.Resume, t.sniAck(), t.alpn)})
		t.writeCCS(now)
		t.myCrypt = true
		t.writeFlight(now, message{hsFinished, finished12Len})
		return
	}
	t.writeFlight(now,
		message{hsServerHello, serverHelloLen(false, t.cfg.Resume, t.sniAck(), t.alpn)},
		message{hsCertificate, t.cfg.CertChain + certificateOverhead},
		message{hsServerKeyExchange, serverKeyExchangeLen},
		message{hsServerHelloDone, 0})
}

// finish marks the handshake complete and releases application data.
func (t *Conn) finish(now sim.Time) {
	t.complete = true
	t.traceState(now, "handshake_complete")
	wasReady := t.appReady
	t.ready(now)
	if hh, ok := t.app.(transport.HandshakeHandler); ok && wasReady {
		// The application has been writing early data; what it held
		// back may go now.
		hh.OnHandshakeComplete(now)
	}
	if t.pending.Len() > t.sealed || t.closing {
		t.scheduleFlush(now)
	}
}
