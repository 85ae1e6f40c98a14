package quic

import (
	"time"

	"httpsim/sim"
	"httpsim/sim/quic/wire"
)

// lossSpace is the loss-detection state of one packet number space
// (RFC 9002 Appendix A.2-A.3).
type lossSpace struct {
	sent sentLog
	// largestAcked is largest_acked_packet[space], or -1 before any ACK.
	largestAcked int64
	// lossTime is loss_time[space]: when the oldest packet not yet lost
	// below largestAcked will be, by the time threshold; Never if none.
	lossTime sim.Time
	// lastAckEliciting is time_of_last_ack_eliciting_packet[space].
	lastAckEliciting sim.Time
	// ackElicitingInFlight counts outstanding ack-eliciting packets.
	ackElicitingInFlight int
	discarded            bool
}

// lossHandler is told what loss detection concludes about each packet.
type lossHandler interface {
	// onAcked: p was newly acknowledged.
	onAcked(now sim.Time, p *sentPacket)
	// onLost: p was declared lost; trigger is "packet_threshold" or
	// "time_threshold" (RFC 9002 §6.1).
	onLost(now sim.Time, p *sentPacket, trigger string)
}

// timeoutKind says what the loss detection timer did when it fired.
type timeoutKind uint8

const (
	// timeoutLoss: packets were declared lost by the time threshold.
	timeoutLoss timeoutKind = iota
	// timeoutPTO: the probe timeout expired; send probes in the space.
	timeoutPTO
	// timeoutAntiDeadlock: a client with nothing in flight whose address
	// the server has not validated must send to unblock it (§6.2.2.1).
	timeoutAntiDeadlock
)

// recovery is RFC 9002's loss detection (§6, Appendix A) together with the
// RTT estimator and the congestion controller it feeds (§5, §7). It runs no
// timers itself: every call takes now, and timerAt says when the loss
// detection timer is due (Never when it is not set).
type recovery struct {
	cfg    *Config
	server bool
	rtt    rttEstimator
	cc     Controller
	spaces [wire.NumSpaces]lossSpace

	ptoCount      int
	bytesInFlight int
	// appInFlight is the part of bytesInFlight sent in the Application
	// Data space (0-RTT and 1-RTT packets): the handshake's own packets
	// leave it out of their window (see buildPacket).
	appInFlight int
	timerAt     sim.Time
	// timerDur is the probe timeout the timer was last armed with.
	timerDur time.Duration
	path     int // current path generation

	// Facts the connection keeps up to date.
	handshakeConfirmed bool
	hasHandshakeKeys   bool
	// addressValidatedByPeer: the server has validated the client's
	// address (PeerCompletedAddressValidation; always true at a server).
	addressValidatedByPeer bool
	// ampLimited: the server cannot send at all for the anti-amplification
	// limit (§6.2.2.1: its timer is then not set).
	ampLimited bool
	// maxAckDelay is the peer's max_ack_delay.
	maxAckDelay time.Duration
	// cwndLimited: the sender had data the window did not let it send
	// since the last acknowledgement (RFC 9002 §7.8).
	cwndLimited bool
	// sendBeforeReductionAt is when a recovery period began with the
	// loss of application data, or sim.Never: at that instant one packet
	// may still go out regardless of the halved window (RFC 9002 §7.3.2:
	// "If the congestion window is reduced immediately, a single packet
	// can be sent prior to reduction. This speeds up loss recovery if the
	// data in the lost packet is retransmitted"). The packer puts lost data
	// first, so that packet carries it, as TCP's fast retransmit does;
	// later, the reduced window applies.
	sendBeforeReductionAt sim.Time

	// Counters for snapshots.
	lost, ptos, persistent, congestionEvents int64
}

func newRecovery(cfg *Config, server bool, cc Controller) *recovery {
	r := &recovery{cfg: cfg, server: server, cc: cc, timerAt: sim.Never, maxAckDelay: wire.DefaultMaxAckDelay, sendBeforeReductionAt: sim.Never}
	r.rtt.reset(cfg.InitialRTT)
	for i := range r.spaces {
		r.spaces[i].largestAcked = -1
		r.spaces[i].lossTime = sim.Never
	}
	r.addressValidatedByPeer = server
	return r
}

// peerCompletedAddressValidation is Appendix A.6's function: servers assume
// clients validated their address; a client knows the server validated its
// own once it has an acknowledgement of a Handshake packet or the handshake
// is confirmed.
func (r *recovery) peerCompletedAddressValidation() bool {
	return r.server || r.addressValidatedByPeer || r.handshakeConfirmed
}

// onPacketSent is Appendix A.5.
func (r *recovery) onPacketSent(now sim.Time, p sentPacket) {
	sp := &r.spaces[p.space]
	if !p.ackEliciting && !p.inFlight {
		// Nothing to detect the loss of: the packet is recorded only to
		// keep packet numbers contiguous.
		p.state = pktDone
	}
	p.path = r.path
	sp.sent.add(p)
	if p.inFlight {
		if p.ackEliciting {
			sp.lastAckEliciting = now
			sp.ackElicitingInFlight++
		}
		r.bytesInFlight += p.size
		if p.space == wire.SpaceApplicationData {
			r.appInFlight += p.size
		}
		r.setTimer(now)
	}
	sp.sent.trim()
}

// antiDeadlock reports whether the client must arm its PTO with nothing
// of the handshake in flight (RFC 9002 §6.2.2.1): the server has not yet
// validated its address, so the server may be blocked by the
// anti-amplification limit and only the client can unblock it. Application
// data in flight does not help: it has no PTO before the handshake is
// confirmed (§6.2.1), and the server may not be able to read it.
func (r *recovery) antiDeadlock() bool {
	return !r.peerCompletedAddressValidation() &&
		r.spaces[wire.SpaceInitial].ackElicitingInFlight == 0 &&
		r.spaces[wire.SpaceHandshake].ackElicitingInFlight == 0
}

// ackElicitingInFlight reports whether any space has ack-eliciting packets
// outstanding.
func (r *recovery) ackElicitingInFlight() bool {
	for i := range r.spaces {
		if r.spaces[i].ackElicitingInFlight > 0 {
			return true
		}
	}
	return false
}

// onAck is Appendix A.7: an ACK frame with ranges (largest first) and the
// peer's ack delay arrived in space. It reports whether anything was newly
// acknowledged and whether an RTT sample was taken.
func (r *recovery) onAck(now sim.Time, space wire.PacketNumberSpace, ranges []wire.AckRange, ackDelay, localDelay time.Duration, h lossHandler) (newly, sampled bool) {
	sp := &r.spaces[space]
	if sp.discarded || len(ranges) == 0 {
		return false, false
	}
	largest := ranges[0].Largest
	if sp.sent.next == 0 || largest >= sp.sent.next {
		// Acknowledges a packet never sent: a PROTOCOL_VIOLATION
		// (RFC 9000 §13.1); the simulator's peers never do this.
		return false, false
	}
	sp.largestAcked = max(sp.largestAcked, int64(largest))
	inflightBefore := r.bytesInFlight

	// DetectAndRemoveAckedPackets.
	var acked []*sentPacket
	var largestNew *sentPacket
	ackEliciting := false
	for i := len(ranges) - 1; i >= 0; i-- { // ascending packet numbers
		rg := ranges[i]
		lo := max(rg.Smallest, sp.sent.first)
		for pn := lo; pn <= rg.Largest && pn < sp.sent.next; pn++ {
			p := sp.sent.get(pn)
			if p == nil || p.state != pktOutstanding {
				continue
			}
			p.state = pktAcked
			acked = append(acked, p)
			largestNew = p
			ackEliciting = ackEliciting || p.ackEliciting
		}
	}
	if len(acked) == 0 {
		return false, false
	}
	// §5.1: an RTT sample when the largest acknowledged is newly acked and
	// at least one newly acknowledged packet was ack-eliciting.
	if largestNew.pn == largest && ackEliciting {
		latest := now.Sub(largestNew.sent)
		if r.handshakeConfirmed {
			ackDelay = min(ackDelay, r.maxAckDelay) // §5.3
		} else {
			// §5.3: "an endpoint SHOULD subtract such local delays"
			// (an ACK held for want of keys) "until the handshake is
			// confirmed".
			latest -= localDelay
		}
		r.rtt.update(now, latest, ackDelay)
		sampled = true
	}
	// What the congestion controller needs of them, kept before loss
	// detection forgets the packets.
	type ackedInfo struct {
		sent sim.Time
		size int
	}
	var forCC []ackedInfo
	for _, p := range acked {
		r.release(p)
		if p.inFlight && p.path == r.path {
			forCC = append(forCC, ackedInfo{p.sent, p.size})
		}
		h.onAcked(now, p)
	}
	r.detectLost(now, space, h)
	// OnPacketsAcked (Appendix B.5), after OnPacketsLost as in A.7.
	// §7.8: an underutilized window "SHOULD NOT be increased", but "A
	// sender MAY implement alternative mechanisms ... such as those
	// proposed for TCP in [RFC7661]". This is RFC 7661's line between
	// its validated and non-validated phases, with the bytes in flight
	// before the ACK for its pipeACK measure: a window at least half used
	// may grow. sim/tcp draws the same line (as Linux's
	// tcp_is_cwnd_limited does), so that HTTP/2 and HTTP/3 compare under
	// one rule.
	limited := !r.cwndLimited && inflightBefore < r.cc.Cwnd()/2
	for _, a := range forCC {
		r.cc.OnAck(a.sent, a.size, limited)
	}
	r.cwndLimited = false
	// A.7: reset pto_count unless the client is unsure whether the server
	// has validated its address.
	if r.peerCompletedAddressValidation() {
		r.ptoCount = 0
	}
	sp.sent.trim()
	r.setTimer(now)
	return true, sampled
}

// release takes an acknowledged or lost packet out of flight.
func (r *recovery) release(p *sentPacket) {
	sp := &r.spaces[p.space]
	if p.inFlight {
		if p.ackEliciting {
			sp.ackElicitingInFlight--
		}
		if p.path == r.path {
			r.bytesInFlight -= p.size
			if p.space == wire.SpaceApplicationData {
				r.appInFlight -= p.size
			}
		}
	}
}

// detectLost is DetectAndRemoveLostPackets (Appendix A.10) followed by
// OnPacketsLost (Appendix B.8) for the packets it declares lost.
func (r *recovery) detectLost(now sim.Time, space wire.PacketNumberSpace, h lossHandler) {
	sp := &r.spaces[space]
	sp.lossTime = sim.Never
	if sp.largestAcked < 0 {
		return
	}
	lossDelay := r.rtt.lossDelay(r.cfg.Granularity)
	lostSendTime := now - sim.Time(lossDelay)
	largest := uint64(sp.largestAcked)
	thresh := uint64(r.cfg.PacketThreshold)

	// Persistent congestion (§7.6.2): two ack-eliciting packets lost more
	// than the persistent congestion duration apart, with no packet sent
	// between them acknowledged. runStart is the first ack-eliciting lost
	// packet of the current run of losses not broken by an acknowledgement.
	// The run is looked for in this space only: the RFC says the check
	// "SHOULD consider packets sent across packet number spaces", but "A
	// sender that does not have state for all packet number spaces ...
	// MAY use state for just the packet number space that was
	// acknowledged", and acknowledged packets leave these logs. The
	// spaces overlap only until the handshake is confirmed.
	pcDuration := r.rtt.pto(r.cfg.Granularity, r.maxAckDelay) * time.Duration(r.cfg.PersistentCongestionThreshold)
	var runStart *sentPacket
	persistent := false
	var newestLost sim.Time = -1
	kept := sp.sent.kept()
	for i := range kept {
		p := &kept[i]
		if p.pn > largest {
			break
		}
		switch p.state {
		case pktAcked:
			runStart = nil
			continue
		case pktOutstanding:
		default:
			continue
		}
		var trigger string
		switch {
		case largest >= p.pn+thresh:
			trigger = "packet_threshold" // §6.1.1
		case p.sent <= lostSendTime:
			trigger = "time_threshold" // §6.1.2
		default:
			// Not lost yet: it will be when the time threshold passes.
			sp.lossTime = min(sp.lossTime, p.sent.Add(lossDelay))
			continue
		}
		p.state = pktLost
		r.lost++
		r.release(p)
		h.onLost(now, p, trigger)
		if !p.inFlight || p.path != r.path {
			continue
		}
		newestLost = max(newestLost, p.sent)
		if p.ackEliciting && r.rtt.hasSample && p.sent > r.rtt.firstSample {
			if runStart == nil {
				runStart = p
			} else if p.sent.Sub(runStart.sent) > pcDuration {
				persistent = true
			}
		}
	}
	if newestLost >= 0 {
		r.congestionEvents++
		if !r.cc.InRecovery(newestLost) && space == wire.SpaceApplicationData {
			r.sendBeforeReductionAt = now
		}
		r.cc.OnCongestionEvent(now, newestLost)
		if persistent {
			r.persistent++
			r.cc.OnPersistentCongestion()
			r.rtt.minStale = true
		}
	}
	sp.sent.trim()
}

// earliestLossTime is GetLossTimeAndSpace (Appendix A.8).
func (r *recovery) earliestLossTime() (sim.Time, wire.PacketNumberSpace) {
	t, space := sim.Never, wire.SpaceInitial
	for i := range r.spaces {
		if r.spaces[i].lossTime < t {
			t, space = r.spaces[i].lossTime, wire.PacketNumberSpace(i)
		}
	}
	return t, space
}

// ptoDuration is the probe timeout with back-off, without max_ack_delay.
func (r *recovery) ptoDuration() time.Duration {
	d := r.rtt.pto(r.cfg.Granularity, 0)
	for i := 0; i < r.ptoCount && d < time.Hour; i++ {
		d *= 2
	}
	return d
}

// ptoTimeAndSpace is GetPtoTimeAndSpace (Appendix A.8, RFC 9002 §6.2.1).
func (r *recovery) ptoTimeAndSpace(now sim.Time) (sim.Time, wire.PacketNumberSpace) {
	duration := r.ptoDuration()
	if r.antiDeadlock() {
		// Anti-deadlock PTO starts from the current time (§6.2.2.1).
		if r.hasHandshakeKeys {
			return now.Add(duration), wire.SpaceHandshake
		}
		return now.Add(duration), wire.SpaceInitial
	}
	timeout, space := sim.Never, wire.SpaceInitial
	for i := range r.spaces {
		sp := &r.spaces[i]
		if sp.ackElicitingInFlight == 0 || sp.discarded {
			continue
		}
		d := duration
		if wire.PacketNumberSpace(i) == wire.SpaceApplicationData {
			// §6.2.1: no PTO for application data until the handshake
			// is confirmed; then include max_ack_delay, backed off.
			if !r.handshakeConfirmed {
				return timeout, space
			}
			m := r.maxAckDelay
			for k := 0; k < r.ptoCount && m < time.Hour; k++ {
				m *= 2
			}
			d += m
		}
		if t := sp.lastAckEliciting.Add(d); t < timeout {
			timeout, space = t, wire.PacketNumberSpace(i)
		}
	}
	return timeout, space
}

// setTimer is SetLossDetectionTimer (Appendix A.8).
func (r *recovery) setTimer(now sim.Time) {
	if t, _ := r.earliestLossTime(); t != sim.Never {
		r.timerAt = t // time threshold loss detection
		return
	}
	if r.ampLimited {
		// §6.2.2.1: a server blocked by the anti-amplification limit
		// does not arm the timer: it could not send a probe anyway.
		r.timerAt = sim.Never
		return
	}
	if !r.ackElicitingInFlight() && !r.antiDeadlock() {
		r.timerAt = sim.Never
		return
	}
	var space wire.PacketNumberSpace
	r.timerAt, space = r.ptoTimeAndSpace(now)
	r.timerDur = r.ptoDuration()
	if space == wire.SpaceApplicationData {
		r.timerDur += r.maxAckDelay << min(r.ptoCount, 30)
	}
}

// onTimeout is OnLossDetectionTimeout (Appendix A.9). For a PTO it returns
// the space to probe; the caller sends the probes, then calls setTimer
// again through onPacketSent.
func (r *recovery) onTimeout(now sim.Time, h lossHandler) (timeoutKind, wire.PacketNumberSpace) {
	if t, space := r.earliestLossTime(); t != sim.Never {
		r.detectLost(now, space, h)
		r.setTimer(now)
		return timeoutLoss, space
	}
	kind := timeoutPTO
	var space wire.PacketNumberSpace
	if r.antiDeadlock() {
		kind = timeoutAntiDeadlock
		space = wire.SpaceInitial
		if r.hasHandshakeKeys {
			space = wire.SpaceHandshake
		}
	} else {
		_, space = r.ptoTimeAndSpace(now)
	}
	r.ptos++
	r.ptoCount++
	r.setTimer(now)
	return kind, space
}

// discardSpace is OnPacketNumberSpaceDiscarded (Appendix A.11, RFC 9002
// §6.4): the space's packets leave bytes_in_flight and are forgotten.
func (r *recovery) discardSpace(now sim.Time, space wire.PacketNumberSpace) {
	sp := &r.spaces[space]
	if sp.discarded {
		return
	}
	for _, p := range sp.sent.kept() {
		if p.state == pktOutstanding && p.inFlight && p.path == r.path {
			r.bytesInFlight -= p.size
			if space == wire.SpaceApplicationData {
				r.appInFlight -= p.size
			}
		}
	}
	next := sp.sent.next
	*sp = lossSpace{largestAcked: -1, lossTime: sim.Never, discarded: true}
	sp.sent.next, sp.sent.first = next, next
	r.ptoCount = 0
	r.setTimer(now)
}

// newPath starts a new path generation: the congestion controller and the
// RTT estimator return to their initial state (RFC 9000 §9.4), and packets
// sent on the old path no longer count towards bytes_in_flight.
func (r *recovery) newPath(now sim.Time) {
	r.path++
	r.bytesInFlight, r.appInFlight = 0, 0
	r.cc.Reset()
	r.rtt.reset(r.cfg.InitialRTT)
	r.ptoCount = 0
	r.setTimer(now)
}

// oldestOutstanding returns up to n outstanding ack-eliciting packets of
// space, oldest first: what a PTO probe retransmits when there is no new
// data to send (RFC 9002 §6.2.4).
func (r *recovery) oldestOutstanding(space wire.PacketNumberSpace, n int) []*sentPacket {
	var out []*sentPacket
	kept := r.spaces[space].sent.kept()
	for i := range kept {
		if len(out) == n {
			break
		}
		if p := &kept[i]; p.state == pktOutstanding && p.ackEliciting && !p.requeued {
			out = append(out, p)
		}
	}
	return out
}
