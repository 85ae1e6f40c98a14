package scenario

import (
	"encoding/json"
	"fmt"
	"httpsim/sim"
	"httpsim/sim/trace"
	"os"
	"path/filepath"
	"testing"
	"time"
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
		},
		"hpack": func(t *testing.T, r *Result) {
			h1, h2, static := runOf(t, r, "h1", ""), runOf(t, r, "h2", ""), runOf(t, r, "h2-static", "")
			if !(h2.HeaderBytes*4 < h1.HeaderBytes && h2.HeaderBytes < static.HeaderBytes && static.HeaderBytes < h1.HeaderBytes) {
				t.Errorf("header bytes: HTTP/1.1 %d, HPACK %d, HPACK without a dynamic table %d; want HPACK far below, the static-only variant between", h1.HeaderBytes, h2.HeaderBytes, static.HeaderBytes)
			}
		},
		"interleave": func(t *testing.T, r *Result) {
			seq, rr := runOf(t, r, "seq", ""), runOf(t, r, "rr", "")
			first := func(run *ProtocolRun) sim.Time {
				f := sim.Never
				for _, x := range run.Resources[1:] {
					f = min(f, x.Done)
				}
				return f
			}
			if !(first(seq) < first(rr)) || seq.PLT != rr.PLT {
				t.Errorf("first image done at %v sequential, %v round-robin (PLT %v, %v); want sequential to finish one early and both to end together", first(seq), first(rr), seq.PLT, rr.PLT)
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
			if !(hour.PLT < first.PLT && hour.Wire.Total*10 < first.Wire.Total) {
				t.Errorf("repeat visit PLT %v and %d bytes; want well below the first visit's %v and %d", hour.PLT, hour.Wire.Total, first.PLT, first.Wire.Total)
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
		},
		"bundling": func(t *testing.T, r *Result) {
			many, one, lazy := runOf(t, r, "many-files", ""), runOf(t, r, "bundled", ""), runOf(t, r, "bundled-lazy", "")
			if requested(many) != 61 || requested(one) != 22 || requested(lazy) != 8 {
				t.Errorf("requests %d, %d, %d; want 61, 22 and 8", requested(many), requested(one), requested(lazy))
			}
			if !(lazy.PLT < one.PLT && one.PLT < many.PLT) {
				t.Errorf("PLT %v, %v, %v; want each variant faster", many.PLT, one.PLT, lazy.PLT)
			}
		},
		"push": func(t *testing.T, r *Result) {
			no, push, repeat := runOf(t, r, "no-push", ""), runOf(t, r, "push", ""), runOf(t, r, "push-repeat", "")
			css := 1
			if push.Resources[css].Stream%2 != 0 || !(push.Resources[css].Done < no.Resources[css].Done) || !(push.PLT < no.PLT) {
				t.Errorf("pushed stylesheet on stream %d done at %v (requested: %v); PLT %v vs %v", push.Resources[css].Stream, push.Resources[css].Done, no.Resources[css].Done, push.PLT, no.PLT)
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
			if promised == 0 || canceled != promised {
				t.Errorf("repeat visit: %d pushes promised, %d refused; want every push refused", promised, canceled)
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
		},
		"cache-location": func(t *testing.T, r *Result) {
			origin, miss, hit, browser := runOf(t, r, "origin", ""), runOf(t, r, "edge-miss", ""), runOf(t, r, "edge-hit", ""), runOf(t, r, "browser-cache", "")
			if miss.EdgeHits != 0 || hit.EdgeMisses != 1 || origin.EdgeHits+origin.EdgeMisses != 0 {
				t.Errorf("edge: cold %d/%d, warm %d/%d hits/misses; want all misses, then only the no-cache document", miss.EdgeHits, miss.EdgeMisses, hit.EdgeHits, hit.EdgeMisses)
			}
			if !(browser.PLT < hit.PLT && hit.PLT < miss.PLT && hit.PLT < origin.PLT) {
				t.Errorf("PLT origin %v, edge miss %v, edge hit %v, browser cache %v; want the cache nearer the user to win", origin.PLT, miss.PLT, hit.PLT, browser.PLT)
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
