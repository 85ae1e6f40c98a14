package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestLessonOpensAtItsPeak picks the HTTP/2 head-of-line lesson from the
// list: it opens at the moment the most bytes wait behind the lost packet,
// not at the end where the buffers are empty; the timeline says so, the
// address keeps the time, and the receive buffer shows the bytes stuck.
// From the start of the run, the "Most held back" button comes back there.
func TestLessonOpensAtItsPeak(t *testing.T) {
	b := startBrowser(t, 2*time.Minute)
	ctx := b.ctx
	openPage(ctx, t, b.srv.URL+"/", "panels=summary,buffers")
	const note = `(document.getElementById("peak-note")?.textContent ?? "")`
	if err := chromedp.Do(ctx,
		chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById("scenario"); s.value = "h2-hol"; s.dispatchEvent(new Event("change", {bubbles: true})) })()`),
		waitFor(`location.search.includes("s=h2-hol") && location.search.includes("t=") && `+note+` !== "" && `+jsSummaryDone)); err != nil {
		t.Fatal(err)
	}
	said := eval[string](ctx, t, note)
	m := regexp.MustCompile(`^Most held back at ([\d.]+ ms): [\d.]+ kB waiting behind holes in the receive buffers of HTTP/2\.$`).FindStringSubmatch(said)
	if m == nil {
		t.Fatalf("the timeline says %q; want where the most bytes were held back", said)
	}
	label := func() string { return eval[string](ctx, t, `document.getElementById("time-label").textContent`) }
	if l := label(); !strings.HasPrefix(l, "t = "+m[1]+" of ") {
		t.Errorf("the lesson opened at %q; want the peak, %s", l, m[1])
	}
	const buffers = `document.getElementById("cv-buffers-0")?.getAttribute("aria-label") ?? ""`
	if a := eval[string](ctx, t, buffers); !strings.Contains(a, "waiting behind") {
		t.Errorf("the receive buffer at the peak reads %q; want bytes waiting behind a hole", a)
	}
	screenshot(ctx, t, b.artifacts, "e2e-lesson-peak.png")

	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.activeElement.blur()`), chromedp.KeyEvent(kb.Home),
		waitFor(`document.getElementById("time-label").textContent.startsWith("t = 0.0 ms")`),
		chromedp.Click(chromedp.ID("peak")),
		waitFor(`document.getElementById("time-label").textContent.startsWith("t = `+m[1]+` ")`)); err != nil {
		t.Errorf("Home, then the button: %v; the time reads %q, want %s", err, label(), m[1])
	}
}
