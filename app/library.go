package app

import (
	"math"
	"slices"
	"strconv"
	"sync"
	"time"

	"httpsim/sim/scenario"
	"httpsim/sim/units"
)

// Control names a control of the settings panel.
type Control string

// The controls, by their URL query key.
const (
	CtlLoss      Control = qLoss
	CtlBurst     Control = qBurst
	CtlRTT       Control = qRTT
	CtlBandwidth Control = qBandwidth
	CtlSeed      Control = qSeed
	CtlProtocols Control = qProto
	CtlScheduler Control = qScheduler
	CtlConns     Control = qConns
	CtlPipe      Control = qPipe
	CtlHTTP10    Control = qHTTP10
	CtlTLS       Control = qTLS
	CtlZeroRTT   Control = qZeroRTT
	CtlHPACK     Control = qHPACK
	CtlQPACK     Control = qQPACK
	CtlWarm      Control = qWarm
	CtlPush      Control = qPush
	CtlSize      Control = qSize
)

// controlOfParam maps the scenario library's control parameters
// (scenario.ControlParams) to the page's controls.
var controlOfParam = map[string]Control{
	"loss": CtlLoss, "burst": CtlBurst, "rtt": CtlRTT, "bandwidth": CtlBandwidth, "seed": CtlSeed,
	"protocols": CtlProtocols, "scheduler": CtlScheduler, "conns": CtlConns, "pipelining": CtlPipe,
	"http10": CtlHTTP10, "tls": CtlTLS, "0rtt": CtlZeroRTT, "hpack_table": CtlHPACK, "qpack_table": CtlQPACK,
	"warm_cache": CtlWarm, "push": CtlPush, "size": CtlSize,
}

// LinkKey is the page link's query key for a scenario document's control
// param ("hpack" for "hpack_table"); param itself if it has none.
func LinkKey(param string) string {
	if c, ok := controlOfParam[param]; ok {
		return string(c)
	}
	return param
}

// ControlSpec is a control a scenario exposes, with its range in the units
// of Params (Min = Max = 0: the control's full range).
type ControlSpec struct {
	ID             Control
	Min, Max, Step int
}

// LibraryEntry describes a built-in scenario for the picker and the
// settings panel.
type LibraryEntry struct {
	Name        string
	Title       [2]string // by Lang
	Explanation [2]string // by Lang
	Controls    []ControlSpec
	// Page is true for page loads (HTTP views, several protocols).
	Page bool
	// Variants is the number of variants the scenario runs side by side.
	Variants int
}

// networkControls are what every scenario exposes when it does not say.
var networkControls = []Control{CtlLoss, CtlBurst, CtlRTT, CtlBandwidth, CtlSeed}

// pageControls are what a page load adds.
var pageControls = []Control{CtlProtocols, CtlScheduler, CtlConns, CtlPipe, CtlTLS, CtlZeroRTT, CtlHPACK, CtlQPACK, CtlWarm}

// texts holds the page's own titles and explanations of the scenarios built
// into the simulator's code ("bulk" and "page"); the library's scenarios
// carry their own.
var texts = map[string][2][2]string{
	"bulk": {
		{"One TCP transfer", "一次 TCP 传输"},
		{"A server sends 1 MB to a client over one TCP connection. Watch slow start double the congestion window every round trip until it overflows the router's drop-tail queue (one bandwidth-delay product): even at 0% random loss packets are lost (169 at the defaults; at the default bandwidth on a path of about 210 ms or more, or at the default RTT on a link of about 21 Mbps or more, the 1 MB is all sent before the queue fills, and none is). Each fast recovery halves the window (SACK-based loss recovery, RFC 6675, the default; NewReno without SACK) or, when too few duplicate ACKs come back, the transfer stalls until the retransmission timer fires.",
			"服务器通过一条 TCP 连接向客户端发送 1 MB 数据。观察慢启动如何让拥塞窗口每个往返时延翻倍，直到路由器的尾部丢弃（drop-tail）队列（一个带宽时延积）溢出：即使随机丢包率为 0% 也会丢包（默认设置下丢 169 个；在默认带宽下 RTT 约 210 ms 及以上，或在默认 RTT 下带宽约 21 Mbps 及以上时，1 MB 在队列填满之前就已发完，一个也不丢）。每次快速恢复使窗口减半（基于 SACK 的丢包恢复，RFC 6675，默认开启；不用 SACK 时为 NewReno），而在重复 ACK 不足时，传输会停顿，直到重传定时器超时。"},
	},
	"page": {
		{"Loading a web page", "加载一个网页"},
		{"A browser loads a page of 30 resources (HTML, CSS, scripts, fonts and images). HTTP/1.1 opens six connections and sends one request at a time on each; HTTP/2 multiplexes every request as a stream on one TCP connection. With loss, one missing packet holds back every HTTP/2 stream behind it in TCP's in-order delivery: head-of-line blocking. HTTP/3 runs streams over QUIC, where a loss delays only its own stream. Yet at the page's default 2% loss HTTP/1.1 usually finishes first (19 seeds of 20): six connections are six congestion windows, each halved only by its own losses, against one for HTTP/2 and one for HTTP/3. Set the loss to 0 and HTTP/3, then HTTP/2, finish first; at the default RTT and bandwidth, even then some packets are lost, dropped by the router's full queue during slow start (the summary counts them apart).",
			"浏览器加载一个包含 30 个资源（HTML、CSS、脚本、字体和图片）的页面。HTTP/1.1 打开六条连接，每条连接一次只发一个请求；HTTP/2 把所有请求作为流复用在一条 TCP 连接上。有丢包时，TCP 的按序交付会让一个丢失的数据包阻塞其后所有 HTTP/2 流：这就是队头阻塞。HTTP/3 在 QUIC 上传输各个流，丢包只延误它自己所在的流。但在页面默认的 2% 丢包率下，通常是 HTTP/1.1 最先完成（20 个随机种子中有 19 个）：六条连接就是六个拥塞窗口，各自只因自己的丢包而减半，而 HTTP/2 和 HTTP/3 各只有一个。把丢包率设为 0，则 HTTP/3 最快，HTTP/2 其次；在默认的 RTT 和带宽下，即便如此仍会丢一些包，它们是慢启动时被路由器已满的队列丢弃的（摘要中单独统计）。"},
	},
}

// Library lists the built-in scenarios, in course order.
func Library() []LibraryEntry {
	return slices.Clone(library())
}

// LibraryLookup returns the entry of a built-in scenario.
func LibraryLookup(name string) (LibraryEntry, bool) {
	for _, e := range library() {
		if e.Name == name {
			return e, true
		}
	}
	return LibraryEntry{Name: name, Title: [2]string{name, name}}, false
}

// libraryEntries are the library's entries, made once from the scenarios'
// summaries (see scenario.BuiltinSummary): the page and the picker look
// them up on every render. Callers must not modify them.
var libraryEntries struct {
	once    sync.Once
	entries []LibraryEntry
}

func library() []LibraryEntry {
	libraryEntries.once.Do(func() {
		for _, name := range scenario.Names() {
			if s, err := scenario.BuiltinSummary(name); err == nil {
				libraryEntries.entries = append(libraryEntries.entries, libraryEntry(s))
			}
		}
	})
	return libraryEntries.entries
}

// TitleOf is s's title in l as the page shows it: the scenario's own, the
// page's for a scenario written in Go, or else its name.
func TitleOf(s *scenario.Scenario, l Lang) string {
	return libraryEntry(scenario.SummaryOf(s)).Title[l]
}

func libraryEntry(s scenario.Summary) LibraryEntry {
	e := LibraryEntry{Name: s.Name, Page: s.Workload == scenario.WorkloadPage, Variants: s.Variants}
	e.Title = [2]string{s.Title.In("en"), s.Title.In("zh")}
	e.Explanation = [2]string{s.Explanation.In("en"), s.Explanation.In("zh")}
	if t, ok := texts[s.Name]; ok {
		for l := range 2 {
			if e.Title[l] == "" {
				e.Title[l] = t[0][l]
			}
			if e.Explanation[l] == "" {
				e.Explanation[l] = t[1][l]
			}
		}
	}
	for l := range 2 {
		if e.Title[l] == "" {
			e.Title[l] = s.Name
		}
	}
	if len(s.Controls) > 0 {
		for _, c := range s.Controls {
			if id, ok := controlOfParam[c.Param]; ok {
				e.Controls = append(e.Controls, controlSpec(id, c))
			}
		}
		return e
	}
	for _, id := range networkControls {
		e.Controls = append(e.Controls, ControlSpec{ID: id})
	}
	if e.Page {
		for _, id := range pageControls {
			e.Controls = append(e.Controls, ControlSpec{ID: id})
		}
	}
	return e
}

// controlSpec converts a library control's range into Params units; a bound
// that does not parse is left to the control's default.
func controlSpec(id Control, c scenario.Control) ControlSpec {
	conv := func(s string) (int, bool) {
		if s == "" {
			return 0, false
		}
		var f float64
		var err error
		switch id {
		case CtlLoss:
			f, err = units.ParseFraction(s)
			f *= 1000
		case CtlRTT:
			var d time.Duration
			d, err = units.ParseDuration(s)
			f = float64(d) / 1e6
		case CtlBandwidth:
			var r units.Rate
			r, err = units.ParseRate(s)
			f = float64(r) / 1000
		case CtlHPACK, CtlQPACK:
			var z units.Size
			z, err = units.ParseSize(s)
			f = float64(z)
		case CtlSize:
			var z units.Size
			z, err = units.ParseSize(s)
			f = float64(z) / 1000
		default:
			f, err = strconv.ParseFloat(s, 64)
		}
		if err != nil || math.IsNaN(f) {
			return 0, false
		}
		return int(math.Round(f)), true
	}
	spec := ControlSpec{ID: id}
	lo, okLo := conv(c.Min)
	hi, okHi := conv(c.Max)
	if okLo && okHi && hi > lo {
		spec.Min, spec.Max = lo, hi
		if st, ok := conv(c.Step); ok && st > 0 {
			spec.Step = st
		}
	}
	return spec
}

// Has reports whether the entry exposes control c. Has and Spec are not
// inlined: the controls and the settings call them some 90 times, once a
// render or a run, and their copies cost the wasm 4.5 kB gzipped.
//
//go:noinline
func (e LibraryEntry) Has(c Control) bool {
	_, ok := e.Spec(c)
	return ok
}

// Spec returns the entry's control c.
//
//go:noinline
func (e LibraryEntry) Spec(c Control) (ControlSpec, bool) {
	for _, x := range e.Controls {
		if x.ID == c {
			return x, true
		}
	}
	return ControlSpec{}, false
}

// Range returns a slider's bounds and step for control c: the entry's own,
// within the control's limits, or the limits.
func (s ControlSpec) Range(lo, hi, step int) (int, int, int) {
	if s.Max > s.Min {
		lo, hi = max(lo, s.Min), min(hi, s.Max)
		if s.Step > 0 {
			step = s.Step
		}
	}
	return lo, hi, step
}
