package quic

import (
	"errors"

	"httpsim/sim"
	"httpsim/sim/quic/wire"
	"httpsim/sim/trace"
)

// amplificationFactor is the anti-amplification limit: before validating the
// peer's address an endpoint sends at most three times the bytes it has
// received from it (RFC 9000 §8.1, §8.2, §9.3).
const amplificationFactor = 3

// pathState is the path a connection uses: the addresses at both ends, and
// whether the peer's address is validated. Addresses stand for IP address
// and port; the client starts at address 0 and gets another when it moves.
type pathState struct {
	local, peer int
	// validated: the peer's address is validated, so the
	// anti-amplification limit no longer applies. A client takes the
	// server's address as valid (it chose it).
	validated bool
	// received and sent count UDP payload bytes on this path while it is
	// not validated.
	received, sent int64
	// challenge is the data of the PATH_CHALLENGE outstanding, if any;
	// earlier the data of those it replaced on this path, whose responses
	// validate it as well (RFC 9000 §8.2.3), the last few.
	challenge        [8]byte
	earlier          [][8]byte
	challengeQueued  bool
	challengePending bool
	challengeAt      sim.Time // when the outstanding challenge was sent
	// responses are PATH_RESPONSEs owed, one per PATH_CHALLENGE received
	// (RFC 9000 §8.2.2).
	responses [][8]byte
}

// ampCredit is how many more bytes may be sent on the path before its
// validation, or -1 when there is no limit.
func (c *Conn) ampCredit() int64 {
	if c.path.validated {
		return -1
	}
	return max(0, amplificationFactor*c.path.received-c.path.sent)
}

// connIDs holds the connection IDs of both ends (RFC 9000 §5.1).
type connIDs struct {
	c *Conn
	// local are those this end issued, by sequence number: 0 is the
	// handshake's Source Connection ID, 1 the one offered for migration.
	local [][]byte
	// peer are those the peer issued; inUse is the sequence number of the
	// one this end sends to.
	peer  [][]byte
	inUse int
	// odcid is the Destination Connection ID of the client's first
	// Initial, chosen at random (RFC 9000 §7.2).
	odcid        []byte
	issueQueued  bool
	retireQueued []uint64
}

func (k *connIDs) init(c *Conn) {
	k.c = c
	k.local = [][]byte{k.random(c.cfg.ConnIDLen)}
	if c.role == trace.Client {
		// RFC 9000 §7.2: at least 8 bytes of unpredictable value.
		k.odcid = k.random(max(8, c.cfg.ConnIDLen))
	}
}

func (k *connIDs) random(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(k.c.rng.Uint32())
	}
	return b
}

// dcid is the Destination Connection ID to send with.
func (k *connIDs) dcid() []byte {
	if len(k.peer) == 0 {
		return k.odcid
	}
	return k.peer[k.inUse]
}

// learnPeer records the peer's first connection ID, from the Source
// Connection ID of its first long-header packet.
func (k *connIDs) learnPeer(scid []byte) {
	if len(k.peer) == 0 {
		k.peer = [][]byte{append([]byte(nil), scid...)}
	}
}

// issue offers the peer a second connection ID so that it can move to a
// new path without linking the paths (RFC 9000 §5.1.1, §9.5).
func (k *connIDs) issue() {
	if len(k.local) < 2 {
		k.local = append(k.local, k.random(k.c.cfg.ConnIDLen))
		k.issueQueued = true
	}
}

// addPeer records a NEW_CONNECTION_ID from the peer.
func (k *connIDs) addPeer(seq uint64, cid []byte) {
	for uint64(len(k.peer)) <= seq && len(k.peer) < 16 {
		k.peer = append(k.peer, nil)
	}
	if seq < uint64(len(k.peer)) && k.peer[seq] == nil {
		k.peer[seq] = append([]byte(nil), cid...)
	}
}

// next switches to an unused connection ID of the peer, retiring the old
// one (RFC 9000 §9.5: a new path uses a new connection ID). It reports
// false if the peer offered none.
func (k *connIDs) next() bool {
	for i := k.inUse + 1; i < len(k.peer); i++ {
		if k.peer[i] != nil {
			k.retireQueued = append(k.retireQueued, uint64(k.inUse))
			k.inUse = i
			return true
		}
	}
	return false
}

// resetToken derives the stateless reset token of a connection ID (RFC 9000
// §10.3); nothing checks it, but it has its real size on the wire.
func resetToken(cid []byte) *[wire.StatelessResetTokenLen]byte {
	var t [wire.StatelessResetTokenLen]byte
	for i := range t {
		if len(cid) > 0 {
			t[i] = cid[i%len(cid)] ^ byte(0xa5+i)
		}
	}
	return &t
}

// ErrMigration is returned when a connection cannot migrate yet.
var ErrMigration = errors.New("quic: cannot migrate before the handshake is confirmed (RFC 9000 §9)")

// Migrate moves the client to a new network at now: its address becomes
// addr and, if out is not nil, it sends through out from now on (otherwise
// through the same Sender, which the caller has moved). The old path is
// taken to be gone: the client switches at once (RFC 9000 §9.2 allows it
// when the old path is known to be unusable), with a fresh connection ID
// from the server (§9.5), a PATH_CHALLENGE to validate the new path (§8.2),
// and its congestion controller and RTT estimator reset (§9.4). Packets in
// flight on the old path are declared lost by the usual thresholds and
// their frames sent again on the new one.
func (c *Conn) Migrate(now sim.Time, addr int, out Sender) error {
	if c.role != trace.Client || !c.hs.confirmed || c.closed {
		return ErrMigration
	}
	c.path.local = addr
	c.path.challengePending, c.path.earlier = false, nil // the old path's challenges do not validate this one
	if out != nil {
		c.setOutput(out)
	}
	c.cids.next()
	c.rec.newPath(now)
	c.armLossTimer()
	c.startChallenge()
	// A non-probing frame makes the server move to the new address at
	// once (§9.3): the client's pending ACK, and a PING in case there is
	// none.
	c.ctrl.ping = true
	c.spaces[wire.SpaceApplicationData].ack.ackNow = true
	c.traceState(now, "migrated")
	c.metricsNow(now)
	c.flush(now)
	return nil
}

// SetAddresses sets the addresses of a connection's two ends before it
// sends or receives anything: a connection a client opens after it moved to
// another network starts from its new address (the client's end is local
// there, the server's peer).
func (c *Conn) SetAddresses(local, peer int) {
	c.path.local, c.path.peer = local, peer
}

// rechallenge queues a fresh PATH_CHALLENGE when the outstanding one has
// gone a probe timeout without its PATH_RESPONSE. A PATH_RESPONSE is sent
// once and never again (RFC 9000 §13.3); the challenger "is expected to
// send more PATH_CHALLENGE frames as necessary" (§13.3), and no more often
// than it would send an Initial (§8.2.1): once per PTO. Without this, a
// lost PATH_RESPONSE left a migrated server held to the anti-amplification
// limit, trickling 117-byte packets until the idle timeout.
func (c *Conn) rechallenge(now sim.Time) {
	if c.path.challengePending && !c.path.challengeQueued && now >= c.path.challengeAt.Add(c.rec.ptoDuration()) {
		c.startChallenge()
	}
}

// answers reports whether data is that of a challenge outstanding on the
// path, the last one or one it replaced.
func (p *pathState) answers(data [8]byte) bool {
	if data == p.challenge {
		return true
	}
	for _, e := range p.earlier {
		if e == data {
			return true
		}
	}
	return false
}

// earlierChallenges is how many replaced challenges a path remembers.
const earlierChallenges = 3

// startChallenge queues a PATH_CHALLENGE with fresh data (RFC 9000 §8.2.1).
func (c *Conn) startChallenge() {
	if c.path.challengePending {
		if len(c.path.earlier) == earlierChallenges {
			c.path.earlier = c.path.earlier[1:]
		}
		c.path.earlier = append(c.path.earlier, c.path.challenge)
	}
	for i := range c.path.challenge {
		c.path.challenge[i] = byte(c.rng.Uint32())
	}
	c.path.challengeQueued = true
	c.path.challengePending = true
}

// onPeerMigrated is the server seeing a non-probing packet from a new
// address with the largest packet number so far (RFC 9000 §9.3): it sends
// to the new address from now on, validates it, and resets its congestion
// controller and RTT estimator (§9.4).
func (c *Conn) onPeerMigrated(now sim.Time, addr int, datagramBytes int) {
	// PATH_RESPONSEs owed to challenges that came on the new path go there.
	c.path = pathState{local: c.path.local, peer: addr, received: int64(datagramBytes), responses: c.path.responses}
	c.cids.next()
	c.rec.newPath(now)
	c.armLossTimer()
	c.startChallenge()
	c.traceState(now, "migrated")
	c.metricsNow(now)
}

// onPathResponse validates the path if data answers the outstanding
// challenge (RFC 9000 §8.2.3).
func (c *Conn) onPathResponse(now sim.Time, data [8]byte) {
	if !c.path.challengePending || !c.path.answers(data) {
		return
	}
	c.path.earlier = nil
	c.path.challengePending = false
	c.path.validated = true
	if c.rec.ampLimited {
		c.rec.ampLimited = false
		c.rec.setTimer(now)
		c.armLossTimer()
	}
	c.traceState(now, "path_validated")
	c.scheduleSend()
}
