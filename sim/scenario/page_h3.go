package scenario

import (
	"httpsim/sim"
	"httpsim/sim/h3"
	"httpsim/sim/quic"
	"httpsim/sim/topo"
	"httpsim/sim/web"
)

// quicConfig is the QUIC configuration of the scenario's HTTP/3 runs: the
// QUIC block, with session resumption and 0-RTT as the TLS block says (the
// browser resumes its session whatever the transport) and the stream
// scheduler HTTP/3 asks for, which orders the server's responses (the h3
// client sets its own connection's, by urgency).
func (s *Scenario) quicConfig() quic.Config {
	c := s.QUIC
	c.Resume = s.TLS.Resume
	c.EarlyData = s.TLS.EarlyData
	c.RejectEarlyData = s.TLS.RejectEarlyData
	c.Scheduler = s.H3.QUICScheduler()
	return c
}

// dialH3 opens a QUIC connection on path and puts an HTTP/3 server
// answering with handler on its far end.
func (r *pageRun) dialH3(now sim.Time, path *topo.Path, handler web.Handler) *quic.Conn {
	client, server := path.NewQUIC(r.s.quicConfig())
	r.markQUIC(client.ID())
	r.quics = append(r.quics, client, server)
	r.h3s = append(r.h3s, h3.NewServer(r.s.H3, server, handler, r.loop, r.log))
	r.loop.After(now, client.Connect)
	return client
}

// markQUIC notes that connection id is QUIC, whose bytes on the wire are
// split by its own counters rather than from its packets' trace events.
func (r *pageRun) markQUIC(id int32) {
	for int(id) >= len(r.isQUIC) {
		r.isQUIC = append(r.isQUIC, false)
	}
	r.isQUIC[id] = true
}

func (r *pageRun) quicConn(id int32) bool { return id >= 0 && int(id) < len(r.isQUIC) && r.isQUIC[id] }

// h3Totals adds the QUIC connections' bytes and HTTP/3's header and body
// bytes to the run. QUIC's counters split every byte sent (quic.Stats):
// UDP, IP and QUIC headers, frame headers, ACKs and padding are the
// transport's overhead (reported with TCP/IP's), first-sent CRYPTO data is
// the TLS handshake, first-sent STREAM data is HTTP/3's — frame headers and
// QPACK field sections as headers, DATA payloads as bodies — and CRYPTO or
// STREAM data sent again is retransmitted.
func (r *pageRun) h3Totals(run *ProtocolRun, w *WireBytes) {
	var payload int64 // STREAM data sent once
	for _, c := range r.quics {
		st := c.Stats()
		run.PacketsSent += st.Datagrams // as PacketsLost counts them
		payload += st.Payload
		w.Total += st.Bytes
		w.TCPIP += st.Overhead
		w.TLS += st.Handshake
		// 0-RTT data the server rejected is sent again in 1-RTT
		// packets (RFC 9001 §4.6.2): the first copy was wasted. Handshake
		// data sent again is retransmitted, as over TCP.
		w.Retransmitted += st.RetransmittedHandshake + st.RetransmittedPayload + st.EarlyRejected
	}
	sum := r.h3c.Stats()
	for _, s := range r.h3s {
		ss := s.Stats()
		sum.Framing += ss.Framing
		sum.HeaderBlocks += ss.HeaderBlocks
		sum.Bodies += ss.Bodies
		sum.QPACKStreams += ss.QPACKStreams
		sum.HeaderUncompressed += ss.HeaderUncompressed
	}
	// HTTP/3 counts what it wrote into streams; a run a limit stopped
	// leaves some of it unsent, which is not on the wire. Bodies go last,
	// so they are what was left.
	headers, bodies := sum.Framing+sum.HeaderBlocks+sum.QPACKStreams, sum.Bodies
	if unsent := headers + bodies - payload; unsent > 0 {
		takeUnsent(unsent, &bodies, &headers)
	}
	w.Headers += headers
	w.Bodies += bodies
	// QPACK's encoder and decoder streams carry what HPACK carries inside
	// its blocks: the inserted names and values and the acknowledgments
	// (RFC 9204 §4.3-4.4). Counted with the sections, HTTP/3's header
	// bytes compare with HTTP/2's.
	run.HeaderBytes += sum.HeaderBlocks + sum.QPACKStreams
	run.HeaderUncompressed += sum.HeaderUncompressed
}
