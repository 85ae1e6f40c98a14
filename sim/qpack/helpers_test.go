package qpack

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dehex decodes hex written as the RFC does, with spaces and line breaks.
func dehex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func hf(name, value string) Field { return Field{Name: name, Value: value} }

// corpusDir is ../shared/testdata/hpack relative to the module root.
func corpusDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the package directory")
		}
		dir = parent
	}
	c := filepath.Join(dir, "..", "shared", "testdata", "hpack")
	if _, err := os.Stat(c); err != nil {
		t.Fatalf("HPACK corpus missing: %v", err)
	}
	return c
}

// story is one file of the hpack-test-case corpus's raw-data: the header
// lists of one connection, in order.
type story struct {
	file  string
	lists [][]Field
}

// loadStories reads every story of raw-data.
func loadStories(t testing.TB) []story {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(corpusDir(t), "raw-data", "story_*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no stories in raw-data")
	}
	var out []story
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var s struct {
			Cases []struct {
				Headers []map[string]string `json:"headers"`
			} `json:"cases"`
		}
		if err := json.Unmarshal(data, &s); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		st := story{file: filepath.Base(f)}
		for i, c := range s.Cases {
			var list []Field
			for _, h := range c.Headers {
				if len(h) != 1 {
					t.Fatalf("%s case %d: header object with %d keys", f, i, len(h))
				}
				for k, v := range h {
					list = append(list, hf(k, v))
				}
			}
			st.lists = append(st.lists, list)
		}
		out = append(out, st)
	}
	return out
}

// equalFields compares field lists including the Sensitive flag.
func equalFields(a, b []Field) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// plainFields drops the Sensitive flag.
func plainFields(fs []Field) []Field {
	out := make([]Field, len(fs))
	for i, f := range fs {
		out[i] = hf(f.Name, f.Value)
	}
	return out
}

// wantSensitive is fields as a decoder returns them from this encoder: the
// encoder sets the 'N' bit on every field Sensitive reports.
func wantSensitive(fs []Field) []Field {
	out := make([]Field, len(fs))
	for i, f := range fs {
		out[i] = Field{Name: f.Name, Value: f.Value, Sensitive: Sensitive(f)}
	}
	return out
}
