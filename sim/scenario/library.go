package scenario

import (
	"embed"
	"encoding/json"
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

// Summary is what a list of scenarios shows of one.
type Summary struct {
	Name               string
	Title, Explanation Text
	// Workload is WorkloadBulk, WorkloadPage or WorkloadUpdates.
	Workload string
	Controls []Control
	// Variants is the number of variants run side by side.
	Variants int
}

// SummaryOf summarises a scenario.
func SummaryOf(s *Scenario) Summary {
	return Summary{Name: s.Name, Title: s.Title, Explanation: s.Explanation, Workload: s.Workload,
		Controls: s.Controls, Variants: len(s.Variants)}
}

// BuiltinSummary is SummaryOf(Builtin(name)), but reads a library document
// for those fields only. Decoding a document whole (the shape check, every
// variant as a merge patch) is what a run needs; a scenario picker lists all
// of them at once, and in a browser that has not yet optimised the JSON
// decoder, decoding the library whole took about 390 ms of the page's first
// render. The library's documents are checked whole by the tests.
func BuiltinSummary(name string) (Summary, error) {
	for _, b := range builtins {
		if b.name == name {
			return SummaryOf(b.make()), nil
		}
	}
	doc, ok := LibraryDocument(name)
	if !ok {
		_, err := Builtin(name) // the error that names the choices
		return Summary{}, err
	}
	var head struct {
		Name        string `json:"name"`
		Title       *Text  `json:"title"`
		Explanation *Text  `json:"explanation"`
		Workload    struct {
			Kind string `json:"kind"`
		} `json:"workload"`
		Controls []Control         `json:"controls"`
		Variants []json.RawMessage `json:"variants"`
	}
	if err := json.Unmarshal(doc, &head); err != nil {
		return Summary{}, fmt.Errorf("built-in scenario %s: %w", name, err)
	}
	sum := Summary{Name: head.Name, Workload: head.Workload.Kind, Controls: head.Controls, Variants: len(head.Variants)}
	if head.Title != nil {
		sum.Title = *head.Title
	}
	if head.Explanation != nil {
		sum.Explanation = *head.Explanation
	}
	return sum, nil
}
