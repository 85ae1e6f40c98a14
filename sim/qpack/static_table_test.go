package qpack

import (
	"bufio"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// mdRow matches a row of testdata/rfc9204_appendix_a.md.
var mdRow = regexp.MustCompile(`^\|\s*(\d+)\s*\|\s*(\S+)\s*\|(.*)\|\s*$`)

// readMarkdownTable reads the static table from the RFC's Markdown source.
func readMarkdownTable(t *testing.T) []Field {
	t.Helper()
	f, err := os.Open("testdata/rfc9204_appendix_a.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	unescape := strings.NewReplacer(`\*`, `*`, `\'`, `'`)
	var out []Field
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := mdRow.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		if i, _ := strconv.Atoi(m[1]); i != len(out) {
			t.Fatalf("Markdown row %d out of order (want %d)", i, len(out))
		}
		out = append(out, hf(m[2], unescape.Replace(strings.TrimSpace(m[3]))))
	}
	return out
}

// TestStaticTableGenerated checks that static_table.go holds what
// gen_static_table.go derives from the RFC's Markdown source (run `go
// generate` after changing either).
func TestStaticTableGenerated(t *testing.T) {
	want := readMarkdownTable(t)
	if len(want) != 99 || StaticTableLen != 99 {
		t.Fatalf("Markdown table has %d rows, StaticTableLen = %d; want 99 (RFC 9204 Appendix A)", len(want), StaticTableLen)
	}
	for i, w := range want {
		if staticTable[i] != w {
			t.Errorf("staticTable[%d] = %q: %q; want %q: %q", i, staticTable[i].Name, staticTable[i].Value, w.Name, w.Value)
		}
	}
}

// TestStaticTableMatchesRFCText checks every entry against the RFC's text
// rendering, in which long values wrap onto continuation lines at a space
// (which the wrap swallows) or after a hyphen or slash: each entry must be
// the fragments of its row, joined by a space or nothing.
func TestStaticTableMatchesRFCText(t *testing.T) {
	f, err := os.Open("testdata/rfc9204_appendix_a.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cell := regexp.MustCompile(`^\s*\|\s*(\d*)\s*\|\s*(\S*)\s*\|\s*(.*?)\s*\|$`)
	type row struct {
		name  string
		frags []string
	}
	var rows []row
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := cell.FindStringSubmatch(sc.Text())
		if m == nil || m[1] == "" && len(rows) == 0 || m[1] == "Index" {
			continue
		}
		if m[1] == "" { // continuation line
			r := &rows[len(rows)-1]
			if m[2] != "" {
				t.Fatalf("row %d: name wraps: %q", len(rows)-1, sc.Text())
			}
			r.frags = append(r.frags, m[3])
			continue
		}
		if i, _ := strconv.Atoi(m[1]); i != len(rows) {
			t.Fatalf("text row %d out of order (want %d)", i, len(rows))
		}
		rows = append(rows, row{name: m[2], frags: []string{m[3]}})
	}
	if len(rows) != StaticTableLen {
		t.Fatalf("text table has %d rows; want %d", len(rows), StaticTableLen)
	}
	for i, r := range rows {
		e := staticTable[i]
		if r.name != e.Name || !joinsTo(r.frags, e.Value) {
			t.Errorf("static entry %d is %q: %q; the RFC text says %q: %q", i, e.Name, e.Value, r.name, r.frags)
		}
	}
}

// joinsTo reports whether s is frags joined with " " or "" at each break.
func joinsTo(frags []string, s string) bool {
	if !strings.HasPrefix(s, frags[0]) {
		return false
	}
	s = s[len(frags[0]):]
	if len(frags) == 1 {
		return s == ""
	}
	return joinsTo(frags[1:], s) || strings.HasPrefix(s, " ") && joinsTo(frags[1:], s[1:])
}

// TestStaticLookups checks the encoder's maps: every entry is found by
// its name and value, and every name maps to its lowest index.
func TestStaticLookups(t *testing.T) {
	for i, f := range staticTable {
		if got, ok := staticPairs[pair{f.Name, f.Value}]; !ok || int(got) != i {
			t.Errorf("staticPairs[%q: %q] = %d, %v; want %d", f.Name, f.Value, got, ok, i)
		}
		first := i
		for j := range i {
			if staticTable[j].Name == f.Name {
				first = j
				break
			}
		}
		if got := staticNames[f.Name]; int(got) != first {
			t.Errorf("staticNames[%q] = %d; want %d", f.Name, got, first)
		}
	}
	entries := StaticTable()
	if len(entries) != 99 || entries[98].Index != 98 || entries[98].Name != "x-frame-options" || entries[0].Size != len(":authority")+32 {
		t.Errorf("StaticTable() = ...%+v; want 99 entries from index 0", entries[98])
	}
}
