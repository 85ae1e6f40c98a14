package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Each slider's thumb sits where its label says. go-app sets an input's
// attributes in map order, and a value set before the lesson's min and max
// was clamped to the old range: opening ?s=keepalive showed "100 ms" with
// the thumb at 10 or 20 about every other time, and one key press then ran
// the lesson at 20 ms. Three loads of each of three lessons.
func TestSliderThumbsMatchTheirLabels(t *testing.T) {
	b := startBrowser(t, 3*time.Minute)
	const check = `(() => {
		const bad = [];
		for (const id of ["rtt", "conns"]) {
			const s = document.getElementById(id), label = document.getElementById(id + "-value");
			if (!s || !label) continue;
			const want = parseFloat(label.textContent);
			if (Number(s.value) !== want) bad.push(id + "=" + s.value + " (label " + label.textContent + ")");
		}
		return bad.join(", ");
	})()`
	for _, lesson := range []string{"keepalive", "migration", "handshakes"} {
		for i := range 3 {
			openPage(b.ctx, t, b.srv.URL+"/", fmt.Sprintf("s=%s&seed=%d", lesson, i+1))
			if bad := eval[string](b.ctx, t, check); bad != "" {
				t.Errorf("?s=%s, load %d: sliders %s", lesson, i+1, bad)
			}
		}
	}
}

// The seed field shows the seed that runs. A number input takes "1.5" or
// "-3" whatever its min and step; the page ignored such an entry without a
// word and left it in the field, beside a run of another seed. It reads
// an entry as a URL's seed now: clamped, or refused and put back, with a
// notice.
func TestSeedFieldShowsTheSeedThatRuns(t *testing.T) {
	b := startBrowser(t, 2*time.Minute)
	openPage(b.ctx, t, b.srv.URL+"/", "seed=7&panels=summary")
	tests := []struct {
		typed, want string
		notice      bool
	}{
		{"1.5", "7", true},
		{"-3", "0", true},
		{"99999999999999999999999", "18446744073709551615", true},
		{"--3", "18446744073709551615", true}, // a number input handed "" for these
		{"1e", "18446744073709551615", true},
		{"1e1", "10", false},
		{"12", "12", false},
	}
	for _, tt := range tests {
		eval[bool](b.ctx, t, fmt.Sprintf(`(() => { const s = document.getElementById("seed"); s.value = %q; s.dispatchEvent(new Event("change")); return true })()`, tt.typed))
		if err := chromedp.Do(b.ctx, waitFor(fmt.Sprintf(`new URLSearchParams(location.search).get("seed") === %q && document.getElementById("seed").value === %q`, tt.want, tt.want))); err != nil {
			t.Errorf("typed %q: the field shows %q and the URL's seed is %q; want %q in both", tt.typed,
				eval[string](b.ctx, t, `document.getElementById("seed").value`), eval[string](b.ctx, t, `new URLSearchParams(location.search).get("seed") ?? ""`), tt.want)
		}
		noticed := fmt.Sprintf(`Array.from(document.querySelectorAll(".hs-notices li")).some((li) => li.textContent.includes("seed=%s"))`, tt.typed)
		if tt.notice {
			if err := chromedp.Do(b.ctx, waitFor(noticed)); err != nil {
				t.Errorf("typed %q: no notice naming it", tt.typed)
			}
		} else if eval[bool](b.ctx, t, noticed) {
			t.Errorf("typed %q: a notice names it; want none", tt.typed)
		}
	}
	checkConsole(t, b.console.finish())
}
