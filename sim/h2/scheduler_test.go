package h2

import (
	"reflect"
	"testing"
)

// drain runs the scheduler for n picks with every stream sendable.
func drain(s Scheduler, n int) []uint32 {
	var out []uint32
	for i := 0; i < n; i++ {
		id, ok := s.Next(func(uint32) bool { return true })
		if !ok {
			break
		}
		out = append(out, id)
	}
	return out
}

func TestSchedulers(t *testing.T) {
	type add struct {
		id          uint32
		urgency     int
		incremental bool
	}
	adds := []add{{5, 4, true}, {1, 1, false}, {3, 1, false}, {7, 4, true}, {9, 2, false}}
	tests := []struct {
		name string
		want []uint32
	}{
		// Sequential: one at a time in the order they became ready.
		{"seq", []uint32{5, 5, 5}},
		// Round-robin: each stream one frame in turn, in stream order.
		{"rr", []uint32{1, 3, 5, 7, 9, 1, 3}},
		// RFC 9218: urgency 1 first, non-incremental in stream order (1
		// until done); then 2; then the incremental urgency-4 pair alternates.
		{"urgency", []uint32{1, 1, 1}},
	}
	for _, tt := range tests {
		s, err := NewScheduler(tt.name)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range adds {
			s.Add(a.id, a.urgency, a.incremental)
		}
		if got := drain(s, len(tt.want)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: picks %v; want %v", tt.name, got, tt.want)
		}
	}
	// Urgency after the urgent ones finish: 3 (u=1), then 9 (u=2), then 5
	// and 7 (u=4, incremental) round-robin.
	s, _ := NewScheduler("urgency")
	for _, a := range adds {
		s.Add(a.id, a.urgency, a.incremental)
	}
	s.Remove(1)
	var got []uint32
	for _, step := range []uint32{3, 9} {
		id, _ := s.Next(func(uint32) bool { return true })
		got = append(got, id)
		s.Remove(step)
	}
	got = append(got, drain(s, 4)...)
	if want := []uint32{3, 9, 5, 7, 5, 7}; !reflect.DeepEqual(got, want) {
		t.Errorf("urgency picks %v; want %v", got, want)
	}
	// Flow control: a blocked stream is skipped.
	rr, _ := NewScheduler("rr")
	rr.Add(1, 3, false)
	rr.Add(3, 3, false)
	id, _ := rr.Next(func(id uint32) bool { return id != 1 })
	if id != 3 {
		t.Errorf("rr with stream 1 blocked picked %d; want 3", id)
	}
	if _, err := NewScheduler("fifo"); err == nil {
		t.Error(`NewScheduler("fifo") succeeded; want an error`)
	}
}
