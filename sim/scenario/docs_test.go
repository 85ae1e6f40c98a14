package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocumentedExampleRuns keeps docs/scenarios.md honest: its complete
// example decodes and runs, and its sample problems are what Decode says.
func TestDocumentedExampleRuns(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "scenarios.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start := strings.Index(text, "## A complete example")
	block := text[start:]
	block = block[strings.Index(block, "```json")+len("```json"):]
	block = block[:strings.Index(block, "```")]
	s, err := Decode([]byte(block))
	if err != nil {
		t.Fatalf("the documented example does not decode:\n%s", strings.Join(Problems(err), "\n"))
	}
	r, err := Run(s, Options{})
	if err != nil || len(r.Runs) != 2 || r.Runs[0].PLT < 0 || r.Runs[1].PLT < 0 {
		t.Fatalf("the documented example did not run: %v %+v", err, r)
	}
	if s.Title.In("zh") == "" || s.Explanation.In("en") == "" {
		t.Error("the example lost its title or explanation")
	}
	t.Logf("example: h1 PLT %v, h2 PLT %v (h2 HoL %v)", r.Runs[0].PLT, r.Runs[1].PLT, r.Runs[1].HOL)
}
