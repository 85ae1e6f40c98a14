package e2e

import (
	"fmt"
	"hash/fnv"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	ui "httpsim/app"
	"httpsim/sim/pcap"
	"httpsim/sim/scenario"
)

// jsCatchDownloads replaces the page's download helper with one that keeps,
// for each file, its name, media type, size, FNV-1a hash and first bytes.
const jsCatchDownloads = `(() => {
  window.caught = [];
  window.httpsimDownload = (name, data, type) => {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    let h = 0x811c9dc5;
    for (const b of bytes) { h ^= b; h = Math.imul(h, 0x01000193) >>> 0; }
    window.caught.push({name, type, size: bytes.length, fnv: h,
      head: new TextDecoder("latin1").decode(bytes.subarray(0, 24))});
  };
  return true;
})()`

type caughtFile struct {
	Name, Type, Head string
	Size             int
	FNV              uint32
}

// TestDownloadARun downloads, from the share box, a run's packets for
// Wireshark and its events for qvis, and a panel as a figure: the pcap file
// is byte for byte the native capture of the same run, and HTTP/3 offers no
// pcap.
func TestDownloadARun(t *testing.T) {
	b := startBrowser(t, 3*time.Minute)
	ctx, srv, artifacts := b.ctx, b.srv, b.artifacts
	const query = "s=page&loss=3&seed=42&proto=h1,h2,h3"
	openPage(ctx, t, srv.URL+"/", query)
	eval[bool](ctx, t, jsCatchDownloads)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("embed-button")), waitFor(`document.getElementById("download-run") !== null`)); err != nil {
		t.Fatalf("opening the share box: %v", err)
	}
	choose := func(i int) {
		t.Helper()
		eval[bool](ctx, t, fmt.Sprintf(`(() => { const s = document.getElementById("download-run"); s.value = "%d"; s.dispatchEvent(new Event("change")); return true })()`, i))
	}
	download := func(button string, n int) caughtFile {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID(button)), waitFor(fmt.Sprintf(`window.caught.length >= %d`, n))); err != nil {
			t.Fatalf("clicking #%s: %v", button, err)
		}
		return eval[caughtFile](ctx, t, fmt.Sprintf(`window.caught[%d]`, n-1))
	}

	choose(1) // HTTP/2
	got := download("download-pcap", 1)
	want := nativeCapture(t, query, "h2")
	if got.Name != "page-h2-seed42.pcap" || got.Type != "application/vnd.tcpdump.pcap" {
		t.Errorf("pcap download named %q, type %q; want page-h2-seed42.pcap, application/vnd.tcpdump.pcap", got.Name, got.Type)
	}
	if got.Size != len(want) || got.FNV != fnv32(want) {
		t.Errorf("the page's pcap file: %d bytes, FNV-1a %08x; the native capture of the same run: %d bytes, %08x", got.Size, got.FNV, len(want), fnv32(want))
	}
	got = download("download-qlog", 2)
	if got.Name != "page-h2-seed42.qlog" || !strings.HasPrefix(got.Head, `{"qlog_version":"0.3"`) {
		t.Errorf("qlog download %q begins %q; want page-h2-seed42.qlog, qlog 0.3 JSON", got.Name, got.Head)
	}

	choose(2) // HTTP/3: qlog only
	if err := chromedp.Do(ctx, waitFor(`document.getElementById("download-pcap").disabled && !document.getElementById("download-note").hidden`)); err != nil {
		t.Errorf("HTTP/3 chosen, the pcap button stays enabled or the note hidden: %v", err)
	}
	got = download("download-qlog", 3)
	if got.Name != "page-h3-seed42.qlog" || got.Size < 10_000 {
		t.Errorf("HTTP/3's qlog download %q, %d bytes", got.Name, got.Size)
	}

	// A panel at the scrub time as an SVG figure.
	eval[bool](ctx, t, `(() => { const s = document.getElementById("figure-panel"); s.value = "lanes"; s.dispatchEvent(new Event("change")); return true })()`)
	width := eval[int](ctx, t, `document.getElementById("views").clientWidth`)
	got = download("download-svg", 4)
	if want := nativeFigure(t, query, "lanes", width); got.Size != len(want) || got.FNV != fnv32(want) {
		t.Errorf("the page's figure of the lanes at the end, %d px wide: %d bytes, FNV-1a %08x; the native export's: %d bytes, %08x", width, got.Size, got.FNV, len(want), fnv32(want))
	}
	if !strings.HasPrefix(got.Name, "page-lanes-") || !strings.HasSuffix(got.Name, "ms.svg") || got.Type != "image/svg+xml" || !strings.HasPrefix(got.Head, "<?xml") || strings.Count(got.Name, ".") > 2 {
		t.Errorf("figure download %q, type %q, begins %q; want page-lanes-…ms.svg (to a tenth of a millisecond), an SVG document", got.Name, got.Type, got.Head)
	}
	// The figure's time follows the scrub.
	const jsFigureLabel = `document.querySelector("label[for=figure-panel]").textContent`
	before := eval[string](ctx, t, jsFigureLabel)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("prev")), waitFor(jsFigureLabel+` !== `+fmt.Sprintf("%q", before))); err != nil {
		t.Errorf("after a step back the share box still says %q: %v", before, err)
	}
	screenshot(ctx, t, artifacts, "e2e-download.png")
	checkConsole(t, b.console.finish())
}

// nativeCapture is the pcap file of proto's run of the page query names,
// made natively as `httpsim export --format pcap` makes it.
func nativeCapture(t *testing.T, query, proto string) []byte {
	t.Helper()
	q, _ := url.ParseQuery(query)
	st, notes := ui.ParseState(q)
	if len(notes) != 0 {
		t.Fatalf("ParseState(%s) notices: %v", query, notes)
	}
	s, err := st.Params.Build()
	if err != nil {
		t.Fatal(err)
	}
	s.Protocols = []string{proto}
	c := pcap.ForScenario(s)
	if _, err := scenario.Run(s, scenario.Options{ClientTap: c.Tap}); err != nil {
		t.Fatal(err)
	}
	return c.Bytes()
}

// nativeFigure is the SVG figure of panel at the end of the runs the page
// query names, width px wide, made natively as `httpsim export --format svg`
// makes it.
func nativeFigure(t *testing.T, query, panel string, width int) []byte {
	t.Helper()
	q, _ := url.ParseQuery(query)
	st, _ := ui.ParseState(q)
	s, err := st.Params.Build()
	if err != nil {
		t.Fatal(err)
	}
	res, err := scenario.Run(s, scenario.Options{KeepTrace: true})
	if err != nil {
		t.Fatal(err)
	}
	fig := ui.NewFigure(s, res)
	doc, err := fig.SVG(panel, fig.End(), min(max(width, ui.FigureMinWidth), ui.FigureMaxWidth), ui.LangEN)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func fnv32(b []byte) uint32 {
	h := fnv.New32a()
	h.Write(b)
	return h.Sum32()
}
