package app

import (
	"testing"

	"httpsim/sim/qpack"
)

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
