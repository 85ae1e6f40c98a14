package e2e

import (
	"fmt"
	"testing"
	"time"
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
