package web

import (
	"fmt"
	"time"
)

// DefaultPage is the built-in "page": a small but real page of 30 resources —
// one HTML document, three stylesheets, four scripts (the largest a 300 KB
// bundle), two web fonts and twenty images, 1.3 MB before compression — on
// www.example.com, with the caching headers a careful
// site sends: the document revalidates (no-cache with an ETag), versioned
// CSS and JS are immutable for a year, images last an hour and carry
// validators, fonts a week. Text is served gzip-compressed; the browser
// sends a 300-byte cookie.
func DefaultPage() *Page {
	const year = 365 * 24 * 3600
	p := &Page{
		Origin:      "www.example.com",
		Cookie:      300,
		Compression: Compression{Encoding: "gzip"},
	}
	add := func(r Resource) int {
		p.Resources = append(p.Resources, r)
		return len(p.Resources) - 1
	}
	doc := add(Resource{URL: "/index.html", Type: HTML, Size: 32_000, Parent: -1, NoCache: true, ETag: true,
		ServerTime: 20 * time.Millisecond})
	// The head: stylesheets and scripts referenced in the first 2 KB.
	css := []int64{60_000, 30_000, 15_000}
	var sheets []int
	for i, size := range css {
		sheets = append(sheets, add(Resource{URL: fmt.Sprintf("/css/style%d.css", i+1), Type: CSS, Size: size,
			Parent: doc, After: 1200 + int64(i)*150, MaxAge: year, ETag: true}))
	}
	for i, size := range []int64{300_000, 150_000, 60_000, 20_000} {
		add(Resource{URL: fmt.Sprintf("/js/app%d.js", i+1), Type: JS, Size: size, Parent: doc,
			After: 1800 + int64(i)*120, MaxAge: year, ETag: true})
	}
	// Fonts and two background images come from the first stylesheet.
	for i := 0; i < 2; i++ {
		add(Resource{URL: fmt.Sprintf("/fonts/text%d.woff2", i+1), Type: Font, Size: 22_000 + int64(i)*6_000,
			Parent: sheets[0], After: AfterParent, MaxAge: 7 * 24 * 3600, ETag: true})
	}
	// Images in the body, found as the document streams in; sizes from a
	// thumbnail to a hero image.
	sizes := []int64{120_000, 48_000, 36_000, 30_000, 26_000, 22_000, 18_000, 15_000, 12_000, 10_000,
		9_000, 8_000, 7_000, 6_000, 5_500, 5_000, 4_500, 4_000}
	for i, size := range sizes {
		add(Resource{URL: fmt.Sprintf("/img/photo%02d.jpg", i+1), Type: Image, Size: size, Parent: doc,
			After: 6_000 + int64(i)*1_400, MaxAge: 3600, ETag: true, LastModified: true})
	}
	for i := 0; i < 2; i++ {
		add(Resource{URL: fmt.Sprintf("/img/bg%d.jpg", i+1), Type: Image, Size: 40_000 - int64(i)*15_000,
			Parent: sheets[0], After: AfterParent, MaxAge: 3600, ETag: true, LastModified: true})
	}
	return p
}
