package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"httpsim/sim/link"
	"httpsim/sim/scenario"
	"httpsim/sim/tls"
	"httpsim/sim/units"
)

// Params are the settings the control panel exposes, applied on top of a
// built-in scenario. They are integers, booleans and short strings, so that a
// setting read back from a slider, a URL or a saved file is exactly the value
// that was shown, and so that Params is comparable: a run is a pure function
// of them.
type Params struct {
	// Scenario names the built-in scenario the settings apply to.
	Scenario string
	// LossPermille is the random loss rate on the server-to-client
	// direction, where the data goes, in tenths of a percent.
	LossPermille int
	// Burst is the mean number of packets a loss burst takes (the
	// Gilbert–Elliott model); 1 loses packets independently (Bernoulli).
	Burst int
	// RTTMillis is the round-trip propagation delay in milliseconds.
	RTTMillis int
	// BandwidthKbps is each direction's bandwidth in kilobits per second.
	BandwidthKbps int
	// Seed selects the run's random streams.
	Seed uint64
	// Protos lists the protocols to compare, comma-separated in canonical
	// order ("h1,h2"); page scenarios only.
	Protos string
	// Scheduler is HTTP/2's write scheduler: "seq", "rr" or "urgency".
	Scheduler string
	// H1Conns is HTTP/1.1's connection limit; Pipelining turns on
	// HTTP/1.1 pipelining.
	H1Conns    int
	Pipelining bool
	// HTTP10 speaks HTTP/1.0: a new connection for every request.
	HTTP10 bool
	// TLS is the TLS version: "none", "1.2" or "1.3"; ZeroRTT resumes a
	// session and sends the first requests as early data (TLS 1.3).
	TLS     string
	ZeroRTT bool
	// HPACKTable is SETTINGS_HEADER_TABLE_SIZE in bytes.
	HPACKTable int
	// QPACKTable is SETTINGS_QPACK_MAX_TABLE_CAPACITY in bytes (RFC 9204
	// §5): 0 keeps QPACK to its static table.
	QPACKTable int
	// Push turns on HTTP/2 server push.
	Push bool
	// Warm is a repeat visit with the browser's cache filled by the first.
	Warm bool
	// SizeKB is a bulk transfer's size in kilobytes.
	SizeKB int
}

// Limits of the controls. The URL may not go beyond them either.
const (
	MaxLossPermille  = 200 // 20 %
	MinBurst         = 1
	MaxBurst         = 20
	MinRTTMillis     = 1
	MaxRTTMillis     = 1000
	MinBandwidthKbps = 100       // 0.1 Mbps
	MaxBandwidthKbps = 1_000_000 // 1 Gbps
	MinH1Conns       = 1
	MaxH1Conns       = 32
	MaxHPACKTable    = 65536
	MaxQPACKTable    = 65536
	// qpackBlockedStreams is SETTINGS_QPACK_BLOCKED_STREAMS when the page
	// turns the QPACK dynamic table on: streams may then wait for the
	// encoder stream, the header-compression head-of-line blocking of
	// RFC 9204 §2.1.2.
	qpackBlockedStreams = 16
	MinSizeKB           = 1
	MaxSizeKB           = 100_000 // 100 MB
)

// bandwidthSteps are the bandwidth slider's stops in kbps: a 1-2-5 series,
// since students think of links as 1, 10 or 100 Mbps rather than linearly.
var bandwidthSteps = []int{100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000}

// tableSizeSteps are the choices for the HPACK and QPACK table sizes.
var tableSizeSteps = []int{0, 256, 1024, 4096, 16384, 65536}

// Schedulers and TLS versions in the order the controls list them.
var (
	schedulers  = []string{"urgency", "rr", "seq"}
	tlsVersions = []string{"1.3", "1.2", "none"}
)

// candidateProtocols are the protocols the UI knows how to show, in
// canonical order; availableProtocols those the simulator runs today, so
// that HTTP/3 appears in the UI the day the simulator has it.
var candidateProtocols = []string{"h1", "h2", "h3"}

var availableProtocols = scenario.Protocols()

// protocolAvailable reports whether the simulator runs p.
func protocolAvailable(p string) bool { return slices.Contains(availableProtocols, p) }

// protoList splits a Protos value.
func protoList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// canonicalProtos returns the protocols of list that the simulator runs,
// each once, in canonical order.
func canonicalProtos(list []string) string {
	var out []string
	for _, p := range availableProtocols {
		if slices.Contains(list, p) {
			out = append(out, p)
		}
	}
	return strings.Join(out, ",")
}

// ParamsFrom reads the settings of a scenario, clamped to the controls.
func ParamsFrom(s *scenario.Scenario) Params {
	p, _ := paramsFrom(s)
	return p
}

// paramsFrom is ParamsFrom, with the names of the settings the controls
// could not take exactly (out of their range, or finer than their steps).
func paramsFrom(s *scenario.Scenario) (Params, []string) {
	p := Params{
		Scenario:      s.Name,
		Seed:          s.Seed,
		RTTMillis:     int(s.Network.RTT / time.Millisecond),
		BandwidthKbps: int(int64(s.Network.Bandwidth) / 1000),
		Burst:         1,
	}
	loss := s.Network.Down.Loss
	if loss.Model != link.NoLoss && loss.Model != "" {
		p.LossPermille = int(loss.Rate*1000 + 0.5)
		if loss.Model == link.Burst {
			p.Burst = int(loss.MeanBurst + 0.5)
		}
	}
	p.Protos = canonicalProtos(s.Protocols)
	p.Scheduler = s.H2.Scheduler
	p.H1Conns = s.H1.MaxConns
	p.Pipelining = s.H1.Pipelining
	p.HTTP10 = s.H1.HTTP10
	p.TLS = string(s.TLS.Version)
	p.ZeroRTT = s.TLS.EarlyData
	p.HPACKTable = int(s.H2.HeaderTableSize)
	p.QPACKTable = int(s.H3.QPACKTableCapacity)
	p.Push = s.H2.Push
	p.Warm = s.Visit.Repeat
	p.SizeKB = int(int64(scenario.Bulk().Bulk.Size) / 1000)
	if s.Workload == scenario.WorkloadBulk && s.Bulk.Size > 0 {
		p.SizeKB = int(int64(s.Bulk.Size) / 1000)
	}
	if s.Workload != scenario.WorkloadPage {
		// Settings a bulk transfer does not have still need values that
		// the controls can show.
		d := scenario.Page()
		p.Protos = canonicalProtos(d.Protocols)
		p.Scheduler = d.H2.Scheduler
		p.H1Conns = d.H1.MaxConns
		p.TLS = string(d.TLS.Version)
		p.HPACKTable = int(d.H2.HeaderTableSize)
	}
	p, changed := p.clamp()
	// Finer than the controls' steps: cut to them.
	if p.rtt() != s.Network.RTT && !slices.Contains(changed, "rtt") {
		changed = append(changed, "rtt")
	}
	if p.bandwidth() != s.Network.Bandwidth && !slices.Contains(changed, "bw") {
		changed = append(changed, "bw")
	}
	if loss.Model != link.NoLoss && loss.Model != "" && p.lossRate() != loss.Rate && !slices.Contains(changed, "loss") {
		changed = append(changed, "loss")
	}
	if loss.Model == link.Burst && float64(p.Burst) != loss.MeanBurst && !slices.Contains(changed, "burst") {
		changed = append(changed, "burst")
	}
	return p, changed
}

// LessonParams are the settings a lesson opens with, from the picker or a
// link: its own, except the default scenario's, which the page opens with
// every protocol at 2 % loss (DefaultParams), as its text describes.
func LessonParams(s *scenario.Scenario) Params {
	if d := DefaultParams(); s.Name == d.Scenario {
		return d
	}
	return ParamsFrom(s)
}

// DefaultParams are the settings the page opens with: the page scenario with
// 2% loss, comparing every protocol the simulator runs.
func DefaultParams() Params {
	p := ParamsFrom(scenario.Page())
	p.LossPermille = 20
	p.Protos = strings.Join(availableProtocols, ",")
	return p
}

// clamp returns p with every field within the controls' limits, and the
// names of the fields it changed.
func (p Params) clamp() (Params, []string) {
	var changed []string
	clampInt := func(name string, v *int, lo, hi int) {
		if c := clamp(*v, lo, hi); c != *v {
			*v = c
			changed = append(changed, name)
		}
	}
	clampInt("loss", &p.LossPermille, 0, MaxLossPermille)
	clampInt("burst", &p.Burst, MinBurst, MaxBurst)
	clampInt("rtt", &p.RTTMillis, MinRTTMillis, MaxRTTMillis)
	clampInt("bw", &p.BandwidthKbps, MinBandwidthKbps, MaxBandwidthKbps)
	clampInt("conns", &p.H1Conns, MinH1Conns, MaxH1Conns)
	clampInt("hpack", &p.HPACKTable, 0, MaxHPACKTable)
	clampInt("qpack", &p.QPACKTable, 0, MaxQPACKTable)
	clampInt("size", &p.SizeKB, MinSizeKB, MaxSizeKB)
	if p.HTTP10 && p.Pipelining {
		p.Pipelining = false
		changed = append(changed, "pipe")
	}
	if !slices.Contains(schedulers, p.Scheduler) {
		p.Scheduler = "urgency"
		changed = append(changed, "sched")
	}
	if !slices.Contains(tlsVersions, p.TLS) {
		p.TLS = "1.3"
		changed = append(changed, "tls")
	}
	if p.ZeroRTT && p.TLS != "1.3" {
		p.ZeroRTT = false
		changed = append(changed, "0rtt")
	}
	if c := canonicalProtos(protoList(p.Protos)); c != p.Protos {
		if c == "" {
			c = strings.Join(availableProtocols, ",")
		}
		p.Protos = c
		changed = append(changed, "proto")
	}
	return p, changed
}

// Clamped returns p with every field within the controls' limits.
func (p Params) Clamped() Params {
	p, _ = p.clamp()
	return p
}

// Build returns the built-in scenario p names with the settings of the
// controls it exposes applied, validated. A scenario with variants gets the
// settings in its document, under the variants' patches, so that what a
// variant sets (its protocols, its connection count) stays as it is.
func (p Params) Build() (*scenario.Scenario, error) {
	p = p.Clamped()
	s, err := scenario.Builtin(p.Scenario)
	if err != nil {
		return nil, err
	}
	e := libraryEntry(scenario.SummaryOf(s))
	if len(s.Variants) > 0 {
		return p.buildDocument(s, e)
	}
	if e.Has(CtlSeed) {
		s.Seed = p.Seed
	}
	if e.Has(CtlRTT) {
		s.Network.RTT = p.rtt()
	}
	if e.Has(CtlBandwidth) {
		s.Network.Bandwidth = p.bandwidth()
	}
	if e.Has(CtlLoss) || e.Has(CtlBurst) {
		loss := s.Network.Down.Loss
		loss.Rate = p.lossRate()
		loss.MeanBurst = 0
		switch {
		case p.LossPermille == 0:
			loss.Model = link.NoLoss
			loss.Rate = 0
		case p.Burst > 1:
			loss.Model = link.Burst
			loss.MeanBurst = float64(p.Burst)
		default:
			loss.Model = link.Bernoulli
		}
		s.Network.Down.Loss = loss
	}
	if e.Has(CtlSize) && s.Workload == scenario.WorkloadBulk {
		s.Bulk.Size = units.Size(int64(p.SizeKB) * 1000)
	}
	if s.Workload == scenario.WorkloadPage {
		if e.Has(CtlProtocols) {
			s.Protocols = protoList(p.Protos)
		}
		if e.Has(CtlConns) {
			s.H1.MaxConns = p.H1Conns
		}
		if e.Has(CtlPipe) {
			s.H1.Pipelining = p.Pipelining
			if p.Pipelining && s.H1.MaxPipeline == 0 {
				s.H1.MaxPipeline = 6
			}
		}
		if e.Has(CtlHTTP10) {
			s.H1.HTTP10 = p.HTTP10
		}
		if e.Has(CtlScheduler) {
			s.H2.Scheduler = p.Scheduler
		}
		if e.Has(CtlHPACK) {
			s.H2.HeaderTableSize = uint32(p.HPACKTable)
		}
		if e.Has(CtlQPACK) {
			s.H3.QPACKTableCapacity, s.H3.QPACKBlockedStreams = uint64(p.QPACKTable), uint64(p.qpackBlocked())
		}
		if e.Has(CtlPush) {
			s.H2.Push = p.Push
		}
		if e.Has(CtlTLS) {
			s.TLS.Version = tls.Version(p.TLS)
		}
		if e.Has(CtlZeroRTT) {
			s.TLS.Resume = p.ZeroRTT
			s.TLS.EarlyData = p.ZeroRTT
		}
		if e.Has(CtlWarm) {
			s.Visit.Repeat = p.Warm
		}
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// setPath sets the member at the dotted path of the JSON object m, making
// the objects on the way. Not inlined: its 26 calls in buildDocument, each
// a copy of its loop, cost the wasm 7 kB gzipped.
//
//go:noinline
func setPath(m map[string]any, path string, v any) {
	parts := strings.Split(path, ".")
	for _, k := range parts[:len(parts)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	m[parts[len(parts)-1]] = v
}

// buildDocument applies p to s's scenario document as a JSON merge patch
// and decodes it again, variants and all.
func (p Params) buildDocument(s *scenario.Scenario, e LibraryEntry) (*scenario.Scenario, error) {
	// The library's document as shipped: an encoded scenario spells out
	// what the variants' patches may set in short.
	b, ok := scenario.LibraryDocument(s.Name)
	if !ok {
		var err error
		if b, err = scenario.Encode(s); err != nil {
			return nil, err
		}
	}
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber() // seeds above 2^53 stay exact
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	patch := map[string]any{}
	set := func(path string, v any) { setPath(patch, path, v) }
	if e.Has(CtlSeed) {
		set("seed", json.Number(strconv.FormatUint(p.Seed, 10)))
	}
	if e.Has(CtlRTT) {
		set("network.rtt", strconv.Itoa(p.RTTMillis)+"ms")
	}
	if e.Has(CtlBandwidth) {
		set("network.bandwidth", strconv.Itoa(p.BandwidthKbps)+"Kbps")
	}
	if e.Has(CtlLoss) || e.Has(CtlBurst) {
		switch {
		case p.LossPermille == 0:
			set("network.down.loss.model", "none")
			set("network.down.loss.rate", nil)
			set("network.down.loss.mean_burst", nil)
		case p.Burst > 1:
			set("network.down.loss.model", "burst")
			set("network.down.loss.rate", formatFixed(int64(p.LossPermille), 1)+"%")
			set("network.down.loss.mean_burst", p.Burst)
		default:
			set("network.down.loss.model", "bernoulli")
			set("network.down.loss.rate", formatFixed(int64(p.LossPermille), 1)+"%")
			set("network.down.loss.mean_burst", nil)
		}
	}
	if e.Has(CtlSize) && s.Workload == scenario.WorkloadBulk {
		set("workload.size", strconv.Itoa(p.SizeKB)+"KB")
	}
	if s.Workload == scenario.WorkloadPage {
		if e.Has(CtlProtocols) {
			set("protocols", protoList(p.Protos))
		}
		if e.Has(CtlConns) {
			set("h1.max_conns", p.H1Conns)
		}
		if e.Has(CtlPipe) {
			set("h1.pipelining", p.Pipelining)
		}
		if e.Has(CtlHTTP10) {
			set("h1.http10", p.HTTP10)
		}
		if e.Has(CtlScheduler) {
			set("h2.scheduler", p.Scheduler)
		}
		if e.Has(CtlHPACK) {
			set("h2.header_table_size", p.HPACKTable)
		}
		if e.Has(CtlQPACK) {
			set("h3.qpack_table_capacity", p.QPACKTable)
			set("h3.qpack_blocked_streams", p.qpackBlocked())
		}
		if e.Has(CtlPush) {
			set("h2.push", p.Push)
		}
		if e.Has(CtlTLS) {
			set("tls.version", p.TLS)
		}
		if e.Has(CtlZeroRTT) {
			set("tls.resume", p.ZeroRTT)
			set("tls.early_data", p.ZeroRTT)
		}
		if e.Has(CtlWarm) {
			set("workload.visit.repeat", p.Warm)
		}
	}
	out, err := json.Marshal(mergePatch(doc, patch))
	if err != nil {
		return nil, err
	}
	return scenario.Decode(out)
}

// mergePatch applies an RFC 7386 JSON merge patch: objects merge member by
// member, null removes a member, anything else replaces.
func mergePatch(target, patch map[string]any) map[string]any {
	if target == nil {
		target = map[string]any{}
	}
	for k, v := range patch {
		switch pv := v.(type) {
		case nil:
			delete(target, k)
		case map[string]any:
			t, _ := target[k].(map[string]any)
			target[k] = mergePatch(t, pv)
		default:
			target[k] = v
		}
	}
	return target
}

// LossString formats the loss rate as a percentage, e.g. "1.5%".
func (p Params) LossString() string { return units.Percent(p.lossRate()) }

// rtt, bandwidth and lossRate are the settings in the simulator's units.
func (p Params) rtt() time.Duration    { return time.Duration(p.RTTMillis) * time.Millisecond }
func (p Params) bandwidth() units.Rate { return units.Rate(int64(p.BandwidthKbps) * 1000) }
func (p Params) lossRate() float64     { return float64(p.LossPermille) / 1000 }

// RTTString formats the round-trip time, e.g. "80ms".
func (p Params) RTTString() string { return strconv.Itoa(p.RTTMillis) + "ms" }

// BandwidthString formats the bandwidth, e.g. "10 Mbps".
func (p Params) BandwidthString() string { return formatKbps(p.BandwidthKbps) }

func formatKbps(kbps int) string {
	if kbps >= 1000 {
		return strconv.FormatFloat(float64(kbps)/1000, 'f', -1, 64) + " Mbps"
	}
	return strconv.Itoa(kbps) + " kbps"
}

// qpackBlocked is SETTINGS_QPACK_BLOCKED_STREAMS for p's QPACK table:
// qpackBlockedStreams with a dynamic table, none without.
func (p Params) qpackBlocked() int {
	if p.QPACKTable > 0 {
		return qpackBlockedStreams
	}
	return 0
}

// String summarises p for logs and tests.
func (p Params) String() string {
	return fmt.Sprintf("%s loss=%s burst=%d rtt=%s bw=%s seed=%d proto=%s sched=%s conns=%d pipe=%v http10=%v tls=%s 0rtt=%v hpack=%d qpack=%d push=%v warm=%v size=%dKB",
		p.Scenario, p.LossString(), p.Burst, p.RTTString(), p.BandwidthString(), p.Seed, p.Protos, p.Scheduler,
		p.H1Conns, p.Pipelining, p.HTTP10, p.TLS, p.ZeroRTT, p.HPACKTable, p.QPACKTable, p.Push, p.Warm, p.SizeKB)
}

// nearestStep returns the index of the step closest to v (steps ascending).
func nearestStep(steps []int, v int) int {
	best := 0
	for i, s := range steps {
		if abs(s-v) < abs(steps[best]-v) {
			best = i
		}
	}
	return best
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func clamp(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}
