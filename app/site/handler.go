package site

import (
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// Colours of the installed app, matching static/httpsim.css.
const (
	themeColor      = "#1d3557"
	backgroundColor = "#ffffff"
)

// wasmLengthHeader names the response header that carries app.wasm's
// decoded size when it is sent compressed, so go-app's loader can show
// progress against the bytes it actually counts (Content-Length then counts
// compressed bytes). Hosts that do not send it fall back to Content-Length.
const wasmLengthHeader = "X-Decoded-Content-Length"

// newHandler describes httpsim's page to go-app: names, icons, styles and
// scripts, all on the site's own origin. version must change whenever any
// file of the site does, or browsers keep the old site from their service
// worker cache. base is the URL path the site is served under ("/" or
// "/some/path/"); asset maps a static asset's name to its published path.
func newHandler(version, base string, asset func(name string) string) *app.Handler {
	var res app.ResourceProvider
	if p := strings.Trim(base, "/"); p == "" {
		// CustomProvider("", "/") would produce "//web/app.wasm", a
		// protocol-relative URL that points at a host named "web".
		res = app.LocalDir("")
	} else {
		res = app.CustomProvider("", p)
	}
	return &app.Handler{
		Name:        "httpsim",
		ShortName:   "httpsim",
		Title:       "httpsim: HTTP over TCP and QUIC, simulated",
		Description: "A deterministic simulator of HTTP/1.1, HTTP/2 and HTTP/3 over TCP and QUIC, for teachers and students of computer networking.",
		Author:      "The httpsim authors",
		Keywords:    []string{"HTTP", "TCP", "QUIC", "congestion control", "head-of-line blocking", "simulation", "networking course"},
		Lang:        "en",
		Icon: app.Icon{
			Default:    asset("icon-192.png"),
			Large:      asset("icon-512.png"),
			SVG:        asset("icon.svg"),
			AppleTouch: asset("icon-192.png"),
		},
		BackgroundColor: backgroundColor,
		ThemeColor:      themeColor,
		LoadingLabel:    "Loading httpsim… {progress}%",
		Styles:          []string{asset("httpsim.css")},
		Scripts:         []string{asset("draw.js")},
		// go-app's service worker caches the PNG icons but not the SVG
		// one the page links: offline, the browser asked for it in vain.
		CacheableResources:      []string{asset("icon.svg")},
		Resources:               res,
		Version:                 version,
		WasmContentLengthHeader: wasmLengthHeader,
		// Fonts, Preconnect, Image and AutoUpdateInterval stay empty: the
		// page uses system fonts and makes no request off its origin.
	}
}
