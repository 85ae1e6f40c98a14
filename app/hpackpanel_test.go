package app

import (
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"httpsim/sim/qpack"
)

// Protocols without header compression get one line naming them, not a
// column: the tables of those that have it keep the width.
func TestHPACKPanelColumns(t *testing.T) {
	h1 := HPACKCol{Names: [2]string{"HTTP/1.1", "HTTP/1.1"}}
	h10 := HPACKCol{Names: [2]string{"HTTP/1.0", "HTTP/1.0"}}
	h2 := HPACKCol{Names: [2]string{"HTTP/2", "HTTP/2"}, Applicable: true}
	h3 := HPACKCol{Names: [2]string{"HTTP/3", "HTTP/3"}, Applicable: true, QPACK: true}
	tests := []struct {
		cols      []HPACKCol
		wantCols  int
		wantPlain string // "" when no line is expected
	}{
		{[]HPACKCol{h1, h2, h3}, 2, "HTTP/1.1: header fields travel as plain text"},
		{[]HPACKCol{h10, h1, h2}, 1, "HTTP/1.0, HTTP/1.1: header fields"},
		{[]HPACKCol{h2, h3}, 2, ""},
		{[]HPACKCol{h10, h1}, 0, "Header compression applies to HTTP/2 (HPACK) and HTTP/3 (QPACK)."},
	}
	for _, tt := range tests {
		html := app.HTMLString(&HPACKPanel{Cols: tt.cols, Dir: "resp"})
		names := make([]string, len(tt.cols))
		for i, c := range tt.cols {
			names[i] = c.Names[0]
		}
		if got := strings.Count(html, `class="hs-col"`); got != tt.wantCols {
			t.Errorf("%v: %d columns; want %d", names, got, tt.wantCols)
		}
		hasPlain := strings.Contains(html, `id="hpack-plain"`)
		switch {
		case tt.wantPlain == "" && hasPlain:
			t.Errorf("%v: a plain-text line; want none", names)
		case tt.wantPlain != "" && !strings.Contains(html, tt.wantPlain):
			t.Errorf("%v: HTML lacks %q:\n%s", names, tt.wantPlain, html)
		}
	}
}

// Each QPACK representation is named in both languages with the entry it
// refers to: static index, or the dynamic entry's absolute index.
func TestQPACKRepText(t *testing.T) {
	tests := []struct {
		f      qpack.FieldRecord
		en, zh string
	}{
		{qpack.FieldRecord{Rep: qpack.Indexed, Static: true, Index: 25},
			"indexed field line (static #25)", "索引字段行（静态表 #25）"},
		{qpack.FieldRecord{Rep: qpack.Indexed, Index: 0, Absolute: 7},
			"indexed field line (dynamic #7)", "索引字段行（动态表 #7）"},
		{qpack.FieldRecord{Rep: qpack.IndexedPostBase, Index: 1, Absolute: 9},
			"indexed field line with post-base index (dynamic #9)", "基址后索引字段行（动态表 #9）"},
		{qpack.FieldRecord{Rep: qpack.LiteralNameRef, Static: true, Index: 6, ValueHuffman: true},
			"literal field line with name reference (static #6), Huffman", "带名称引用的字面字段行（静态表 #6），哈夫曼编码"},
		{qpack.FieldRecord{Rep: qpack.LiteralPostBaseNameRef, Index: 0, Absolute: 3, Never: true},
			"literal field line with post-base name reference (dynamic #3), never indexed", "带基址后名称引用的字面字段行（动态表 #3），永不索引"},
		{qpack.FieldRecord{Rep: qpack.LiteralName, NameHuffman: true},
			"literal field line with literal name, Huffman", "带字面名称的字面字段行，哈夫曼编码"},
	}
	for _, tt := range tests {
		if got := qpackRepText(tt.f, LangEN); got != tt.en {
			t.Errorf("qpackRepText(%+v, en) = %q; want %q", tt.f, got, tt.en)
		}
		if got := qpackRepText(tt.f, LangZH); got != tt.zh {
			t.Errorf("qpackRepText(%+v, zh) = %q; want %q", tt.f, got, tt.zh)
		}
	}
}
