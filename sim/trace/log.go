package trace

import (
	"encoding/binary"
	"fmt"
	"iter"
	"math/bits"
)

// Log is the ordered event log of one run. Every event updates a running hash
// and per-kind counters; keeping the events themselves is a choice made when
// the log is created, so a long flow's summary and hash need no memory that
// grows with the run.
type Log struct {
	keep bool
	// blocks hold the kept events, blockLen to a block, every block full
	// but the last. A growing single slice would copy every event about
	// twice and leave the garbage collector large, pointer-rich arrays to
	// clear and scan; with fixed blocks the page's re-runs keep their
	// traces for less than half the time (app's BenchmarkSimulate).
	blocks [][]Event
	kept   int
	hash   uint64
	count  int64
	byKind [numKinds]int64

	observers []func(*Event)
	scratch   Event // the event being observed; observers must not retain it
}

// NewLog returns an empty log that keeps its events if keep is true.
func NewLog(keep bool) *Log {
	return &Log{keep: keep, hash: hashSeed}
}

// Observe registers fn to see every event as it is emitted, in order. fn must
// neither modify the event nor retain the pointer; metrics collectors use
// this to summarise a run without keeping its events.
func (l *Log) Observe(fn func(*Event)) { l.observers = append(l.observers, fn) }

// Emit appends e to the log.
func (l *Log) Emit(e Event) {
	l.hash = e.hashInto(l.hash)
	l.count++
	if e.Kind < numKinds {
		l.byKind[e.Kind]++
	}
	// Observers see the kept copy, or a scratch one: the parameter itself
	// would escape to the heap. Copying an event is most of Emit's cost in
	// WebAssembly, so it is copied once.
	seen := &l.scratch
	if l.keep {
		n := len(l.blocks)
		if n == 0 || len(l.blocks[n-1]) == blockLen {
			l.blocks = append(l.blocks, make([]Event, 0, blockLen))
			n++
		}
		b := append(l.blocks[n-1], e)
		l.blocks[n-1] = b
		seen = &b[len(b)-1]
		l.kept++
	} else if len(l.observers) > 0 {
		l.scratch = e
	}
	for _, fn := range l.observers {
		fn(seen)
	}
}

// Keeps reports whether the log keeps its events.
func (l *Log) Keeps() bool { return l.keep }

// blockLen is the number of events in a block of a keeping log: 128 events
// of 200 bytes stay under the runtime's 32 KB small-object limit.
const blockLen = 128

// Events returns a copy of the kept events in order (nil if the log does not
// keep them). All reads them without copying.
func (l *Log) Events() []Event {
	if l.kept == 0 {
		return nil
	}
	events := make([]Event, 0, l.kept)
	for _, b := range l.blocks {
		events = append(events, b...)
	}
	return events
}

// All yields the kept events in order. The events are the log's own: read
// them, do not modify or retain them past the log.
func (l *Log) All() iter.Seq[*Event] {
	return func(yield func(*Event) bool) {
		for _, b := range l.blocks {
			for i := range b {
				if !yield(&b[i]) {
					return
				}
			}
		}
	}
}

// Kept is the number of events kept (0 if the log does not keep them).
func (l *Log) Kept() int { return l.kept }

// Len is the number of events emitted.
func (l *Log) Len() int64 { return l.count }

// Count is the number of events of kind k emitted.
func (l *Log) Count(k Kind) int64 {
	if k < numKinds {
		return l.byKind[k]
	}
	return 0
}

// Hash is a stable 64-bit digest of every event emitted, in order. It is the
// same on every platform for the same events; two runs with the same hash
// produced the same trace.
func (l *Log) Hash() uint64 { return bits.RotateLeft64(l.hash, 17) ^ uint64(l.count) }

// HashString formats Hash as 16 hex digits.
func (l *Log) HashString() string { return fmt.Sprintf("%016x", l.Hash()) }

const (
	hashSeed = 0x9e3779b97f4a7c15
	mulA     = 0xff51afd7ed558ccd
	mulB     = 0xc4ceb9fe1a85ec53
)

// mix folds one word into h. It is a fixed, platform-independent function of
// its inputs (a multiply-rotate mix after MurmurHash3's finaliser constants).
func mix(h, v uint64) uint64 {
	v *= mulA
	v = bits.RotateLeft64(v, 31)
	v *= mulB
	h ^= v
	h = bits.RotateLeft64(h, 27)
	return h*5 + 0x52dce729
}

// mixString folds s into h: its length, then its bytes eight at a time as
// big-endian words, the last word holding what is left.
func mixString(h uint64, s string) uint64 {
	h = mix(h, uint64(len(s)))
	for len(s) >= 8 {
		h = mix(h, binary.BigEndian.Uint64([]byte(s[:8])))
		s = s[8:]
	}
	if len(s) > 0 {
		h = mix(h, tailWord(s))
	}
	return h
}

// mixBytes is mixString for a byte slice.
func mixBytes(h uint64, b []byte) uint64 {
	h = mix(h, uint64(len(b)))
	for len(b) >= 8 {
		h = mix(h, binary.BigEndian.Uint64(b))
		b = b[8:]
	}
	if len(b) > 0 {
		h = mix(h, tailWord(b))
	}
	return h
}

// tailWord reads up to seven bytes as a big-endian number.
func tailWord[T string | []byte](b T) uint64 {
	var w uint64
	for i := 0; i < len(b); i++ {
		w = w<<8 | uint64(b[i])
	}
	return w
}

// hashInto folds every field of e into h, in a fixed order.
func (e *Event) hashInto(h uint64) uint64 {
	h = mix(h, uint64(e.At))
	h = mix(h, uint64(e.Kind)|uint64(e.Side)<<8|uint64(uint32(e.Conn))<<16)
	h = mix(h, uint64(e.Stream))
	h = mix(h, uint64(uint32(e.Res)))
	h = mix(h, uint64(e.PN))
	h = mix(h, uint64(e.Seq))
	h = mix(h, uint64(e.Ack))
	h = mix(h, uint64(e.Len))
	h = mix(h, uint64(e.Size))
	h = mix(h, uint64(e.Flags))
	h = mix(h, uint64(e.Wnd))
	h = mix(h, uint64(e.Cwnd))
	h = mix(h, uint64(e.Ssthresh))
	h = mix(h, uint64(e.InFlight))
	h = mix(h, uint64(e.RTT))
	h = mix(h, uint64(e.SRTT))
	h = mix(h, uint64(e.RTTVar))
	h = mix(h, uint64(e.MinRTT))
	h = mix(h, uint64(e.Arrived))
	h = mixString(h, e.Name)
	h = mixString(h, e.Value)
	return mixBytes(h, e.Raw)
}
