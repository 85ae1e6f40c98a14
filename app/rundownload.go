package app

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"httpsim/qlog"
	"httpsim/sim/pcap"
	"httpsim/sim/scenario"
)

// runFile is a file the page saves for another tool: one protocol's run as
// a capture on the client for Wireshark or a qlog file for qvis, or a panel
// as an SVG figure; what `httpsim export` writes for the same settings.
type runFile struct {
	name, mime string
	data       []byte
	// hash is a run's trace hash: the same as the summary's for the
	// column it was made from, since a run is a function of its settings.
	hash string
}

// Download formats.
const (
	formatPcap = "pcap"
	formatQlog = "qlog"
)

// downloadRun runs again, alone, the run of p that a column of the page
// shows (its protocol, and its variant, "" if none), keeping what the
// format needs, and returns it as a file. A run is deterministic, so this is
// the run on screen; running it again keeps the page's own runs free of the
// capture's cost.
func downloadRun(p Params, variant, proto, format string) (runFile, error) {
	if format != formatPcap && format != formatQlog {
		return runFile{}, fmt.Errorf("format %q: use pcap or qlog", format)
	}
	s, err := p.Build()
	if err != nil {
		return runFile{}, err
	}
	seed := s.Seed
	title := TitleOf(s, LangEN)
	if variant != "" {
		var found *scenario.Scenario
		for _, v := range s.Variants {
			if v.Name == variant {
				found = v.Scenario
			}
		}
		if found == nil {
			return runFile{}, fmt.Errorf("scenario %q has no variant %q", s.Name, variant)
		}
		s = found
	}
	if s.Workload != scenario.WorkloadPage {
		return runFile{}, fmt.Errorf("scenario %q: only a page's runs (HTTP over h1, h2 or h3) can be downloaded", s.Name)
	}
	if format == formatPcap && proto == "h3" {
		return runFile{}, errors.New("h3 runs over QUIC: a pcap file holds the TCP runs (h1, h2); download the qlog file for QUIC")
	}
	one := *s
	one.Protocols = []string{proto}
	one.Variants = nil
	opt := scenario.Options{KeepTrace: format == formatQlog}
	var capture *pcap.Capture
	if format == formatPcap {
		capture = pcap.ForScenario(&one)
		opt.ClientTap = capture.Tap
	}
	res, err := scenario.Run(&one, opt)
	if err != nil {
		return runFile{}, err
	}
	if len(res.Runs) != 1 {
		return runFile{}, fmt.Errorf("scenario %q: no %s run to download", s.Name, proto)
	}
	run := res.Runs[0]
	stem := fileStem(s.Name) + "-" + proto
	if variant != "" {
		stem = fileStem(s.Name) + "-" + fileStem(variant) + "-" + proto
	}
	stem += "-seed" + strconv.FormatUint(seed, 10)
	if format == formatPcap {
		// application/vnd.tcpdump.pcap is the media type registered with
		// IANA for libpcap files (as tcpdump's manual page says).
		return runFile{name: stem + ".pcap", mime: "application/vnd.tcpdump.pcap", data: capture.Bytes(), hash: run.TraceHash}, nil
	}
	q, err := qlog.Export(run, qlog.Options{
		Title:       qlog.Title(title, proto, seed),
		Description: qlog.Description(&one, run),
		ConnIDLen:   one.QUIC.ConnIDLen,
	})
	if err != nil {
		return runFile{}, err
	}
	var b bytes.Buffer
	if _, err := q.WriteTo(&b); err != nil {
		return runFile{}, err
	}
	return runFile{name: stem + ".qlog", mime: "application/json", data: b.Bytes(), hash: run.TraceHash}, nil
}

// renderRunDownload is the share box's choice of a run to download, with a
// button for each format it comes in; nothing for runs that are not a
// page's (a bulk transfer, the updates lesson), which the exporters do not
// cover.
func (c *Page) renderRunDownload() app.UI {
	l := c.st.Lang
	e, _ := LibraryLookup(c.ran.Scenario)
	if !c.has || !e.Page || len(c.views) == 0 {
		return app.Div().ID("run-download").Hidden(true)
	}
	if c.dlView >= len(c.views) {
		c.dlView = 0
	}
	opts := make([]app.UI, len(c.views))
	for i, v := range c.views {
		opts[i] = app.Option().Value(strconv.Itoa(i)).Selected(i == c.dlView).Text(v.names[l])
	}
	quic := c.views[c.dlView].proto == "h3"
	note := app.P().ID("download-note").Class("hs-note").Hidden(!quic).Text(l.T("share.nopcap"))
	// While a file is being made, both buttons wait, and the one clicked
	// says so (aria-busy for screen readers).
	label := func(format, key string) string {
		if c.dlBusy == format {
			return l.T("share.preparing")
		}
		return l.T(key)
	}
	busy := c.dlBusy != ""
	pcapButton := app.Button().ID("download-pcap").Type("button").Disabled(quic || busy).
		Aria("busy", strconv.FormatBool(c.dlBusy == formatPcap)).
		Text(label(formatPcap, "share.pcap")).OnClick(c.onDownloadRun(formatPcap))
	if quic {
		// Only then: a hidden note still describes what refers to it.
		pcapButton = pcapButton.Aria("describedby", "download-note")
	}
	return app.Div().ID("run-download").Class("hs-row").Body(
		app.Label().For("download-run").Class("hs-control-label").Text(l.T("share.runs")),
		app.Select().ID("download-run").OnChange(c.onDownloadView).Body(opts...),
		pcapButton,
		app.Button().ID("download-qlog").Type("button").Disabled(busy).
			Aria("busy", strconv.FormatBool(c.dlBusy == formatQlog)).
			Text(label(formatQlog, "share.qlog")).OnClick(c.onDownloadRun(formatQlog)),
		note,
	)
}

func (c *Page) onDownloadView(ctx app.Context, e app.Event) {
	if i, err := strconv.Atoi(ctx.JSSrc().Get("value").String()); err == nil && i >= 0 && i < len(c.views) {
		c.dlView = i
	}
}

// onDownloadRun saves the chosen view's run as a file in format. The run
// is made again, off the UI goroutine, after the button has said so on
// screen: one protocol's run of a page takes a few milliseconds to a
// quarter of a second in the browser (the migration lesson's HTTP/2 qlog,
// 4.5 MB), too long to leave a click without an answer.
func (c *Page) onDownloadRun(format string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		if !c.has || c.dlView >= len(c.views) || c.dlBusy != "" {
			return
		}
		v := c.views[c.dlView]
		p, variant, proto := c.ran, v.summary.Variant, v.proto
		c.dlBusy = format
		// go-app renders at its next frame, after which deferred work
		// runs; the browser paints that after its next animation frame.
		ctx.Defer(func(ctx app.Context) {
			ctx.Async(func() {
				waitForPaint()
				f, err := downloadRun(p, variant, proto, format)
				ctx.Dispatch(func(ctx app.Context) {
					c.dlBusy = ""
					if err != nil {
						c.setMessage(Notice{Key: "share.dlerror", Args: []string{err.Error()}}, true)
						return
					}
					// Still within the click's user activation (Chromium
					// allows a download for seconds after it).
					f.save()
				})
			})
		})
	}
}

// save hands the file to the browser to save, as bytes (draw.js's
// httpsimDownload).
func (f runFile) save() {
	if app.IsClient {
		data := app.Window().Get("Uint8Array").New(len(f.data))
		app.CopyBytesToJS(data, f.data)
		app.Window().Call("httpsimDownload", f.name, data, f.mime)
	}
}
