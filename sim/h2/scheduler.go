package h2

import "fmt"

// Scheduler is the server's write scheduler: it decides which stream's DATA
// goes out next. It is a policy behind an interface, so scenarios can show
// what each choice does to head-of-line blocking.
type Scheduler interface {
	// Add makes stream id eligible: it has body bytes to send.
	Add(id uint32, urgency int, incremental bool)
	// Remove drops a stream that finished or was reset.
	Remove(id uint32)
	// Next picks the stream the next DATA frame comes from, among those
	// eligible for which ok(id) holds (its flow-control window is open),
	// and records the choice.
	Next(ok func(id uint32) bool) (uint32, bool)
}

// NewScheduler returns the scheduler called name: "seq", "rr" or "urgency".
func NewScheduler(name string) (Scheduler, error) {
	switch name {
	case "seq":
		return &sequential{}, nil
	case "rr":
		return &roundRobin{}, nil
	case "urgency":
		return &urgencyScheduler{}, nil
	}
	return nil, fmt.Errorf("h2: %q is not a scheduler (use seq, rr or urgency)", name)
}

var (
	_ Scheduler = (*sequential)(nil)
	_ Scheduler = (*roundRobin)(nil)
	_ Scheduler = (*urgencyScheduler)(nil)
)

// sequential sends one response at a time, in the order they became ready:
// a response is finished before the next starts (unless flow control stops
// it).
type sequential struct{ ids []uint32 }

func (s *sequential) Add(id uint32, _ int, _ bool) { s.ids = addOnce(s.ids, id) }
func (s *sequential) Remove(id uint32)             { s.ids = remove(s.ids, id) }
func (s *sequential) Next(ok func(uint32) bool) (uint32, bool) {
	for _, id := range s.ids {
		if ok(id) {
			return id, true
		}
	}
	return 0, false
}

// roundRobin gives each ready stream one frame in turn, in stream order.
type roundRobin struct {
	ids  []uint32 // sorted
	last uint32
	has  bool
}

func (r *roundRobin) Add(id uint32, _ int, _ bool) { r.ids = insertSorted(r.ids, id) }
func (r *roundRobin) Remove(id uint32)             { r.ids = remove(r.ids, id) }
func (r *roundRobin) Next(ok func(uint32) bool) (uint32, bool) {
	id, found := nextAfter(r.ids, r.last, r.has, ok)
	if found {
		r.last, r.has = id, true
	}
	return id, found
}

// nextAfter returns the first id in the sorted ids after last (cyclically)
// with ok.
func nextAfter(ids []uint32, last uint32, has bool, ok func(uint32) bool) (uint32, bool) {
	start := 0
	if has {
		for i, id := range ids {
			if id > last {
				start = i
				break
			}
			start = i + 1
		}
	}
	for k := 0; k < len(ids); k++ {
		id := ids[(start+k)%len(ids)]
		if ok(id) {
			return id, true
		}
	}
	return 0, false
}

// urgencyScheduler follows RFC 9218 §10: the lowest urgency first; within
// an urgency, non-incremental responses one at a time in stream order, and
// incremental ones round-robin, so that progressive images share the pipe.
type urgencyScheduler struct {
	entries []urgencyEntry // in stream-ID order
	last    [8]uint32      // last incremental stream served, per urgency
	has     [8]bool
	scratch []uint32 // Next's list of incremental candidates
}

type urgencyEntry struct {
	id          uint32
	urgency     int
	incremental bool
}

func (u *urgencyScheduler) Add(id uint32, urgency int, incremental bool) {
	urgency = max(0, min(7, urgency))
	for i, e := range u.entries {
		if e.id == id {
			u.entries[i].urgency, u.entries[i].incremental = urgency, incremental
			return
		}
	}
	i := 0
	for i < len(u.entries) && u.entries[i].id < id {
		i++
	}
	u.entries = append(u.entries, urgencyEntry{})
	copy(u.entries[i+1:], u.entries[i:])
	u.entries[i] = urgencyEntry{id, urgency, incremental}
}

func (u *urgencyScheduler) Remove(id uint32) {
	for i, e := range u.entries {
		if e.id == id {
			u.entries = append(u.entries[:i], u.entries[i+1:]...)
			return
		}
	}
}

func (u *urgencyScheduler) Next(ok func(uint32) bool) (uint32, bool) {
	for level := 0; level < 8; level++ {
		incremental := u.scratch[:0]
		for _, e := range u.entries {
			if e.urgency != level || !ok(e.id) {
				continue
			}
			if !e.incremental {
				return e.id, true
			}
			incremental = append(incremental, e.id)
		}
		u.scratch = incremental
		if len(incremental) > 0 {
			id, _ := nextAfter(incremental, u.last[level], u.has[level], func(uint32) bool { return true })
			u.last[level], u.has[level] = id, true
			return id, true
		}
	}
	return 0, false
}

func addOnce(ids []uint32, id uint32) []uint32 {
	for _, x := range ids {
		if x == id {
			return ids
		}
	}
	return append(ids, id)
}

func insertSorted(ids []uint32, id uint32) []uint32 {
	i := 0
	for i < len(ids) && ids[i] < id {
		i++
	}
	if i < len(ids) && ids[i] == id {
		return ids
	}
	ids = append(ids, 0)
	copy(ids[i+1:], ids[i:])
	ids[i] = id
	return ids
}

func remove(ids []uint32, id uint32) []uint32 {
	for i, x := range ids {
		if x == id {
			return append(ids[:i], ids[i+1:]...)
		}
	}
	return ids
}
