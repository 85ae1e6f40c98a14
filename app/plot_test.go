package app

import (
	"math"
	"testing"
)

func TestNiceAxis(t *testing.T) {
	tests := []struct {
		maxV      float64
		n         int
		step, end float64
	}{
		{1561.6, 8, 200, 1600},
		{25.3, 6, 5, 30},
		{10, 5, 2, 10},
		{1, 8, 0.2, 1},
		{0.0042, 4, 0.002, 0.006},
		{999, 10, 100, 1000},
		{0, 8, 1, 1},
		{-3, 8, 1, 1},
		{math.NaN(), 8, 1, 1},
		{math.Inf(1), 8, 1, 1},
	}
	for _, tt := range tests {
		step, end := niceAxis(tt.maxV, tt.n)
		if math.Abs(step-tt.step) > 1e-12 || math.Abs(end-tt.end) > 1e-9 {
			t.Errorf("niceAxis(%v, %d) = %v, %v; want %v, %v", tt.maxV, tt.n, step, end, tt.step, tt.end)
		}
	}
}

// An axis from zero labels its first tick "0ms" or "0s", not "-0s".
func TestTimeAxisTicksFromZero(t *testing.T) {
	for _, end := range []int64{1e9, 3.5e9, 60e9} {
		ax := timeAxis{t0: 0, t1: end, p0: 0, p1: 600}
		var labels []string
		ax.ticks(6, func(_ float64, label string) { labels = append(labels, label) })
		if len(labels) < 2 || (labels[0] != "0ms" && labels[0] != "0s") {
			t.Errorf("ticks of [0, %d ns] = %q; want them to start at 0ms or 0s", end, labels)
		}
	}
}

func TestFormatTick(t *testing.T) {
	tests := []struct {
		v, step float64
		want    string
	}{
		{1600, 200, "1600"},
		{0.4, 0.2, "0.4"},
		{0.25, 0.05, "0.25"},
		{0, 0.002, "0.000"},
		{30, 5, "30"},
		{math.Copysign(0, -1), 1, "0"},
		{-1e-12, 0.5, "0.0"},
		{-1, 1, "-1"},
	}
	for _, tt := range tests {
		if got := formatTick(tt.v, tt.step); got != tt.want {
			t.Errorf("formatTick(%v, %v) = %q; want %q", tt.v, tt.step, got, tt.want)
		}
	}
}

func TestStepPath(t *testing.T) {
	id := func(v int64) float64 { return float64(v) }
	neg := func(v int64) float64 { return -float64(v) }
	tests := []struct {
		name string
		at   []int64
		v    []int64
		xEnd float64
		want []float64
	}{
		{"empty", nil, nil, 9, nil},
		{"one sample holds to the end", []int64{2}, []int64{5}, 9, []float64{2, -5, 9, -5}},
		{"two samples step", []int64{0, 10}, []int64{1, 2}, 20, []float64{0, -1, 10, -1, 10, -2, 20, -2}},
		{"samples in one column collapse", []int64{0, 10, 10, 10}, []int64{1, 7, 3, 4}, 20,
			[]float64{0, -1, 10, -1, 10, -7, 10, -1, 10, -4, 20, -4}},
	}
	for _, tt := range tests {
		got := stepPath(tt.at, tt.v, id, neg, tt.xEnd)
		if !equalFloats(got, tt.want) {
			t.Errorf("%s: stepPath = %v; want %v", tt.name, got, tt.want)
		}
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestStepPathBounded checks that a long run costs at most a few vertices per
// half-pixel column, however many samples it has.
func TestStepPathBounded(t *testing.T) {
	const n, width = 200_000, 500.0
	at := make([]int64, n)
	v := make([]int64, n)
	for i := range at {
		at[i] = int64(i)
		v[i] = int64((i * 7919) % 1000)
	}
	xOf := func(t int64) float64 { return float64(t) / n * width }
	yOf := func(b int64) float64 { return float64(b) / 10 }
	got := len(stepPath(at, v, xOf, yOf, width)) / 2
	if limit := 4 * (2*int(width) + 2); got > limit {
		t.Errorf("stepPath of %d samples over %v px: %d vertices; want at most %d", n, width, got, limit)
	}
}

// opArity is the number of operands of each fixed-size opcode.
var opArity = map[float64]int{
	opClear: 0, opStrokeStyle: 1, opFillStyle: 1, opLineWidth: 1, opFont: 1,
	opFillRect: 4, opStrokeRect: 4, opText: 5, opHatch: 6, opFillCircle: 3, opHaloText: 5,
}

// eachOp walks c's frame as draw.js does, calling fn with each opcode
// and its operands (a variable-length opcode's count included).
func eachOp(c *Canvas, fn func(op float64, a []float64)) {
	f := c.ops
	for i := 0; i < len(f); {
		op := f[i]
		i++
		n := opArity[op]
		switch op {
		case opDash:
			n = 1 + int(f[i])
		case opPolyline, opFillPoly:
			n = 1 + 2*int(f[i])
		case opLines:
			n = 1 + 4*int(f[i])
		case opTarget:
			n = 3
		}
		fn(op, f[i:i+n])
		i += n
	}
}

// points walks a frame as draw.js does and returns every (x, y) it draws at,
// failing on an unknown opcode or a string index out of range.
func points(t *testing.T, c *Canvas) [][2]float64 {
	t.Helper()
	f := c.ops
	nstr := len(c.strs)
	var pts [][2]float64
	for i := 0; i < len(f); {
		op := f[i]
		i++
		switch op {
		case opPolyline:
			n := int(f[i])
			for j := 0; j < n; j++ {
				pts = append(pts, [2]float64{f[i+1+2*j], f[i+2+2*j]})
			}
			i += 1 + 2*n
		case opLines:
			n := int(f[i])
			for j := 0; j < 2*n; j++ {
				pts = append(pts, [2]float64{f[i+1+2*j], f[i+2+2*j]})
			}
			i += 1 + 4*n
		case opDash:
			i += 1 + int(f[i])
		case opFillPoly:
			n := int(f[i])
			for j := 0; j < n; j++ {
				pts = append(pts, [2]float64{f[i+1+2*j], f[i+2+2*j]})
			}
			i += 1 + 2*n
		case opTarget:
			t.Fatalf("points: a Target at %d; walk one canvas at a time", i-1)
		default:
			k, ok := opArity[op]
			if !ok {
				t.Fatalf("unknown opcode %v at %d", op, i-1)
			}
			switch op {
			case opStrokeStyle, opFillStyle, opFont, opText, opHaloText:
				if s := int(f[i]); s < 0 || s >= nstr {
					t.Fatalf("opcode %v at %d: string %d of %d", op, i-1, s, nstr)
				}
			}
			switch op {
			case opFillRect, opStrokeRect:
				pts = append(pts, [2]float64{f[i], f[i+1]}, [2]float64{f[i] + f[i+2], f[i+1] + f[i+3]})
			case opText, opHaloText:
				pts = append(pts, [2]float64{f[i+1], f[i+2]})
			case opHatch:
				pts = append(pts, [2]float64{f[i], f[i+1]}, [2]float64{f[i] + f[i+2], f[i+1] + f[i+3]})
			case opFillCircle:
				pts = append(pts, [2]float64{f[i], f[i+1]})
			}
			i += k
		}
	}
	return pts
}
