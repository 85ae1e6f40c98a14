package app

import (
	"encoding/binary"
	"io/fs"
	"math"
	"regexp"
	"strconv"
	"testing"

	"httpsim/static"
)

// TestOpcodesMatchDrawJS checks that canvas.go and static/draw.js agree on
// every opcode: the two halves of the drawing protocol live in two languages.
func TestOpcodesMatchDrawJS(t *testing.T) {
	src, err := fs.ReadFile(static.FS, "draw.js")
	if err != nil {
		t.Fatal(err)
	}
	js := map[string]int{}
	for _, m := range regexp.MustCompile(`(?m)^\s*const ([A-Z_]+) = (\d+);`).FindAllStringSubmatch(string(src), -1) {
		n, _ := strconv.Atoi(m[2])
		js[m[1]] = n
	}
	want := map[string]int{
		"CLEAR":        opClear,
		"STROKE_STYLE": opStrokeStyle,
		"FILL_STYLE":   opFillStyle,
		"LINE_WIDTH":   opLineWidth,
		"FONT":         opFont,
		"DASH":         opDash,
		"FILL_RECT":    opFillRect,
		"STROKE_RECT":  opStrokeRect,
		"POLYLINE":     opPolyline,
		"TEXT":         opText,
		"LINES":        opLines,
		"TARGET":       opTarget,
		"HATCH":        opHatch,
		"FILL_POLY":    opFillPoly,
		"FILL_CIRCLE":  opFillCircle,
		"HALO_TEXT":    opHaloText,
	}
	if len(js) != len(want) {
		t.Errorf("draw.js defines %d opcodes; canvas.go %d", len(js), len(want))
	}
	for name, op := range want {
		if got, ok := js[name]; !ok || got != op {
			t.Errorf("draw.js %s = %d (defined: %v); want %d as in canvas.go", name, got, ok, op)
		}
	}
}

// decode reads an encoded frame back into float64 values.
func decode(t *testing.T, b []byte) []float64 {
	t.Helper()
	if len(b)%8 != 0 {
		t.Fatalf("encoded frame has %d bytes; want a multiple of 8", len(b))
	}
	out := make([]float64, len(b)/8)
	for i := range out {
		out[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return out
}

func TestCanvasRecording(t *testing.T) {
	var c Canvas
	c.Reset(300, 200)
	c.Clear()
	c.StrokeStyle("#123")
	c.FillStyle("#123") // the same string, interned once
	c.LineWidth(2)
	c.Dash(6, 4)
	c.Polyline([]float64{1, 2, 3, 4, 5}) // the odd value is dropped
	c.Polyline([]float64{1, 2})          // one point: nothing
	c.Lines([]float64{0, 0, 10, 10})
	c.Text("two\nlines", 5, 6, AlignRight, BaselineTop)
	c.FillRect(1, 2, 3, 4)
	want := []float64{
		opClear,
		opStrokeStyle, 0,
		opFillStyle, 0,
		opLineWidth, 2,
		opDash, 2, 6, 4,
		opPolyline, 2, 1, 2, 3, 4,
		opLines, 1, 0, 0, 10, 10,
		opText, 1, 5, 6, float64(AlignRight), float64(BaselineTop),
		opFillRect, 1, 2, 3, 4,
	}
	got := decode(t, c.Encoded())
	if len(got) != len(want) || c.Len() != len(want) {
		t.Fatalf("recorded %v (Len %d); want %v", got, c.Len(), want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("recorded %v; want %v (first difference at %d)", got, want, i)
		}
	}
	if got, want := c.Strings(), "#123\ntwo lines"; got != want {
		t.Errorf("Strings() = %q; want %q", got, want)
	}

	// A new frame starts empty and numbers its strings afresh.
	c.Reset(10, 10)
	c.Font("12px sans-serif")
	if got := decode(t, c.Encoded()); len(got) != 2 || got[1] != 0 {
		t.Errorf("after Reset, Font recorded %v; want [%d 0]", got, opFont)
	}
	if got := c.Strings(); got != "12px sans-serif" {
		t.Errorf("after Reset, Strings() = %q; want %q", got, "12px sans-serif")
	}
}
