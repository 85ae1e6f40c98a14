package app

import (
	"math"
	"strings"
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

// sampleSeries is a made-up run: slow start, a loss, congestion avoidance.
func sampleSeries() cwndSeries {
	s := cwndSeries{End: 2_000_000_000}
	cwnd := int64(14600)
	ss := int64(0)
	for i := int64(0); i < 200; i++ {
		at := 100_000_000 + i*9_000_000
		if i == 80 {
			ss = cwnd / 2
			cwnd = ss
			s.Losses = append(s.Losses, at)
		}
		if ss == 0 {
			cwnd += 1460
		} else {
			cwnd += 146
		}
		s.At = append(s.At, at)
		s.Cwnd = append(s.Cwnd, cwnd)
		s.Ssthresh = append(s.Ssthresh, ss)
	}
	return s
}

// opArity is the number of operands of each fixed-size opcode.
var opArity = map[float64]int{
	opClear: 0, opStrokeStyle: 1, opFillStyle: 1, opLineWidth: 1, opFont: 1,
	opFillRect: 4, opStrokeRect: 4, opText: 5,
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
		default:
			k, ok := opArity[op]
			if !ok {
				t.Fatalf("unknown opcode %v at %d", op, i-1)
			}
			switch op {
			case opStrokeStyle, opFillStyle, opFont, opText:
				if s := int(f[i]); s < 0 || s >= nstr {
					t.Fatalf("opcode %v at %d: string %d of %d", op, i-1, s, nstr)
				}
			}
			switch op {
			case opFillRect, opStrokeRect:
				pts = append(pts, [2]float64{f[i], f[i+1]}, [2]float64{f[i] + f[i+2], f[i+1] + f[i+3]})
			case opText:
				pts = append(pts, [2]float64{f[i+1], f[i+2]})
			}
			i += k
		}
	}
	return pts
}

func TestPlotCwndStaysOnCanvas(t *testing.T) {
	s := sampleSeries()
	var c Canvas
	for _, size := range [][2]float64{{800, 320}, {300, 200}, {2000, 600}} {
		c.Reset(size[0], size[1])
		plotCwnd(&c, &s)
		pts := points(t, &c)
		if len(pts) < 100 {
			t.Errorf("%vx%v: plot drew %d points; want a chart", size[0], size[1], len(pts))
		}
		for _, p := range pts {
			if p[0] < 0 || p[0] > size[0] || p[1] < 0 || p[1] > size[1] || math.IsNaN(p[0]) || math.IsNaN(p[1]) {
				t.Errorf("%vx%v: point %v off the canvas", size[0], size[1], p)
				break
			}
		}
		for _, label := range []string{colorCwnd, colorSsthresh, colorLoss, "time (s)"} {
			if !strings.Contains(c.Strings(), label) {
				t.Errorf("%vx%v: frame lacks %q", size[0], size[1], label)
			}
		}
	}
}

func TestPlotCwndEmptyAndTiny(t *testing.T) {
	var c Canvas
	empty := cwndSeries{}
	c.Reset(600, 300)
	plotCwnd(&c, &empty)
	points(t, &c)
	if !strings.Contains(c.Strings(), "no congestion-window samples") {
		t.Errorf("empty series: frame says %q; want a note that there are no samples", c.Strings())
	}
	s := sampleSeries()
	c.Reset(30, 30)
	plotCwnd(&c, &s)
	if c.Len() != 1 {
		t.Errorf("30x30 canvas: recorded %d values; want only the clear", c.Len())
	}
}
