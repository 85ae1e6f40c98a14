package sim

import (
	"container/heap"
	"testing"
	"time"
)

// delays is a fixed pseudo-random table so that the benchmarks measure the
// event loop, not a random number generator.
var delays = func() []time.Duration {
	rng := Seed(1).Stream("bench")
	d := make([]time.Duration, 4096)
	for i := range d {
		d[i] = time.Duration(1 + rng.IntN(1_000_000))
	}
	return d
}()

// BenchmarkEngine fires b.N events with 1000 timers pending, each re-armed
// when it fires: the steady state of a busy simulation.
func BenchmarkEngine(b *testing.B) {
	l := NewLoop(Limits{MaxEvents: int64(b.N)})
	k := 0
	for i := 0; i < 1000; i++ {
		var tm *Timer
		tm = l.NewTimer(func(now Time) {
			k++
			tm.Set(now.Add(delays[k&4095]))
		})
		tm.Set(Time(delays[i]))
	}
	b.ResetTimer()
	l.Run(0)
	b.ReportMetric(float64(l.Events())/b.Elapsed().Seconds(), "events/s")
}

// baselineEvent and baselineHeap are a bare binary-heap event loop with a
// closure per event (container/heap): the yardstick the engine is compared
// with.
type baselineEvent struct {
	at  Time
	seq uint64
	fn  func(Time)
}

type baselineHeap []baselineEvent

func (h baselineHeap) Len() int { return len(h) }
func (h baselineHeap) Less(i, j int) bool {
	return h[i].at < h[j].at || h[i].at == h[j].at && h[i].seq < h[j].seq
}
func (h baselineHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *baselineHeap) Push(x any)   { *h = append(*h, x.(baselineEvent)) }
func (h *baselineHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

func BenchmarkBaselineBinaryHeap(b *testing.B) {
	h := &baselineHeap{}
	var seq uint64
	k := 0
	var fn func(Time)
	fn = func(now Time) {
		k++
		seq++
		heap.Push(h, baselineEvent{at: now.Add(delays[k&4095]), seq: seq, fn: fn})
	}
	for i := 0; i < 1000; i++ {
		seq++
		heap.Push(h, baselineEvent{at: Time(delays[i]), seq: seq, fn: fn})
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e := heap.Pop(h).(baselineEvent)
		e.fn(e.at)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
