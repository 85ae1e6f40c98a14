// Command wasm is httpsim's browser entry point. Build it with
//
//	GOOS=js GOARCH=wasm go build -o dist/web/app.wasm ./wasm
//
// and serve it inside the site that `httpsim site` generates.
package main

import (
	"github.com/maxence-charriere/go-app/v9/pkg/app"

	ui "httpsim/app"
)

func main() {
	ui.Register()
	app.RunWhenOnBrowser()
}
