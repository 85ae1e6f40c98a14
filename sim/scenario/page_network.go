package scenario

import (
	"fmt"

	"httpsim/sim"
	"httpsim/sim/h3"
	"httpsim/sim/link"
	"httpsim/sim/trace"
)

// resetServer is the server losing every connection of the browser's path
// at once (a crash or a restart). A TCP connection answers the browser's
// next segment with RST; a QUIC server that lost its state answers with a
// Stateless Reset (RFC 9000 §10.3), which ends the connection as a
// CONNECTION_CLOSE would — modelled as one, carrying H3_INTERNAL_ERROR.
func (r *pageRun) resetServer(now sim.Time) {
	for _, c := range r.serverConns {
		c.Reset(now)
	}
	for _, c := range r.quics {
		if c.Side() == r.path.ServerSide {
			c.LoseState(now, uint64(h3.ErrH3InternalError), "server reset")
		}
	}
}

// changePath moves the client to the i-th new network (see PathChange): new
// links under client address i+1, the old ones cut with whatever was in
// flight on them. The browser's TCP connections are dead — their address
// is gone — so their requests fail and are retried on new connections,
// which pay the TCP and TLS handshakes again on the new path; the server
// ends of those connections are dropped. An HTTP/3 connection migrates.
func (r *pageRun) changePath(now sim.Time, i int, pc PathChange) {
	n := &r.net
	if pc.RTT > 0 {
		n.RTT = pc.RTT
	}
	if pc.Bandwidth > 0 {
		n.Bandwidth = pc.Bandwidth
	}
	if pc.Down != nil {
		n.Down = *pc.Down
	}
	if pc.Up != nil {
		n.Up = *pc.Up
	}
	// The browser's path: with a bypassed edge, the origin stays as far
	// beyond the new network as the edge's origin is.
	d := n.direct()
	p := r.path
	addr := i + 1
	up := link.New(r.loop, r.log, fmt.Sprintf("up-%d", addr), d.linkConfig(d.Up), p.Seed, p.Server)
	down := link.New(r.loop, r.log, fmt.Sprintf("down-%d", addr), d.linkConfig(d.Down), p.Seed, p.Client)
	// Scripted losses count each direction's packets across the move.
	up.ContinueCount(p.Up)
	down.ContinueCount(p.Down)
	p.Up.Cut()
	p.Down.Cut()
	// The server's packets for the old address still go the old way.
	p.Server.SetRoute(addr-1, p.Down)
	p.Client.SetLink(up)
	p.Server.SetLink(down)
	p.Up, p.Down = up, down
	p.ClientAddr = addr
	r.log.Emit(trace.Event{At: now, Kind: trace.ConnectionStateUpdated, Side: trace.Network, Conn: -1, Stream: -1, Res: -1, PN: -1,
		Name: "path_changed", Value: fmt.Sprintf("client address %d: rtt %v, bandwidth %v", addr, d.RTT, d.Bandwidth)})
	for _, c := range r.serverConns {
		c.Drop(now)
	}
	r.serverConns = nil
	switch {
	case r.pool != nil:
		r.pool.Abandon(now)
	case r.h2c != nil:
		r.h2c.Abandon(now)
	case r.h3c != nil:
		r.h3c.Migrate(now, addr)
	}
}
