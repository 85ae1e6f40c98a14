package h2

import "testing"

// TestIDTable checks idTable against a map through sets, removals and
// lookups of IDs on both sides of denseIDs.
func TestIDTable(t *testing.T) {
	var tab idTable[int]
	model := map[uint32]*int{}
	ids := []uint32{1, 3, 2, 0, 15, 16, 17, 255, denseIDs - 1, denseIDs, denseIDs + 1, 1<<31 - 1}
	for i, id := range ids {
		v := i
		tab.set(id, &v)
		model[id] = &v
	}
	for _, id := range []uint32{3, denseIDs, 7} {
		tab.remove(id)
		delete(model, id)
	}
	for _, id := range append(ids, 5, 4095, 4097, 1<<20) {
		if got, want := tab.get(id), model[id]; got != want {
			t.Errorf("get(%d) = %v; want %v", id, got, want)
		}
	}
	seen := map[uint32]bool{}
	tab.each(func(id uint32, v *int) {
		if seen[id] || model[id] != v {
			t.Errorf("each: id %d = %v seen %v; want %v once", id, v, seen[id], model[id])
		}
		seen[id] = true
	})
	if len(seen) != len(model) {
		t.Errorf("each visited %d records; want %d", len(seen), len(model))
	}
}
