package app

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// cvdModels simulate the three dichromacies at full severity: Machado,
// Oliveira and Fernandes, "A Physiologically-based Model for Simulation of
// Color Vision Deficiency", IEEE TVCG 15(6), 2009, Table 1 (severity 1.0),
// applied to linear sRGB (the matrices Chromium's DevTools use).
var cvdModels = []struct {
	name string
	m    [3][3]float64
}{
	{"normal vision", [3][3]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}},
	{"protanopia", [3][3]float64{{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}}},
	{"deuteranopia", [3][3]float64{{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}}},
	{"tritanopia", [3][3]float64{{1.255528, -0.076749, -0.178779}, {-0.078411, 0.930809, 0.147602}, {0.004733, 0.691367, 0.303900}}},
}

// minCVDDistance is the smallest CIE 1976 colour difference (ΔE*ab) two
// colours that name different things may have under any model. A ΔE of
// about 2.3 is just noticeable; 10 is told apart at a glance on thin lines.
// The palette's closest pair is 16.1 apart (sky blue and bluish green,
// tritanopia); a red/green/orange palette (matplotlib's) falls to 4.6 under
// protanopia.
const minCVDDistance = 10

// labUnder returns the CIELAB (D65) coordinates of "#rrggbb" as seen with
// the model m.
func labUnder(t *testing.T, hex string, m [3][3]float64) [3]float64 {
	t.Helper()
	if len(hex) < 7 || hex[0] != '#' {
		t.Fatalf("colour %q is not #rrggbb", hex)
	}
	var lin [3]float64
	for i := range lin {
		v, err := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		if err != nil {
			t.Fatalf("colour %q: %v", hex, err)
		}
		c := float64(v) / 255 // sRGB decoding (IEC 61966-2-1)
		if c <= 0.04045 {
			lin[i] = c / 12.92
		} else {
			lin[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	var s [3]float64
	for i := range s {
		s[i] = min(1, max(0, m[i][0]*lin[0]+m[i][1]*lin[1]+m[i][2]*lin[2]))
	}
	x := (0.4124*s[0] + 0.3576*s[1] + 0.1805*s[2]) / 0.95047
	y := 0.2126*s[0] + 0.7152*s[1] + 0.0722*s[2]
	z := (0.0193*s[0] + 0.1192*s[1] + 0.9505*s[2]) / 1.08883
	f := func(v float64) float64 {
		if v > 216.0/24389 {
			return math.Cbrt(v)
		}
		return (24389.0/27*v + 16) / 116
	}
	return [3]float64{116*f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))}
}

// The colours that tell things apart stay apart for colour-blind readers
// (issue 7, item 8): the streams' colours and the loss colour, and the
// chart's series.
func TestColoursSurviveColourBlindness(t *testing.T) {
	groups := []struct {
		what    string
		colours []string
	}{
		{"streams and losses", append(streamColors[:], colorLost)},
		{"chart series", []string{colorCwnd, colorInFlight, colorSsthresh, colorSRTT}},
	}
	for _, g := range groups {
		for _, model := range cvdModels {
			for i, a := range g.colours {
				for _, b := range g.colours[i+1:] {
					la, lb := labUnder(t, a, model.m), labUnder(t, b, model.m)
					if d := math.Sqrt((la[0]-lb[0])*(la[0]-lb[0]) + (la[1]-lb[1])*(la[1]-lb[1]) + (la[2]-lb[2])*(la[2]-lb[2])); d < minCVDDistance {
						t.Errorf("%s, %s: %s and %s are ΔE %.1f apart; want ≥ %d", g.what, model.name, a, b, d, minCVDDistance)
					}
				}
			}
		}
	}
}

// Lost and blocked bytes are told by pattern too, not by colour alone: each
// head-of-line cause has its own hatch, and turns through the stream
// palette their own dashes.
func TestStatesHavePatterns(t *testing.T) {
	seen := map[Hatch]string{}
	for cause, s := range holStyles {
		if other, dup := seen[s.hatch]; dup {
			t.Errorf("causes %q and %q share hatch %d", cause, other, s.hatch)
		}
		seen[s.hatch] = cause
	}
	// The four causes ARCHITECTURE.md names.
	for _, cause := range []string{"transport", "loss", "http", "qpack"} {
		if _, ok := holStyles[cause]; !ok {
			t.Errorf("head-of-line cause %q has no style", cause)
		}
	}
	for i := range streamDashes {
		for j := i + 1; j < len(streamDashes); j++ {
			if len(streamDashes[i]) == len(streamDashes[j]) && (len(streamDashes[i]) == 0 || streamDashes[i][0] == streamDashes[j][0]) {
				t.Errorf("dash patterns %d and %d look alike: %v, %v", i, j, streamDashes[i], streamDashes[j])
			}
		}
	}
}

// The lanes' legend names every head-of-line cause with its own colour and
// hatch, as the lanes draw it.
func TestLanesLegendMatchesTheStyles(t *testing.T) {
	hatchKind := map[Hatch]string{HatchDiagonal: "hatch", HatchBackward: "hatchb", HatchHorizontal: "hatchh", HatchVertical: "hatchv", HatchCross: "hatchx"}
	for cause, st := range holStyles {
		found := false
		for _, it := range lanesLegend {
			if it.key == "legend.hol."+cause {
				found = true
				if it.color != st.color || it.kind != hatchKind[st.hatch] {
					t.Errorf("legend for %s: %s %s; want %s %s", cause, it.color, it.kind, st.color, hatchKind[st.hatch])
				}
			}
		}
		if !found {
			t.Errorf("the lanes' legend has no entry for the %s cause", cause)
		}
	}
}

func TestTimeAxisTicks(t *testing.T) {
	tests := []struct {
		t0, t1 int64
		want   string
	}{
		{0, 3_500_000_000, "0s 1s 2s 3s"},
		{0, 450_000_000, "0ms 100ms 200ms 300ms 400ms"},
		{1_000_000_000, 3_000_000_000, "1.0s 1.5s 2.0s 2.5s 3.0s"},
	}
	for _, tt := range tests {
		var got []string
		timeAxis{t0: tt.t0, t1: tt.t1, p0: 0, p1: 500}.ticks(6, func(_ float64, label string) { got = append(got, label) })
		if s := strings.Join(got, " "); s != tt.want {
			t.Errorf("ticks(%d..%d) = %q; want %q", tt.t0, tt.t1, s, tt.want)
		}
	}
}

// TestTimeAxisTicksLeaveRoomForLabels checks that a short axis (a view of
// three side by side) gets fewer ticks, so that labels do not crowd.
func TestTimeAxisTicksLeaveRoomForLabels(t *testing.T) {
	for _, w := range []float64{100, 130, 170, 250, 400, 800} {
		for _, span := range []int64{450_000_000, 3_500_000_000, 9_700_000_000, 61_000_000_000} {
			var pos []float64
			timeAxis{t0: 0, t1: span, p0: 0, p1: w}.ticks(6, func(p float64, _ string) { pos = append(pos, p) })
			if len(pos) < 2 {
				t.Errorf("%vpx, span %d: %d ticks; want at least 2", w, span, len(pos))
			}
			for i := 1; i < len(pos); i++ {
				if gap := pos[i] - pos[i-1]; gap < minTickGap-0.01 {
					t.Errorf("%vpx, span %d: ticks %.0fpx apart; want at least %.0f", w, span, gap, minTickGap)
					break
				}
			}
		}
	}
}
