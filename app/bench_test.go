package app

import (
	"testing"

	"httpsim/sim/scenario"
)

// BenchmarkBuildViews indexes the default comparison's runs: the work done
// once after every run, before the first draw.
func BenchmarkBuildViews(b *testing.B) { benchmarkBuildViews(b, DefaultParams()) }

// BenchmarkBuildViewsOnePercent does the same at 1 % loss, where one
// HTTP/2 lane holds over 2,000 head-of-line spans to merge.
func BenchmarkBuildViewsOnePercent(b *testing.B) {
	p := DefaultParams()
	p.LossPermille = 10
	benchmarkBuildViews(b, p)
}

func benchmarkBuildViews(b *testing.B, p Params) {
	s, err := p.Build()
	if err != nil {
		b.Fatal(err)
	}
	res, err := scenario.Run(s, scenario.Options{KeepTrace: true})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		buildViews(s, res, nil)
	}
}

// BenchmarkSimulate runs the default comparison with its trace kept, as
// the page does.
func BenchmarkSimulate(b *testing.B) {
	s, err := DefaultParams().Build()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := scenario.Run(s, scenario.Options{KeepTrace: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScrubRecord records the canvases a scrub redraws (the Go half;
// the JavaScript half runs in the browser, where the e2e test measures
// httpsim:scrub) for the default comparison, at times across the run.
func BenchmarkScrubRecord(b *testing.B) {
	_, _, views := runViews(b, DefaultParams())
	var span int64
	for _, v := range views {
		span = max(span, v.end)
	}
	var c Canvas
	ls := make([]ladderScratch, len(views))
	var bs bufferScratch
	var boxes []frameBox
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		t := span * int64(i%100) / 100
		i++
		c.Reset(0, 0)
		for k, v := range views {
			c.Target(0, 560, 440)
			plotLadder(&c, v, t, ladderWindow([]*runView{v}, v.end), LangEN, &ls[k])
			c.Target(1, 560, 440)
			plotLanesOverlay(&c, v, t, span, true)
			c.Target(2, 560, 300)
			plotBuffers(&c, v, t, LangEN, &bs)
			c.Target(3, 560, frameStripH)
			boxes = plotFrames(&c, v, t, -1, LangEN, boxes)
			c.Target(4, 560, chartsHeight)
			plotChartsOverlay(&c, v, t, span, LangEN, true)
		}
		_ = c.Encoded()
	}
}
