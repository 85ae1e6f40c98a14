package scenario

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// DuplicateKey returns the path of the first member name that appears twice
// in one object of the JSON text b, "" if none. RFC 8259 §4 says names
// "SHOULD be unique" and leaves a repeat's meaning to the reader;
// encoding/json keeps the last, so {"size": "1MB", "size": "2MB"} ran 2 MB
// without a word. b must be valid JSON.
func DuplicateKey(b []byte) string {
	d := json.NewDecoder(bytes.NewReader(b))
	var walk func(path string) string
	walk = func(path string) string {
		t, err := d.Token()
		if err != nil {
			return ""
		}
		switch t {
		case json.Delim('{'):
			seen := map[string]bool{}
			for d.More() {
				k, err := d.Token()
				if err != nil {
					return ""
				}
				name, _ := k.(string)
				p := join(path, OneLine(name))
				if seen[name] {
					return p
				}
				seen[name] = true
				if dup := walk(p); dup != "" {
					return dup
				}
			}
			d.Token() // '}'
		case json.Delim('['):
			for i := 0; d.More(); i++ {
				if dup := walk(fmt.Sprintf("%s[%d]", path, i)); dup != "" {
					return dup
				}
			}
			d.Token() // ']'
		}
		return ""
	}
	return walk("")
}
