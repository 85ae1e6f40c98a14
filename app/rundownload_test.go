package app

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"httpsim/sim/pcap"
)

// TestDownloadIsTheRunOnScreen downloads every run of a few settings in
// each format it comes in and checks that the file holds that run (the same
// trace hash as the page's column) in a form Wireshark and qvis read.
func TestDownloadIsTheRunOnScreen(t *testing.T) {
	lossy := lossyParams()
	handshakes := DefaultParams()
	handshakes.Scenario = "handshakes"
	migration := DefaultParams()
	migration.Scenario = "migration"
	for _, p := range []Params{DefaultParams(), lossy, handshakes, migration} {
		_, res, views := runViews(t, p)
		if len(res.Runs) == 0 {
			t.Fatalf("%s: no runs", p.Scenario)
		}
		for i, run := range res.Runs {
			formats := []string{formatQlog}
			if run.Proto != "h3" {
				formats = append(formats, formatPcap)
			}
			for _, format := range formats {
				f, err := downloadRun(p, views[i].summary.Variant, run.Proto, format)
				if err != nil {
					t.Fatalf("downloadRun(%s, %q, %s, %s) = %v", p.Scenario, run.Variant, run.Proto, format, err)
				}
				if f.hash != run.TraceHash {
					t.Errorf("%s %q %s %s: downloaded run's hash %s; the page's column shows %s", p.Scenario, run.Variant, run.Proto, format, f.hash, run.TraceHash)
				}
				if !strings.HasSuffix(f.name, "-"+run.Proto+"-seed"+strconv.FormatUint(res.Seed, 10)+"."+format) || !strings.HasPrefix(f.name, p.Scenario+"-") {
					t.Errorf("%s %q %s: file name %q", p.Scenario, run.Variant, run.Proto, f.name)
				}
				switch format {
				case formatPcap:
					file, err := pcap.Read(f.data)
					if err != nil {
						t.Fatalf("%s: pcap.Read = %v", f.name, err)
					}
					// A TCP handshake at least: SYN, SYN-ACK, ACK.
					if len(file.Records) < 3 {
						t.Errorf("%s: %d packets", f.name, len(file.Records))
					}
				case formatQlog:
					var q struct {
						Version string `json:"qlog_version"`
						Title   string
						Traces  []struct {
							Events []json.RawMessage
						}
					}
					if err := json.Unmarshal(f.data, &q); err != nil {
						t.Fatalf("%s: %v", f.name, err)
					}
					if q.Version != "0.3" || len(q.Traces) != 2 || len(q.Traces[0].Events) == 0 || !strings.Contains(q.Title, ", "+run.Proto+", seed ") {
						t.Errorf("%s: qlog_version %q, title %q, %d traces", f.name, q.Version, q.Title, len(q.Traces))
					}
				}
			}
		}
	}
}

// TestDownloadRefusals: what cannot be written says why.
func TestDownloadRefusals(t *testing.T) {
	bulk := DefaultParams()
	bulk.Scenario = "bulk"
	tests := []struct {
		name                   string
		p                      Params
		variant, proto, format string
		want                   string
	}{
		{"h3 pcap", DefaultParams(), "", "h3", formatPcap, "download the qlog file"},
		{"bulk", bulk, "", "h1", formatQlog, "only a page's runs"},
		{"variant", DefaultParams(), "nope", "h2", formatQlog, `no variant "nope"`},
		{"format", DefaultParams(), "", "h2", "har", `format "har"`},
	}
	for _, tt := range tests {
		_, err := downloadRun(tt.p, tt.variant, tt.proto, tt.format)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: downloadRun = %v; want an error saying %q", tt.name, err, tt.want)
		}
	}
}

// TestShareBoxOffersEachRun: the share box lists every column's run, offers
// pcap for TCP runs only, and has nothing to offer for a bulk transfer.
func TestShareBoxOffersEachRun(t *testing.T) {
	p, _ := mountPage(t, "proto=h1,h2,h3&loss=2")
	p.share = true
	html := app.HTMLString(p.renderShare())
	for _, want := range []string{`id="download-run"`, ">HTTP/1.1<", ">HTTP/2<", ">HTTP/3<", `id="download-qlog"`, LangEN.T("share.pcap")} {
		if !strings.Contains(html, want) {
			t.Errorf("share box has no %s", want)
		}
	}
	pcapButton := regexp.MustCompile(`<button[^>]*id="download-pcap"[^>]*>`)
	// HTMLString writes a true boolean attribute bare, a false one as
	// "false".
	set := func(attr, tag string) bool {
		return regexp.MustCompile(`\s` + attr + `(\s|>|="true")`).MatchString(tag)
	}
	if b := pcapButton.FindString(html); b == "" || set("disabled", b) || strings.Contains(b, "describedby") {
		t.Errorf("HTTP/1.1 chosen, pcap button %q; want it enabled, without the note on HTTP/3", b)
	}
	p.dlView = 2 // HTTP/3
	html = app.HTMLString(p.renderShare())
	if b := pcapButton.FindString(html); !set("disabled", b) || !strings.Contains(b, `aria-describedby="download-note"`) {
		t.Errorf("HTTP/3 chosen, pcap button %q; want it disabled, described by the note", b)
	}
	if note := regexp.MustCompile(`<p[^>]*id="download-note"[^>]*>`).FindString(html); note == "" || set("hidden", note) {
		t.Errorf("HTTP/3 chosen, the share box does not say why there is no pcap")
	}

	bulk, _ := mountPage(t, "s=bulk")
	bulk.share = true
	if html := app.HTMLString(bulk.renderShare()); strings.Contains(html, `id="download-run"`) {
		t.Errorf("a bulk transfer's share box offers a run download")
	}
}

// A run download is made after the click has been answered: the clicked
// button says the file is being prepared and both wait, a second click
// meanwhile makes nothing more, and the buttons come back when it is done,
// or with the error said when it fails.
func TestRunDownloadSaysItIsPreparing(t *testing.T) {
	p, d := mountPage(t, "proto=h1,h2,h3&loss=2")
	p.share = true
	button := func(html, id string) string {
		return regexp.MustCompile(`<button[^>]*id="` + id + `"[^>]*>[^<]*`).FindString(html)
	}
	// HTMLString writes a true attribute bare; the browser gets "true".
	disabled := regexp.MustCompile(`\sdisabled(\s|>|="true")`)
	busy := regexp.MustCompile(`\saria-busy(\s|>|="true")`)

	p.onDownloadRun(formatQlog)(p.ctx, app.Event{})
	p.onDownloadRun(formatPcap)(p.ctx, app.Event{}) // ignored: one at a time
	if p.dlBusy != formatQlog {
		t.Fatalf("after clicking qlog then pcap, busy with %q; want qlog", p.dlBusy)
	}
	html := app.HTMLString(p.renderShare())
	q, pc := button(html, "download-qlog"), button(html, "download-pcap")
	if !strings.HasSuffix(q, LangEN.T("share.preparing")) || !busy.MatchString(q) || !disabled.MatchString(q) {
		t.Errorf("while preparing, the qlog button is %q; want it disabled, busy, saying %q", q, LangEN.T("share.preparing"))
	}
	if !strings.HasSuffix(pc, LangEN.T("share.pcap")) || !disabled.MatchString(pc) || busy.MatchString(pc) {
		t.Errorf("while the qlog file is prepared, the pcap button is %q; want it disabled, with its own label", pc)
	}
	waitPage(t, d, func() bool { return p.dlBusy == "" })
	html = app.HTMLString(p.renderShare())
	if q := button(html, "download-qlog"); disabled.MatchString(q) || busy.MatchString(q) || !strings.HasSuffix(q, LangEN.T("share.qlog")) || p.message.Key != "" {
		t.Errorf("once made, the qlog button is %q and the page says %v; want it enabled, labelled again, no message", q, p.message)
	}

	p.dlView = 2 // HTTP/3: no capture; the button is disabled, but say it
	p.onDownloadRun(formatPcap)(p.ctx, app.Event{})
	waitPage(t, d, func() bool { return p.dlBusy == "" })
	if p.message.Key != "share.dlerror" || !p.msgErr {
		t.Errorf("an HTTP/3 pcap says %+v; want share.dlerror as an error", p.message)
	}
}
