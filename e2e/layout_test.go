package e2e

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestSideBySideViewsLineUp opens the pipelining lesson at 1400 px, where
// its third column's heading wraps onto two lines: the canvases of a row
// still start at one height, so that their time axes line up (the third
// ladder sat 26 px lower).
func TestSideBySideViewsLineUp(t *testing.T) {
	b := startBrowser(t, 2*time.Minute)
	ctx := b.ctx
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1400, 900)); err != nil {
		t.Fatal(err)
	}
	openPage(ctx, t, b.srv.URL+"/", "s=pipelining&panels=summary,ladder,lanes,charts")
	heights := eval[[]float64](ctx, t, `Array.from(document.querySelectorAll("#panel-ladder .hs-col h3")).map(h => { const r = document.createRange(); r.selectNodeContents(h); return r.getBoundingClientRect().height })`)
	wrapped := false
	for _, h := range heights {
		wrapped = wrapped || h > heights[0]*1.5 || heights[0] > h*1.5
	}
	if len(heights) != 3 || !wrapped {
		t.Fatalf("ladder headings' text %v px tall; want three, one of them wrapped (the test's premise)", heights)
	}
	for _, panel := range []string{"ladder", "lanes", "charts"} {
		tops := eval[[]float64](ctx, t, `Array.from(document.querySelectorAll("#panel-`+panel+` canvas.hs-cv")).map(c => c.getBoundingClientRect().top)`)
		for i, top := range tops {
			if d := top - tops[0]; d > 0.5 || d < -0.5 {
				t.Errorf("%s canvas %d starts at %.1f px; the first at %.1f", panel, i, top, tops[0])
			}
		}
	}
	screenshot(ctx, t, b.artifacts, "e2e-aligned.png")
	checkConsole(t, b.console.finish())
}
