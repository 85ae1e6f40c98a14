//go:build ignore

// gen_icons renders icon-192.png and icon-512.png, the PNG forms of icon.svg
// that web app manifests and apple-touch-icon need. Run it with
// `go generate ./static` after changing the design; the output is
// deterministic, so regenerating an unchanged design changes no byte.
package main

import (
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
	"strconv"
)

// The design of icon.svg, in its 64×64 coordinate system.
var (
	background = color.NRGBA{0x1d, 0x35, 0x57, 0xff}
	ink        = color.NRGBA{0xf1, 0xfa, 0xee, 0xff}
	lost       = color.NRGBA{0xe6, 0x39, 0x46, 0xff}
)

type segment struct {
	x1, y1, x2, y2 float64
	c              color.NRGBA
}

var segments = []segment{
	{14, 10, 14, 54, ink},
	{50, 10, 50, 54, ink},
	{14, 14, 50, 22, ink},
	{50, 26, 14, 34, ink},
	{50, 38, 32, 42, lost},
}

const (
	radius    = 12.0 // corner radius of the background
	halfWidth = 2.0  // half the stroke width
	samples   = 4    // supersampling per axis, for anti-aliasing
)

func main() {
	for _, size := range []int{192, 512} {
		if err := write(size); err != nil {
			log.Fatal(err)
		}
	}
}

func write(size int) error {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	scale := 64 / float64(size)
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var r, g, b, a float64
			for sy := 0; sy < samples; sy++ {
				for sx := 0; sx < samples; sx++ {
					x := (float64(px) + (float64(sx)+0.5)/samples) * scale
					y := (float64(py) + (float64(sy)+0.5)/samples) * scale
					c, ok := colorAt(x, y)
					if !ok {
						continue
					}
					r += float64(c.R)
					g += float64(c.G)
					b += float64(c.B)
					a++
				}
			}
			if a == 0 {
				continue
			}
			img.SetNRGBA(px, py, color.NRGBA{
				R: uint8(math.Round(r / a)),
				G: uint8(math.Round(g / a)),
				B: uint8(math.Round(b / a)),
				A: uint8(math.Round(a * 255 / samples / samples)),
			})
		}
	}
	f, err := os.Create("icon-" + strconv.Itoa(size) + ".png")
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// colorAt is the colour of the design at (x, y), and false outside the
// rounded square. Later segments paint over earlier ones, as in SVG.
func colorAt(x, y float64) (color.NRGBA, bool) {
	if !insideRoundedSquare(x, y) {
		return color.NRGBA{}, false
	}
	c := background
	for _, s := range segments {
		if distToSegment(x, y, s) <= halfWidth {
			c = s.c
		}
	}
	return c, true
}

func insideRoundedSquare(x, y float64) bool {
	cx := math.Min(math.Max(x, radius), 64-radius)
	cy := math.Min(math.Max(y, radius), 64-radius)
	return math.Hypot(x-cx, y-cy) <= radius
}

// distToSegment is the distance from (x, y) to the segment; with round caps a
// stroke covers exactly the points within halfWidth of it.
func distToSegment(x, y float64, s segment) float64 {
	dx, dy := s.x2-s.x1, s.y2-s.y1
	t := ((x-s.x1)*dx + (y-s.y1)*dy) / (dx*dx + dy*dy)
	t = math.Min(math.Max(t, 0), 1)
	return math.Hypot(x-(s.x1+t*dx), y-(s.y1+t*dy))
}
