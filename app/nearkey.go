package app

import (
	"net/url"
	"slices"
	"sort"
	"strings"
)

// queryKeys are every key the page reads from its URL.
func queryKeys() []string {
	keys := []string{qScenario, qPanels, qTime, qLang, qEmbed, qHPACKDir}
	for _, c := range urlControls {
		keys = append(keys, string(c))
	}
	return keys
}

// misspelledKeys returns, for each key of q the page does not read that is
// one typing slip from one it does ("LOSS", "los", "lsos" for "loss"; for
// a key of one or two letters, a difference of case only), or the name of
// a scenario document's control for it ("hpack_table" for "hpack", as
// `httpsim show` lists controls), the pair (slip, key), in the keys'
// order. Other unknown keys are left alone
// without a word: links pick up tracking parameters (fbclid, utm_source)
// that are none of the page's business.
func misspelledKeys(q url.Values) [][2]string {
	known := queryKeys()
	// q is a map: its order is not the page's to show.
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out [][2]string
	for _, k := range keys {
		if slices.Contains(known, k) {
			continue
		}
		if c, ok := controlOfParam[strings.ToLower(k)]; ok {
			out = append(out, [2]string{k, string(c)})
			continue
		}
		for _, want := range known {
			// A key of one or two letters is a slip from too much.
			if strings.EqualFold(k, want) || len(k) >= 3 && oneSlipApart(strings.ToLower(k), want) {
				out = append(out, [2]string{k, want})
				break
			}
		}
	}
	return out
}

// oneSlipApart reports whether a and b are equal or differ by one
// substituted, inserted, deleted or swapped (adjacent) character.
func oneSlipApart(a, b string) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	if len(a)-len(b) > 1 {
		return false
	}
	i := 0
	for i < len(b) && a[i] == b[i] {
		i++
	}
	switch {
	case i == len(b):
		return true // equal, or one appended
	case len(a) > len(b):
		return a[i+1:] == b[i:] // one inserted
	case i+1 < len(b) && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]:
		return true // two swapped
	default:
		return a[i+1:] == b[i+1:] // one substituted
	}
}
