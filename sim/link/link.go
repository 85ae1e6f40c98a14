// Package link models one direction of a point-to-point path: a drop-tail
// queue in front of a serialiser of fixed bandwidth, then a propagation delay,
// with random, scripted and outage loss. Every random choice draws from the
// link's own substream of the run's seed.
package link

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"httpsim/sim"
	"httpsim/sim/trace"
	"httpsim/sim/units"
)

// Packet is what a link carries. The link needs only its size and whether it
// carries payload; the transport fills in the rest of a trace event.
type Packet interface {
	// WireSize is the packet's length on the wire in bytes, every header
	// (IP, TCP or UDP, QUIC) included; serialisation takes WireSize*8/bandwidth.
	WireSize() int
	// HasPayload reports whether the packet carries application or
	// handshake bytes (not a pure acknowledgement). Scripted loss counts
	// these packets, and DataOnly loss spares the others.
	HasPayload() bool
	// Describe fills e with the packet's identity (Side, Conn, PN, Seq, Len,
	// Size, Flags) for trace events the network emits about it.
	Describe(e *trace.Event)
}

// Receiver is the far end of a link: a host that takes delivered packets.
// A link keeps no reference to a packet once it has delivered it, so the
// receiver owns it from the call to Receive on (a transport may recycle its
// packets once processed).
type Receiver interface {
	Receive(now sim.Time, p Packet)
}

// Recycler is a packet its sender reuses. A link that drops one hands it
// back through Recycle once the drop is traced, and keeps no reference to
// it (the trace event holds only what Describe put there).
type Recycler interface {
	Recycle()
}

// Outage is a window [From, To) during which the link is down: every packet
// that would leave the serialiser in it is lost.
type Outage struct {
	From time.Duration `json:"from"`
	To   time.Duration `json:"to"`
}

// Config is one direction of a link.
type Config struct {
	// Bandwidth of the serialiser, bits per second (> 0).
	Bandwidth units.Rate `json:"bandwidth"`
	// Delay is the one-way propagation delay (>= 0).
	Delay time.Duration `json:"delay"`
	// QueueBytes is the drop-tail limit: a packet that would make the bytes
	// queued (the one being serialised included) exceed it is dropped.
	QueueBytes int `json:"queue_bytes"`
	// Loss is the random loss process.
	Loss Loss `json:"loss"`
	// Drop lists scripted losses: ordinals, counted from 1, of the packets
	// with payload that leave this link's queue (retransmissions included;
	// a packet the full queue refused is not counted). They are dropped on
	// top of any random loss.
	Drop []int `json:"drop,omitempty"`
	// Outages are windows in which the link is down.
	Outages []Outage `json:"outages,omitempty"`
}

// Validate checks the configuration and names the first bad field.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if c.Bandwidth <= 0 || c.Bandwidth > 100*units.Gbps {
		bad("bandwidth: %v is out of range (1bps to 100Gbps)", c.Bandwidth)
	}
	if c.Delay < 0 || c.Delay > 10*time.Second {
		bad("delay: %v is out of range (0 to 10s)", c.Delay)
	}
	if c.QueueBytes < 1500 || c.QueueBytes > 1<<30 {
		bad("queue_bytes: %d is out of range (1500 to 1GiB)", c.QueueBytes)
	}
	if err := ValidateImpairments(c.Loss, c.Drop, c.Outages); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// ValidateImpairments checks what can go wrong on a link: its random loss,
// scripted drops and outages, reporting every problem, but of the drops
// only the first out of range and the first repeat.
func ValidateImpairments(loss Loss, drop []int, outages []Outage) error {
	var errs []error
	if err := loss.Validate(); err != nil {
		errs = append(errs, err)
	}
	first := make(map[int]int, len(drop)) // packet → its first place in drop
	repeated, outOfRange := false, false
	for i, n := range drop {
		// The first of each problem is said: a list of 100,000 zeros gave
		// 100,000 lines.
		if n < 1 && !outOfRange {
			errs = append(errs, fmt.Errorf("drop[%d]: %d is out of range (packet ordinals count from 1)", i, n))
			outOfRange = true
		}
		// A packet is dropped once: "1,1,1" read as "1" without a word.
		// The first repeat is said; a list of thousands needs no more.
		if n < 1 {
			continue // said above
		}
		if j, seen := first[n]; !seen {
			first[n] = i
		} else if !repeated {
			errs = append(errs, fmt.Errorf("drop[%d]: packet %d is drop[%d] already; list each once", i, n, j))
			repeated = true
		}
	}
	for i, o := range outages {
		if o.From < 0 || o.To <= o.From {
			errs = append(errs, fmt.Errorf("outages[%d]: from %v to %v is not a window (need 0 <= from < to)", i, o.From, o.To))
		}
	}
	return errors.Join(errs...)
}

// Stats count what happened on a link.
type Stats struct {
	Packets       int64 // packets offered to the link
	Bytes         int64 // bytes offered
	Delivered     int64 // packets delivered to the far end
	DroppedQueue  int64 // drop-tail overflows
	DroppedLoss   int64 // random losses
	DroppedScript int64 // scripted losses
	DroppedOutage int64 // losses during an outage, or on a cut link
	// LossEvents counts runs of consecutive random losses among the packets
	// subject to random loss: a burst of 5 counts once.
	LossEvents int64
	// Considered counts the packets subject to random loss.
	Considered int64
}

// Dropped is the total number of packets the link lost.
func (s Stats) Dropped() int64 {
	return s.DroppedQueue + s.DroppedLoss + s.DroppedScript + s.DroppedOutage
}

type inFlight struct {
	p      Packet
	arrive sim.Time
}

// Link is one direction of a path.
type Link struct {
	name string
	cfg  Config
	loop *sim.Loop
	log  *trace.Log
	dst  Receiver
	rng  *rand.Rand
	loss dropper

	queue       sim.Queue[Packet] // waiting or being serialised (head)
	queuedBytes int
	txTimer     *sim.Timer // the head of queue finishes serialising
	flight      sim.Queue[inFlight]
	arriveTimer *sim.Timer // the head of flight reaches dst

	dataSeen int   // packets with payload offered so far (for scripted loss)
	script   []int // sorted ordinals still to drop
	lastLost bool  // the previous considered packet was lost at random
	up       bool  // false after Cut
	stats    Stats
	// dropped is where a dropped packet describes itself: a local
	// event passed to Describe, an interface method, would be
	// allocated on every drop.
	dropped trace.Event
}

// New creates a link called name ("up", "down", ...) that delivers to dst.
// Its random losses draw from the substream "link/<name>/loss" of seed.
func New(loop *sim.Loop, log *trace.Log, name string, cfg Config, seed sim.Seed, dst Receiver) *Link {
	l := &Link{
		name: name,
		cfg:  cfg,
		loop: loop,
		log:  log,
		dst:  dst,
		rng:  seed.Stream("link/" + name + "/loss"),
		loss: newDropper(cfg.Loss, cfg.Bandwidth),
		up:   true,
	}
	l.script = append([]int(nil), cfg.Drop...)
	sort.Ints(l.script)
	l.txTimer = loop.NewTimer(l.txDone)
	l.arriveTimer = loop.NewTimer(l.arrive)
	return l
}

// ContinueCount has l count its scripted losses' ordinals on from old's:
// after a path change the new link carries on the direction's count, so
// that a loss scripted once happens once, not again on every new path.
func (l *Link) ContinueCount(old *Link) {
	l.dataSeen = old.dataSeen
	for len(l.script) > 0 && l.script[0] <= l.dataSeen {
		l.script = l.script[1:]
	}
}

// Name is the link's name.
func (l *Link) Name() string { return l.name }

// Config returns the link's configuration.
func (l *Link) Config() Config { return l.cfg }

// Stats returns the link's counters so far.
func (l *Link) Stats() Stats { return l.stats }

// QueuedBytes is the number of bytes waiting or being serialised.
func (l *Link) QueuedBytes() int { return l.queuedBytes }

// Cut takes the link down for good (a path that went dark after a client
// moved to another network): everything queued, in flight or sent later is
// lost.
func (l *Link) Cut() {
	l.up = false
}

// Restore brings a cut link back up.
func (l *Link) Restore() { l.up = true }

// DropQueueFull is the reason a PacketDropped event gives when the
// drop-tail queue had no room for the packet.
const DropQueueFull = "queue_full"

// DropPathDown is the reason a PacketDropped event gives for a packet on a
// cut link: the client moved to another network, and the old path went
// dark. An outage, by contrast, is a scripted window in a path that stays.
const DropPathDown = "path_down"

// Send offers p to the link at now.
func (l *Link) Send(now sim.Time, p Packet) {
	size := p.WireSize()
	l.stats.Packets++
	l.stats.Bytes += int64(size)
	if l.queuedBytes+size > l.cfg.QueueBytes {
		l.stats.DroppedQueue++
		l.drop(now, p, DropQueueFull)
		return
	}
	l.queue.Push(p)
	l.queuedBytes += size
	if l.queue.Len() == 1 {
		l.txTimer.Set(now.Add(l.cfg.Bandwidth.TxTime(size)))
	}
}

// txDone: the head of the queue has been serialised. Decide its fate, then
// start serialising the next packet.
func (l *Link) txDone(now sim.Time) {
	p := l.queue.Pop()
	size := p.WireSize()
	l.queuedBytes -= size
	if l.queue.Len() > 0 {
		l.txTimer.Set(now.Add(l.cfg.Bandwidth.TxTime(l.queue.Peek().WireSize())))
	}
	if reason := l.lose(now, p, size); reason != "" {
		l.drop(now, p, reason)
		return
	}
	l.flight.Push(inFlight{p: p, arrive: now.Add(l.cfg.Delay)})
	if l.flight.Len() == 1 {
		l.arriveTimer.Set(now.Add(l.cfg.Delay))
	}
}

// lose returns why p is lost on the wire, or "" if it gets through. Random
// loss is drawn for every packet it applies to, even one that a script or an
// outage takes anyway, so that scripting a loss does not shift the random
// pattern of the packets after it.
func (l *Link) lose(now sim.Time, p Packet, size int) string {
	payload := p.HasPayload()
	random := false
	if payload || !l.cfg.Loss.DataOnly {
		l.stats.Considered++
		random = l.loss.drop(l.rng, now, size)
		if random && !l.lastLost {
			l.stats.LossEvents++
		}
		l.lastLost = random
	}
	scripted := false
	if payload {
		l.dataSeen++
		for len(l.script) > 0 && l.script[0] <= l.dataSeen {
			scripted = l.script[0] == l.dataSeen
			l.script = l.script[1:]
		}
	}
	switch {
	case !l.up:
		l.stats.DroppedOutage++
		return DropPathDown
	case l.inOutage(now):
		l.stats.DroppedOutage++
		return "outage"
	case scripted:
		l.stats.DroppedScript++
		return "scripted"
	case random:
		l.stats.DroppedLoss++
		if l.cfg.Loss.Model == Burst {
			return "burst"
		}
		return "loss"
	}
	return ""
}

func (l *Link) inOutage(now sim.Time) bool {
	t := now.Since0()
	for _, o := range l.cfg.Outages {
		if t >= o.From && t < o.To {
			return true
		}
	}
	return false
}

func (l *Link) arrive(now sim.Time) {
	f := l.flight.Pop()
	if l.flight.Len() > 0 {
		l.arriveTimer.Set(l.flight.Peek().arrive)
	}
	if !l.up {
		l.stats.DroppedOutage++
		l.drop(now, f.p, DropPathDown)
		return
	}
	l.stats.Delivered++
	l.dst.Receive(now, f.p)
}

func (l *Link) drop(now sim.Time, p Packet, reason string) {
	e := &l.dropped
	*e = trace.Event{At: now, Kind: trace.PacketDropped, Stream: -1}
	p.Describe(e)
	e.Kind = trace.PacketDropped
	e.At = now
	e.Side = trace.Network
	e.Name = reason
	e.Value = l.name
	l.log.Emit(*e)
	if r, ok := p.(Recycler); ok {
		r.Recycle()
	}
}
