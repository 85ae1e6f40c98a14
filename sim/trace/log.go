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
	// records hold the kept events' numbers, blockLen to a block, every
	// block full but the last; texts hold the text of those that have some
	// (record.text numbers it), textLen to a block. A record holds no
	// pointers, so storing one needs no write barrier while the collector
	// marks and a block of them is never scanned; fixed blocks copy no event
	// twice as a growing slice would.
	records [][]record
	texts   [][]text
	kept    int
	nText   int
	hash    uint64
	count   int64
	byKind  [numKinds]int64

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
	if l.keep {
		l.store(&e)
	}
	if len(l.observers) == 0 {
		return
	}
	// Observers see a scratch copy: the parameter itself would escape to
	// the heap. It is set field by field, which costs three pointer writes
	// while the collector marks rather than a bulk barrier over the event.
	l.scratch.set(&e)
	for _, fn := range l.observers {
		fn(&l.scratch)
	}
}

// store keeps e.
func (l *Log) store(e *Event) {
	i := l.kept % blockLen
	if i == 0 {
		l.records = append(l.records, make([]record, blockLen))
	}
	r := &l.records[len(l.records)-1][i]
	r.setNumbers(e)
	r.text = 0
	if e.Name != "" || e.Value != "" || e.Raw != nil {
		j := l.nText % textLen
		if j == 0 {
			l.texts = append(l.texts, make([]text, textLen))
		}
		t := &l.texts[len(l.texts)-1][j]
		t.name, t.value, t.raw = e.Name, e.Value, e.Raw
		l.nText++
		r.text = uint32(l.nText)
	}
	l.kept++
}

// event sets e to the kept event r.
func (l *Log) event(e *Event, r *record) {
	r.numbersTo(e)
	if r.text == 0 {
		e.Name, e.Value, e.Raw = "", "", nil
		return
	}
	j := int(r.text - 1)
	t := &l.texts[j/textLen][j%textLen]
	e.Name, e.Value, e.Raw = t.name, t.value, t.raw
}

// Keeps reports whether the log keeps its events.
func (l *Log) Keeps() bool { return l.keep }

// blockLen is the number of records in a block (152 bytes each, 19 KB), and
// textLen the number of texts (56 bytes each, 7 KB).
const (
	blockLen = 128
	textLen  = 128
)

// Events returns a copy of the kept events in order (nil if the log does not
// keep them). All reads them without keeping a copy.
func (l *Log) Events() []Event {
	if l.kept == 0 {
		return nil
	}
	events := make([]Event, l.kept)
	for i := range events {
		l.event(&events[i], &l.records[i/blockLen][i%blockLen])
	}
	return events
}

// All yields the kept events in order. Each is a scratch event filled for
// that step: read it, do not modify or retain it past the step.
func (l *Log) All() iter.Seq[*Event] {
	return func(yield func(*Event) bool) {
		var e Event
		for i := range l.kept {
			l.event(&e, &l.records[i/blockLen][i%blockLen])
			if !yield(&e) {
				return
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
