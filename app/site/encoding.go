package site

import (
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
)

// contentTypes maps the extensions a site holds to their media types. The
// table is the server's own rather than the system's, so a response does not
// depend on the machine's mime.types.
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".wasm":        "application/wasm",
	".webmanifest": "application/manifest+json",
	".json":        "application/json",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".ico":         "image/x-icon",
	".txt":         "text/plain; charset=utf-8",
	".xml":         "application/xml",
}

// contentType returns the media type of a file name.
func contentType(name string) string {
	if t, ok := contentTypes[strings.ToLower(path.Ext(name))]; ok {
		return t
	}
	return "application/octet-stream"
}

// compressible reports whether compression is worth trying on a media
// type: text and WebAssembly shrink, PNG is compressed already.
func compressible(ctype string) bool {
	t, _, _ := strings.Cut(ctype, ";")
	switch t {
	case "application/wasm", "application/json", "application/manifest+json",
		"application/xml", "image/svg+xml":
		return true
	}
	return strings.HasPrefix(t, "text/")
}

// codingQ returns the weight the Accept-Encoding field values give a
// content coding known by names (its name and aliases, lower case): its
// own entry's q-value, or failing one, that of "*" (RFC 9110 §12.5.3); -1
// if neither is listed. An invalid weight counts as 0, not a promise to
// decode.
func codingQ(values []string, names ...string) float64 {
	ownQ, anyQ := -1.0, -1.0
	for _, v := range values {
		for _, item := range strings.Split(v, ",") {
			coding, params, _ := strings.Cut(item, ";")
			q := 1.0
			for _, p := range strings.Split(params, ";") {
				k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
				if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
					q = parseQValue(strings.TrimSpace(val))
				}
			}
			switch c := strings.ToLower(strings.TrimSpace(coding)); {
			case slices.Contains(names, c):
				ownQ = max(ownQ, q)
			case c == "*":
				anyQ = max(anyQ, q)
			}
		}
	}
	if ownQ >= 0 {
		return ownQ
	}
	return anyQ
}

// parseQValue reads a weight by its grammar (RFC 9110 §12.4.2: "0" or "1",
// with up to three decimals, at most 1); anything else (NaN, 1e-1, 0.0001)
// is invalid and weighs 0.
func parseQValue(s string) float64 {
	whole, frac, _ := strings.Cut(s, ".")
	valid := (whole == "0" || whole == "1") && len(frac) <= 3
	for _, r := range frac {
		valid = valid && r >= '0' && r <= '9' && (whole == "0" || r == '0')
	}
	if !valid {
		return 0
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0
	}
	return f
}

// encoding is a content coding of a file the server can send.
type encoding struct {
	names []string // its name first, then aliases (RFC 9110 §8.4.1)
	body  []byte
	etag  string
}

// negotiate picks, among a file's encodings, the one to send for the
// Accept-Encoding field values: the acceptable one (weight above 0) the
// client weighs most, the smaller on a tie; nil for the file as it is
// (identity), when the client weighs identity more ("br;q=0.1,
// identity"), or nothing else is acceptable. Identity not listed, nor "*",
// is acceptable but least wanted (RFC 9110 §12.5.3); the server sends it
// even where it is refused, rather than a 406.
func negotiate(values []string, encodings []encoding) *encoding {
	var best *encoding
	// Identity's body is the largest: an encoding weighed the same wins.
	bestQ, bestLen := max(codingQ(values, "identity"), 0), math.MaxInt
	for i := range encodings {
		e := &encodings[i]
		q := codingQ(values, e.names...)
		if q > bestQ || q > 0 && q == bestQ && len(e.body) < bestLen {
			best, bestQ, bestLen = e, q, len(e.body)
		}
	}
	return best
}
