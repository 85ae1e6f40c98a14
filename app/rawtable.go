package app

import (
	"html"
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// rawTable renders a read-only table as one HTML string (go-app's Raw):
// mounting it is one call into the browser instead of several per cell. The
// HPACK panel's tables and the per-resource table have hundreds of cells;
// built element by element they were a tenth of the page's first render in
// the browser's profile, and most of go-app's work on every scrub that
// changes a header block. The markup is the same as go-app would make.
func rawTable(class string, head []string, rows []rawRow) app.UI {
	var b strings.Builder
	b.WriteString(`<table class="`)
	b.WriteString(html.EscapeString(class))
	b.WriteString(`"><thead><tr>`)
	for _, h := range head {
		b.WriteString(`<th scope="col">`)
		b.WriteString(html.EscapeString(h))
		b.WriteString(`</th>`)
	}
	b.WriteString(`</tr></thead><tbody>`)
	for _, r := range rows {
		b.WriteString(`<tr`)
		writeClass(&b, r.class)
		b.WriteString(`>`)
		for _, c := range r.cells {
			tag := "td"
			if c.rowHeader {
				tag = "th"
			}
			b.WriteString(`<` + tag)
			if c.rowHeader {
				b.WriteString(` scope="row"`)
			}
			writeClass(&b, c.class)
			b.WriteString(`>`)
			b.WriteString(html.EscapeString(c.text))
			b.WriteString(`</` + tag + `>`)
		}
		b.WriteString(`</tr>`)
	}
	b.WriteString(`</tbody></table>`)
	return app.Raw(b.String())
}

// rawRow is a table row: its class (may be empty) and cells.
type rawRow struct {
	class string
	cells []rawCell
}

// rawCell is a cell: a row header (th scope=row) or data, with a class.
type rawCell struct {
	rowHeader bool
	class     string
	text      string
}

func writeClass(b *strings.Builder, class string) {
	if class != "" {
		b.WriteString(` class="`)
		b.WriteString(html.EscapeString(class))
		b.WriteString(`"`)
	}
}
