package app

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"httpsim/sim/scenario"
)

// TestFigureDownloadIsTheExport: the share box's figure of a panel at the
// scrub time is the one `httpsim export --format svg` draws (NewFigure of a
// fresh run) for the same settings, time, width and language, and it offers
// only the open panels a figure can draw.
func TestFigureDownloadIsTheExport(t *testing.T) {
	p, _ := mountPage(t, "proto=h1,h2,h3&loss=2&t=700&panels=summary,lanes,hpack,charts&lang=zh")
	p.share = true
	html := app.HTMLString(p.renderShare())
	for want, in := range map[string]bool{`value="lanes"`: true, `value="charts"`: true, `value="hpack"`: false, `value="summary"`: false, `value="ladder"`: false} {
		if strings.Contains(html, want) != in {
			t.Errorf("figure panels: %s offered = %v; want %v", want, !in, in)
		}
	}

	s, err := p.ran.Build()
	if err != nil {
		t.Fatal(err)
	}
	res, err := scenario.Run(s, scenario.Options{KeepTrace: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, panel := range []string{"lanes", "charts"} {
		got, err := p.figureFile(panel, 900)
		if err != nil {
			t.Fatalf("figureFile(%s) = %v", panel, err)
		}
		want, err := NewFigure(s, res).SVG(panel, 700*time.Millisecond, 900, LangZH)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.data, want) {
			t.Errorf("%s: the page's figure (%d bytes) is not the export's (%d bytes)", panel, len(got.data), len(want))
		}
		if got.name != "page-"+panel+"-700ms.svg" || got.mime != "image/svg+xml" {
			t.Errorf("%s: file %q, %s", panel, got.name, got.mime)
		}
	}
	if f, err := p.figureFile("lanes", 10); err != nil || !bytes.Contains(f.data, []byte(`width="300"`)) {
		t.Errorf("figureFile(lanes, 10 px) = %v; want the narrowest figure, 300 px", err)
	}
}
