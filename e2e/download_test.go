package e2e

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	ui "httpsim/app"
)

// jsCatchDownloads replaces the page's download helper with one that keeps,
// for each file, its name, media type, size, FNV-1a hash and first bytes;
// window.realDownload keeps the page's own.
const jsCatchDownloads = `(() => {
  window.caught = [];
  window.realDownload = window.httpsimDownload;
  window.httpsimDownload = (name, data, type) => {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    let h = 0x811c9dc5;
    for (const b of bytes) { h ^= b; h = Math.imul(h, 0x01000193) >>> 0; }
    window.caught.push({name, type, size: bytes.length, fnv: h,
      head: new TextDecoder("latin1").decode(bytes.subarray(0, 24))});
  };
  return true;
})()`

// jsWatchBusy records the pcap button's label and aria-busy, and how many
// files had come, at each change to the page that JavaScript gets to see.
const jsWatchBusy = `(() => {
  window.busySeen = [];
  new MutationObserver(() => {
    const b = document.getElementById("download-pcap");
    if (b) window.busySeen.push({text: b.textContent, busy: b.getAttribute("aria-busy") || "", caught: window.caught.length});
  }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
  return true;
})()`

type busyState struct {
	Text, Busy string
	Caught     int
}

type caughtFile struct {
	Name, Type, Head string
	Size             int
	FNV              uint32
}

// TestDownloadARun downloads, from the share box, runs' packets for
// Wireshark and events for qvis, and a panel as a figure, and compares each
// with what `httpsim export` writes for the same page link: the same bytes.
// HTTP/3 offers no pcap. One file is saved for real by Chromium.
func TestDownloadARun(t *testing.T) {
	b := startBrowser(t, 4*time.Minute)
	ctx, srv, artifacts := b.ctx, b.srv, b.artifacts // ctx: the open tab
	cli := buildCLI(t)
	// export is what the CLI writes for the page link query.
	export := func(query string, args ...string) []byte {
		t.Helper()
		cmd := exec.Command(cli, append([]string{"export", "--url", "?" + query, "--out", "-"}, args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("httpsim export --url '?%s' %s: %v\n%s", query, strings.Join(args, " "), err, stderr.String())
		}
		return out
	}
	// Each page link opens in a tab of its own: navigating one tab from
	// lesson to lesson raced Chromium's execution contexts once
	// ("Cannot find context with specified id").
	consoles := []*consoleWatch{b.console}
	opened := 0
	open := func(query string) {
		t.Helper()
		if opened++; opened > 1 {
			tab, closeTab := chromedp.NewContext(b.ctx)
			t.Cleanup(closeTab)
			if err := chromedp.Do(tab, chromedp.Navigate("about:blank")); err != nil {
				t.Fatalf("a new tab: %v", err)
			}
			ctx = tab
			consoles = append(consoles, watchConsole(tab))
		}
		openPage(ctx, t, srv.URL+"/", query)
		eval[bool](ctx, t, jsCatchDownloads)
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("embed-button")), waitFor(`document.getElementById("download-run") !== null`)); err != nil {
			t.Fatalf("%s: opening the share box: %v", query, err)
		}
	}
	choose := func(id, value string) {
		t.Helper()
		eval[bool](ctx, t, fmt.Sprintf(`(() => { const s = document.getElementById(%q); s.value = %q; s.dispatchEvent(new Event("change")); return true })()`, id, value))
	}
	download := func(button string) caughtFile {
		t.Helper()
		n := eval[int](ctx, t, `window.caught.length`) + 1
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID(button)), waitFor(fmt.Sprintf(`window.caught.length >= %d`, n))); err != nil {
			t.Fatalf("clicking #%s: %v", button, err)
		}
		return eval[caughtFile](ctx, t, fmt.Sprintf(`window.caught[%d]`, n-1))
	}
	same := func(what string, got caughtFile, want []byte) {
		t.Helper()
		if got.Size != len(want) || got.FNV != fnv32(want) {
			t.Errorf("%s: the page's file %s has %d bytes, FNV-1a %08x; httpsim export's %d bytes, %08x", what, got.Name, got.Size, got.FNV, len(want), fnv32(want))
		}
	}

	const query = "s=page&loss=3&seed=42&proto=h1,h2,h3"
	open(query)
	choose("download-run", "1") // HTTP/2
	// The page answers the click before it makes the file: the button says
	// so, and the browser gets its turn, before the file comes.
	eval[bool](ctx, t, jsWatchBusy)
	got := download("download-pcap")
	if seen := eval[[]busyState](ctx, t, `window.busySeen`); !slices.Contains(seen, busyState{Text: ui.LangEN.T("share.preparing"), Busy: "true", Caught: 0}) {
		t.Errorf("while the pcap file was made, the button showed %+v; want %q, aria-busy, before the file came", seen, ui.LangEN.T("share.preparing"))
	}
	if got.Name != "page-h2-seed42.pcap" || got.Type != "application/vnd.tcpdump.pcap" {
		t.Errorf("pcap download named %q, type %q; want page-h2-seed42.pcap, application/vnd.tcpdump.pcap", got.Name, got.Type)
	}
	same("HTTP/2's pcap", got, export(query, "--proto", "h2", "--format", "pcap"))
	got = download("download-qlog")
	if got.Name != "page-h2-seed42.qlog" || !strings.HasPrefix(got.Head, `{"qlog_version":"0.3"`) {
		t.Errorf("qlog download %q begins %q; want page-h2-seed42.qlog, qlog 0.3 JSON", got.Name, got.Head)
	}
	same("HTTP/2's qlog", got, export(query, "--proto", "h2", "--format", "qlog"))

	choose("download-run", "2") // HTTP/3: qlog only
	if err := chromedp.Do(ctx, waitFor(`document.getElementById("download-pcap").disabled && !document.getElementById("download-note").hidden`)); err != nil {
		t.Errorf("HTTP/3 chosen, the pcap button stays enabled or the note hidden: %v", err)
	}
	got = download("download-qlog")
	if got.Name != "page-h3-seed42.qlog" {
		t.Errorf("HTTP/3's qlog download is named %q", got.Name)
	}
	same("HTTP/3's qlog", got, export(query, "--proto", "h3", "--format", "qlog"))

	// A panel at the scrub time (the end) as an SVG figure, as wide as the
	// views.
	choose("figure-panel", "lanes")
	width := eval[int](ctx, t, `document.getElementById("views").clientWidth`)
	got = download("download-svg")
	if !strings.HasPrefix(got.Name, "page-lanes-") || !strings.HasSuffix(got.Name, "ms.svg") || got.Type != "image/svg+xml" || !strings.HasPrefix(got.Head, "<?xml") || strings.Count(got.Name, ".") > 2 {
		t.Errorf("figure download %q, type %q, begins %q; want page-lanes-…ms.svg (to a tenth of a millisecond), an SVG document", got.Name, got.Type, got.Head)
	}
	same("the lanes' figure", got, export(query, "--format", "svg", "--panel", "lanes", "--at", "end", "--width", fmt.Sprint(width)))
	// The figure is drawn at the time the scrubber moved to, which does not
	// render the page.
	// Waited for as a time label other than the one before: "any other
	// text" let a moment with no label at all (jsTimeLabel's "") end the
	// wait, and once the label read the end of the run while the figure
	// was drawn at the scrub time.
	before := eval[string](ctx, t, jsTimeLabel)
	if err := chromedp.Do(ctx, setRange("scrubber", 2000), waitFor(fmt.Sprintf(`(l => l !== %q && l.startsWith("t = "))(%s)`, before, jsTimeLabel))); err != nil {
		t.Fatalf("scrubbing: %v", err)
	}
	label := eval[string](ctx, t, jsTimeLabel)
	got = download("download-svg")
	if at := strings.TrimSuffix(strings.TrimPrefix(got.Name, "page-lanes-"), "ms.svg"); at == "" || !strings.Contains(label, "t = "+at+" ms") && !strings.Contains(label, "t = "+at+".0 ms") {
		t.Errorf("after scrubbing to %q the figure is %s", label, got.Name)
	}
	screenshot(ctx, t, artifacts, "e2e-download.png")

	// Cleartext HTTP (port 80) and the migration lesson's new client
	// address: the capture is the CLI's.
	for _, tc := range []struct{ query, view, variant, proto, file string }{
		{"s=keepalive", "0", "http10", "h1", "keepalive-http10-h1-seed1.pcap"},
		{"s=migration", "0", "", "h2", "migration-h2-seed1.pcap"},
	} {
		open(tc.query)
		choose("download-run", tc.view)
		got := download("download-pcap")
		if got.Name != tc.file {
			t.Errorf("%s: view %s's pcap is named %q; want %q", tc.query, tc.view, got.Name, tc.file)
		}
		args := []string{"--proto", tc.proto, "--format", "pcap"}
		if tc.variant != "" {
			args = append(args, "--variant", tc.variant)
		}
		same(tc.query+"'s "+tc.proto+" pcap", got, export(tc.query, args...))
	}

	// Once for real: Chromium saves the file httpsimDownload hands it.
	dir := t.TempDir()
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir,
	}); err != nil {
		t.Fatalf("Browser.setDownloadBehavior: %v", err)
	}
	open(query)
	eval[bool](ctx, t, `(() => { window.httpsimDownload = window.realDownload; return true })()`)
	choose("download-run", "0")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("download-pcap"))); err != nil {
		t.Fatal(err)
	}
	want := export(query, "--proto", "h1", "--format", "pcap")
	saved := filepath.Join(dir, "page-h1-seed42.pcap")
	var data []byte // the last read, whole or not
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if d, err := os.ReadFile(saved); err == nil {
			if data = d; len(d) == len(want) {
				break
			}
		}
	}
	if !bytes.Equal(data, want) {
		entries, _ := os.ReadDir(dir)
		t.Errorf("Chromium saved %d bytes as %s (folder: %v); want httpsim export's %d", len(data), saved, entries, len(want))
	}
	for _, c := range consoles {
		checkConsole(t, c.finish())
	}
}

// buildCLI builds the httpsim command into a temporary folder.
func buildCLI(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "httpsim")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/httpsim")
	cmd.Dir = moduleRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building httpsim: %v\n%s", err, out)
	}
	return bin
}

func fnv32(b []byte) uint32 {
	h := fnv.New32a()
	h.Write(b)
	return h.Sum32()
}
