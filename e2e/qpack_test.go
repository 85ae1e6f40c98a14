package e2e

import (
	"regexp"
	"strconv"
	"testing"
	"time"
)

// TestQPACKDynamicTable opens a deep link that gives HTTP/3 a QPACK dynamic
// table: the header-compression panel shows the client decoder's table
// filled by the server's encoder instructions, as the native replay does.
func TestQPACKDynamicTable(t *testing.T) {
	b := startBrowser(t, 2*time.Minute)
	ctx := b.ctx
	openPage(ctx, t, b.srv.URL+"/", "s=page&proto=h3&qpack=4096&loss=3&t=900&panels=summary,lanes,hpack")
	caption := eval[string](ctx, t, `document.getElementById("hpack-table-0")?.textContent ?? ""`)
	m := regexp.MustCompile(`(\d+) entries, \d+ of 4096 bytes`).FindStringSubmatch(caption)
	if m == nil {
		t.Fatalf("HTTP/3's table caption %q; want entries of a 4096-byte table", caption)
	}
	if n, _ := strconv.Atoi(m[1]); n == 0 {
		t.Errorf("HTTP/3's dynamic table is empty at 900 ms: %q", caption)
	}
	screenshot(ctx, t, b.artifacts, "e2e-qpack.png")
	checkConsole(t, b.console.finish())
}
