package hpack

import "testing"

// TestSteadyStateAllocations checks that once the tables hold a header
// list, encoding it again and decoding the (all indexed) result allocate
// nothing: the simulator runs HPACK on every request.
func TestSteadyStateAllocations(t *testing.T) {
	e := NewEncoder(DefaultTableSize)
	e.SetStrategy(StrategyIndexAll)
	d := NewDecoder(DefaultTableSize)
	var buf []byte
	var out []HeaderField
	var rec BlockRecord
	for range 2 {
		buf = e.Encode(buf[:0], req3, &rec)
		out, _ = d.Decode(out[:0], buf, &rec)
	}
	if got := testing.AllocsPerRun(100, func() { buf = e.Encode(buf[:0], req3, &rec) }); got != 0 {
		t.Errorf("Encode of a repeated list: %v allocations; want 0", got)
	}
	if got := testing.AllocsPerRun(100, func() { out, _ = d.Decode(out[:0], buf, &rec) }); got != 0 {
		t.Errorf("Decode of an indexed block: %v allocations; want 0", got)
	}
}
