package quic

import "fmt"

// Scheduler names.
const (
	// SchedulerSequential sends one stream at a time, in stream ID order:
	// a stream's data goes out before any byte of a later stream.
	SchedulerSequential = "sequential"
	// SchedulerRoundRobin gives each packet to the next stream in turn.
	SchedulerRoundRobin = "round_robin"
	// SchedulerUrgency follows RFC 9218's Extensible Priorities: the most
	// urgent streams first (urgency 0 before 7); among streams of equal
	// urgency, non-incremental ones one at a time in stream ID order, then
	// incremental ones round-robin (RFC 9218 §4, §10).
	SchedulerUrgency = "urgency"
)

// Default priority of a stream (RFC 9218 §4.1, §4.2): urgency 3, not
// incremental.
const (
	DefaultUrgency = 3
	MaxUrgency     = 7
)

// Ready describes a stream that has new data to send and the flow-control
// credit to send some of it.
type Ready struct {
	ID          uint64
	Urgency     int
	Incremental bool
	// Critical streams (Conn.SetCritical) are served before the
	// scheduler is asked.
	Critical bool
}

// Scheduler decides which stream's new data goes into the next STREAM frame
// of a packet. Retransmissions do not ask it: lost data is resent first.
type Scheduler interface {
	// Next returns the index in ready of the stream to send from next.
	// ready is not empty and lists streams in increasing ID order.
	Next(ready []Ready) int
	// Packed tells the scheduler that a packet was finished whose last
	// STREAM frame was of stream id.
	Packed(id uint64)
}

// NewScheduler returns the scheduler called name.
func NewScheduler(name string) (Scheduler, error) {
	switch name {
	case SchedulerSequential:
		return Sequential{}, nil
	case SchedulerRoundRobin:
		return &RoundRobin{}, nil
	case SchedulerUrgency, "":
		return &Urgency{}, nil
	}
	return nil, fmt.Errorf("%q is not a scheduler (use sequential, round_robin or urgency)", name)
}

// Sequential serves the lowest stream ID first.
type Sequential struct{}

var _ Scheduler = Sequential{}

// Next implements Scheduler.
func (Sequential) Next(ready []Ready) int { return 0 }

// Packed implements Scheduler.
func (Sequential) Packed(uint64) {}

// RoundRobin starts each packet with the stream after the one that ended
// the previous packet.
type RoundRobin struct {
	last    uint64
	started bool
}

var _ Scheduler = (*RoundRobin)(nil)

// Next implements Scheduler.
func (r *RoundRobin) Next(ready []Ready) int { return after(ready, r.last, r.started, nil) }

// Packed implements Scheduler.
func (r *RoundRobin) Packed(id uint64) { r.last, r.started = id, true }

// after returns the index of the first stream of ready (that keep accepts,
// if keep is not nil) whose ID is above last, wrapping around; -1 if keep
// accepts none.
func after(ready []Ready, last uint64, started bool, keep func(Ready) bool) int {
	first := -1
	for i, s := range ready {
		if keep != nil && !keep(s) {
			continue
		}
		if first < 0 {
			first = i
		}
		if started && s.ID > last {
			return i
		}
	}
	return first
}

// Urgency is RFC 9218's scheduler.
type Urgency struct {
	last    uint64
	started bool
}

var _ Scheduler = (*Urgency)(nil)

// Next implements Scheduler.
func (u *Urgency) Next(ready []Ready) int {
	best := MaxUrgency + 1
	for _, s := range ready {
		best = min(best, s.Urgency)
	}
	// Non-incremental streams of the best urgency: lowest ID first, to
	// completion (RFC 9218 §4.2: the client gains nothing from a partial
	// non-incremental response).
	for i, s := range ready {
		if s.Urgency == best && !s.Incremental {
			return i
		}
	}
	// Incremental streams share the connection in turn (§10).
	return after(ready, u.last, u.started, func(s Ready) bool { return s.Urgency == best })
}

// Packed implements Scheduler.
func (u *Urgency) Packed(id uint64) { u.last, u.started = id, true }
