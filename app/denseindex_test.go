package app

import (
	"math/rand/v2"
	"testing"
)

// denseIndex agrees with a map on random sets and gets, small numbers and
// numbers past the dense limit alike.
func TestDenseIndexMatchesMap(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var x denseIndex
	want := map[denseKey]int{}
	pick := func() denseKey {
		if r.IntN(10) == 0 {
			return denseKey{int32(r.IntN(3)), denseLimit + r.Int64N(1000)}
		}
		return denseKey{int32(r.IntN(5)), r.Int64N(3000)}
	}
	for range 20000 {
		k := pick()
		if r.IntN(2) == 0 {
			v := r.IntN(1 << 20)
			x.set(k.conn, k.n, v)
			want[k] = v
			continue
		}
		v, ok := x.get(k.conn, k.n)
		if w, wok := want[k]; v != w || ok != wok {
			t.Fatalf("get(%d, %d) = %d, %v; want %d, %v", k.conn, k.n, v, ok, w, wok)
		}
	}
	if _, ok := x.get(-1, 0); ok {
		t.Errorf("get(-1, 0) found a value")
	}
	if _, ok := x.get(0, -1); ok {
		t.Errorf("get(0, -1) found a value")
	}
}
