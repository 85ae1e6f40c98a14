package site

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"path"
	"regexp"
	"strings"
)

// asset is one hand-written static file as the site publishes it: under a
// name that carries a hash of its content, so that it can be cached for good
// (a new version is a new URL) and served with Cache-Control: immutable.
type asset struct {
	name      string // name in static/, e.g. "httpsim.css"
	published string // file name in web/, e.g. "httpsim.0123456789.css"
	data      []byte
}

// hashLen is the number of hex digits of SHA-256 in a published name: 40
// bits, plenty to tell a handful of versions of one file apart.
const hashLen = 10

// versionedName matches published names.
var versionedName = regexp.MustCompile(`^[^/]+\.[0-9a-f]{10}\.[A-Za-z0-9]+$`)

// isVersioned reports whether a file name carries a content hash.
func isVersioned(name string) bool { return versionedName.MatchString(path.Base(name)) }

// loadAssets reads the top-level files of fsys, in name order.
func loadAssets(fsys fs.FS) ([]asset, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var out []asset
	for _, e := range entries {
		if e.IsDir() || strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		data, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, asset{name: e.Name(), published: publishedName(e.Name(), data), data: data})
	}
	return out, nil
}

// publishedName inserts the content hash before the extension:
// "draw.js" → "draw.<hash>.js".
func publishedName(name string, data []byte) string {
	sum := sha256.Sum256(data)
	h := hex.EncodeToString(sum[:])[:hashLen]
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + h + ext
}
