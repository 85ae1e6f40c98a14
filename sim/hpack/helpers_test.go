package hpack

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

// story is one file of the hpack-test-case corpus.
type story struct {
	file  string
	cases []storyCase
}

type storyCase struct {
	Seqno           int                 `json:"seqno"`
	HeaderTableSize *uint32             `json:"header_table_size"`
	Wire            string              `json:"wire"`
	Headers         []map[string]string `json:"headers"`
}

// fields converts the corpus's one-key objects to header fields.
func (c storyCase) fields(t testing.TB) []HeaderField {
	t.Helper()
	out := make([]HeaderField, 0, len(c.Headers))
	for _, h := range c.Headers {
		if len(h) != 1 {
			t.Fatalf("case %d: header object with %d keys", c.Seqno, len(h))
		}
		for k, v := range h {
			out = append(out, HeaderField{Name: k, Value: v})
		}
	}
	return out
}

// loadStories reads every story_*.json of one corpus folder.
func loadStories(t testing.TB, folder string) []story {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(corpusDir(t), folder, "story_*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no stories in %s", folder)
	}
	var out []story
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var s struct {
			Cases []storyCase `json:"cases"`
		}
		if err := json.Unmarshal(data, &s); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, story{file: filepath.Join(folder, filepath.Base(f)), cases: s.Cases})
	}
	return out
}

// equalFields compares header lists including the Sensitive flag.
func equalFields(a, b []HeaderField) bool {
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

// plainFields drops the Sensitive flag, for comparisons with sources that
// do not carry it.
func plainFields(fs []HeaderField) []HeaderField {
	out := make([]HeaderField, len(fs))
	for i, f := range fs {
		out[i] = HeaderField{Name: f.Name, Value: f.Value}
	}
	return out
}
