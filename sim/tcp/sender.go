package tcp

import (
	"time"

	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/trace"
)

// CongestionState is the sender's phase, named as qlog names them.
type CongestionState string

const (
	SlowStart           CongestionState = "slow_start"
	CongestionAvoidance CongestionState = "congestion_avoidance"
	// Recovery is fast recovery after fast retransmit (RFC 6582 / 6675).
	Recovery CongestionState = "recovery"
	// Loss is the phase after a retransmission timeout, until everything
	// outstanding at the timeout is acknowledged.
	Loss CongestionState = "loss"
)

// sender is the sending half of a connection.
type sender struct {
	c  *Conn
	cc Controller
	// reno is the controller cc points to, held here rather than
	// allocated on its own.
	reno NewReno
	rtt  rttEstimator
	sb   scoreboard
	buf  bytestream.Buffer

	iss    Seq   // initial send sequence number (RFC 9293 ISS)
	sndUna int64 // oldest unacknowledged stream offset (SND.UNA - ISS - 1)
	sndNxt int64 // next offset to send (SND.NXT - ISS - 1)
	sndWnd int   // peer's advertised window (SND.WND)
	maxWnd int   // largest window the peer has advertised

	finQueued bool // the application closed its side
	finSent   bool
	finAcked  bool
	dataEnd   int64 // buf.Len() when the FIN was queued

	dupAcks int
	// limitedBytes were sent by limited transmit since the last new ACK.
	limitedBytes   int64
	state          CongestionState
	recovery       bool  // in fast recovery
	recover        int64 // RFC 6582 §2 "recover" / RFC 6675 RecoveryPoint
	rescueRxt      int64 // RFC 6675 RescueRxt, -1 when undefined
	partialAckSeen bool

	// RTT timing (Karn's algorithm, RFC 6298 §3): one segment timed at a
	// time; a retransmission cancels the measurement.
	timing   bool
	timedEnd int64
	timedAt  sim.Time

	rto sim.Timer
	// persist restarts a sender that has data to send, nothing in flight
	// and so no ACK to wait for: it probes a zero window (RFC 9293
	// §3.8.6.1), or, with a window too small for the sender's silly
	// window avoidance, is the override timeout that sends into it anyway
	// (RFC 9293 §3.8.6.2.1, which suggests combining the two timers).
	persist     sim.Timer
	rtoExpiries int // consecutive expiries for the current SND.UNA
	lastSend    sim.Time
	sentData    bool
	probes      int // zero-window probes sent since the window closed
	// swsHeld: the last trySend held data back under silly window
	// avoidance, with a usable window above zero; swsOverride: the
	// override timeout fired, and sendNew fills that window regardless.
	swsHeld, swsOverride bool
	cwndLimited          bool
	maxPipe              int64 // largest pipe since the last ACK
	// toldSent is SND.NXT when the handler was last told of new bytes
	// sent (SentHandler).
	toldSent int64

	retransmits int64
	timeouts    int64
	fastRecov   int64
}

func (s *sender) init(c *Conn) {
	s.c = c
	s.reno.init(c.cfg)
	s.cc = &s.reno
	s.rtt = newRTTEstimator(c.cfg)
	s.state = SlowStart
	s.rescueRxt = -1
	s.recover = -1
	c.loop.InitTimer(&s.rto, s.onRTO)
	c.loop.InitTimer(&s.persist, s.onPersist)
}

func (s *sender) mss() int { return s.c.cfg.MSS }

// maxPayload is the most data the next segment may carry: the MSS less the
// TCP options that go with it, the SACK blocks this end's receiver reports.
// The MSS is the MTU less the fixed IPv4 and TCP headers, and a segment's
// options come out of its data, not on top of it (RFC 9293 §3.7.1:
// "TCPhdrsize is the size of the fixed TCP header and any options ... for
// each segment sent, the sender should adjust the data length
// accordingly"; RFC 6691 §2: "the sender MUST reduce the TCP data length
// to account for any IP or TCP options that it is including in the
// packets that it sends"). cwnd keeps counting in MSS (SMSS, RFC 5681
// §2), which excludes options.
func (s *sender) maxPayload() int {
	return s.mss() - sackOptionLen(s.c.rcv.sackCount())
}

// fitSegment splits the outstanding segment segs[i] before it is sent
// again if its data no longer fits in one segment with the options that go
// with it now (see maxPayload): the rest stays in the scoreboard as a
// segment of its own, as Linux's tcp_retransmit_skb fragments an skb
// longer than the current MSS.
func (s *sender) fitSegment(i int) {
	t := &s.sb.segs[i]
	n := t.len()
	if t.fin {
		n-- // the FIN takes a sequence number, not a byte of payload
	}
	if limit := int64(s.maxPayload()); n > limit {
		s.sb.split(i, t.start+limit)
	}
}

// flight is FlightSize (RFC 5681 §2): data sent but not cumulatively acked.
func (s *sender) flight() int { return int(s.sndNxt - s.sndUna) }

// unsent is the number of written bytes not yet sent once.
func (s *sender) unsent() int64 { return max(0, s.buf.Len()-s.sndNxt) }

func (s *sender) wire(off int64) Seq { return s.iss.Add(1 + off) }

func (s *sender) setState(now sim.Time, st CongestionState) {
	if s.state == st {
		return
	}
	s.state = st
	s.c.log.Emit(trace.Event{At: now, Kind: trace.CongestionStateUpdated, Side: s.c.side, Conn: s.c.id, Stream: -1, PN: -1, Name: string(st)})
}

func (s *sender) growthState() CongestionState {
	if s.cc.InSlowStart() {
		return SlowStart
	}
	return CongestionAvoidance
}

func (s *sender) metrics(now sim.Time) {
	var flags trace.Flags
	if s.rtt.fresh {
		flags, s.rtt.fresh = trace.FlagRTTSample, false
	}
	s.c.log.Emit(trace.Event{
		At: now, Kind: trace.MetricsUpdated, Side: s.c.side, Conn: s.c.id, Stream: -1, PN: -1, Flags: flags,
		Cwnd: int64(s.cc.Cwnd()), Ssthresh: int64(s.cc.Ssthresh()), InFlight: s.pipe(),
		RTT: s.rtt.latest, SRTT: s.rtt.srtt, RTTVar: s.rtt.rttvar, MinRTT: s.rtt.minRTT,
	})
}

// pipe is RFC 6675's estimate of the bytes in the network. Without SACK
// nothing is ever SACKed, and it reduces to FlightSize minus the segments
// deemed lost and not yet resent.
func (s *sender) pipe() int64 { return s.sb.pipe() }

// onAck processes the acknowledgement fields of an arriving segment.
func (s *sender) onAck(now sim.Time, seg *Segment) {
	ack := s.sndUna + seg.Ack.Sub(s.wire(s.sndUna))
	limit := s.sndNxt
	if s.finSent {
		limit++
	}
	if ack > limit {
		// Acknowledges something not yet sent: ignore (RFC 9293 §3.10.7.4).
		return
	}
	cwndBefore, ssBefore, pipeBefore := s.cc.Cwnd(), s.cc.Ssthresh(), s.pipe()
	sampled := false

	// Window update (RFC 9293 §3.10.7.4, simplified: the newest ACK wins).
	windowChanged := seg.Wnd != s.sndWnd
	if ack >= s.sndUna {
		s.sndWnd = seg.Wnd
		s.maxWnd = max(s.maxWnd, seg.Wnd)
		if s.sndWnd > 0 {
			s.persist.Stop()
			s.probes = 0
		}
	}

	// SACK blocks (RFC 2018, RFC 6675 §5 step "update the scoreboard").
	var newlySacked int64
	if s.c.sackOK {
		for i := 0; i < seg.NSACK; i++ {
			b := seg.SACK[i]
			l := s.sndUna + b.Left.Sub(s.wire(s.sndUna))
			r := s.sndUna + b.Right.Sub(s.wire(s.sndUna))
			newlySacked += s.sb.sack(l, r)
		}
	}

	switch {
	case ack > s.sndUna:
		acked := int(ack - s.sndUna)
		flightBefore := s.flight()
		// RTT sample (RFC 6298 §3, Karn): the timed segment is covered
		// and was not retransmitted.
		if s.timing && ack >= s.timedEnd {
			s.rtt.sample(now.Sub(s.timedAt))
			s.timing = false
			sampled = true
		}
		s.sb.ackTo(ack)
		dataAck := min(ack, s.buf.Len())
		s.buf.Discard(dataAck)
		s.sndUna = ack
		if s.finSent && ack == s.dataEnd+1 {
			s.finAcked = true
		}
		s.dupAcks = 0
		s.limitedBytes = 0
		s.rtoExpiries = 0
		if s.recovery {
			if ack >= s.recover {
				// Full acknowledgement: leave fast recovery (RFC 6582
				// §3.2 step 3, "Full acknowledgments": "Exit the fast
				// recovery procedure"; RFC 6675 §5).
				s.recovery = false
				s.cc.OnRecoveryExit(s.flight())
				s.setState(now, s.growthState())
			} else if !s.c.sackOK {
				// Partial acknowledgement (RFC 6582 §3.2 step 3,
				// "Partial acknowledgments"): retransmit the first
				// unacknowledged segment, deflate cwnd by the amount
				// acked, add back one SMSS if at least one SMSS was
				// acked.
				s.sb.markLost(s.sndUna+1, s.lostFn(now, "partial_ack"))
				if s.retransmitNextLost(now, unlimited) {
					cw := s.cc.Cwnd() - acked
					if acked >= s.mss() {
						cw += s.mss()
					}
					s.cc.SetCwnd(cw)
				}
				if !s.partialAckSeen {
					// Reset the timer on the first partial ACK only
					// (RFC 6582 §3.2 step 3: "For the first partial
					// ACK that arrives during fast recovery, also
					// reset the retransmit timer"; RFC 2582 named
					// this the "Impatient" variant).
					s.partialAckSeen = true
					s.armRTO(now)
				}
			}
		} else {
			if s.state == Loss && ack >= s.recover {
				s.setState(now, s.growthState())
			}
			// Grow only when the window was the limit (RFC 7661's
			// rule in spirit: an application-limited sender must not
			// inflate cwnd it has not used).
			if s.cwndLimited || int64(s.cc.Cwnd()) < 2*s.maxPipe {
				s.cc.OnAck(acked, flightBefore)
			}
			if s.state != Loss {
				s.setState(now, s.growthState())
			}
		}
		// RFC 6298 §5.2 and §5.3.
		if s.sndNxt == s.sndUna && !(s.finSent && !s.finAcked) {
			s.rto.Stop()
		} else if !s.recovery || s.c.sackOK {
			s.armRTO(now)
		}
		s.maxPipe = s.pipe()
	case ack == s.sndUna && s.sndNxt > s.sndUna:
		// A duplicate acknowledgement: RFC 5681 §2 (no data, same
		// window) or, with SACK, one that SACKs new data (RFC 6675 §2).
		dup := false
		if s.c.sackOK {
			dup = newlySacked > 0
		} else {
			dup = seg.Data.N == 0 && !windowChanged && seg.Flags&(trace.FlagSYN|trace.FlagFIN) == 0
		}
		if dup {
			s.dupAcks++
			s.onDupAck(now)
		}
	}

	if s.c.sackOK && !(s.state == Loss) {
		// Mark holes as lost when enough is SACKed above them (RFC 6675
		// IsLost), and enter recovery if the first hole is lost.
		if l := s.sb.lossBoundary(s.c.cfg.DupThresh, s.mss()); l > s.sndUna {
			s.sb.markLost(l, s.lostFn(now, "sack"))
		}
		if !s.recovery && s.sb.lostBytes > 0 && s.sndUna >= s.recover {
			s.enterRecovery(now)
		}
	}

	s.trySend(now) // arms the persist timer if the window holds the data back
	// A change of the bytes in flight is news too: without it the charts
	// would hold an application-limited sender's last sample, and a
	// finished transfer's bytes would stay in flight.
	if sampled || s.cc.Cwnd() != cwndBefore || s.cc.Ssthresh() != ssBefore || s.pipe() != pipeBefore {
		s.metrics(now)
	}
}

// onDupAck handles a duplicate ACK (RFC 5681 §3.2, RFC 6582, RFC 6675 §5).
func (s *sender) onDupAck(now sim.Time) {
	if s.recovery {
		if !s.c.sackOK {
			// NewReno window inflation: RFC 5681 §3.2 step 4, which
			// RFC 6582 §3.2 step 3 keeps in force after a partial
			// ACK ("if any duplicate ACKs subsequently arrive,
			// execute step 4 of Section 3.2 of [RFC5681]").
			s.cc.SetCwnd(s.cc.Cwnd() + s.mss())
		}
		return
	}
	if s.state == Loss {
		return
	}
	if s.dupAcks < s.c.cfg.DupThresh {
		// Limited transmit (RFC 3042): one new segment for each of the
		// first two duplicate ACKs, if the receiver's window allows.
		if s.c.cfg.LimitedTransmit && s.dupAcks <= 2 {
			before := s.sndNxt
			s.sendNew(now, unlimited)
			s.limitedBytes += s.sndNxt - before
		}
		return
	}
	// DupThresh duplicate ACKs. RFC 6582 §3.2 step 2: only if the
	// cumulative ACK covers more than "recover" (no second reduction for
	// the same window).
	if s.sndUna < s.recover {
		return
	}
	if s.c.sackOK {
		// RFC 6675 §5 step 4: DupAcks >= DupThresh enters recovery even
		// if IsLost does not yet hold for the first segment; the first
		// segment is then retransmitted.
		s.sb.markLost(s.sndUna+1, s.lostFn(now, "dupack"))
	}
	s.enterRecovery(now)
}

// enterRecovery starts fast retransmit and fast recovery.
func (s *sender) enterRecovery(now sim.Time) {
	// RFC 5681 §3.2 step 2: data sent by limited transmit is not part of
	// the FlightSize used for ssthresh.
	flight := s.flight() - int(s.limitedBytes)
	s.recovery = true
	s.partialAckSeen = false
	// RecoveryPoint = HighData (RFC 6675 §5 step 4.1); for NewReno,
	// "recover is incremented to the value of the highest sequence
	// number transmitted by the TCP so far" (RFC 6582 §3.2 step 2).
	s.recover = s.sndNxt
	s.rescueRxt = -1
	s.fastRecov++
	s.cc.OnCongestion(flight) // ssthresh = cwnd = max(FlightSize/2, 2*SMSS)
	s.setState(now, Recovery)
	if !s.c.sackOK {
		// RFC 6582 §3.2 step 2 enters fast retransmit as RFC 5681
		// §3.2 has it: step 3 there retransmits the first segment and
		// sets cwnd = ssthresh + 3*SMSS.
		s.sb.markLost(s.sndUna+1, s.lostFn(now, "dupack"))
		s.retransmitNextLost(now, unlimited)
		s.cc.SetCwnd(s.cc.Ssthresh() + 3*s.mss())
		return
	}
	// RFC 6675 §5 step 4.3: retransmit the first segment regardless of
	// pipe; step 4.4 then sends while cwnd - pipe >= 1 SMSS (trySend).
	// "To prevent ... a premature rescue retransmission, set both HighRxt
	// and RescueRxt to the highest sequence number in the retransmitted
	// segment": rule 4 waits for an ACK beyond it. Left undefined, it
	// resent the tail of the window, still in flight, at once.
	s.retransmitNextLost(now, unlimited)
	s.rescueRxt = s.sb.highRxt - 1
}

// lostFn returns the callback that traces a segment deemed lost.
func (s *sender) lostFn(now sim.Time, trigger string) func(*txSeg, int64) {
	return func(t *txSeg, pn int64) {
		n := t.len()
		if t.fin {
			n-- // the FIN's sequence number is no payload: Len as the packet was sent
		}
		s.c.log.Emit(trace.Event{
			At: now, Kind: trace.PacketLost, Side: s.c.side, Conn: s.c.id, Stream: -1,
			PN: pn, Seq: t.start + 1, Len: n, Name: trigger,
		})
	}
}

// trySend sends whatever the windows allow: retransmissions first (RFC 6675
// NextSeg rule 1), then new data (rule 2), then rules 3 and 4 in recovery.
func (s *sender) trySend(now sim.Time) {
	if !s.c.established() {
		return
	}
	s.cwndLimited = false
	s.swsHeld = false
	for {
		// Read once a turn: sending may restart cwnd after idle.
		room := int64(s.cc.Cwnd()) - s.pipe()
		if room < int64(min(s.mss(), s.smallestSendable())) {
			if s.hasSomethingToSend() {
				s.cwndLimited = true
			}
			break
		}
		if s.retransmitNextLost(now, room) {
			continue
		}
		if s.sendNew(now, room) {
			continue
		}
		if s.recovery && s.c.sackOK && s.retransmitRule3or4(now) {
			continue
		}
		break
	}
	s.maxPipe = max(s.maxPipe, s.pipe())
	// With nothing in flight no ACK will come to send the rest: a window
	// update the peer sends may be lost, and a window it offered too small
	// to use may never be updated. Only the persist timer can restart the
	// sender then (RFC 9293 §3.8.6.1 for a zero window, §3.8.6.2.1 "To
	// avoid a resulting deadlock, it is necessary to have a timeout to
	// force transmission of data, overriding the SWS avoidance algorithm").
	if s.sndNxt == s.sndUna && s.unsent() > 0 && (s.sndWnd == 0 || s.swsHeld) {
		s.armPersist(now)
	}
	// Every first transmission of new data (limited transmit's, in
	// onDupAck, included: onAck ends here too) is told once.
	if s.sndNxt > s.toldSent {
		s.toldSent = s.sndNxt
		if s.c.sent != nil {
			s.c.sent.OnSent(now)
		}
	}
}

// smallestSendable is the size of the next new segment we could send.
func (s *sender) smallestSendable() int {
	if u := s.unsent(); u > 0 && u < int64(s.mss()) {
		return int(u)
	}
	return s.mss()
}

func (s *sender) hasSomethingToSend() bool {
	return s.unsent() > 0 || s.sb.nextLost() >= 0 || (s.finQueued && !s.finSent)
}

// unlimited is the room for a send that cwnd does not limit: fast
// retransmit's first segment, limited transmit and the RTO's retransmission.
const unlimited = int64(1) << 62

// retransmitNextLost resends the first lost segment not yet resent, if it
// fits in room, cwnd minus pipe (or unlimited).
func (s *sender) retransmitNextLost(now sim.Time, room int64) bool {
	i := s.sb.nextLost()
	if i < 0 {
		return false
	}
	s.fitSegment(i)
	if room < s.sb.segs[i].len() {
		return false
	}
	s.resend(now, i)
	return true
}

// retransmitRule3or4 implements RFC 6675 NextSeg rules 3 and 4 when no new
// data can be sent. Rule 4 is read as written: its rescue takes "the
// highest outstanding unSACKed sequence number", which may be data sent
// after the loss, a few milliseconds before, not only the tail of the
// window the loss was in (a receiver then sees it twice).
func (s *sender) retransmitRule3or4(now sim.Time) bool {
	if s.unsent() > 0 && s.sndNxt-s.sndUna < int64(s.sndWnd) {
		return false
	}
	if i := s.sb.nextUnsackedBelowHighSack(); i >= 0 {
		s.resend(now, i)
		return true
	}
	// Rule 4: one rescue retransmission per recovery episode, of the
	// highest outstanding unSACKed segment.
	if s.rescueRxt < 0 || s.sndUna > s.rescueRxt {
		for i := len(s.sb.segs) - 1; i >= s.sb.head; i-- {
			t := &s.sb.segs[i]
			if !t.sacked && !t.retrans {
				s.rescueRxt = s.recover
				highRxt := s.sb.highRxt
				s.resend(now, i)
				s.sb.highRxt = highRxt // rule 4: HighRxt MUST NOT be updated
				return true
			}
			if !t.sacked {
				break
			}
		}
	}
	return false
}

func (s *sender) resend(now sim.Time, i int) {
	s.fitSegment(i)
	t := s.sb.segs[i]
	s.retransmits++
	if s.timing && t.start < s.timedEnd {
		s.timing = false // Karn: no sample from a retransmitted range
	}
	pn := s.c.transmitData(now, t.start, t.end, t.fin, true)
	s.sb.markRetransmitted(i, now, pn)
	// RFC 6675 §6: "a more careful variant that re-arms the RTO timer on
	// each retransmission that is sent during recovery MAY be used"; as
	// Linux does, only for the first unacknowledged segment's. SACK
	// recovery keeps the ACK clock going through a loss, and a timer left
	// from the last cumulative ACK expired before that retransmission
	// could be acknowledged, resending the whole window (on paths of
	// 200 ms and more, where the RTO is the RTT and a millisecond).
	if !s.rto.IsSet() || s.recovery && s.c.sackOK && i == s.sb.head {
		s.armRTO(now)
	}
}

// sendNew sends one segment of new data (or the FIN) if the receiver's
// window and room, cwnd minus pipe, allow; limited transmit's room is
// unlimited (one segment beyond cwnd).
func (s *sender) sendNew(now sim.Time, room int64) bool {
	unsent := s.unsent()
	if unsent == 0 {
		if s.finQueued && !s.finSent {
			if room < 1 {
				return false
			}
			s.finSent = true
			pn := s.c.transmitData(now, s.dataEnd, s.dataEnd+1, true, false)
			s.sb.add(txSeg{start: s.dataEnd, end: s.dataEnd + 1, sentAt: now, pn: pn, fin: true})
			s.sndNxt = s.dataEnd + 1
			s.armRTOIfIdle(now)
			return true
		}
		return false
	}
	// Receiver window (RFC 9293 §3.8.6): never beyond SND.UNA + SND.WND.
	wndRoom := s.sndUna + int64(s.sndWnd) - s.sndNxt
	n := min(int64(s.maxPayload()), unsent, room)
	if wndRoom < n {
		// Sender silly window avoidance (RFC 9293 §3.8.6.2.1): send a
		// short segment only if it is at least half the largest
		// window the peer has offered (rule 3, Fs = 1/2), or when the
		// override timeout has fired (rule 4).
		if wndRoom <= 0 {
			return false
		}
		if wndRoom < int64(s.maxWnd/2) && !s.swsOverride {
			s.swsHeld = true
			return false
		}
		n = wndRoom
	}
	if n <= 0 {
		return false
	}
	s.restartAfterIdle(now)
	start := s.sndNxt
	end := start + n
	fin := s.finQueued && end == s.dataEnd
	pn := s.c.transmitData(now, start, end, fin, false)
	if fin {
		s.finSent = true
		end++ // the FIN occupies one sequence number after the data
	}
	s.sb.add(txSeg{start: start, end: end, sentAt: now, pn: pn, fin: fin})
	s.sndNxt = end
	if !s.timing {
		s.timing = true
		s.timedEnd = end
		s.timedAt = now
	}
	s.armRTOIfIdle(now)
	return true
}

// restartAfterIdle applies RFC 5681 §4.1: after an idle period longer than
// the RTO, cwnd restarts from min(IW, cwnd).
func (s *sender) restartAfterIdle(now sim.Time) {
	if s.sndNxt != s.sndUna || !s.sentData {
		s.lastSend = now
		s.sentData = true
		return
	}
	if now.Sub(s.lastSend) > s.rtt.timeout() {
		if iw := initialWindow(s.c.cfg); s.cc.Cwnd() > iw {
			s.cc.SetCwnd(iw)
			s.metrics(now)
		}
	}
	s.lastSend = now
}

func (s *sender) armRTOIfIdle(now sim.Time) {
	if !s.rto.IsSet() {
		s.armRTO(now)
	}
}

func (s *sender) armRTO(now sim.Time) { s.rto.Set(now.Add(s.rtt.timeout())) }

// onRTO handles the expiry of the retransmission timer (RFC 6298 §5.4–5.6,
// RFC 5681 §3.1).
func (s *sender) onRTO(now sim.Time) {
	if s.sb.empty() {
		return
	}
	s.timeouts++
	timeout := s.rtt.timeout()
	s.c.log.Emit(trace.Event{
		At: now, Kind: trace.LossTimerUpdated, Side: s.c.side, Conn: s.c.id, Stream: -1, PN: -1,
		Name: "rto", RTT: timeout, Len: int64(s.rtoExpiries),
	})
	s.cc.OnTimeout(s.flight(), s.rtoExpiries == 0, s.recovery)
	s.rtoExpiries++
	s.rtt.backOff() // §5.5
	s.timing = false
	s.recovery = false
	s.dupAcks = 0
	// RFC 6582 §3.2 step 4: "After a retransmit timeout, record the
	// highest sequence number transmitted in the variable recover". The
	// duplicate ACKs that data resent after the timeout draws then start
	// no fast retransmit (RFC 6582 §4, "Handling Duplicate
	// Acknowledgments after a Timeout").
	s.recover = s.sndNxt
	s.sb.markAllLost(s.lostFn(now, "rto"))
	s.setState(now, Loss)
	s.metrics(now)
	// §5.4: retransmit the earliest segment; §5.6: restart the timer.
	s.retransmitNextLost(now, unlimited)
	s.armRTO(now)
	s.trySend(now)
}

// The SWS override timeout's range (RFC 9293 §3.8.6.2.1: "The override
// timeout should be in the range 0.1 - 1.0 seconds").
const (
	minSWSOverride = 100 * time.Millisecond
	maxSWSOverride = time.Second
)

// armPersist sets the persist timer if it is not set: for a zero window,
// the probe interval, the RTO doubled for each probe already sent (RFC
// 9293 §3.8.6.1: the first probe "when a zero window has existed for the
// retransmission timeout period", and the interval "increase[d]
// exponentially"); for a window too small to use, the override timeout,
// the RTO held within RFC 9293's 0.1 to 1.0 s (Linux, too, arms one probe
// timer from the RTO for both).
func (s *sender) armPersist(now sim.Time) {
	if s.persist.IsSet() {
		return
	}
	d := s.rtt.timeout()
	if s.sndWnd > 0 {
		s.persist.Set(now.Add(min(max(d, minSWSOverride), maxSWSOverride)))
		return
	}
	for i := 0; i < s.probes && d < s.c.cfg.MaxRTO; i++ {
		d *= 2
	}
	s.persist.Set(now.Add(min(d, s.c.cfg.MaxRTO)))
}

// onPersist probes a closed window (RFC 9293 §3.8.6.1), or sends into a
// window the sender's silly window avoidance held data back from when
// nothing else will restart it (the override timeout, RFC 9293
// §3.8.6.2.1 rule 4). Like Linux, a zero-window probe carries no new
// data: its sequence number is SND.UNA-1, which the receiver must answer
// with an ACK carrying its current window.
func (s *sender) onPersist(now sim.Time) {
	if s.unsent() == 0 {
		s.probes = 0
		return
	}
	if s.sndWnd > 0 {
		s.probes = 0
		if s.sndNxt != s.sndUna {
			return // an ACK will come, and trySend with it
		}
		s.c.log.Emit(trace.Event{At: now, Kind: trace.LossTimerUpdated, Side: s.c.side, Conn: s.c.id, Stream: -1, PN: -1, Name: "sws_override"})
		s.swsOverride = true
		s.trySend(now)
		s.swsOverride = false
		return
	}
	s.probes++
	s.c.sendProbe(now)
	s.c.log.Emit(trace.Event{At: now, Kind: trace.LossTimerUpdated, Side: s.c.side, Conn: s.c.id, Stream: -1, PN: -1, Name: "persist", Len: int64(s.probes)})
	s.armPersist(now)
}

// SenderState is a snapshot of the sending half of a connection.
type SenderState struct {
	SndUna, SndNxt int64 // stream offsets
	Written        int64 // bytes the application has written
	SndWnd         int
	Cwnd, Ssthresh int
	Pipe           int64
	SackedBytes    int64
	LostBytes      int64
	State          CongestionState
	SRTT, RTTVar   time.Duration
	RTO            time.Duration
	// RTOAt and PersistAt are the deadlines of the retransmission timer
	// and of the persist timer (a zero-window probe if SndWnd is 0, else
	// the silly window avoidance override), sim.Never when not set.
	RTOAt, PersistAt sim.Time
	DupAcks          int
	Retransmits      int64
	Timeouts         int64
	FastRecoveries   int64
}

func (s *sender) snapshot() SenderState {
	return SenderState{
		SndUna: s.sndUna, SndNxt: s.sndNxt, Written: s.buf.Len(), SndWnd: s.sndWnd,
		Cwnd: s.cc.Cwnd(), Ssthresh: s.cc.Ssthresh(), Pipe: s.pipe(),
		SackedBytes: s.sb.sackedBytes, LostBytes: s.sb.lostBytes, State: s.state,
		SRTT: s.rtt.srtt, RTTVar: s.rtt.rttvar, RTO: s.rtt.timeout(), DupAcks: s.dupAcks,
		RTOAt: s.rto.When(), PersistAt: s.persist.When(),
		Retransmits: s.retransmits, Timeouts: s.timeouts, FastRecoveries: s.fastRecov,
	}
}
