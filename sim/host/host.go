// Package host is an end system on the simulated network: it sends its
// endpoints' packets into its current outgoing link and hands arriving packets
// to the endpoint they belong to.
package host

import (
	"httpsim/sim"
	"httpsim/sim/link"
)

// Addressed is a packet that names its connection, standing in for the
// address and port 4-tuple (or QUIC connection ID) a real host demultiplexes on.
type Addressed interface {
	link.Packet
	ConnID() int32
}

// Endpoint is a transport endpoint attached to a host. The host keeps no
// reference to a packet it hands to Receive: the endpoint owns it from then
// on, as it owns the packets its link delivers (see link.Receiver).
type Endpoint interface {
	Receive(now sim.Time, p link.Packet)
}

// Host is one machine: the client, the server, or an intermediary.
type Host struct {
	Name   string
	out    *link.Link
	eps    []Endpoint // indexed by connection ID
	routes []route    // links to particular peer addresses, in insertion order
	// tap, if set, sees every packet the host sends or is delivered
	// (see SetTap); nil costs one comparison per packet.
	tap Tap
}

// Direction says whether a tapped packet leaves the host or arrives at it.
type Direction uint8

const (
	// Sent: the packet is entering the host's outgoing link.
	Sent Direction = iota
	// Received: a link delivered the packet to the host.
	Received
)

// Tap observes a host's packets, as a capture on the host would (Wireshark
// on the student's laptop): what it sends as it enters the outgoing link,
// and what is delivered to it, so that packets the network drops are never
// seen arriving. A tap must not change the packet, keep it past the call
// (its endpoint may recycle it), or act on the run: it is an observer, and
// a run is the same with or without one.
type Tap func(now sim.Time, p link.Packet, dir Direction)

// route sends packets for one peer address into its own link.
type route struct {
	addr int
	out  *link.Link
}

// New returns a host that sends into out.
func New(name string, out *link.Link) *Host { return &Host{Name: name, out: out} }

// Attach registers ep as the endpoint of connection id.
func (h *Host) Attach(id int32, ep Endpoint) {
	for int(id) >= len(h.eps) {
		h.eps = append(h.eps, nil)
	}
	h.eps[id] = ep
}

// SetLink moves the host to another outgoing link (its network changed).
func (h *Host) SetLink(out *link.Link) { h.out = out }

// Link is the host's current outgoing link.
func (h *Host) Link() *link.Link { return h.out }

// SetTap makes t see the host's packets from now on; nil removes it.
func (h *Host) SetTap(t Tap) { h.tap = t }

// Send puts p on the host's outgoing link.
func (h *Host) Send(now sim.Time, p link.Packet) {
	if h.tap != nil {
		h.tap(now, p, Sent)
	}
	h.out.Send(now, p)
}

// SetRoute makes packets sent to peer address addr leave on out: a server
// reaching a client that moved to another network (QUIC connection
// migration). Addresses without a route use the host's link.
func (h *Host) SetRoute(addr int, out *link.Link) {
	for i := range h.routes {
		if h.routes[i].addr == addr {
			h.routes[i].out = out
			return
		}
	}
	h.routes = append(h.routes, route{addr, out})
}

// SendTo puts p on the link that reaches peer address addr.
func (h *Host) SendTo(now sim.Time, addr int, p link.Packet) {
	if h.tap != nil {
		h.tap(now, p, Sent)
	}
	for _, r := range h.routes {
		if r.addr == addr {
			r.out.Send(now, p)
			return
		}
	}
	h.out.Send(now, p)
}

// Receive implements link.Receiver: it hands p to its connection's endpoint,
// and drops packets for connections the host does not know (as a host
// answering nothing on a closed port would).
func (h *Host) Receive(now sim.Time, p link.Packet) {
	if h.tap != nil {
		// Before the endpoint, which may recycle p; a packet for a
		// connection the host does not know is captured all the same.
		h.tap(now, p, Received)
	}
	a, ok := p.(Addressed)
	if !ok {
		return
	}
	id := a.ConnID()
	if id < 0 || int(id) >= len(h.eps) || h.eps[id] == nil {
		return
	}
	h.eps[id].Receive(now, p)
}
