package app

import "github.com/maxence-charriere/go-app/v9/pkg/app"

// painter hands recorded frames to static/draw.js: the command bytes go into
// a Uint8Array it keeps between frames, then one call draws the whole frame,
// on one canvas or on a batch of them.
type painter struct {
	buf  app.Value // a Uint8Array, reused while big enough
	size int
}

// load copies the frame's bytes into the shared buffer.
func (p *painter) load(c *Canvas) int {
	b := c.Encoded()
	if p.buf == nil || p.size < len(b) {
		p.size = (len(b)*3/2 + 4096) &^ 7 // a whole number of float64s
		p.buf = app.Window().Get("Uint8Array").New(p.size)
	}
	app.CopyBytesToJS(p.buf, b)
	return len(b)
}

// paintBatch draws the frame c, whose Target commands index ids, on the
// canvases with those element ids. It does nothing outside a browser.
func (p *painter) paintBatch(ids []string, c *Canvas) {
	if !app.IsClient || len(ids) == 0 {
		return
	}
	n := p.load(c)
	app.Window().Call("httpsimDrawBatch", joinLines(ids), p.buf, n, c.Strings())
}

func joinLines(ss []string) string {
	n := 0
	for _, s := range ss {
		n += len(s) + 1
	}
	b := make([]byte, 0, n)
	for i, s := range ss {
		if i > 0 {
			b = append(b, '\n')
		}
		b = append(b, s...)
	}
	return string(b)
}

// cssSize returns an element's laid-out size in CSS pixels.
func cssSize(el app.Value) (w, h float64) {
	if !app.IsClient || el == nil || !el.Truthy() {
		return 0, 0
	}
	return el.Get("clientWidth").Float(), el.Get("clientHeight").Float()
}
