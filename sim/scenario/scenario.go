// Package scenario describes what to simulate — the network, the workload,
// the protocols and the seed — checks it, and runs it to a trace and a
// result. A run is a pure function of its scenario: the same scenario gives a
// byte-identical trace natively and in WebAssembly.
package scenario

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"httpsim/sim/h1"
	"httpsim/sim/h2"
	"httpsim/sim/h3"
	"httpsim/sim/link"
	"httpsim/sim/quic"
	"httpsim/sim/tcp"
	"httpsim/sim/tls"
	"httpsim/sim/units"
	"httpsim/sim/updates"
	"httpsim/sim/web"
)

// protocolNames are the protocols a page scenario can run.
var protocolNames = []string{"h1", "h2", "h3"}

// Protocols lists the protocols a page scenario can run.
func Protocols() []string { return append([]string(nil), protocolNames...) }

func knownProtocol(p string) bool {
	for _, n := range protocolNames {
		if n == p {
			return true
		}
	}
	return false
}

// Workloads.
const (
	// WorkloadBulk is one TCP transfer from server to client.
	WorkloadBulk = "bulk"
	// WorkloadPage is a browser loading a page over HTTP.
	WorkloadPage = "page"
	// WorkloadUpdates is a page receiving server events by short polling,
	// long polling or WebSocket.
	WorkloadUpdates = "updates"
)

// Scenario is everything a run depends on.
type Scenario struct {
	// Name identifies the scenario ("bulk", "page", or a user's name).
	Name string
	// Title and Explanation say, in English and Chinese, what the scenario
	// shows and what to look at.
	Title, Explanation Text
	// Controls are the parameters a user interface offers for it.
	Controls []Control
	// OpensAt is the moment a user interface shows first (the end of the
	// run if zero). It changes nothing in the run.
	OpensAt OpensAt
	// Variants are versions of the scenario run side by side (HTTP/1.0
	// against keep-alive, a warm cache against a cold one); when there are
	// any, each variant's protocols are run instead of the scenario's own.
	Variants []Variant
	// Seed selects every random choice of the run.
	Seed uint64
	// Network is the path between client and server.
	Network Network
	// TCP configures both TCP endpoints.
	TCP tcp.Config
	// Workload is WorkloadBulk or WorkloadPage.
	Workload string
	// Bulk is the workload of the "bulk" scenario: one transfer from the
	// server to the client.
	Bulk BulkWorkload
	// Page is the page a browser loads (WorkloadPage).
	Page *web.Page
	// Visit says whether the browser's cache is warm from an earlier visit.
	Visit web.Visit
	// Updates is the workload of server-to-client updates (WorkloadUpdates).
	Updates updates.Config
	// Protocols are run one after the other, each on a fresh network with
	// the same seed: "h1" (HTTP/1.x, see H1), "h2", "h3".
	Protocols []string
	// H1 configures HTTP/1.x: connections, pipelining, HTTP/1.0.
	H1 h1.Config
	// H2 configures HTTP/2: scheduler, push, HPACK table, windows.
	H2 h2.Config
	// H3 configures HTTP/3: scheduler and QPACK.
	H3 h3.Config
	// QUIC configures the transport under HTTP/3. Its Resume, EarlyData,
	// RejectEarlyData and Scheduler are not read from here: TLS.Resume,
	// TLS.EarlyData and TLS.RejectEarlyData say whether the browser
	// resumes a session and sends 0-RTT, and whether the server accepts
	// it, for every protocol alike, and H3.Scheduler picks QUIC's stream
	// scheduler.
	QUIC quic.Config
	// TLS configures HTTPS for the protocols over TCP (version none for
	// plain HTTP). QUIC always runs TLS 1.3 (RFC 9001) whatever the
	// version says; its certificate chain is QUIC.CertChain.
	TLS tls.Config
	// Limits bound the run.
	Limits Limits
}

// Network is a symmetric path: the same bandwidth and propagation delay in
// both directions, with loss configured per direction.
type Network struct {
	// RTT is the round-trip propagation delay; each direction gets half.
	RTT time.Duration
	// Bandwidth of each direction.
	Bandwidth units.Rate
	// QueueBytes is the drop-tail limit of each direction; 0 means one
	// bandwidth-delay product (at least 64 packets' worth).
	QueueBytes int
	// Down is the loss on the server-to-client direction (where the data
	// goes); Up on the client-to-server direction.
	Down, Up LinkLoss
	// ServerResets are instants at which the server resets every open
	// connection (a crash, a restart, a middlebox dropping state): browsers
	// retry idempotent requests on a new connection, and not the others.
	ServerResets []time.Duration
	// Edge, if set, puts an intermediary (a CDN edge or reverse proxy)
	// between the browser and the origin: the path above then joins the
	// browser and the edge, and this second path the edge and the origin.
	Edge *EdgeNetwork
	// PathChanges move the client to another network during the run (Wi-Fi
	// to cellular), in time order.
	PathChanges []PathChange
}

// PathChange is the client moving to another network at At: the old path
// goes dark (what was in flight on it is lost) and a new one, with its own
// round-trip time, bandwidth and loss, takes over under a new client
// address. TCP connections die with the old address, so the browser opens
// new ones (TCP and TLS handshakes again) and re-requests what was
// unfinished; a QUIC connection migrates (RFC 9000 §9) and goes on.
type PathChange struct {
	At time.Duration
	// RTT and Bandwidth of the new path; zero keeps the old path's.
	RTT       time.Duration
	Bandwidth units.Rate
	// Down and Up are the new path's loss; nil keeps the old path's.
	Down, Up *LinkLoss
}

// Variant is one version of a scenario: the base with a patch applied.
type Variant struct {
	Name  string
	Label Text
	// Patch is the RFC 7386 merge patch that makes it from the base
	// document; Scenario is the result.
	Patch    map[string]any
	Scenario *Scenario
}

// EdgeNetwork is the edge's side of the network and its behaviour.
type EdgeNetwork struct {
	web.EdgeConfig
	// RTT, Bandwidth and Loss of the path from edge to origin (loss in
	// both directions).
	RTT       time.Duration
	Bandwidth units.Rate
	Loss      link.Loss
	// Protocol is what the edge speaks to the origin: "h1" or "h2".
	Protocol string
	// Bypass takes the edge away while keeping its place on the map: the
	// browser reaches the origin directly, over its own access path and
	// the edge's long haul, so the round trip is the sum of both and the
	// bandwidth the smaller (the edge–origin leg's loss is not applied).
	// An "origin only" variant of a lesson with an edge uses it, so that
	// it keeps following the round-trip slider.
	Bypass bool
}

// activeEdge is the edge the browser talks to, or nil if there is none or
// it is bypassed.
func (n *Network) activeEdge() *EdgeNetwork {
	if n.Edge == nil || n.Edge.Bypass {
		return nil
	}
	return n.Edge
}

// HasEdge reports whether the browser talks to an edge in front of the
// origin.
func (n *Network) HasEdge() bool { return n.activeEdge() != nil }

// direct is the network as the browser sees it when an edge is bypassed:
// the origin as far away as the edge's origin is (see EdgeNetwork.Bypass).
func (n Network) direct() Network {
	if e := n.Edge; e != nil && e.Bypass {
		n.RTT += e.RTT
		n.Bandwidth = min(n.Bandwidth, e.Bandwidth)
		n.Edge = nil
	}
	return n
}

// BrowserRTT is the round-trip time of the browser's own path: to the edge
// when there is one, to the origin otherwise, which a bypassed edge puts
// as far away as the edge's origin is.
func (n Network) BrowserRTT() time.Duration { return n.direct().RTT }

// BrowserBandwidth is the bandwidth of the browser's own path, as
// BrowserRTT is its round-trip time: a bypassed edge's path is as fast as
// the slower of its two legs.
func (n Network) BrowserBandwidth() units.Rate { return n.direct().Bandwidth }

// linkConfig is one direction of the edge–origin path.
func (e *EdgeNetwork) linkConfig(n Network) link.Config {
	bdp := int(int64(e.Bandwidth) * int64(e.RTT) / int64(time.Second) / 8)
	return link.Config{Bandwidth: e.Bandwidth, Delay: e.RTT / 2, QueueBytes: max(bdp, 64*1500), Loss: e.Loss}
}

// LinkLoss is what can go wrong on one direction of the path.
type LinkLoss struct {
	Loss link.Loss
	// Drop lists scripted losses (see link.Config.Drop).
	Drop []int
	// Outages are windows in which the direction is down.
	Outages []link.Outage
}

// BulkWorkload is one TCP transfer from server to client: Size bytes, or, if
// Size is zero, as much as the path carries for Duration.
type BulkWorkload struct {
	Size     units.Size
	Duration time.Duration
}

// Limits bound a run's simulated time and events; the run stops cleanly at
// either and says which.
type Limits struct {
	MaxTime   time.Duration
	MaxEvents int64
}

// lossFreePath is the built-in scenarios' network: 10 Mbps, a 100 ms RTT,
// no loss.
func lossFreePath() Network {
	return Network{
		RTT:       100 * time.Millisecond,
		Bandwidth: 10 * units.Mbps,
		Down:      LinkLoss{Loss: link.Loss{Model: link.NoLoss}},
		Up:        LinkLoss{Loss: link.Loss{Model: link.NoLoss}},
	}
}

// Default limits: an hour of simulated time and 200 million events.
const (
	DefaultMaxTime   = time.Hour
	DefaultMaxEvents = 200_000_000
)

// Bulk returns the built-in "bulk" scenario: 1 MB over a 10 Mbps path with
// a 100 ms RTT and no loss.
func Bulk() *Scenario {
	s := &Scenario{
		Name:     "bulk",
		Seed:     1,
		Workload: WorkloadBulk,
		Network:  lossFreePath(),
		TCP:      tcp.DefaultConfig(),
		Bulk:     BulkWorkload{Size: 1 * units.MB},
		Limits:   Limits{MaxTime: DefaultMaxTime, MaxEvents: DefaultMaxEvents},
	}
	// Loss, when set, spares packets without payload: the textbook set-up
	// for the PFTK and Mathis formulas the bulk transfer is checked against.
	s.Network.Down.Loss.DataOnly = true
	return s
}

// Page returns the built-in "page" scenario: a browser loads a page of 30
// resources (web.DefaultPage) over HTTPS with TLS 1.3 on a 10 Mbps path with
// a 100 ms RTT and no loss.
func Page() *Scenario {
	return &Scenario{
		Name:      "page",
		Seed:      1,
		Workload:  WorkloadPage,
		Network:   lossFreePath(),
		TCP:       tcp.DefaultConfig(),
		Page:      web.DefaultPage(),
		Protocols: []string{"h1"},
		H1:        h1.DefaultConfig(),
		H2:        h2.DefaultConfig(),
		H3:        h3.DefaultConfig(),
		QUIC:      quic.DefaultConfig(),
		TLS:       tls.DefaultConfig(),
		Limits:    Limits{MaxTime: 10 * time.Minute, MaxEvents: 20_000_000},
	}
}

// Updates returns the base of an updates workload: a page receives 20 server
// events over HTTPS (TLS 1.3) on a 10 Mbps path with a 100 ms RTT.
func Updates() *Scenario {
	return &Scenario{
		Name:     "updates",
		Seed:     1,
		Workload: WorkloadUpdates,
		Network:  lossFreePath(),
		TCP:      tcp.DefaultConfig(),
		TLS:      tls.DefaultConfig(),
		Updates:  updates.DefaultConfig(),
		Limits:   Limits{MaxTime: 20 * time.Minute, MaxEvents: 20_000_000},
	}
}

// Unpresented returns a copy of s without what only a user interface
// shows, which changes nothing in its runs: its name, texts and controls,
// where its timeline opens, and its variants' labels. Two scenarios that
// run alike are equal once unpresented.
func (s *Scenario) Unpresented() Scenario {
	c := *s
	c.Name, c.Title, c.Explanation, c.Controls, c.OpensAt = "", Text{}, Text{}, nil, OpensAt{}
	if len(c.Variants) > 0 {
		vs := make([]Variant, len(c.Variants))
		for i, v := range c.Variants {
			v.Label = Text{}
			vs[i] = v
		}
		c.Variants = vs
	}
	return c
}

// OpensAt is where a scenario's timeline opens.
type OpensAt struct {
	Kind OpensKind
	// At is the time from the start of the run, for OpensAtTime.
	At time.Duration
}

// OpensKind says where a timeline opens.
type OpensKind uint8

const (
	// OpensAtEnd: at the end of the run (the zero OpensAt).
	OpensAtEnd OpensKind = iota
	// OpensAtHeld: at the moment the most bytes waited in the client's
	// receive buffers behind a hole. A lesson on head-of-line blocking
	// opens where its point is, rather than at the end, when every
	// buffer is empty again.
	OpensAtHeld
	// OpensAtTime: at OpensAt.At, 0 included.
	OpensAtTime
)

func (k OpensKind) String() string {
	switch k {
	case OpensAtEnd:
		return "end"
	case OpensAtHeld:
		return opensAtHeldWord
	case OpensAtTime:
		return "time"
	}
	return "OpensKind(" + strconv.Itoa(int(k)) + ")"
}

// opensAtHeldWord is the document's word for OpensAtHeld.
const opensAtHeldWord = "held"

// builtins are the built-in scenarios by name.
var builtins = []struct {
	name string
	make func() *Scenario
}{
	{"bulk", Bulk},
	{"page", Page},
}

// Builtin returns a fresh copy of the built-in scenario called name: "bulk",
// "page", or a scenario of the lesson library.
func Builtin(name string) (*Scenario, error) {
	for _, b := range builtins {
		if b.name == name {
			return b.make(), nil
		}
	}
	s, found, err := fromLibrary(name)
	if found {
		return s, err
	}
	return nil, fmt.Errorf("scenario: %q is not a built-in scenario (available: %s)", name, strings.Join(Names(), ", "))
}

// Names lists the built-in scenarios: "bulk" and "page", then the lesson
// library in course order.
func Names() []string {
	var out []string
	for _, b := range builtins {
		out = append(out, b.name)
	}
	for _, f := range libraryFiles() {
		out = append(out, libraryName(f))
	}
	return out
}

// queueBytes is the drop-tail limit in force for the network.
func (n Network) queueBytes() int {
	if n.QueueBytes > 0 {
		return n.QueueBytes
	}
	bdp := int(int64(n.Bandwidth) * int64(n.RTT) / int64(time.Second) / 8)
	return max(bdp, 64*1500)
}

// linkConfig is one direction of the network as a link configuration.
func (n Network) linkConfig(l LinkLoss) link.Config {
	return link.Config{
		Bandwidth:  n.Bandwidth,
		Delay:      n.RTT / 2,
		QueueBytes: n.queueBytes(),
		Loss:       l.Loss,
		Drop:       l.Drop,
		Outages:    l.Outages,
	}
}
