package quic

import (
	"bytes"
	"encoding/binary"

	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/quic/wire"
	"httpsim/sim/tls"
	"httpsim/sim/trace"
)

// TLS handshake message types (RFC 8446 §4).
const (
	msgClientHello         = 1
	msgServerHello         = 2
	msgNewSessionTicket    = 4
	msgEncryptedExtensions = 8
	msgCertificate         = 11
	msgCertificateVerify   = 15
	msgFinished            = 20
)

// extQUICTransportParameters is the quic_transport_parameters extension
// (RFC 9001 §8.2).
const extQUICTransportParameters = 0x39

// handshake is the TLS 1.3 handshake as QUIC runs it (RFC 9001 §4), as a
// cost model: messages of realistic sizes carried in CRYPTO frames. The
// message headers and the transport parameters are real bytes; the rest of
// each message is filler.
type handshake struct {
	sizes tls.QUICHandshake
	local wire.TransportParameters  // what this end declares
	peer  *wire.TransportParameters // what the peer declared (or remembered)
	none  wire.TransportParameters  // defaults, before anything is known

	early     bool // 0-RTT is used: client sends, server accepts
	complete  bool // the TLS handshake completed here
	confirmed bool // RFC 9001 §4.1.2
	ready     bool // OnReady was called
	// oneRTTSend and oneRTTRecv: 1-RTT keys for sending and processing.
	oneRTTSend, oneRTTRecv bool
	zeroRTTRecv            bool // the server processes 0-RTT packets
	sentHandshake          bool // the client has sent a Handshake packet
	serverFlightSent       bool
}

func (h *handshake) init(c *Conn) {
	h.sizes = tls.QUICHandshakeSizes(c.cfg.CertChain, c.cfg.Resume)
	h.local = c.cfg.transportParameters()
	h.none = wire.DefaultTransportParameters()
	h.early = c.cfg.EarlyData && c.cfg.Resume
	if h.early && c.cfg.RejectEarlyData && c.role == trace.Server {
		// The client still sends 0-RTT; this server will not accept it.
		h.early = false
	}
}

// writeMessage appends a handshake message of size bytes (header included)
// to the crypto stream of space. params, if any, are written as the
// quic_transport_parameters extension at the start of the body: real bytes
// the peer reads, where a real ClientHello or EncryptedExtensions would
// carry them among other extensions; then the extensions in more, if any;
// the rest of the body is filler.
func (c *Conn) writeMessage(space wire.PacketNumberSpace, typ byte, size int, params []byte, more ...byte) {
	body := size - 4
	if params != nil {
		body = max(body, 4+len(params)+len(more))
	}
	b := &c.spaces[space].crypto.buf
	b.Write([]byte{typ, byte(body >> 16), byte(body >> 8), byte(body)})
	if params != nil {
		var ext [4]byte
		binary.BigEndian.PutUint16(ext[0:], extQUICTransportParameters)
		binary.BigEndian.PutUint16(ext[2:], uint16(len(params)))
		b.Write(ext[:])
		b.Write(params)
		b.Write(more)
		body -= 4 + len(params) + len(more)
	}
	b.WriteFiller(int64(body))
	c.scheduleSend()
}

// Connect starts the handshake (client; a server ignores it).
func (c *Conn) Connect(now sim.Time) {
	if c.role != trace.Client || c.spaces[wire.SpaceInitial].crypto.written() > 0 {
		return
	}
	c.traceState(now, "handshake_started")
	c.hs.local.InitialSourceConnectionID = c.cids.local[0]
	c.writeMessage(wire.SpaceInitial, msgClientHello, c.hs.sizes.ClientHello, c.hs.local.Append(nil))
	if c.hs.early {
		// RFC 9001 §4.6.1: 0-RTT data is sent under the remembered
		// transport parameters of the resumed session (RFC 9000
		// §7.4.1); the model remembers the server's as this end's own
		// configuration.
		remembered := c.cfg.transportParameters()
		c.applyPeerParams(now, &remembered)
		c.traceState(now, "early_data_sent")
		c.becomeReady(now)
	}
	c.scheduleSend()
}

// becomeReady lets the application write.
func (c *Conn) becomeReady(now sim.Time) {
	if c.hs.ready {
		return
	}
	c.hs.ready = true
	if c.handler != nil {
		c.handler.OnReady(now)
	}
}

// applyPeerParams takes the peer's transport parameters (RFC 9000 §7.4).
func (c *Conn) applyPeerParams(now sim.Time, p *wire.TransportParameters) {
	c.hs.peer = p
	c.rec.maxAckDelay = p.MaxAckDelay
	c.flow.peerMax = max(c.flow.peerMax, int64(p.InitialMaxData))
	c.streams.peerLimit[0] = max(c.streams.peerLimit[0], p.InitialMaxStreamsBidi)
	c.streams.peerLimit[1] = max(c.streams.peerLimit[1], p.InitialMaxStreamsUni)
	for _, id := range c.streams.ids {
		s := c.streams.get(id)
		if s.send != nil {
			lim := p.InitialMaxStreamDataUni
			if IsBidi(id) {
				lim = p.InitialMaxStreamDataBidiRemote
				if IsServerInitiated(id) != (c.role == trace.Server) {
					lim = p.InitialMaxStreamDataBidiLocal
				}
			}
			s.send.maxData = max(s.send.maxData, int64(lim))
		}
	}
	c.allowStreams(now)
}

// allowStreams lets the streams of ours the peer's limits now cover send,
// and then tells the application if it wants to know: after the walk over
// the streams, so that a handler opening or closing one does not change
// the list under it.
func (c *Conn) allowStreams(now sim.Time) {
	var newly []uint64
	for _, id := range c.streams.ids {
		s := c.streams.get(id)
		if s.allowed || s.id>>2 >= c.streams.peerLimit[dirIndex(IsBidi(s.id))] {
			continue
		}
		s.allowed = true
		newly = append(newly, id)
	}
	if len(newly) == 0 {
		return
	}
	c.scheduleSend()
	if h, ok := c.handler.(StreamAllowedHandler); ok {
		for _, id := range newly {
			h.OnStreamAllowed(now, id)
		}
	}
}

// onCryptoData takes the in-order bytes of a crypto stream.
func (c *Conn) onCryptoData(now sim.Time, space wire.PacketNumberSpace, d bytestream.Slice) {
	c.spaces[space].hsIn.feed(d, func(typ byte, body []byte) { c.onMessage(now, space, typ, body) })
}

// onMessage advances the handshake on each complete message received.
func (c *Conn) onMessage(now sim.Time, space wire.PacketNumberSpace, typ byte, body []byte) {
	client := c.role == trace.Client
	switch {
	case !client && typ == msgClientHello:
		if p := c.readParams(now, body); p != nil {
			c.applyPeerParams(now, p)
		}
		c.serverFlight(now)
	case client && typ == msgServerHello:
		// The ServerHello gives the client its Handshake keys.
		c.spaces[wire.SpaceHandshake].keys = true
		c.rec.hasHandshakeKeys = true
		c.retryBuffered(now)
	case client && typ == msgEncryptedExtensions:
		if p := c.readParams(now, body); p != nil {
			c.applyPeerParams(now, p)
			if c.hs.early && !hasEarlyData(body) {
				c.rejectEarlyData(now)
			}
		}
	case client && typ == msgFinished && space == wire.SpaceHandshake:
		// The server's flight is complete: send Finished; 1-RTT keys
		// for both directions (RFC 9001 §4.1.1, §5.7).
		c.writeMessage(wire.SpaceHandshake, msgFinished, c.hs.sizes.ClientFinished, nil)
		c.hs.oneRTTSend, c.hs.oneRTTRecv = true, true
		c.complete(now)
		c.retryBuffered(now)
	case !client && typ == msgFinished && space == wire.SpaceHandshake:
		c.hs.oneRTTRecv = true
		c.complete(now)
		// RFC 9001 §4.1.2: the server's handshake is confirmed when it
		// completes; it tells the client with HANDSHAKE_DONE.
		c.ctrl.handshakeDone = true
		c.writeMessage(wire.SpaceApplicationData, msgNewSessionTicket, c.hs.sizes.NewSessionTicket, nil)
		c.confirm(now)
		c.retryBuffered(now)
	}
}

// hasEarlyData reports whether an EncryptedExtensions body carries the
// early_data extension, which a server accepting 0-RTT writes after its
// transport parameters (see writeMessage), within the bytes the message
// has anyway.
func hasEarlyData(body []byte) bool {
	if len(body) < 4 {
		return false
	}
	at := 4 + int(binary.BigEndian.Uint16(body[2:]))
	return at <= len(body) && bytes.HasPrefix(body[at:], tls.EarlyDataExtension[:])
}

// readParams reads the transport parameters at the start of a ClientHello
// or EncryptedExtensions body.
func (c *Conn) readParams(now sim.Time, body []byte) *wire.TransportParameters {
	if len(body) < 4 || binary.BigEndian.Uint16(body) != extQUICTransportParameters {
		c.closeWithError(now, &wire.TransportError{Code: wire.TransportParameterError, Reason: "no transport parameters"})
		return nil
	}
	n := int(binary.BigEndian.Uint16(body[2:]))
	if 4+n > len(body) {
		c.closeWithError(now, &wire.TransportError{Code: wire.TransportParameterError, Reason: "truncated transport parameters"})
		return nil
	}
	p, err := wire.ParseTransportParameters(body[4 : 4+n])
	if err != nil {
		c.closeWithError(now, err.(*wire.TransportError))
		return nil
	}
	return p
}

// serverFlight answers the ClientHello: ServerHello in Initial packets,
// the rest in Handshake packets (RFC 9001 §4.1.4).
func (c *Conn) serverFlight(now sim.Time) {
	if c.hs.serverFlightSent {
		return
	}
	c.hs.serverFlightSent = true
	c.writeMessage(wire.SpaceInitial, msgServerHello, c.hs.sizes.ServerHello, nil)
	c.spaces[wire.SpaceHandshake].keys = true
	c.rec.hasHandshakeKeys = true
	c.hs.local.OriginalDestinationConnectionID = c.cids.odcid
	c.hs.local.InitialSourceConnectionID = c.cids.local[0]
	c.hs.local.StatelessResetToken = resetToken(c.cids.local[0])
	params := c.hs.local.Append(nil)
	var more []byte
	if c.hs.early {
		more = tls.EarlyDataExtension[:] // accepting 0-RTT (RFC 9001 §4.6.2)
	}
	c.writeMessage(wire.SpaceHandshake, msgEncryptedExtensions, c.hs.sizes.EncryptedExtensions+4+len(params), params, more...)
	if c.hs.sizes.Certificate > 0 {
		c.writeMessage(wire.SpaceHandshake, msgCertificate, c.hs.sizes.Certificate, nil)
		c.writeMessage(wire.SpaceHandshake, msgCertificateVerify, c.hs.sizes.CertificateVerify, nil)
	}
	c.writeMessage(wire.SpaceHandshake, msgFinished, c.hs.sizes.ServerFinished, nil)
	// Having sent its Finished, the server may send 1-RTT data before the
	// client's Finished arrives (0.5-RTT data, RFC 9001 §4.1.1).
	c.hs.oneRTTSend = true
	if c.hs.early {
		c.hs.zeroRTTRecv = true
		c.traceState(now, "early_data_accepted")
	} else if c.cfg.RejectEarlyData {
		// RFC 9001 §4.6.2: "A server rejects 0-RTT by sending the
		// EncryptedExtensions without an early_data extension ... When
		// rejecting 0-RTT, a server MUST NOT process any 0-RTT packets,
		// even if it could." zeroRTTRecv stays false: 0-RTT packets are
		// dropped unread (keysFor), those buffered so far included, and
		// none is acknowledged.
		c.traceState(now, "early_data_rejected")
	}
	c.becomeReady(now)
	c.retryBuffered(now)
}

// complete marks the TLS handshake complete here.
func (c *Conn) complete(now sim.Time) {
	if c.hs.complete {
		return
	}
	c.hs.complete = true
	c.traceState(now, "handshake_complete")
	wasReady := c.hs.ready
	c.becomeReady(now)
	if ch, ok := c.handler.(CompletionHandler); ok && wasReady {
		// The application has been writing 0-RTT data; what it held
		// back may go now, in 1-RTT packets.
		ch.OnHandshakeComplete(now)
	}
	c.scheduleSend()
}

// confirm marks the handshake confirmed (RFC 9001 §4.1.2): Handshake keys
// are discarded (§4.9.2), larger datagrams allowed, and a spare connection
// ID offered to the peer for migration (RFC 9000 §5.1.1).
func (c *Conn) confirm(now sim.Time) {
	if c.hs.confirmed {
		return
	}
	c.hs.confirmed = true
	c.rec.handshakeConfirmed = true
	c.traceState(now, "handshake_confirmed")
	c.discard(now, wire.SpaceInitial)
	c.discard(now, wire.SpaceHandshake)
	c.cids.issue()
	if c.handler != nil {
		c.handler.OnHandshakeDone(now)
	}
	c.scheduleSend()
}

// discard drops a packet number space's keys and state (RFC 9001 §4.9,
// RFC 9002 §6.4).
func (c *Conn) discard(now sim.Time, space wire.PacketNumberSpace) {
	sp := &c.spaces[space]
	if sp.discarded {
		return
	}
	sp.discarded = true
	sp.keys = false
	sp.probes = 0
	sp.ack.onAckSent()
	sp.crypto.lost = nil
	c.rec.discardSpace(now, space)
	c.armLossTimer()
}

// hsReader splits the in-order bytes of a crypto stream into handshake
// messages (RFC 8446 §4: a type byte and a 24-bit length). It keeps the
// bodies of the messages carrying transport parameters.
type hsReader struct {
	hdr  [4]byte
	nhdr int
	typ  byte
	left int
	body []byte
}

func (h *hsReader) keep() bool {
	return h.typ == msgClientHello || h.typ == msgEncryptedExtensions
}

// feed consumes d and calls fn for each message completed.
func (h *hsReader) feed(d bytestream.Slice, fn func(typ byte, body []byte)) {
	d.Each(func(real []byte, filler int64) {
		if real == nil {
			h.skip(filler, fn)
			return
		}
		h.bytes(real, fn)
	})
}

func (h *hsReader) bytes(b []byte, fn func(typ byte, body []byte)) {
	for len(b) > 0 {
		if h.nhdr < 4 {
			k := copy(h.hdr[h.nhdr:], b)
			h.nhdr += k
			b = b[k:]
			if h.nhdr == 4 {
				h.start(fn)
			}
			continue
		}
		k := min(len(b), h.left)
		if h.keep() {
			h.body = append(h.body, b[:k]...)
		}
		h.left -= k
		b = b[k:]
		if h.left == 0 {
			h.end(fn)
		}
	}
}

func (h *hsReader) skip(n int64, fn func(typ byte, body []byte)) {
	for n > 0 {
		if h.nhdr < 4 {
			// Filler where a header should be reads as zeros.
			k := min(int(n), 4-h.nhdr)
			h.bytes(make([]byte, k), fn)
			n -= int64(k)
			continue
		}
		k := min(n, int64(h.left))
		if h.keep() {
			h.body = append(h.body, make([]byte, k)...)
		}
		h.left -= int(k)
		n -= k
		if h.left == 0 {
			h.end(fn)
		}
	}
}

func (h *hsReader) start(fn func(typ byte, body []byte)) {
	h.typ = h.hdr[0]
	h.left = int(h.hdr[1])<<16 | int(h.hdr[2])<<8 | int(h.hdr[3])
	h.body = h.body[:0]
	if h.left == 0 {
		h.end(fn)
	}
}

func (h *hsReader) end(fn func(typ byte, body []byte)) {
	h.nhdr = 0
	fn(h.typ, h.body)
}
