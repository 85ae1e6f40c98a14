// Package topo builds the network of a run: hosts joined by links, and the
// transport connections between them.
package topo

import (
	"fmt"

	"httpsim/sim"
	"httpsim/sim/host"
	"httpsim/sim/link"
	"httpsim/sim/tcp"
	"httpsim/sim/trace"
)

// Path is a client and a server joined by one link in each direction.
type Path struct {
	Loop           *sim.Loop
	Log            *trace.Log
	Seed           sim.Seed
	Client, Server *host.Host
	Up, Down       *link.Link // client→server, server→client

	next int32 // next connection ID
}

// NewPath builds the two hosts and links. Link names are "up" and "down"
// (their random substreams are "link/up/..." and "link/down/...").
func NewPath(loop *sim.Loop, log *trace.Log, seed sim.Seed, up, down link.Config) *Path {
	p := &Path{Loop: loop, Log: log, Seed: seed}
	p.Client = host.New("client", nil)
	p.Server = host.New("server", nil)
	p.Up = link.New(loop, log, "up", up, seed, p.Server)
	p.Down = link.New(loop, log, "down", down, seed, p.Client)
	p.Client.SetLink(p.Up)
	p.Server.SetLink(p.Down)
	return p
}

// NextID allocates a connection ID (shared by TCP and QUIC connections of
// the run, so that every connection in a trace has its own number).
func (p *Path) NextID() int32 {
	id := p.next
	p.next++
	return id
}

// NewTCP creates both ends of a new TCP connection: the server end listens,
// the client end is ready to Connect. Their ISNs draw from the substreams
// "tcp/<id>/client" and "tcp/<id>/server".
func (p *Path) NewTCP(cfg tcp.Config) (client, server *tcp.Conn) {
	id := p.NextID()
	client = tcp.NewConn(id, trace.Client, cfg, p.Loop, p.Log, p.Client, p.Seed.Stream(fmt.Sprintf("tcp/%d/client", id)))
	server = tcp.NewConn(id, trace.Server, cfg, p.Loop, p.Log, p.Server, p.Seed.Stream(fmt.Sprintf("tcp/%d/server", id)))
	p.Client.Attach(id, client)
	p.Server.Attach(id, server)
	server.Listen()
	return client, server
}
