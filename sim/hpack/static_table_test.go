package hpack

import (
	"bytes"
	"testing"

	xhpack "golang.org/x/net/http2/hpack"
)

// TestStaticTableMatchesXNet checks each static entry against x/net's
// encoder, which represents an exact static match as an indexed field
// (RFC 7541 §6.1): one octet, 0x80 | index. Entries with an empty value
// are checked with x/net's choice of name index for a literal.
func TestStaticTableMatchesXNet(t *testing.T) {
	if StaticTableLen != 61 {
		t.Fatalf("StaticTableLen = %d; want 61 (RFC 7541 Appendix A)", StaticTableLen)
	}
	for i, f := range staticTable {
		idx := i + 1
		var buf bytes.Buffer
		enc := xhpack.NewEncoder(&buf)
		enc.SetMaxDynamicTableSize(0) // no indexing: the static table alone
		if err := enc.WriteField(xhpack.HeaderField{Name: f.Name, Value: f.Value}); err != nil {
			t.Fatal(err)
		}
		got := buf.Bytes()
		// x/net prefixes a size update 0 (0x20) when the size changed.
		got = bytes.TrimPrefix(got, []byte{0x20})
		if len(got) == 1 && got[0] == 0x80|byte(idx) {
			continue
		}
		// Several names have entries with and without values; x/net may
		// prefer another exact match, which must hold the same field.
		if len(got) == 1 && got[0]&0x80 != 0 {
			j := int(got[0] & 0x7f)
			if j >= 1 && j <= StaticTableLen && staticTable[j-1] == f {
				continue
			}
		}
		t.Errorf("static entry %d %q: %q: x/net encodes it as %x; want %x", idx, f.Name, f.Value, got, []byte{0x80 | byte(idx)})
	}
}

// TestStaticLookup checks staticLookup against a model built with maps:
// every (name, value) of the static table finds its own index, every name
// its lowest index, and other names and values find nothing.
func TestStaticLookup(t *testing.T) {
	pairs := make(map[[2]string]int)
	names := make(map[string]int)
	for i, f := range staticTable {
		pairs[[2]string{f.Name, f.Value}] = i + 1
		if _, ok := names[f.Name]; !ok {
			names[f.Name] = i + 1
		}
	}
	tests := []struct{ name, value string }{
		{"", ""}, {"x-custom", "1"}, {":status", "201"}, {":method", "PUT"},
		{"accept-encoding", "br"}, {"access-control-allow-originx", ""},
		{"Accept", ""}, {"cookie", "a=b"},
	}
	for _, f := range staticTable {
		tests = append(tests, struct{ name, value string }{f.Name, f.Value})
		tests = append(tests, struct{ name, value string }{f.Name, f.Value + "x"})
	}
	for _, tt := range tests {
		both, nameOnly := staticLookup(tt.name, tt.value)
		wantBoth, wantName := pairs[[2]string{tt.name, tt.value}], names[tt.name]
		if wantBoth > 0 {
			wantName = wantBoth
		}
		if both != wantBoth || nameOnly != wantName {
			t.Errorf("staticLookup(%q, %q) = %d, %d; want %d, %d", tt.name, tt.value, both, nameOnly, wantBoth, wantName)
		}
	}
}
