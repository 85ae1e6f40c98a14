package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// painter hands recorded frames to static/draw.js: the command bytes go into
// a Uint8Array it keeps between frames, then one call to httpsimDraw draws the
// whole frame. One painter serves one canvas.
type painter struct {
	buf  app.Value // a Uint8Array, reused while big enough
	size int
}

// paint draws the frame c on canvas (an HTMLCanvasElement). It does nothing
// outside a browser, where there is nothing to draw on.
func (p *painter) paint(canvas app.Value, c *Canvas) {
	if !app.IsClient || canvas == nil || !canvas.Truthy() {
		return
	}
	b := c.Encoded()
	if p.buf == nil || p.size < len(b) {
		p.size = (len(b)*3/2 + 4096) &^ 7 // a whole number of float64s
		p.buf = app.Window().Get("Uint8Array").New(p.size)
	}
	app.CopyBytesToJS(p.buf, b)
	app.Window().Call("httpsimDraw", canvas, p.buf, len(b), c.Strings())
}

// cssSize returns an element's laid-out size in CSS pixels.
func cssSize(el app.Value) (w, h float64) {
	if !app.IsClient || el == nil || !el.Truthy() {
		return 0, 0
	}
	return el.Get("clientWidth").Float(), el.Get("clientHeight").Float()
}
