package app

import (
	"testing"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// rawTable writes the markup go-app would, with every text escaped: header
// values from the wire may hold anything.
func TestRawTableEscapes(t *testing.T) {
	got := app.HTMLString(rawTable("hs-table hs-table-small", []string{"Name", "A&B"}, []rawRow{
		{class: "hs-new", cells: []rawCell{{rowHeader: true, text: "x"}, {class: "hs-mono", text: `<script>"'&`}}},
		{cells: []rawCell{{text: "1"}, {text: ""}}},
	}))
	want := `<table class="hs-table hs-table-small"><thead><tr><th scope="col">Name</th><th scope="col">A&amp;B</th></tr></thead>` +
		`<tbody><tr class="hs-new"><th scope="row">x</th><td class="hs-mono">&lt;script&gt;&#34;&#39;&amp;</td></tr>` +
		`<tr><td>1</td><td></td></tr></tbody></table>`
	if got != want {
		t.Errorf("rawTable =\n%s\nwant\n%s", got, want)
	}
}
