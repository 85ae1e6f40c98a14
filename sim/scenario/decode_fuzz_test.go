package scenario

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode feeds scenario documents, the library's and mangled ones, to
// Decode: a file from anywhere (an import, a saved entry, a URL) must give
// a scenario that validates, or an error; never a panic or a hang. A
// scenario it accepts encodes and decodes again.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("library", "*.json"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"version": 1, "workload": {"kind": "page", "page": {"resources": [{"url": "/", "type": "html", "size": "1KB", "status": 301, "location": "/"}]}}}`))
	f.Add([]byte(`{"version": 1, "workload": {"kind": "bulk", "duration": "abc"}, "variants": [{"name": "x", "patch": {"workload": {"kind": "page"}}}]}`))
	f.Add([]byte(`{"version": 1, "network": {"edge": {"bypass": true}, "path_changes": [{"at": "1s"}]}, "workload": {"kind": "page"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := Decode(b)
		if err != nil {
			if len(Problems(err)) == 0 {
				t.Fatalf("Decode(%q): an error with no problem in it", b)
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("Decode(%q) accepted a scenario that does not validate: %v", b, err)
		}
		again, err := Encode(s)
		if err != nil {
			t.Fatalf("Encode of a decoded scenario: %v", err)
		}
		if _, err := Decode(again); err != nil {
			t.Fatalf("a decoded scenario, encoded, does not decode: %v\n%s", err, again)
		}
	})
}
