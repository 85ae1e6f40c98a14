package scenario

import (
	"embed"
	"fmt"
	"path"
	"sort"
	"strings"
)

// library holds the built-in lesson scenarios as scenario documents, one
// file each, named NN-name.json so that they list in course order.
//
//go:embed library/*.json
var library embed.FS

// libraryFiles lists the library's files in order.
func libraryFiles() []string {
	entries, err := library.ReadDir("library")
	if err != nil {
		panic(err) // embedded at build time
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

// libraryName is the scenario name of a library file: "03-six-vs-one.json"
// → "six-vs-one".
func libraryName(file string) string {
	name := strings.TrimSuffix(file, path.Ext(file))
	if i := strings.IndexByte(name, '-'); i > 0 {
		return name[i+1:]
	}
	return name
}

// fromLibrary decodes the library scenario called name.
func fromLibrary(name string) (*Scenario, bool, error) {
	for _, f := range libraryFiles() {
		if libraryName(f) != name {
			continue
		}
		b, err := library.ReadFile("library/" + f)
		if err != nil {
			return nil, true, err
		}
		s, err := Decode(b)
		if err != nil {
			return nil, true, fmt.Errorf("built-in scenario %s: %w", name, err)
		}
		if s.Name != name {
			return nil, true, fmt.Errorf("built-in scenario %s: its document is named %q", name, s.Name)
		}
		return s, true, nil
	}
	return nil, false, nil
}

// LibraryDocument returns the document text of a library scenario, as
// shipped (for `httpsim show --json` and for people to copy).
func LibraryDocument(name string) ([]byte, bool) {
	for _, f := range libraryFiles() {
		if libraryName(f) == name {
			b, err := library.ReadFile("library/" + f)
			return b, err == nil
		}
	}
	return nil, false
}
