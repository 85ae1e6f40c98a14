package app

import (
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"
)

var (
	cLoss      = holCauseOf("loss")
	cTransport = holCauseOf("transport")
	cHTTP      = holCauseOf("http")
	cQPACK     = holCauseOf("qpack")
)

func TestMergeSpans(t *testing.T) {
	tests := []struct {
		name string
		in   []holSpan
		want []holSpan
	}{
		{"empty", nil, nil},
		{"one", []holSpan{{10, 20, cLoss, 5}}, []holSpan{{10, 20, cLoss, 5}}},
		{"overlapping, same cause, out of order",
			[]holSpan{{30, 50, cTransport, 3}, {10, 20, cTransport, 1}, {15, 35, cTransport, 2}},
			[]holSpan{{10, 50, cTransport, 6}}},
		{"touching spans merge",
			[]holSpan{{10, 20, cLoss, 1}, {20, 25, cLoss, 1}},
			[]holSpan{{10, 25, cLoss, 2}}},
		{"other causes stay apart, by start",
			[]holSpan{{40, 60, cTransport, 1}, {10, 50, cLoss, 2}, {45, 70, cTransport, 3}, {5, 8, cHTTP, 4}},
			[]holSpan{{5, 8, cHTTP, 4}, {10, 50, cLoss, 2}, {40, 70, cTransport, 4}}},
		{"same start keeps cause order",
			[]holSpan{{10, 20, cTransport, 1}, {10, 30, cLoss, 1}, {10, 15, cQPACK, 1}},
			[]holSpan{{10, 30, cLoss, 1}, {10, 15, cQPACK, 1}, {10, 20, cTransport, 1}}},
		{"disjoint, same cause",
			[]holSpan{{50, 60, cLoss, 1}, {10, 20, cLoss, 1}},
			[]holSpan{{10, 20, cLoss, 1}, {50, 60, cLoss, 1}}},
	}
	for _, tt := range tests {
		in := append([]holSpan(nil), tt.in...)
		if got := mergeSpans(in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: mergeSpans(%v) = %v; want %v", tt.name, tt.in, got, tt.want)
		}
	}
}

// mergeSpansBySorting is the plain way: sort by cause and start, merge
// neighbours, sort by start.
func mergeSpansBySorting(in []holSpan) []holSpan {
	if len(in) < 2 {
		return in
	}
	sort.SliceStable(in, func(i, j int) bool {
		if in[i].cause != in[j].cause {
			return in[i].cause < in[j].cause
		}
		return in[i].from < in[j].from
	})
	out := in[:1]
	for _, s := range in[1:] {
		last := &out[len(out)-1]
		if s.cause == last.cause && s.from <= last.to {
			last.to = max(last.to, s.to)
			last.bytes += s.bytes
			continue
		}
		out = append(out, s)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].from < out[j].from })
	return out
}

// TestMergeSpansMatchesSorting compares mergeSpans with the plain way on
// random rows, in the order of their ends (as the trace gives them) and
// shuffled.
func TestMergeSpansMatchesSorting(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	causes := []holCause{cTransport, cLoss, cHTTP, cQPACK}
	for round := range 2000 {
		n := rng.IntN(40)
		in := make([]holSpan, n)
		for i := range in {
			from := rng.Int64N(200)
			in[i] = holSpan{from: from, to: from + 1 + rng.Int64N(30), cause: causes[rng.IntN(1+round%4)], bytes: 1 + rng.Int64N(1000)}
		}
		if round%2 == 0 {
			sort.SliceStable(in, func(i, j int) bool { return in[i].to < in[j].to })
		}
		want := mergeSpansBySorting(append([]holSpan(nil), in...))
		if got := mergeSpans(append([]holSpan(nil), in...)); !reflect.DeepEqual(got, want) {
			t.Fatalf("mergeSpans(%v) = %v; want %v", in, got, want)
		}
	}
}

func TestHolCauseNames(t *testing.T) {
	for _, name := range []string{"http", "loss", "qpack", "transport"} {
		if got := holCauseOf(name).String(); got != name {
			t.Errorf("holCauseOf(%q).String() = %q; want %q", name, got, name)
		}
	}
	if c := holCauseOf("gremlins"); c != holCauseOther || c.String() != "?" {
		t.Errorf("holCauseOf(gremlins) = %d (%q); want holCauseOther (?)", c, c)
	}
	// The order of the causes' names is the order of the causes, as it was
	// when spans carried the names.
	for i := 1; i < len(holCauseNames); i++ {
		if holCauseNames[i-1] >= holCauseNames[i] {
			t.Errorf("holCauseNames %v are not in order", holCauseNames)
		}
	}
}
