// Package static embeds httpsim's hand-written web assets: the style sheet,
// the canvas drawing helper and the icons. The site builder copies them into
// the site's web/ folder, where go-app serves them under /web/.
package static

import "embed"

//go:generate go run gen_icons.go

// FS holds the assets, each at the top level under its own name.
//
//go:embed httpsim.css draw.js icon.svg icon-192.png icon-512.png
var FS embed.FS
