// Package topo builds the network of a run: hosts joined by links, and the
// transport connections between them.
package topo

import (
	"fmt"
	"strconv"

	"httpsim/sim"
	"httpsim/sim/host"
	"httpsim/sim/link"
	"httpsim/sim/quic"
	"httpsim/sim/tcp"
	"httpsim/sim/trace"
)

// Net is the network of one run: it numbers connections across all its
// paths, so that every connection in a trace has its own number.
type Net struct {
	Loop *sim.Loop
	Log  *trace.Log
	Seed sim.Seed
	next int32
	// segs is the TCP segment pool all the run's connections share, so
	// that a segment one connection is done with can carry another's data.
	segs tcp.SegmentPool
}

// NewNet returns an empty network.
func NewNet(loop *sim.Loop, log *trace.Log, seed sim.Seed) *Net {
	return &Net{Loop: loop, Log: log, Seed: seed}
}

// NextID allocates a connection ID.
func (n *Net) NextID() int32 {
	id := n.next
	n.next++
	return id
}

// Path is a client and a server joined by one link in each direction.
type Path struct {
	Net            *Net
	Loop           *sim.Loop
	Log            *trace.Log
	Seed           sim.Seed
	Client, Server *host.Host
	Up, Down       *link.Link // client→server, server→client
	// ClientSide and ServerSide are the vantage points the trace gives the
	// two ends of connections on this path (an edge is a server to the
	// browser and a client to the origin).
	ClientSide, ServerSide trace.Side
	// ClientAddr is the client's address now: 0 at first, another after
	// each move to a new network. QUIC connections opened from then on
	// start from it, so that the server's answers take the new path.
	ClientAddr int
}

// NewPath builds a network with one path whose links are called "up" and
// "down" (their random substreams are "link/up/..." and "link/down/...").
func NewPath(loop *sim.Loop, log *trace.Log, seed sim.Seed, up, down link.Config) *Path {
	return NewNet(loop, log, seed).Path("client", "server", "up", "down", up, down)
}

// Path adds a path between two new hosts; the link names name the links in
// the trace and their random substreams.
func (n *Net) Path(clientName, serverName, upName, downName string, up, down link.Config) *Path {
	p := &Path{Net: n, Loop: n.Loop, Log: n.Log, Seed: n.Seed, ClientSide: trace.Client, ServerSide: trace.Server}
	p.Client = host.New(clientName, nil)
	p.Server = host.New(serverName, nil)
	p.Up = link.New(n.Loop, n.Log, upName, up, n.Seed, p.Server)
	p.Down = link.New(n.Loop, n.Log, downName, down, n.Seed, p.Client)
	p.Client.SetLink(p.Up)
	p.Server.SetLink(p.Down)
	return p
}

// NextID allocates a connection ID from the path's network.
func (p *Path) NextID() int32 { return p.Net.NextID() }

// NewTCP creates both ends of a new TCP connection: the server end listens,
// the client end is ready to Connect. Their ISNs draw from the substreams
// "tcp/<id>/client" and "tcp/<id>/server".
func (p *Path) NewTCP(cfg tcp.Config) (client, server *tcp.Conn) {
	id := p.NextID()
	n := strconv.Itoa(int(id))
	client = tcp.NewConn(id, p.ClientSide, cfg, p.Loop, p.Log, p.Client, p.Seed.Stream("tcp/"+n+"/client"))
	server = tcp.NewConn(id, p.ServerSide, cfg, p.Loop, p.Log, p.Server, p.Seed.Stream("tcp/"+n+"/server"))
	client.SetSegmentPool(&p.Net.segs)
	server.SetSegmentPool(&p.Net.segs)
	p.Client.Attach(id, client)
	p.Server.Attach(id, server)
	server.Listen()
	return client, server
}

// NewQUIC creates both ends of a new QUIC connection on the path; the client
// end is ready to Connect. Their random choices draw from the substreams
// "quic/<id>/client" and "quic/<id>/server".
func (p *Path) NewQUIC(cfg quic.Config) (client, server *quic.Conn) {
	id := p.NextID()
	client = quic.NewConn(id, trace.Client, cfg, p.Loop, p.Log, p.Client, p.Seed.Stream(fmt.Sprintf("quic/%d/client", id)))
	server = quic.NewConn(id, trace.Server, cfg, p.Loop, p.Log, p.Server, p.Seed.Stream(fmt.Sprintf("quic/%d/server", id)))
	client.SetTraceSide(p.ClientSide)
	server.SetTraceSide(p.ServerSide)
	client.SetAddresses(p.ClientAddr, 0)
	server.SetAddresses(0, p.ClientAddr)
	p.Client.Attach(id, client)
	p.Server.Attach(id, server)
	return client, server
}
