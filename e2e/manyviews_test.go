package e2e

import (
	"fmt"
	"testing"
	"time"
)

// TestManyViews opens the loss sweep, which compares eight runs: the views
// wrap onto rows instead of widening the page or shrinking below what can
// be drawn, and every ladder is drawn.
func TestManyViews(t *testing.T) {
	b := startBrowser(t, 2*time.Minute)
	ctx := b.ctx
	openPage(ctx, t, b.srv.URL+"/", "s=loss-sweep&t=900")
	views := len(eval[[]string](ctx, t, jsHashes))
	if views != 8 {
		t.Fatalf("the loss sweep shows %d runs; want 8", views)
	}
	if w := eval[[]int](ctx, t, `[document.documentElement.scrollWidth, window.innerWidth]`); w[0] > w[1] {
		t.Errorf("the page is %d px wide in a %d px window", w[0], w[1])
	}
	for i := 0; i < views; i++ {
		id := fmt.Sprintf("cv-ladder-%d", i)
		if in := eval[ink](ctx, t, jsInk(id)); in.Width < 250 || in.Painted < 500 {
			t.Errorf("canvas %s: %+v; want it at least 250 px wide and drawn", id, in)
		}
	}
	screenshot(ctx, t, b.artifacts, "e2e-many-views.png")
	checkConsole(t, b.console.finish())
}
