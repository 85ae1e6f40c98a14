package scenario

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/link"
	"httpsim/sim/trace"
	"httpsim/sim/units"
	"httpsim/sim/updates"
	"httpsim/sim/web"
)

// summary is the golden record of one built-in scenario: per run, its
// page load time and head-of-line totals, so that a model change that moves
// a figure shows up in review.
type summary struct {
	Runs []runSummary `json:"runs"`
}

type runSummary struct {
	Run       string  `json:"run"`
	PLTMs     float64 `json:"plt_ms"`
	HOLMs     float64 `json:"hol_ms"`
	LossMs    float64 `json:"loss_delay_ms"`
	TraceHash string  `json:"trace_hash"`
}

func summarise(t *testing.T, name string) (*Scenario, *Result, summary) {
	t.Helper()
	s, err := Builtin(name)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	r, err := Run(s, Options{KeepTrace: true})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var sum summary
	if s.Workload == WorkloadBulk {
		sum.Runs = append(sum.Runs, runSummary{Run: "bulk", PLTMs: ms(r.Completion), TraceHash: r.TraceHash})
		return s, r, sum
	}
	for _, run := range r.Runs {
		label := run.Proto
		if run.Variant != "" {
			label = run.Variant + "/" + run.Proto
		}
		sum.Runs = append(sum.Runs, runSummary{Run: label, PLTMs: ms(run.PLT), HOLMs: ms(run.HOL), LossMs: ms(run.LossDelay), TraceHash: run.TraceHash})
	}
	return s, r, sum
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// TestLibraryGolden: every built-in scenario validates, runs to the end,
// and matches its golden summary in testdata/library/NAME.json.
func TestLibraryGolden(t *testing.T) {
	for _, name := range Names() {
		s, r, sum := summarise(t, name)
		if err := s.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if r.Status != "finished" {
			t.Errorf("%s: run ended with %q", name, r.Status)
		}
		for _, run := range r.Runs {
			for _, x := range run.Resources {
				if x.Unexpected {
					t.Errorf("%s %s/%s: %s answered %d, a status the lesson does not declare", name, run.Variant, run.Proto, x.URL, x.Status)
				}
			}
		}
		if name != "bulk" && name != "page" && (s.Title.EN == "" || s.Title.ZH == "" || s.Explanation.EN == "" || s.Explanation.ZH == "") {
			t.Errorf("%s: needs a title and an explanation in English and Chinese", name)
		}
		path := filepath.Join("testdata", "library", name+".json")
		got, _ := json.MarshalIndent(sum, "", "  ")
		got = append(got, '\n')
		if *update {
			os.MkdirAll(filepath.Dir(path), 0o755)
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v (go test -update writes it)", name, err)
			continue
		}
		if string(want) != string(got) {
			t.Errorf("%s: summary changed (refresh with -update and explain why):\n%s\nwant\n%s", name, got, want)
		}
	}
}

// run returns the run of r for variant v (and protocol p, if given).
func runOf(t *testing.T, r *Result, v, p string) *ProtocolRun {
	t.Helper()
	for _, run := range r.Runs {
		if run.Variant == v && (p == "" || run.Proto == p) {
			return run
		}
	}
	t.Fatalf("no run %s/%s", v, p)
	return nil
}

func indexOfVariant(s *Scenario, name string) int {
	for i, v := range s.Variants {
		if v.Name == name {
			return i
		}
	}
	panic("no variant " + name)
}

func requested(run *ProtocolRun) int {
	n := 0
	for _, x := range run.Resources {
		if x.Requested {
			n++
		}
	}
	return n
}

// TestLibraryClaims checks each scenario's explanation against its own run
// where the explanation makes a claim.
func TestLibraryClaims(t *testing.T) {
	claims := map[string]func(t *testing.T, r *Result){
		"keepalive": func(t *testing.T, r *Result) {
			h10, ka := runOf(t, r, "http10", ""), runOf(t, r, "keepalive", "")
			if h10.Connections != requested(h10) || ka.Connections != 6 {
				t.Errorf("connections: HTTP/1.0 %d for %d requests, keep-alive %d; want one per request, and 6", h10.Connections, requested(h10), ka.Connections)
			}
			if h10.PLT <= ka.PLT {
				t.Errorf("HTTP/1.0 PLT %v; want slower than keep-alive's %v", h10.PLT, ka.PLT)
			}
			// "On short or slow paths the order reverses and HTTP/1.0
			// finishes first: at 10 Mbps with an RTT of 10 to 50 ms, and
			// at 100 ms with 4 or 5 Mbps. [...] lose more packets
			// than HTTP/1.0 (16 against 2 at 50 ms, and at 5 Mbps)."
			s, _ := Builtin("keepalive")
			if s.Network.Bandwidth.String() != "10Mbps" {
				t.Fatalf("keepalive runs at %v; the explanation assumes 10 Mbps", s.Network.Bandwidth)
			}
			at := func(rtt time.Duration, mbps int64) (h10, ka *ProtocolRun) {
				s, _ := Builtin("keepalive")
				mbit := s.Network.Bandwidth / 10
				for _, v := range s.Variants {
					v.Scenario.Network.RTT = rtt
					v.Scenario.Network.Bandwidth = 0
					for range mbps {
						v.Scenario.Network.Bandwidth += mbit
					}
				}
				res, err := Run(s, Options{})
				if err != nil {
					t.Fatal(err)
				}
				return runOf(t, res, "http10", ""), runOf(t, res, "keepalive", "")
			}
			check := func(what string, reversed bool, h10, ka *ProtocolRun) {
				if got := h10.PLT < ka.PLT; got != reversed {
					t.Errorf("%s: HTTP/1.0 %v, keep-alive %v; want HTTP/1.0 first: %v", what, h10.PLT, ka.PLT, reversed)
				}
				if reversed && ka.PacketsLost <= h10.PacketsLost {
					t.Errorf("%s: keep-alive lost %d packets, HTTP/1.0 %d; want keep-alive more", what, ka.PacketsLost, h10.PacketsLost)
				}
			}
			for ms := 10; ms <= 400; ms += 10 {
				h10, ka := at(time.Duration(ms)*time.Millisecond, 10)
				check(fmt.Sprintf("RTT %d ms", ms), ms <= 50, h10, ka)
			}
			for _, mbps := range []int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 20, 50, 100} {
				h10, ka := at(s.Network.RTT, mbps)
				check(fmt.Sprintf("%d Mbps", mbps), mbps == 4 || mbps == 5, h10, ka)
			}
			// "The reversal is the router's [...] With a deeper queue
			// (httpsim compare --scenario keepalive --queue 256KB)
			// keep-alive finishes first at every RTT at 10 Mbps, and at
			// every bandwidth at 100 ms" (not at every pair: at 10 ms
			// and 1 to 4 Mbps HTTP/1.0 still wins).
			deep := func(rtt time.Duration, mbps int64) (h10, ka *ProtocolRun) {
				s, _ := Builtin("keepalive")
				mbit := s.Network.Bandwidth / 10
				for _, v := range s.Variants {
					v.Scenario.Network.RTT = rtt
					v.Scenario.Network.Bandwidth = mbit * units.Rate(mbps)
					v.Scenario.Network.QueueBytes = 256_000 // 256KB, as the CLI reads it
				}
				res, err := Run(s, Options{})
				if err != nil {
					t.Fatal(err)
				}
				return runOf(t, res, "http10", ""), runOf(t, res, "keepalive", "")
			}
			for ms := 10; ms <= 400; ms += 10 {
				h10, ka := deep(time.Duration(ms)*time.Millisecond, 10)
				check(fmt.Sprintf("RTT %d ms, 256 KB queue", ms), false, h10, ka)
			}
			for mbps := int64(1); mbps <= 100; mbps++ {
				h10, ka := deep(s.Network.RTT, mbps)
				check(fmt.Sprintf("%d Mbps, 256 KB queue", mbps), false, h10, ka)
			}
			for _, c := range []struct {
				rtt  time.Duration
				mbps int64
			}{{50 * time.Millisecond, 10}, {100 * time.Millisecond, 5}} {
				if h10, ka := at(c.rtt, c.mbps); h10.PacketsLost != 2 || ka.PacketsLost != 16 {
					t.Errorf("%v, %d Mbps: packets lost HTTP/1.0 %d, keep-alive %d; want 2 and 16", c.rtt, c.mbps, h10.PacketsLost, ka.PacketsLost)
				}
			}
		},
		"pipelining": func(t *testing.T, r *Result) {
			one, pipe, six := runOf(t, r, "one-connection", ""), runOf(t, r, "pipelined", ""), runOf(t, r, "six-connections", "")
			if one.HOL != 0 || six.HOL != 0 || pipe.HOL == 0 {
				t.Errorf("HTTP-level HoL: %v without pipelining, %v pipelined, %v on six connections; want only the pipelined one", one.HOL, pipe.HOL, six.HOL)
			}
			for _, x := range pipe.Resources[2:] {
				if x.HOL < 300*time.Millisecond {
					t.Errorf("pipelined %s waited %v behind the slow response; want most of its 400ms", x.URL, x.HOL)
				}
			}
			if !(pipe.PLT < one.PLT) {
				t.Errorf("pipelining PLT %v; want faster than one request at a time (%v)", pipe.PLT, one.PLT)
			}
		},
		"six-vs-one": func(t *testing.T, r *Result) {
			one, six, h2 := runOf(t, r, "h1-one", ""), runOf(t, r, "h1-six", ""), runOf(t, r, "h2", "")
			if one.Connections != 1 || six.Connections != 6 || h2.Connections != 1 {
				t.Errorf("connections %d, %d, %d; want 1, 6, 1", one.Connections, six.Connections, h2.Connections)
			}
			if !(h2.PLT < six.PLT && six.PLT < one.PLT) {
				t.Errorf("PLT: h1 one %v, h1 six %v, h2 %v; want h2 < six < one at zero loss", one.PLT, six.PLT, h2.PLT)
			}
			// "at zero loss 2, 4, 6 and 8 load the page in about 2.4, 1.7,
			// 1.4 and 1.3 s": the slider sets the second column's count.
			for conns, want := range map[int]float64{2: 2.4, 4: 1.7, 6: 1.4, 8: 1.3} {
				s, _ := Builtin("six-vs-one")
				s.H1.MaxConns = conns
				s.Variants = nil
				s.Protocols = []string{"h1"}
				if got := runPage(t, s).PLT.Seconds(); math.Round(got*10)/10 != want {
					t.Errorf("%d connections: PLT %.2f s; the explanation says about %.1f", conns, got, want)
				}
			}
			// "where its one connection's slow start overflows the router's
			// queue, six connections finish slightly sooner (under 5 %):
			// at 10 Mbps from 50 to 80 ms, and at 100 ms from 6 to
			// 8 Mbps", at every step of the RTT slider, then of the
			// bandwidth slider.
			check := func(what string, want bool, set func(n *Network)) {
				s, _ := Builtin("six-vs-one")
				for _, v := range s.Variants {
					set(&v.Scenario.Network)
				}
				res, err := Run(s, Options{})
				if err != nil {
					t.Fatal(err)
				}
				six, h2 := runOf(t, res, "h1-six", ""), runOf(t, res, "h2", "")
				sixFirst := six.PLT < h2.PLT
				if sixFirst != want || sixFirst && (h2.PacketsLostQueue == 0 || h2.PLT > six.PLT*105/100) {
					t.Errorf("%s: six connections %v, HTTP/2 %v (%d lost to the queue); want six first: %v, by under 5%%, with HTTP/2 losing packets to the queue",
						what, six.PLT, h2.PLT, h2.PacketsLostQueue, want)
				}
			}
			for ms := 10; ms <= 300; ms += 10 {
				check(fmt.Sprintf("RTT %d ms", ms), ms >= 50 && ms <= 80, func(n *Network) { n.RTT = time.Duration(ms) * time.Millisecond })
			}
			for mbps := 1; mbps <= 100; mbps++ {
				check(fmt.Sprintf("%d Mbps", mbps), mbps >= 6 && mbps <= 8, func(n *Network) { n.Bandwidth = units.Rate(mbps) * units.Mbps })
			}
		},
		"hpack": func(t *testing.T, r *Result) {
			h1, h2, static := runOf(t, r, "h1", ""), runOf(t, r, "h2", ""), runOf(t, r, "h2-static", "")
			if !(h2.HeaderBytes*4 < h1.HeaderBytes && h2.HeaderBytes < static.HeaderBytes && static.HeaderBytes < h1.HeaderBytes) {
				t.Errorf("header bytes: HTTP/1.1 %d, HPACK %d, HPACK without a dynamic table %d; want HPACK far below, the static-only variant between", h1.HeaderBytes, h2.HeaderBytes, static.HeaderBytes)
			}
			// "at 1 KB the 1 KB cookie no longer fits in it and goes in
			// full with every request (about 35 KB of headers, against
			// 2.5 KB with 4 KB)": the slider sets the second variant's.
			s, _ := Builtin("hpack")
			s.H2.HeaderTableSize, s.Protocols, s.Variants = 1024, []string{"h2"}, nil
			if small := runPage(t, s).HeaderBytes; math.Round(float64(small)/1000) != 35 || math.Round(float64(h2.HeaderBytes)/100) != 25 {
				t.Errorf("header bytes with a 1 KB table %d, with 4 KB %d; the explanation says about 35 KB and 2.5 KB", small, h2.HeaderBytes)
			}
			// "From 2 KB every field fits: a larger table saves nothing
			// more here" (the size update costs a few bytes), at every
			// step of the slider.
			for size := 2048; size <= 65536; size += 1024 {
				s.H2.HeaderTableSize = uint32(size)
				if big := runPage(t, s).HeaderBytes; big < h2.HeaderBytes || big > h2.HeaderBytes+10 {
					t.Errorf("header bytes with a %d-byte table %d, with 4 KB %d; the explanation says no saving", size, big, h2.HeaderBytes)
				}
			}
		},
		"interleave": func(t *testing.T, r *Result) {
			seq, rr, urg := runOf(t, r, "seq", ""), runOf(t, r, "rr", ""), runOf(t, r, "urgency", "")
			first := func(run *ProtocolRun) sim.Time {
				f := sim.Never
				for _, x := range run.Resources[1:] {
					if x.Type == web.Image {
						f = min(f, x.Done)
					}
				}
				return f
			}
			// "End together": the same bytes, framed a little differently.
			if !(first(seq) < first(rr)) || seq.PLT != rr.PLT || (urg.PLT-rr.PLT).Abs() > time.Millisecond {
				t.Errorf("first image done at %v sequential, %v round-robin (PLT %v, %v, urgency %v); want sequential to finish one early and all to end together", first(seq), first(rr), seq.PLT, rr.PLT, urg.PLT)
			}
			css := func(run *ProtocolRun) sim.Time {
				last := run.Resources[len(run.Resources)-1]
				if last.Type != web.CSS {
					t.Fatalf("last resource %s; want the stylesheet", last.URL)
				}
				return last.Done
			}
			// The stylesheet: last when sequential, a seventh of the link
			// round-robin, first under RFC 9218 urgency.
			if !(css(urg) < css(rr) && css(rr) < css(seq) && css(seq).Since0() == seq.PLT) {
				t.Errorf("stylesheet done at %v urgency, %v round-robin, %v sequential; want them in that order, the last at the end", css(urg), css(rr), css(seq))
			}
			for _, x := range urg.Resources[1 : len(urg.Resources)-1] {
				if x.Done < css(urg) {
					t.Errorf("urgency: %s done at %v, before the stylesheet (%v)", x.URL, x.Done, css(urg))
				}
			}
			// "the first image is complete about a quarter of the way
			// through the transfer (26% at the defaults)"
			start := seq.Resources[1].FirstByte
			if f := float64(first(seq).Sub(start)) / float64(seq.PLT-start.Since0()); f < 0.255 || f >= 0.27 {
				t.Errorf("sequential: the first image is done %.1f%% of the way through the transfer; want 26%%", f*100)
			}
			// "a stylesheet (30 KB, 9 KB after gzip)"
			if b := seq.Resources[len(seq.Resources)-1].BodyBytes; b < 8500 || b >= 9500 {
				t.Errorf("the stylesheet's body is %d bytes on the wire; want 9 KB", b)
			}
		},
		"h2-hol": func(t *testing.T, r *Result) {
			run := r.Runs[0]
			blocked, own := 0, 0
			for _, x := range run.Resources[1:] {
				if x.HOL > 0 {
					blocked++
				}
				if x.LossDelay > 0 {
					own++
				}
			}
			if own != 1 || blocked != 5 {
				t.Errorf("%d images waited for their own loss and %d for another's; want 1 and the other 5", own, blocked)
			}
			// "At the default 100 ms the five other images wait 90 to 153
			// ms; at 20 ms they still wait 91 to 145 ms"
			waits := func(run *ProtocolRun) (lo, hi time.Duration) {
				lo = time.Hour
				for _, x := range run.Resources[1:] {
					if x.HOL > 0 {
						lo, hi = min(lo, x.HOL), max(hi, x.HOL)
					}
				}
				return lo, hi
			}
			near := func(d time.Duration, ms int) bool {
				return (d - time.Duration(ms)*time.Millisecond).Abs() <= time.Millisecond
			}
			if lo, hi := waits(run); !near(lo, 90) || !near(hi, 153) {
				t.Errorf("at 100 ms the other images waited %v to %v; want 90 to 153 ms", lo, hi)
			}
			s, _ := Builtin("h2-hol")
			s.Network.RTT = 20 * time.Millisecond
			res, err := Run(s, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if lo, hi := waits(res.Runs[0]); !near(lo, 91) || !near(hi, 145) {
				t.Errorf("at 20 ms the other images waited %v to %v; want 91 to 145 ms", lo, hi)
			}
			// "this lesson's router queue holds 256 kB"; "Set the
			// scheduler to one at a time and only the images sent after
			// the hole wait behind it (three here); the hit image is the
			// one being sent": the images before it finish before the
			// hole is repaired.
			if s, _ := Builtin("h2-hol"); s.Network.QueueBytes != 256_000 {
				t.Errorf("queue %d bytes; the explanation says 256 kB", s.Network.QueueBytes)
			}
			s, _ = Builtin("h2-hol")
			s.H2.Scheduler = "seq"
			if res, err = Run(s, Options{}); err != nil {
				t.Fatal(err)
			}
			blocked, own, before := 0, 0, 0
			var hit *web.ResourceState
			for i, x := range res.Runs[0].Resources[1:] {
				switch {
				case x.LossDelay > 0:
					own++
					hit = &res.Runs[0].Resources[1+i]
				case x.HOL > 0:
					blocked++
				}
			}
			for _, x := range res.Runs[0].Resources[1:] {
				if hit != nil && x.Done < hit.Done && x.HOL == 0 && x.LossDelay == 0 {
					before++
				}
			}
			if own != 1 || blocked != 3 || before != 2 {
				t.Errorf("one at a time: %d images waited for their own loss, %d for another's, %d finished untouched before; want 1, 3 and 2", own, blocked, before)
			}
		},
		"h3-hol": func(t *testing.T, r *Result) {
			h2, h3 := runOf(t, r, "", "h2"), runOf(t, r, "", "h3")
			count := func(run *ProtocolRun) (blocked, own int) {
				for _, x := range run.Resources[1:] {
					if x.HOL > 0 {
						blocked++
					}
					if x.LossDelay > 0 {
						own++
					}
				}
				return blocked, own
			}
			b2, o2 := count(h2)
			b3, o3 := count(h3)
			if b2 != 5 || o2 != 1 || b3 != 0 || o3 != 1 || h3.HOL != 0 {
				t.Errorf("HTTP/2: %d images blocked by another's loss, %d by their own; HTTP/3: %d and %d (HoL %v); want 5 and 1, then 0 and 1", b2, o2, b3, o3, h3.HOL)
			}
			// "over HTTP/2 the loss hits photo4, and over HTTP/3 photo6"
			hit := func(run *ProtocolRun) string {
				for _, x := range run.Resources {
					if x.LossDelay > 0 {
						return x.URL
					}
				}
				return ""
			}
			if a, b := hit(h2), hit(h3); a != "/img/photo4.jpg" || b != "/img/photo6.jpg" {
				t.Errorf("the loss hit %s over HTTP/2 and %s over HTTP/3; the explanation says photo4 and photo6", a, b)
			}
			if !(h3.PLT < h2.PLT) {
				t.Errorf("PLT HTTP/2 %v, HTTP/3 %v; want HTTP/3 first", h2.PLT, h3.PLT)
			}
		},
		"loss-sweep": func(t *testing.T, r *Result) {
			rtt := 100 * time.Millisecond
			for _, v := range []string{"no-loss", "random-1", "random-2", "burst-2"} {
				h2, h3 := runOf(t, r, v, "h2"), runOf(t, r, v, "h3")
				if h3.HOL != 0 {
					t.Errorf("%s: HTTP/3 cross-stream HoL %v; want 0", v, h3.HOL)
				}
				if v != "no-loss" && (h2.HOL == 0 || h3.LossDelay == 0) {
					t.Errorf("%s: HTTP/2 HoL %v, HTTP/3 own-loss delay %v; want both above 0", v, h2.HOL, h3.LossDelay)
				}
			}
			clean2, clean3 := runOf(t, r, "no-loss", "h2"), runOf(t, r, "no-loss", "h3")
			if d := clean2.PLT - clean3.PLT; d < rtt/2 || d > rtt*3/2 || clean2.HOL != 0 {
				t.Errorf("no loss: HTTP/3 ahead by %v (HTTP/2 HoL %v); want about one round trip (%v) and no HoL", d, clean2.HOL, rtt)
			}
			// "at the default seed HTTP/3 finishes later than HTTP/2 with
			// 1% and with 2% random loss, and first only with bursts; set
			// the seed to 1 and it is first at 1%, still later at 2%."
			for _, tt := range []struct {
				seed    uint64
				variant string
				first   bool // HTTP/3 finishes first
			}{
				{r.Seed, "random-1", false}, {r.Seed, "random-2", false}, {r.Seed, "burst-2", true},
				{1, "random-1", true}, {1, "random-2", false},
			} {
				s, _ := Builtin("loss-sweep")
				s = s.Variants[indexOfVariant(s, tt.variant)].Scenario
				s.Seed = tt.seed
				res, err := Run(s, Options{})
				if err != nil {
					t.Fatal(err)
				}
				if r2, r3 := res.Runs[0], res.Runs[1]; (r3.PLT < r2.PLT) != tt.first {
					t.Errorf("%s at seed %d: HTTP/3 %v, HTTP/2 %v; the explanation says HTTP/3 first: %v", tt.variant, tt.seed, r3.PLT, r2.PLT, tt.first)
				}
			}
			if b2, b3, r2 := runOf(t, r, "burst-2", "h2"), runOf(t, r, "burst-2", "h3"), runOf(t, r, "random-2", "h2"); !(b2.PLT < r2.PLT && b3.PLT < runOf(t, r, "random-2", "h3").PLT) {
				t.Errorf("bursty loss PLT %v, %v; want both faster than at the same rate of random loss", b2.PLT, b3.PLT)
			}
			// "Over 60 seeds of this page, HTTP/3 was faster in 39 runs at
			// 1% random loss, in 25 at 2% and in 52 with 2% in bursts."
			said := map[string]int{"random-1": 39, "random-2": 25, "burst-2": 52}
			base, _ := Builtin("loss-sweep")
			for _, v := range base.Variants[1:] {
				wins := 0
				for seed := uint64(1); seed <= 60; seed++ {
					s, _ := Builtin("loss-sweep")
					s = s.Variants[indexOfVariant(s, v.Name)].Scenario
					s.Seed = seed
					res, err := Run(s, Options{})
					if err != nil {
						t.Fatal(err)
					}
					if res.Runs[1].PLT < res.Runs[0].PLT {
						wins++
					}
				}
				if wins != said[v.Name] {
					t.Errorf("%s: HTTP/3 faster in %d of 60 seeds; the explanation says %d", v.Name, wins, said[v.Name])
				}
			}
		},
		"handshakes": func(t *testing.T, r *Result) {
			rtt := 100 * time.Millisecond
			want := map[string]int{"http": 2, "tls12": 4, "tls13": 3, "tls13-0rtt": 2, "tls13-0rtt-rejected": 3, "quic": 2, "quic-0rtt": 1, "quic-0rtt-rejected": 2}
			for v, k := range want {
				run := runOf(t, r, v, "")
				first := run.Resources[0].FirstByte.Since0()
				if first < time.Duration(k)*rtt || first > time.Duration(k)*rtt+5*time.Millisecond {
					t.Errorf("%s: first byte at %v; want %d round trips (%v)", v, first, k, time.Duration(k)*rtt)
				}
			}
			// "a certificate chain of 2,890 bytes or more (QUIC's default
			// here is 2,500 [...]) costs QUIC's full handshake a round trip
			// (3 RTT)"
			for chain, k := range map[int]int{0: 2, 2889: 2, 2890: 3, 2900: 3, 4096: 3} {
				s, _ := Builtin("handshakes")
				s = s.Variants[indexOfVariant(s, "quic")].Scenario
				if chain == 0 {
					if s.QUIC.CertChain != 2500 {
						t.Errorf("QUIC's certificate chain is %d bytes; the explanation says 2,500", s.QUIC.CertChain)
					}
				} else {
					s.QUIC.CertChain = chain
				}
				res, err := Run(s, Options{})
				if err != nil {
					t.Fatal(err)
				}
				if first := res.Runs[0].Resources[0].FirstByte.Since0(); first < time.Duration(k)*rtt || first > time.Duration(k)*rtt+5*time.Millisecond {
					t.Errorf("QUIC with a %d-byte certificate chain: first byte at %v; want %d round trips (anti-amplification)", chain, first, k)
				}
			}
		},
		"lost-first-flight": func(t *testing.T, r *Result) {
			rtt := 100 * time.Millisecond
			tests := []struct {
				variant  string
				first    time.Duration // the first response byte, within 5 ms
				detected string        // how the server found its packet lost
				hol      web.HOLCause  // what the response waited for
				wait     time.Duration // and how long, within 5 ms; 0: it did not wait
			}{
				// "three duplicate ACKs trigger a fast retransmit [...] 4 RTT"
				{"tls13", 4 * rtt, "dupack", web.HOLTransport, 0},
				// "TCP waits for its retransmission timer, 3 RTT [...] the
				// response [...] waits 300 ms behind it (5 RTT in all)"
				{"tls13-0rtt", 5 * rtt, "rto", web.HOLTransport, 3 * rtt},
				// "the initial 999 ms [...] 1.2 s instead of 200 ms"
				{"quic", 2*rtt + 999*time.Millisecond, "", web.HOLTransport, 0},
				// "the response waiting about a second for keys"
				{"quic-0rtt", rtt + 999*time.Millisecond, "", web.HOLHandshake, 999 * time.Millisecond},
				// "its probe timeout is 300 ms, and the page takes the RTT
				// plus 300 ms (4 RTT at the default 100 ms)"
				{"quic-0rtt-rtt", 4 * rtt, "", web.HOLHandshake, 3 * rtt},
			}
			for _, tt := range tests {
				run := runOf(t, r, tt.variant, "")
				if first := run.Resources[0].FirstByte.Since0(); first < tt.first || first > tt.first+5*time.Millisecond {
					t.Errorf("%s: first byte at %v; want %v", tt.variant, first, tt.first)
				}
				for c := range web.NumHOLCauses {
					want := time.Duration(0)
					if c == tt.hol {
						want = tt.wait
					}
					if got := run.HOLBy[c]; got < want-5*time.Millisecond || got > want+5*time.Millisecond {
						t.Errorf("%s: the response waited %v for %s; want %v", tt.variant, got, c, want)
					}
				}
				var detected []string
				for e := range run.Log.All() {
					if e.Kind == trace.PacketLost && e.Side == trace.Server {
						detected = append(detected, e.Name)
					}
				}
				if tt.detected != "" && (len(detected) != 1 || detected[0] != tt.detected) {
					t.Errorf("%s: the server declared losses by %q; want one, by %s", tt.variant, detected, tt.detected)
				}
			}
			// A handshake flight sent again counts as retransmitted over
			// QUIC as over TCP, not as more TLS: QUIC's TLS bytes are the
			// loss-free handshake's (the handshakes lesson's 3,789).
			hs, _ := Builtin("handshakes")
			clean, err := Run(hs.Variants[indexOfVariant(hs, "quic")].Scenario, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range []string{"tls13", "quic"} {
				w := runOf(t, r, v, "").Wire
				if w.Retransmitted == 0 || v == "quic" && w.TLS != clean.Runs[0].Wire.TLS {
					t.Errorf("%s: TLS %d bytes, retransmitted %d; want the loss-free handshake's %d and the flight sent again", v, w.TLS, w.Retransmitted, clean.Runs[0].Wire.TLS)
				}
			}
			// "RFC 6298 §2.4 asks for 1 s, and then TCP waits as long as
			// QUIC below: try [...] --min-rto 1s"
			s, _ := Builtin("lost-first-flight")
			s = s.Variants[indexOfVariant(s, "tls13-0rtt")].Scenario
			s.TCP.MinRTO = time.Second
			res, err := Run(s, Options{})
			if err != nil {
				t.Fatal(err)
			}
			tcp, quic := res.Runs[0].Resources[0].FirstByte.Since0(), runOf(t, r, "quic", "").Resources[0].FirstByte.Since0()
			if d := tcp - quic; d < -5*time.Millisecond || d > 5*time.Millisecond {
				t.Errorf("TCP + TLS 1.3, 0-RTT with a 1 s minimum RTO: first byte at %v; want QUIC's %v", tcp, quic)
			}
			// On the RTT slider: "below about 67 ms the 200 ms minimum,
			// not 3 RTT, sets TCP's wait; above about 333 ms, 3 RTT
			// outlasts QUIC's 999 ms probe timeout, and plain QUIC
			// finishes before TCP with 0-RTT"; the last variant "remembers
			// 100 ms, whatever the RTT slider says: [...] the page takes
			// the RTT plus 300 ms".
			at := func(rtt time.Duration) (tcp0, quic, remembered time.Duration) {
				s, _ := Builtin("lost-first-flight")
				for _, v := range s.Variants {
					v.Scenario.Network.RTT = rtt
				}
				res, err := Run(s, Options{})
				if err != nil {
					t.Fatal(err)
				}
				first := func(v string) time.Duration { return runOf(t, res, v, "").Resources[0].FirstByte.Since0() }
				return first("tls13-0rtt"), first("quic"), first("quic-0rtt-rtt")
			}
			for ms := 10; ms <= 500; ms += 10 {
				rtt := time.Duration(ms) * time.Millisecond
				tcp0, quic, remembered := at(rtt)
				wantTCP := 2*rtt + max(3*rtt, 200*time.Millisecond)
				if tcp0 < wantTCP || tcp0 > wantTCP+5*time.Millisecond {
					t.Errorf("RTT %v: TCP + TLS 1.3, 0-RTT first byte at %v; want %v (the first RTT, max(3 RTT, 200 ms), one RTT)", rtt, tcp0, wantTCP)
				}
				if quicFirst := quic < tcp0; quicFirst != (ms > 333) {
					t.Errorf("RTT %v: QUIC's first byte at %v, TCP 0-RTT's at %v; want QUIC first only above 333 ms", rtt, quic, tcp0)
				}
				if want := rtt + 300*time.Millisecond; remembered < want || remembered > want+5*time.Millisecond {
					t.Errorf("RTT %v: QUIC remembering 100 ms, first byte at %v; want %v", rtt, remembered, want)
				}
			}
		},
		"migration": func(t *testing.T, r *Result) {
			h2, h3 := runOf(t, r, "", "h2"), runOf(t, r, "", "h3")
			s, _ := Builtin("migration")
			move := sim.At(s.Network.PathChanges[0].At)
			if h3.Resources[3].Done <= move || h2.Resources[3].Done <= move {
				t.Fatalf("the video finished at %v (HTTP/2) and %v (HTTP/3), before the move at %v", h2.Resources[3].Done, h3.Resources[3].Done, move)
			}
			if h2.Connections != 2 || h3.Connections != 1 || h2.Resources[3].Retries != 1 || h3.Resources[3].Retries != 0 {
				t.Errorf("connections HTTP/2 %d, HTTP/3 %d; video retries %d, %d; want a new TCP connection and the video asked again, and QUIC's one connection going on",
					h2.Connections, h3.Connections, h2.Resources[3].Retries, h3.Resources[3].Retries)
			}
			handshake, challenge, response := 0, 0, 0
			for _, e := range h3.Log.Events() {
				if e.At > move && e.Kind == trace.PacketSent && (e.Name == "initial" || e.Name == "handshake") {
					handshake++
				}
				if e.At >= move && e.Kind == trace.ConnectionStateUpdated && e.Name == "migrated" {
					challenge++
				}
				if e.At >= move && e.Kind == trace.ConnectionStateUpdated && e.Name == "path_validated" {
					response++
				}
			}
			if handshake != 0 || challenge != 2 || response != 2 {
				t.Errorf("QUIC after the move: %d handshake packets, %d ends migrated, %d validated the path; want 0, 2 and 2", handshake, challenge, response)
			}
			// "the thumbnails finish only after it, and the page is loaded
			// only then."
			for _, run := range []*ProtocolRun{h2, h3} {
				video := run.Resources[3]
				for _, x := range run.Resources[4:] {
					if x.Done < video.Done {
						t.Errorf("%s: %s done at %v, before the video (%v)", run.Proto, x.URL, x.Done, video.Done)
					}
				}
			}
			// "raise the round-trip time to 300 ms": QUIC opens a new
			// connection, and the page loads.
			slow, _ := Builtin("migration")
			slow.Network.RTT = 300 * time.Millisecond
			res, err := Run(slow, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if q := runOf(t, res, "", "h3"); q.PLT < 0 || q.Connections != 2 {
				t.Errorf("300 ms: HTTP/3 PLT %v over %d connections; want loaded, over 2", q.PLT, q.Connections)
			}
			// "the client knows it is confirmed when the server's
			// HANDSHAKE_DONE arrives, two round trips in": at 290 ms it
			// comes before the move at 600 ms, and QUIC migrates.
			slow.Network.RTT = 290 * time.Millisecond
			if res, err = Run(slow, Options{}); err != nil {
				t.Fatal(err)
			}
			if q := runOf(t, res, "", "h3"); q.PLT < 0 || q.Connections != 1 {
				t.Errorf("290 ms: HTTP/3 PLT %v over %d connections; want loaded, over 1", q.PLT, q.Connections)
			}
			if !(h3.PLT < h2.PLT) {
				t.Errorf("PLT HTTP/2 %v, HTTP/3 %v; want the migrating connection to finish first", h2.PLT, h3.PLT)
			}
		},
		"caching": func(t *testing.T, r *Result) {
			first, hour := runOf(t, r, "first", ""), runOf(t, r, "hour", "")
			s, _ := Builtin("caching")
			for i, x := range hour.Resources {
				res := s.Page.Resources[i]
				fresh := res.MaxAge >= 7*86400
				if fresh && (x.Cache != "fresh" || x.Sent != sim.Never) {
					t.Errorf("hour later: %s cache %q; want served fresh without a request", x.URL, x.Cache)
				}
				if !fresh && (x.Status != 304 || x.BodyBytes != 0) {
					t.Errorf("hour later: %s status %d with %d body bytes; want 304 with headers only", x.URL, x.Status, x.BodyBytes)
				}
			}
			tenDays := runOf(t, r, "ten-days", "")
			for _, x := range tenDays.Resources {
				if x.Type == "font" && x.Status != 304 {
					t.Errorf("ten days later: font %s status %d; want revalidated (304)", x.URL, x.Status)
				}
			}
			// "an hour later the browser resumes its session [...] no
			// certificate, about a quarter of the TLS bytes [...] ten days
			// later the ticket has expired [...] a full one again"
			if hour.Wire.TLS*3 > tenDays.Wire.TLS || hour.Wire.TLS*5 < tenDays.Wire.TLS || tenDays.Wire.TLS < int64(s.TLS.CertChain) {
				t.Errorf("TLS bytes: an hour later %d, ten days later %d; want about a quarter, and the %d-byte certificate chain ten days later", hour.Wire.TLS, tenDays.Wire.TLS, s.TLS.CertChain)
			}
			if !(hour.PLT < first.PLT && hour.Wire.Total*10 < first.Wire.Total) {
				t.Errorf("repeat visit PLT %v and %d bytes; want well below the first visit's %v and %d", hour.PLT, hour.Wire.Total, first.PLT, first.Wire.Total)
			}
			// Every variant sets its visit, so a warm_cache control would
			// only relabel them.
			for _, c := range s.Controls {
				if c.Param == "warm_cache" {
					t.Error("caching offers warm_cache, which overrides the variants' visits")
				}
			}
		},
		"compression": func(t *testing.T, r *Result) {
			none, gz, br := runOf(t, r, "none", ""), runOf(t, r, "gzip", ""), runOf(t, r, "br", "")
			if !(br.Wire.Total < gz.Wire.Total && gz.Wire.Total < none.Wire.Total && br.PLT < none.PLT) {
				t.Errorf("bytes none %d, gzip %d, br %d; PLT %v, %v, %v", none.Wire.Total, gz.Wire.Total, br.Wire.Total, none.PLT, gz.PLT, br.PLT)
			}
			for i, x := range gz.Resources {
				if x.Type == "img" && x.BodyBytes != none.Resources[i].BodyBytes {
					t.Errorf("%s: %d bytes with gzip, %d without; images are not compressed", x.URL, x.BodyBytes, none.Resources[i].BodyBytes)
				}
			}
		},
		"redirects": func(t *testing.T, r *Result) {
			browser, proxy := runOf(t, r, "browser-follows", ""), runOf(t, r, "proxy-follows", "")
			redirects := func(run *ProtocolRun) int {
				n := 0
				for _, x := range run.Resources {
					if x.Requested && x.Status >= 300 && x.Status < 400 {
						n++
					}
				}
				return n
			}
			if redirects(browser) != 2 || redirects(proxy) != 0 {
				t.Errorf("the browser saw %d and %d redirects; want 2, then none", redirects(browser), redirects(proxy))
			}
			if d := browser.PLT - proxy.PLT; d < 70*time.Millisecond || d > 100*time.Millisecond {
				t.Errorf("the edge following the chain saved %v; want about two browser–edge round trips (80ms)", d)
			}
			// The link points at https://www.example.com/promo.
			if s, _ := Builtin("redirects"); s.TLS.Version == "none" || s.Page.Origin != "www.example.com" {
				t.Errorf("TLS %q, origin %q; the explanation says https://www.example.com", s.TLS.Version, s.Page.Origin)
			}
		},
		"bundling": func(t *testing.T, r *Result) {
			many, one, lazy := runOf(t, r, "many-files", ""), runOf(t, r, "bundled", ""), runOf(t, r, "bundled-lazy", "")
			if requested(many) != 61 || requested(one) != 22 || requested(lazy) != 8 {
				t.Errorf("requests %d, %d, %d; want 61, 22 and 8", requested(many), requested(one), requested(lazy))
			}
			if !(lazy.PLT < one.PLT && one.PLT < many.PLT) {
				t.Errorf("PLT %v, %v, %v; want each variant faster", many.PLT, one.PLT, lazy.PLT)
			}
			// "With HTTP/2, packets are lost even at 0% random loss (54 in
			// each of the first two variants at the defaults)": drop-tail
			// overflow, as nothing else loses a packet here.
			s, _ := Builtin("bundling")
			for _, v := range s.Variants {
				if l := v.Scenario.Network; l.Down.Loss.Rate != 0 || l.Up.Loss.Rate != 0 || len(l.Down.Drop) != 0 {
					t.Fatalf("%s: random or scripted loss %v %v %v; want none", v.Name, l.Down.Loss, l.Up.Loss, l.Down.Drop)
				}
				v.Scenario.Protocols = []string{"h2"}
			}
			h2, err := Run(s, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for v, want := range map[string]int64{"many-files": 54, "bundled": 54} {
				if got := runOf(t, h2, v, "h2").PacketsLost; got != want {
					t.Errorf("%s over HTTP/2: %d packets lost; want %d", v, got, want)
				}
			}
		},
		"push": func(t *testing.T, r *Result) {
			no, push, repeat := runOf(t, r, "no-push", ""), runOf(t, r, "push", ""), runOf(t, r, "push-repeat", "")
			// The stylesheet and both fonts it refers to are pushed, each
			// on a server stream, and arrive sooner than when requested.
			for _, i := range []int{1, 2, 3} {
				x, y := push.Resources[i], no.Resources[i]
				if x.Stream%2 != 0 || !(x.Done < y.Done) {
					t.Errorf("%s: pushed on stream %d, done at %v; want an even stream and sooner than requested (%v)", x.URL, x.Stream, x.Done, y.Done)
				}
			}
			if !(push.PLT < no.PLT) {
				t.Errorf("PLT with push %v; want less than without (%v)", push.PLT, no.PLT)
			}
			// Every promise travels on the page's own request stream: a
			// pushed stream cannot carry one (RFC 9113 §8.4).
			for _, e := range push.Log.Events() {
				if e.Kind == trace.FrameParsed && e.Side == trace.Client && e.Name == "PUSH_PROMISE" && e.Stream != 1 {
					t.Errorf("PUSH_PROMISE on stream %d; want stream 1, the document's request", e.Stream)
				}
			}
			promised, canceled := 0, 0
			for _, e := range repeat.Log.Events() {
				if e.Kind == trace.FrameParsed && e.Side == trace.Client && e.Name == "PUSH_PROMISE" {
					promised++
				}
				if e.Kind == trace.FrameCreated && e.Side == trace.Client && e.Name == "RST_STREAM" {
					canceled++
				}
			}
			if promised != 3 || canceled != promised {
				t.Errorf("repeat visit: %d pushes promised, %d refused; want all three (stylesheet and fonts) refused", promised, canceled)
			}
			// "the bytes on the wire against the repeat visit without push
			// (about 4.7 kB more)"
			if plain := runOf(t, r, "repeat-no-push", ""); math.Round(float64(repeat.Wire.Total-plain.Wire.Total)/100) != 47 {
				t.Errorf("repeat visit: %d bytes on the wire with push, %d without; the explanation says about 4.7 kB more", repeat.Wire.Total, plain.Wire.Total)
			}
		},
		"status-codes": func(t *testing.T, r *Result) {
			run := r.Runs[0]
			want := map[string]int{"/css/theme.css": 404, "/logo.png": 301, "/brand/logo.png": 200, "/img/removed.jpg": 404, "/api/recommendations.json": 500}
			for _, x := range run.Resources {
				if w, ok := want[x.URL]; ok && (x.Status != w || x.Retries != 0) {
					t.Errorf("%s: status %d after %d retries; want %d and no retry", x.URL, x.Status, x.Retries, w)
				}
				if x.URL == "/fonts/theme.woff2" && x.Requested {
					t.Error("the font of the missing stylesheet was requested")
				}
			}
			if run.PLT < 0 {
				t.Error("the page did not finish loading")
			}
		},
		"get-vs-post": func(t *testing.T, r *Result) {
			ok, reset := runOf(t, r, "ok", ""), runOf(t, r, "reset", "")
			search, upload := reset.Resources[1], reset.Resources[3]
			if search.Retries != 1 || search.Status != 200 || search.Failed != "" {
				t.Errorf("GET after the reset: %d retries, status %d, failed %q; want retried once and done", search.Retries, search.Status, search.Failed)
			}
			if upload.Retries != 0 || upload.Failed == "" {
				t.Errorf("POST upload after the reset: %d retries, failed %q; want no retry and a failure", upload.Retries, upload.Failed)
			}
			for _, x := range ok.Resources {
				if x.Failed != "" || x.Retries != 0 {
					t.Errorf("no trouble: %s failed %q after %d retries", x.URL, x.Failed, x.Retries)
				}
			}
			// "At 10 Mbps and RTTs from 70 to 100 ms (at 100 ms, from 3
			// Mbps up) [the story]. [...] at 20 to 60 ms the search has
			// already finished and only the upload fails (at 10 ms nothing
			// does); at 110 to 130 ms the sign-up POST fails too; from 140 ms
			// both POSTs are sent after the reset and succeed."
			base, _ := Builtin("get-vs-post")
			resetAt := sim.At(base.Variants[indexOfVariant(base, "reset")].Scenario.Network.ServerResets[0])
			at := func(rtt time.Duration, mbps int64) (search, signup, upload web.ResourceState) {
				s, _ := Builtin("get-vs-post")
				s = s.Variants[indexOfVariant(s, "reset")].Scenario
				if s.Network.Bandwidth.String() != "10Mbps" {
					t.Fatalf("get-vs-post runs at %v; the explanation assumes 10 Mbps", s.Network.Bandwidth)
				}
				mbit := s.Network.Bandwidth / 10
				s.Network.RTT, s.Network.Bandwidth = rtt, 0
				for range mbps {
					s.Network.Bandwidth += mbit
				}
				res, err := Run(s, Options{})
				if err != nil {
					t.Fatal(err)
				}
				x := res.Runs[0].Resources
				return x[1], x[2], x[3]
			}
			story := func(search, signup, upload web.ResourceState) bool {
				return search.Retries == 1 && search.Failed == "" && signup.Failed == "" && upload.Failed != "" && upload.Retries == 0
			}
			for ms := 10; ms <= 300; ms += 10 {
				search, signup, upload := at(time.Duration(ms)*time.Millisecond, 10)
				var ok bool
				switch {
				case ms == 10:
					ok = search.Failed == "" && signup.Failed == "" && upload.Failed == ""
				case ms <= 60:
					ok = search.Retries == 0 && search.Failed == "" && signup.Failed == "" && upload.Failed != ""
				case ms <= 100:
					ok = story(search, signup, upload)
				case ms <= 130:
					ok = search.Failed == "" && signup.Failed != "" && upload.Failed != ""
				default:
					ok = signup.Failed == "" && upload.Failed == "" && signup.Sent > resetAt && upload.Sent > resetAt
				}
				if !ok || (ms < 70 || ms > 100) == story(search, signup, upload) {
					t.Errorf("RTT %d ms: search retried %d, failed %q; sign-up sent %v, failed %q; upload sent %v, failed %q; the explanation says otherwise",
						ms, search.Retries, search.Failed, signup.Sent, signup.Failed, upload.Sent, upload.Failed)
				}
			}
			for mbps := int64(3); mbps <= 50; mbps++ {
				if search, signup, upload := at(100*time.Millisecond, mbps); !story(search, signup, upload) {
					t.Errorf("100 ms, %d Mbps: search retried %d, sign-up failed %q, upload failed %q; want the story", mbps, search.Retries, signup.Failed, upload.Failed)
				}
			}
		},
		"cache-location": func(t *testing.T, r *Result) {
			origin, miss, hit, browser := runOf(t, r, "origin", ""), runOf(t, r, "edge-miss", ""), runOf(t, r, "edge-hit", ""), runOf(t, r, "browser-cache", "")
			if miss.EdgeHits != 0 || miss.EdgeRevalidated != 0 || hit.EdgeMisses != 0 || origin.EdgeHits+origin.EdgeMisses != 0 {
				t.Errorf("edge: cold %d/%d, warm %d/%d hits/misses; want all misses, then none", miss.EdgeHits, miss.EdgeMisses, hit.EdgeHits, hit.EdgeMisses)
			}
			// "only the no-cache document still goes to the origin, and
			// only to be revalidated: the edge asks with the ETag it
			// stored, and the origin's 304 Not Modified sends no body
			// back, X-Cache: REVALIDATED": the origin's HTTP/2 frames
			// (settings, the 304's HEADERS) are a few hundred bytes, not
			// the document's 9.6 KB.
			var fromOrigin int64
			for _, e := range hit.Log.Events() {
				if e.Kind == trace.FrameCreated && e.Side == trace.Server {
					fromOrigin += e.Len
				}
			}
			if doc := hit.Resources[0]; hit.EdgeRevalidated != 1 || doc.Edge != "REVALIDATED" || doc.Status != 200 || fromOrigin > 500 {
				t.Errorf("warm edge: %d revalidated, the document %d %q, %d bytes of HTTP/2 frames from the origin; want the document revalidated (200 to the browser), under 500 bytes",
					hit.EdgeRevalidated, doc.Status, doc.Edge, fromOrigin)
			}
			if !(browser.PLT < hit.PLT && hit.PLT < miss.PLT && hit.PLT < origin.PLT) {
				t.Errorf("PLT origin %v, edge miss %v, edge hit %v, browser cache %v; want the cache nearer the user to win", origin.PLT, miss.PLT, hit.PLT, browser.PLT)
			}
			// "the bytes on the wire double"
			if r := float64(miss.Wire.Total) / float64(origin.Wire.Total); r < 1.9 || r > 2.1 {
				t.Errorf("bytes on the wire: cold edge %d, origin %d; want about twice", miss.Wire.Total, origin.Wire.Total)
			}
			// "the browser's own cache serves the 9 stylesheets, scripts and
			// fonts with no request at all and revalidates the other 21
			// resources (304 Not Modified, headers only)"
			fresh, revalidated := 0, 0
			for _, x := range browser.Resources {
				switch {
				case x.Cache == "fresh" && x.Sent == sim.Never && (x.Type == web.CSS || x.Type == web.JS || x.Type == "font"):
					fresh++
				case x.Status == 304 && x.BodyBytes == 0:
					revalidated++
				}
			}
			if fresh != 9 || revalidated != 21 {
				t.Errorf("repeat visit: %d stylesheets, scripts and fonts from the cache, %d revalidated; want 9 and 21", fresh, revalidated)
			}
			// "the time from request to first byte (at the default RTT):
			// about 340 ms from the origin, 0.3 to 0.94 s through the cold
			// edge, 23 to 28 ms for a hit at the warm edge."
			for _, c := range []struct {
				run    *ProtocolRun
				lo, hi time.Duration
			}{{origin, 330 * time.Millisecond, 350 * time.Millisecond}, {miss, 295 * time.Millisecond, 945 * time.Millisecond}, {hit, 22 * time.Millisecond, 29 * time.Millisecond}} {
				lo, hi := time.Hour, time.Duration(0)
				for _, x := range c.run.Resources[1:] {
					d := x.FirstByte.Sub(x.Sent)
					lo, hi = min(lo, d), max(hi, d)
				}
				if lo < c.lo || hi > c.hi || (c.run == miss && (lo > 305*time.Millisecond || hi < 935*time.Millisecond)) {
					t.Errorf("%s: first bytes %v to %v after the requests; want within %v to %v", c.run.Variant, lo, hi, c.lo, c.hi)
				}
			}
			s, _ := Builtin("cache-location")
			for _, c := range s.Controls {
				if c.Param == "warm_cache" {
					t.Error("cache-location offers warm_cache, which would turn every variant into a repeat visit")
				}
			}
		},
		"updates": func(t *testing.T, r *Result) {
			short, long, ws := runOf(t, r, "short-poll", ""), runOf(t, r, "long-poll", ""), runOf(t, r, "websocket", "")
			s, l, w := short.Updates, long.Updates, ws.Updates
			t.Logf("mean latency: short polling %.1f ms (%d requests, %d bytes), long polling %.1f ms (%d, %d), WebSocket %.1f ms (%d, %d)",
				s.Latency.Mean, s.Requests, s.Wire.Total, l.Latency.Mean, l.Requests, l.Wire.Total, w.Latency.Mean, w.Requests, w.Wire.Total)
			if !(w.Latency.Mean < l.Latency.Mean && l.Latency.Mean < s.Latency.Mean) {
				t.Errorf("mean latency: WebSocket %.1f, long polling %.1f, short polling %.1f ms; want that order", w.Latency.Mean, l.Latency.Mean, s.Latency.Mean)
			}
			if w.Requests != 1 || l.Requests < 20 || w.Wire.Total >= l.Wire.Total {
				t.Errorf("requests: WebSocket %d, long polling %d; bytes WebSocket %d, long polling %d", w.Requests, l.Requests, w.Wire.Total, l.Wire.Total)
			}
			// "a Close frame with status 1000 each way, then the server
			// closes the TCP connection first [...] the frame strip ends
			// with the two"
			var closes []string
			for e := range ws.Log.All() {
				if e.Kind == trace.FrameCreated && e.Name == "ws_frame" {
					if e.Value == "close" {
						// Raw is the frame as sent: the page's is masked
						// (RFC 6455 §5.3), its key the 4 bytes before the
						// 2-byte status code.
						code := slices.Clone(e.Raw[len(e.Raw)-2:])
						if e.Raw[1]&0x80 != 0 {
							updates.MaskBytes([4]byte(e.Raw[len(e.Raw)-6:len(e.Raw)-2]), 0, code)
						}
						closes = append(closes, fmt.Sprintf("%v %x", e.Side, code))
					} else if len(closes) > 0 {
						t.Errorf("a %s frame after a Close", e.Value)
					}
				}
			}
			if !w.Closed || !slices.Equal(closes, []string{"client 03e8", "server 03e8"}) {
				t.Errorf("WebSocket closed %v, Close frames %q; want the page's and the server's, 1000 each", w.Closed, closes)
			}
			// "an event waits for the next poll, up to a whole interval,
			// half of one on average [...] (at the default seed, 1 of the 9
			// polls comes back empty: 204 No Content)"
			if s.Latency.Max >= 5000 || s.Latency.Mean < 2250 || s.Latency.Mean > 2750 || s.Requests != 9 || s.EmptyResponses != 1 {
				t.Errorf("short polling: latency mean %.1f, max %.1f ms; %d empty of %d polls; want about 2500, under 5000, and 1 of 9",
					s.Latency.Mean, s.Latency.Max, s.EmptyResponses, s.Requests)
			}
			// "over seeds 1 to 20 at 1% to 5% loss, only one or two seeds
			// show one, always with WebSocket (try seed 15 at 1%)", with the
			// loss on the way down (the page) or both ways (the CLI).
			// "over seeds 1 to 20 at 1% to 5% loss, WebSocket's mean latency
			// is above long polling's in a quarter to a third of those runs
			// taken together (seed 15 at 1%: 71 ms against 56), its median in
			// none": per loss rate it ranges from 3 of 20 at 1% to 8 of 20
			// at 4%, hence "taken together".
			for _, both := range []bool{false, true} {
				seeds, seed15 := map[uint64]bool{}, false
				runs, meanWorse, medianWorse := 0, 0, 0
				defer func() {
					t.Logf("loss both ways %v: WebSocket's mean above long polling's in %d of %d runs, its median in %d", both, meanWorse, runs, medianWorse)
					if meanWorse*4 < runs || meanWorse*3 > runs || medianWorse > 0 {
						t.Errorf("loss both ways %v: WebSocket's mean above long polling's in %d of %d runs, its median in %d; want a quarter to a third, and none", both, meanWorse, runs, medianWorse)
					}
				}()
				for permille := 10; permille <= 50; permille += 5 {
					for seed := uint64(1); seed <= 20; seed++ {
						sc, _ := Builtin("updates")
						for _, v := range sc.Variants {
							v.Scenario.Seed = seed
							l := &v.Scenario.Network.Down.Loss
							l.Model, l.Rate = "bernoulli", float64(permille)/1000
							if both {
								v.Scenario.Network.Up.Loss = *l
							}
						}
						res, err := Run(sc, Options{})
						if err != nil {
							t.Fatal(err)
						}
						lp, w := runOf(t, res, "long-poll", "").Updates.Latency, runOf(t, res, "websocket", "").Updates.Latency
						runs++
						if w.Mean > lp.Mean {
							meanWorse++
						}
						if w.Median > lp.Median {
							medianWorse++
						}
						if seed == 15 && permille == 10 && (math.Round(w.Mean) != 71 || math.Round(lp.Mean) != 56) {
							t.Errorf("seed 15 at 1%% (both ways %v): mean latency WebSocket %.1f, long polling %.1f ms; the explanation says 71 and 56", both, w.Mean, lp.Mean)
						}
						for _, run := range res.Runs {
							if (run.HOL > 0) != (run.Updates.HOLEvents > 0) {
								t.Errorf("seed %d, loss %d‰: %s held back %d updates, and its head-of-line total is %v", seed, permille, run.Variant, run.Updates.HOLEvents, run.HOL)
							}
							if run.Updates.HOLEvents == 0 {
								continue
							}
							seeds[seed] = true
							seed15 = seed15 || (seed == 15 && permille == 10)
							if run.Variant != "websocket" {
								t.Errorf("seed %d, loss %d‰ (both ways %v): %s held back %d updates; the explanation says only WebSocket", seed, permille, both, run.Variant, run.Updates.HOLEvents)
							}
						}
					}
				}
				if !seed15 || len(seeds) > 2 {
					t.Errorf("loss both ways %v: head-of-line blocking at seeds %v, at seed 15 and 1%% %v; want one or two seeds, seed 15 at 1%% among them", both, seeds, seed15)
				}
			}
			// "on longer paths more do (4 seeds of 20 at 250 ms, 6 at
			// 400 ms)", with the page's loss, on the way down.
			for _, c := range []struct {
				rtt   time.Duration
				seeds int
			}{{250 * time.Millisecond, 4}, {400 * time.Millisecond, 6}} {
				seeds := map[uint64]bool{}
				for permille := 10; permille <= 50; permille += 5 {
					for seed := uint64(1); seed <= 20; seed++ {
						sc, _ := Builtin("updates")
						for _, v := range sc.Variants {
							v.Scenario.Seed = seed
							v.Scenario.Network.RTT = c.rtt
							l := &v.Scenario.Network.Down.Loss
							l.Model, l.Rate = "bernoulli", float64(permille)/1000
						}
						res, err := Run(sc, Options{})
						if err != nil {
							t.Fatal(err)
						}
						for _, run := range res.Runs {
							if run.Updates.HOLEvents > 0 {
								seeds[seed] = true
							}
						}
					}
				}
				if len(seeds) != c.seeds {
					t.Errorf("RTT %v: head-of-line blocking at %d seeds of 20 (%v); the explanation says %d", c.rtt, len(seeds), seeds, c.seeds)
				}
			}
		},
		"qpack": func(t *testing.T, r *Result) {
			static, dyn, never := runOf(t, r, "static", ""), runOf(t, r, "dynamic", ""), runOf(t, r, "never-wait", "")
			// "from about 11.5 kB to 4.8 kB, two fifths (the insertions
			// on the encoder stream counted)"; never waiting: "as large
			// as with the static table (its insertions [...] add a few
			// dozen bytes)"
			if f := float64(dyn.HeaderBytes) / float64(static.HeaderBytes); f < 0.38 || f > 0.45 || never.HeaderBytes < static.HeaderBytes || never.HeaderBytes > static.HeaderBytes+100 {
				t.Errorf("header bytes: static %d, dynamic %d, never waiting %d; want the dynamic table's near two fifths, and no saving without waiting", static.HeaderBytes, dyn.HeaderBytes, never.HeaderBytes)
			}
			if !(dyn.PLT < static.PLT && dyn.PLT < never.PLT) {
				t.Errorf("PLT: static %v, dynamic %v, never waiting %v; want the dynamic table's first despite its wait", static.PLT, dyn.PLT, never.PLT)
			}
			// html is how long the HTML's header section waited: the
			// longest of its stream's QPACK waits, as the bytes that came
			// after it waited from when they came.
			qpackHOL := func(run *ProtocolRun) (total time.Duration, html time.Duration) {
				for e := range run.Log.All() {
					if e.Kind == trace.HOLBlocked && e.Name == "qpack" {
						total += e.At.Sub(e.Arrived)
						if e.Stream == 0 {
							html = max(html, e.At.Sub(e.Arrived))
						}
					}
				}
				return total, html
			}
			if a, _ := qpackHOL(static); a != 0 {
				t.Errorf("static table: %v of QPACK head-of-line blocking; want none", a)
			}
			if a, _ := qpackHOL(never); a != 0 {
				t.Errorf("no stream may wait: %v of QPACK head-of-line blocking; want none", a)
			}
			if _, html := qpackHOL(dyn); html < 50*time.Millisecond || html > 150*time.Millisecond {
				t.Errorf("dynamic table: the HTML's header section waited %v for the encoder stream; want about 100ms", html)
			}
			// "all three pages take 1.13–1.16 s instead of 0.44 s"
			for _, run := range []*ProtocolRun{static, dyn, never} {
				if run.PLT < 1130*time.Millisecond || run.PLT >= 1165*time.Millisecond {
					t.Errorf("%s: PLT %v; the explanation says 1.13–1.16 s", run.Variant, run.PLT)
				}
			}
			// Without the loss: two fifths of the header bytes, and nothing
			// waits (ORACLES.md: no head-of-line blocking without loss but
			// HTTP/1.1 pipelining's), because the encoder stream goes first.
			s, err := Builtin("qpack")
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range s.Variants {
				v.Scenario.Network.Down.Drop = nil
			}
			clean, err := Run(s, Options{KeepTrace: true})
			if err != nil {
				t.Fatal(err)
			}
			cs, cd := runOf(t, clean, "static", ""), runOf(t, clean, "dynamic", "")
			if f := float64(cd.HeaderBytes) / float64(cs.HeaderBytes); f < 0.38 || f > 0.45 || cs.HeaderBytes < 11000 || cs.HeaderBytes > 12000 {
				t.Errorf("without loss, header bytes: static %d, dynamic %d; want about 11.5 kB, and the dynamic table's near two fifths", cs.HeaderBytes, cd.HeaderBytes)
			}
			for _, run := range clean.Runs {
				if a, _ := qpackHOL(run); a != 0 || run.HOL != 0 {
					t.Errorf("without loss, %s: %v of QPACK head-of-line blocking, %v in all; want none", run.Variant, a, run.HOL)
				}
				if run.PLT < 430*time.Millisecond || run.PLT >= 445*time.Millisecond {
					t.Errorf("without loss, %s: PLT %v; the explanation says 0.44 s", run.Variant, run.PLT)
				}
			}
		},
		"bulk": func(t *testing.T, r *Result) {
			// The page's explanation (app/library.go): "even at 0% random
			// loss packets are lost (169 at the defaults). Each fast
			// recovery halves the window (SACK-based loss recovery, RFC
			// 6675, the default [...]) or [...] the transfer stalls until the
			// retransmission timer fires."
			s, _ := Builtin("bulk")
			if !s.TCP.SACK || s.Network.Down.Loss.Rate != 0 {
				t.Errorf("bulk: SACK %v, random loss %v; want SACK on and no random loss", s.TCP.SACK, s.Network.Down.Loss.Rate)
			}
			if r.SegmentsLost != 169 || r.Down.DroppedQueue != r.SegmentsLost || r.FastRecoveries == 0 || r.Timeouts == 0 {
				t.Errorf("bulk: %d segments lost, %d to a full queue; %d fast recoveries, %d timeouts; want 169, all to the queue, and both kinds of recovery",
					r.SegmentsLost, r.Down.DroppedQueue, r.FastRecoveries, r.Timeouts)
			}
			// "at the default bandwidth on a path of about 210 ms or more,
			// or at the default RTT on a link of about 21 Mbps or more, the
			// 1 MB is all sent before the queue fills, and none is": from
			// 209 ms and from 20.9 Mbps, at every millisecond of the page's
			// RTT slider and every 0.1 Mbps, the other at its default (not
			// at every pair: 210 ms at 1 to 9 Mbps loses packets).
			lost := func(rtt time.Duration, bw units.Rate) int64 {
				s, _ := Builtin("bulk")
				if rtt > 0 {
					s.Network.RTT = rtt
				}
				if bw > 0 {
					s.Network.Bandwidth = bw
				}
				res, err := Run(s, Options{})
				if err != nil {
					t.Fatal(err)
				}
				return res.SegmentsLost
			}
			for ms := 1; ms <= 1000; ms++ {
				if n := lost(time.Duration(ms)*time.Millisecond, 0); (n == 0) != (ms >= 209) {
					t.Errorf("bulk at RTT %d ms: %d segments lost; want none only from 209 ms", ms, n)
				}
			}
			for tenths := 1; tenths <= 1000; tenths++ {
				if n := lost(0, units.Rate(tenths)*units.Mbps/10); (n == 0) != (tenths >= 209) {
					t.Errorf("bulk at %.1f Mbps: %d segments lost; want none only from 20.9 Mbps", float64(tenths)/10, n)
				}
			}
		},
		"page": func(t *testing.T, r *Result) {
			// The page's explanation (app/library.go), at the page's
			// default comparison (every protocol, 2% random loss down):
			// "HTTP/1.1 usually finishes first (19 seeds of 20)".
			at := func(loss float64, seed uint64) (h1, h2, h3 *ProtocolRun) {
				s := Page()
				s.Protocols, s.Seed = Protocols(), seed
				if loss > 0 {
					s.Network.Down.Loss = link.Loss{Model: link.Bernoulli, Rate: loss}
				}
				res, err := Run(s, Options{})
				if err != nil {
					t.Fatal(err)
				}
				return runOf(t, res, "", "h1"), runOf(t, res, "", "h2"), runOf(t, res, "", "h3")
			}
			first := 0
			for seed := uint64(1); seed <= 20; seed++ {
				if h1, h2, h3 := at(0.02, seed); h1.PLT < min(h2.PLT, h3.PLT) {
					first++
				}
			}
			if first != 19 {
				t.Errorf("2%% loss: HTTP/1.1 first in %d of 20 seeds; the explanation says 19", first)
			}
			// "Set the loss to 0 and HTTP/3, then HTTP/2, finish first; even
			// then some packets are lost, dropped by the router's full
			// queue".
			h1, h2, h3 := at(0, 1)
			if !(h3.PLT < h2.PLT && h2.PLT < h1.PLT) || h2.PacketsLost == 0 || h2.PacketsLostQueue != h2.PacketsLost {
				t.Errorf("0%% loss: PLT h1 %v, h2 %v, h3 %v; HTTP/2 lost %d, %d to the queue; want h3 < h2 < h1 and only queue losses",
					h1.PLT, h2.PLT, h3.PLT, h2.PacketsLost, h2.PacketsLostQueue)
			}
		},
		"rpc": func(t *testing.T, r *Result) {
			json1, rpc := runOf(t, r, "json-h1", ""), runOf(t, r, "rpc-h2", "")
			if !(rpc.PLT < json1.PLT && rpc.Wire.Total*2 < json1.Wire.Total && rpc.HeaderBytes*10 < json1.HeaderBytes) {
				t.Errorf("JSON/HTTP/1.1: %v, %d bytes, %d header bytes; RPC/HTTP/2: %v, %d, %d", json1.PLT, json1.Wire.Total, json1.HeaderBytes, rpc.PLT, rpc.Wire.Total, rpc.HeaderBytes)
			}
		},
	}
	for name, check := range claims {
		t.Run(name, func(t *testing.T) {
			_, r, sum := summarise(t, name)
			t.Logf("%s: %s", name, fmt.Sprint(sum.Runs))
			check(t, r)
		})
	}
}

// BuiltinSummary reads the same name, texts, workload, controls and number
// of variants as decoding each built-in scenario whole.
func TestBuiltinSummaryMatchesDecode(t *testing.T) {
	for _, name := range Names() {
		s, err := Builtin(name)
		if err != nil {
			t.Fatal(err)
		}
		got, err := BuiltinSummary(name)
		if err != nil {
			t.Fatalf("BuiltinSummary(%q): %v", name, err)
		}
		if want := SummaryOf(s); !reflect.DeepEqual(got, want) {
			t.Errorf("BuiltinSummary(%q) = %+v; want %+v", name, got, want)
		}
	}
	if _, err := BuiltinSummary("no-such-lesson"); err == nil || !strings.Contains(err.Error(), "available:") {
		t.Errorf("BuiltinSummary of an unknown name: %v; want the error listing the choices", err)
	}
}
