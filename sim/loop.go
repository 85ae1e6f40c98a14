package sim

// Loop is the one event loop of a run. Events are timers; the loop fires them
// in (time, sequence) order, where the sequence number is taken when a timer is
// set, so two timers due at the same instant fire in the order they were set.
// Nothing about the order depends on pointers, maps or goroutine scheduling.
//
// The loop never reads the wall clock: its notion of "now" is the due time of
// the timer it is firing. Components take now as an argument and expose the
// deadline of their next timer; only the loop advances time.
type Loop struct {
	now    Time
	seq    uint64
	events int64
	heap   timerHeap

	limits  Limits
	stopped bool
	status  Status
}

// Limits bound a run. A zero field means "no limit" for that dimension.
type Limits struct {
	// MaxTime stops the run before firing any event due after it.
	MaxTime Time
	// MaxEvents stops the run once this many events have fired.
	MaxEvents int64
}

// Status says why Run returned.
type Status int

const (
	// Running: the budget given to Run was spent; call Run again to go on.
	Running Status = iota
	// Finished: the model called Stop, or no event is left.
	Finished
	// TimeLimit: the next event is due after Limits.MaxTime.
	TimeLimit
	// EventLimit: Limits.MaxEvents events have fired.
	EventLimit
)

// String names the status as the CLI and the UI print it.
func (s Status) String() string {
	switch s {
	case Running:
		return "running"
	case Finished:
		return "finished"
	case TimeLimit:
		return "time limit"
	case EventLimit:
		return "event limit"
	}
	return "unknown"
}

// NewLoop returns an empty loop at time zero with the given limits.
func NewLoop(limits Limits) *Loop {
	return &Loop{limits: limits}
}

// Now is the current virtual time: the due time of the event being fired, or
// of the last event fired.
func (l *Loop) Now() Time { return l.now }

// Events is the number of events fired so far.
func (l *Loop) Events() int64 { return l.events }

// Limits returns the limits the loop was created with.
func (l *Loop) Limits() Limits { return l.limits }

// Pending is the number of timers currently set.
func (l *Loop) Pending() int { return l.heap.len() }

// Stop ends the run after the current event: the model calls it when its
// workload is complete.
func (l *Loop) Stop() { l.stopped = true }

// Status is the outcome of the last call to Run.
func (l *Loop) Status() Status { return l.status }

// NewTimer returns an unset timer that calls fn with the current time when it
// fires. Create timers once and Set them many times: setting allocates nothing.
func (l *Loop) NewTimer(fn func(now Time)) *Timer {
	t := new(Timer)
	l.InitTimer(t, fn)
	return t
}

// InitTimer makes *t an unset timer that calls fn, as NewTimer does, for a
// timer held by value in the struct of its owner: a component with several
// timers then costs one allocation, not one per timer. *t must not be set.
func (l *Loop) InitTimer(t *Timer, fn func(now Time)) {
	*t = Timer{loop: l, fn: fn, idx: -1}
}

// After is a convenience for a one-shot event: it creates a timer, sets it to
// fire at at, and returns it (so it can still be stopped).
func (l *Loop) After(at Time, fn func(now Time)) *Timer {
	t := l.NewTimer(fn)
	t.Set(at)
	return t
}

// Run fires events in order until the run ends or budget events have fired in
// this call (budget <= 0: no budget). A UI calls Run with a budget per frame so
// that a long run never blocks the page; the CLI calls it once with none.
func (l *Loop) Run(budget int64) Status {
	fired := int64(0)
	for {
		if l.stopped || l.heap.len() == 0 {
			l.status = Finished
			return l.status
		}
		if l.limits.MaxEvents > 0 && l.events >= l.limits.MaxEvents {
			l.status = EventLimit
			return l.status
		}
		next := l.heap.top()
		if l.limits.MaxTime > 0 && next.at > l.limits.MaxTime {
			l.now = l.limits.MaxTime
			l.status = TimeLimit
			return l.status
		}
		if budget > 0 && fired >= budget {
			l.status = Running
			return l.status
		}
		l.heap.pop()
		l.now = next.at
		l.events++
		fired++
		next.fn(l.now)
	}
}

// Timer is an event that fires at most once per Set. Setting a set timer moves
// it; stopping it cancels it. A timer belongs to one loop.
type Timer struct {
	at   Time
	seq  uint64
	idx  int // position in the loop's heap; -1 when not set
	loop *Loop
	fn   func(now Time)
}

// Set schedules the timer to fire at at (or now, if at is in the past),
// replacing any earlier schedule. Setting to Never stops the timer.
func (t *Timer) Set(at Time) {
	if at == Never {
		t.Stop()
		return
	}
	l := t.loop
	if at < l.now {
		at = l.now
	}
	t.at = at
	l.seq++
	t.seq = l.seq
	if t.idx >= 0 {
		l.heap.moved(t)
		return
	}
	l.heap.push(t)
}

// Stop cancels the timer if it is set.
func (t *Timer) Stop() {
	if t.idx >= 0 {
		t.loop.heap.remove(t.idx)
	}
}

// IsSet reports whether the timer is scheduled to fire.
func (t *Timer) IsSet() bool { return t.idx >= 0 }

// When returns the time the timer will fire, or Never if it is not set.
func (t *Timer) When() Time {
	if t.idx < 0 {
		return Never
	}
	return t.at
}
