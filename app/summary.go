package app

import (
	"math"
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"

	"httpsim/sim/scenario"
	"httpsim/sim/web"
)

// SummaryCol is the headline of one protocol's run: small, so that it can
// sit in an exported component field (go-app compares those with
// reflect.DeepEqual, which follows the Updates pointer).
type SummaryCol struct {
	Proto string
	// Names is the column's heading in each language: the protocol, or
	// the scenario variant.
	Names  [2]string
	Status string
	// PLT is the page load time (or the transfer's completion), ns; -1 if
	// it did not finish.
	PLT int64
	// Goodput is a bulk transfer's, as text; empty for a page.
	Goodput string
	// HOL and LossDelay total the resources' head-of-line time and their
	// wait for their own retransmissions, ns.
	HOL, LossDelay int64
	// HOLBy splits HOL by cause; the causes can add up to more than HOL
	// (web.ResourceState.HOLBy).
	HOLBy              web.HOLByCause
	Packets, Lost, Rtx int64
	// QueueLost is the part of Lost that a full drop-tail queue dropped:
	// why packets are lost at 0 % loss.
	QueueLost              int64
	Wire, Overhead, Header int64
	Conns                  int
	// EdgeHits, EdgeMisses and EdgeRevalidated count an edge cache's
	// answers (X-Cache); all 0 without an edge.
	EdgeHits, EdgeMisses int64
	EdgeRevalidated      int64
	Hash                 string
	// Variant is the scenario variant the run belongs to, "" if none.
	Variant string
	// Failed counts the page's fetches that failed (a reset connection):
	// the page may still finish loading, as a browser's load event fires
	// whatever its subresources did.
	Failed int64
	// Unexpected counts the responses with a status the page does not
	// declare (a simulated server's own error, such as an edge's 502):
	// the page did not load as the scenario says.
	Unexpected int64
	// Updates is set for a run of server-to-client updates (short
	// polling, long polling, WebSocket), where what matters is how late
	// each update reaches the page, not a page load time.
	Updates *UpdatesSummary
}

// UpdatesSummary is what the summary shows of an updates run.
type UpdatesSummary struct {
	// Latency from the server having an update to the page having all of
	// it, ns: mean, median, 95th percentile, worst.
	Mean, Median, P95, Max int64
	// Delivered updates; HTTP requests the page sent; answers without an
	// update (204); updates held back behind a lost segment.
	Delivered, Requests, Empty, HOL int64
}

func summaryOfRun(r *scenario.ProtocolRun) SummaryCol {
	col := SummaryCol{
		Proto: r.Proto, Status: r.Status, PLT: int64(r.PLT),
		HOL: int64(r.HOL), LossDelay: int64(r.LossDelay), HOLBy: r.HOLBy,
		Packets: r.PacketsSent, Lost: r.PacketsLost, QueueLost: r.PacketsLostQueue, Rtx: r.Retransmits,
		Wire: r.Wire.Total, Overhead: r.Wire.Total - r.Wire.Bodies, Header: r.HeaderBytes,
		Conns: r.Connections, Hash: r.TraceHash,
		EdgeHits: int64(r.EdgeHits), EdgeMisses: int64(r.EdgeMisses), EdgeRevalidated: int64(r.EdgeRevalidated),
	}
	for _, x := range r.Resources {
		if x.Failed != "" {
			col.Failed++
		}
		if x.Unexpected {
			col.Unexpected++
		}
	}
	if u := r.Updates; u != nil {
		ns := func(ms float64) int64 {
			if u.Latency.Count == 0 {
				return -1 // no update arrived: no latency, not a zero one
			}
			return msToNs(ms)
		}
		col.Updates = &UpdatesSummary{
			Mean: ns(u.Latency.Mean), Median: ns(u.Latency.Median), P95: ns(u.Latency.P95), Max: ns(u.Latency.Max),
			Delivered: int64(u.Delivered), Requests: u.Requests, Empty: u.EmptyResponses, HOL: int64(u.HOLEvents),
		}
	}
	return col
}

func summaryOfBulk(r *scenario.Result) SummaryCol {
	return SummaryCol{
		Proto: "tcp", Status: r.Status, PLT: int64(r.Completion), Goodput: r.Goodput.String(),
		Packets: r.SegmentsSent, Lost: r.SegmentsLost, QueueLost: r.Down.DroppedQueue, Rtx: r.Retransmits,
		Wire: r.Down.Bytes, Conns: 1, Hash: r.TraceHash,
	}
}

// Completion times that are not times.
const (
	doneCached = -2 // served from the cache
	doneFailed = -3 // the fetch failed (a reset connection, say)
)

// SummaryResource is one resource's completion time in each column.
type SummaryResource struct {
	Label string
	Done  []int64 // ns, -1 if not done; doneCached, doneFailed
	// FirstByte is when its response's first byte came, ns, -1 if none;
	// Status the response's status code, 0 if none.
	FirstByte []int64
	Status    []int
	// Edge is the edge cache's X-Cache verdict in each view ("HIT",
	// "MISS"), empty where no edge answered.
	Edge []string
	// Retried says the request was sent again after its connection
	// failed: its first byte is the first any attempt received (the
	// first attempt's, unless that one got none).
	Retried []bool
}

// Summary compares the runs: one column per protocol, the differences from
// the first column marked, and each resource's completion time.
type Summary struct {
	app.Compo

	Lang      Lang
	Cols      []SummaryCol
	Resources []SummaryResource
	// State is "loading" before the first result, "running", "error" or
	// "done"; tests wait on it (data-state).
	State string
	// Status is the line under the table: progress or an error.
	Status string

	page *Page
}

// OnMount registers the summary with the page, which updates its state
// when a run starts without re-rendering the page (see Page.setParams).
func (c *Summary) OnMount(ctx app.Context) {
	if c.page != nil {
		c.page.sum = c
	}
}

// OnDismount unregisters it.
func (c *Summary) OnDismount() {
	if c.page != nil && c.page.sum == c {
		c.page.sum = nil
	}
}

// Render draws the comparison table.
func (c *Summary) Render() app.UI {
	l := c.Lang
	statusClass := "hs-status"
	if c.State == "error" {
		statusClass += " hs-error"
	}
	var body []app.UI
	if len(c.Cols) > 0 {
		body = append(body, c.table())
		if len(c.Cols) > 1 {
			diff := "sum.diff"
			if c.byVariant() {
				diff = "sum.diff.variant"
			}
			body = append(body, app.P().Class("hs-note").Text(l.T(diff)))
		}
		for _, col := range c.Cols {
			// A run a limit stopped is compared with finished ones: say
			// so, or its "not loaded" and its smaller counts mislead.
			if limit := limitKey(col.Status); limit != "" {
				body = append(body, app.P().Class("hs-note hs-error").Text(l.T("sum.stopped", col.Names[l], l.T(limit))))
			}
		}
		if len(c.Resources) > 1 {
			body = append(body, c.resourceTable())
		}
	} else if c.State != "error" {
		body = append(body, app.P().Class("hs-note").Text(l.T("sum.waiting")))
	}
	// Not a live region: "Simulating…" was read out on every slider step.
	// The timeline announces each settled run (Page.announce).
	body = append(body, app.Div().ID("summary-status").Class(statusClass).Text(c.Status))
	return app.Div().ID("summary").Class("hs-summary").Attr("data-state", c.State).Body(body...)
}

// limitKey is the message key of a run status (sim.Status's string) that
// means a limit stopped the run, or "".
func limitKey(status string) string {
	switch status {
	case "time limit":
		return "sum.limit.time"
	case "event limit":
		return "sum.limit.events"
	}
	return ""
}

// summaryRow is one metric: how to read it from a column, print it, and
// whether less is better.
type summaryRow struct {
	id, key string
	value   func(SummaryCol) int64
	format  func(int64) string
	lower   bool // lower is better; false: no judgement
}

func (c *Summary) rows() []summaryRow {
	l := c.Lang
	count := func(v int64) string {
		if v < 0 {
			return "–" // not measured in this run
		}
		return strconv.FormatInt(v, 10)
	}
	dur := func(v int64) string {
		if v < 0 {
			return l.T("sum.notloaded")
		}
		return formatTime(v)
	}
	if len(c.Cols) > 0 && c.Cols[0].Updates != nil {
		return c.updatesRows(count)
	}
	bulk := len(c.Cols) > 0 && c.Cols[0].Proto == "tcp"
	plt := "sum.plt"
	if bulk {
		plt = "sum.completion"
	}
	rows := []summaryRow{
		{"plt", plt, func(s SummaryCol) int64 { return s.PLT }, dur, true},
	}
	for _, col := range c.Cols {
		if col.Failed > 0 {
			// Next to the load time, which a failed fetch can shorten.
			rows = append(rows, summaryRow{"failed", "sum.failed.n", func(s SummaryCol) int64 { return s.Failed }, count, true})
			break
		}
	}
	for _, col := range c.Cols {
		if col.Unexpected > 0 {
			// So can a document answered with an error.
			rows = append(rows, summaryRow{"unexpected", "sum.unexpected.n", func(s SummaryCol) int64 { return s.Unexpected }, count, true})
			break
		}
	}
	if !bulk {
		rows = append(rows, summaryRow{"hol", "sum.hol", func(s SummaryCol) int64 { return s.HOL }, formatTime, true})
		// What held the resources back: each cause some column has.
		for k, cause := range holCauseRows {
			for _, col := range c.Cols {
				if col.HOLBy[k] > 0 {
					rows = append(rows, summaryRow{cause.id, cause.key, func(s SummaryCol) int64 { return int64(s.HOLBy[k]) }, formatTime, true})
					break
				}
			}
		}
		rows = append(rows, summaryRow{"lossdelay", "sum.lossdelay", func(s SummaryCol) int64 { return s.LossDelay }, formatTime, true})
	}
	// Through an edge, the bytes counted cross both hops (browser to edge,
	// edge to origin), where the frame strip and the header panel show the
	// browser's connection alone: the labels say so.
	wire, headers := "sum.wire", "sum.headers"
	if c.hasEdge() {
		wire, headers = "sum.wire.edge", "sum.headers.edge"
	}
	// Over QUIC a packet here is a UDP datagram, as TCP's is an IP
	// packet: the ladder draws the QUIC packets coalesced in one
	// separately (a lost datagram crosses several), so the labels say so.
	packets, lost := "sum.packets", "sum.lost"
	for _, col := range c.Cols {
		if col.Proto == "h3" {
			packets, lost = "sum.packets.quic", "sum.lost.quic"
		}
	}
	rows = append(rows,
		summaryRow{"packets", packets, func(s SummaryCol) int64 { return s.Packets }, count, true},
		summaryRow{"lost", lost, func(s SummaryCol) int64 { return s.Lost }, count, false},
		summaryRow{"queuelost", "sum.queuelost", func(s SummaryCol) int64 { return s.QueueLost }, count, false},
		summaryRow{"rtx", "sum.rtx", func(s SummaryCol) int64 { return s.Rtx }, count, true},
		summaryRow{"wire", wire, func(s SummaryCol) int64 { return s.Wire }, formatBytes, true},
	)
	if !bulk {
		rows = append(rows,
			summaryRow{"overhead", "sum.overhead", func(s SummaryCol) int64 { return s.Overhead }, formatBytes, true},
			summaryRow{"headers", headers, func(s SummaryCol) int64 { return s.Header }, formatBytes, true},
			summaryRow{"conns", "sum.conns", func(s SummaryCol) int64 { return int64(s.Conns) }, count, false},
		)
	}
	if c.hasEdge() {
		rows = append(rows,
			summaryRow{"edgehits", "sum.edgehits", func(s SummaryCol) int64 { return s.EdgeHits }, count, false},
			summaryRow{"edgemisses", "sum.edgemisses", func(s SummaryCol) int64 { return s.EdgeMisses }, count, false},
			summaryRow{"edgereval", "sum.edgereval", func(s SummaryCol) int64 { return s.EdgeRevalidated }, count, false},
		)
	}
	return rows
}

// holCauseRows are the rows under the head-of-line total, by web.HOLCause.
var holCauseRows = [web.NumHOLCauses]struct{ id, key string }{
	web.HOLTransport: {"hol-transport", "sum.hol.tcp"},
	web.HOLHTTP:      {"hol-http", "sum.hol.http"},
	web.HOLQPACK:     {"hol-qpack", "sum.hol.qpack"},
	web.HOLHandshake: {"hol-handshake", "sum.hol.keys"},
}

// marksNote is the message key of the note on the timeline's marks for
// runs like col: what its black triangles stand for.
func marksNote(col SummaryCol) string {
	switch {
	case col.Updates != nil:
		return "tl.marks.updates"
	case col.Proto == "tcp":
		return "tl.marks.bulk"
	}
	return "tl.marks"
}

// updatesRows compare updates runs: the update latency first, then what
// each way of getting updates costs in requests, packets and bytes.
func (c *Summary) updatesRows(count func(int64) string) []summaryRow {
	u := func(f func(*UpdatesSummary) int64) func(SummaryCol) int64 {
		return func(s SummaryCol) int64 {
			if s.Updates == nil {
				return -1
			}
			return f(s.Updates)
		}
	}
	return []summaryRow{
		{"latmean", "sum.lat.mean", u(func(x *UpdatesSummary) int64 { return x.Mean }), formatTime, true},
		{"latmedian", "sum.lat.median", u(func(x *UpdatesSummary) int64 { return x.Median }), formatTime, true},
		{"latp95", "sum.lat.p95", u(func(x *UpdatesSummary) int64 { return x.P95 }), formatTime, true},
		{"latmax", "sum.lat.max", u(func(x *UpdatesSummary) int64 { return x.Max }), formatTime, true},
		{"delivered", "sum.delivered", u(func(x *UpdatesSummary) int64 { return x.Delivered }), count, false},
		{"requests", "sum.requests", u(func(x *UpdatesSummary) int64 { return x.Requests }), count, true},
		{"empty", "sum.empty", u(func(x *UpdatesSummary) int64 { return x.Empty }), count, true},
		{"holevents", "sum.holevents", u(func(x *UpdatesSummary) int64 { return x.HOL }), count, true},
		{"packets", "sum.packets", func(s SummaryCol) int64 { return s.Packets }, count, true},
		{"lost", "sum.lost", func(s SummaryCol) int64 { return s.Lost }, count, false},
		{"rtx", "sum.rtx", func(s SummaryCol) int64 { return s.Rtx }, count, true},
		{"wire", "sum.wire", func(s SummaryCol) int64 { return s.Wire }, formatBytes, true},
		{"overhead", "sum.overhead", func(s SummaryCol) int64 { return s.Overhead }, formatBytes, true},
		{"headers", "sum.headers", func(s SummaryCol) int64 { return s.Header }, formatBytes, true},
		{"conns", "sum.conns", func(s SummaryCol) int64 { return int64(s.Conns) }, count, false},
	}
}

// hasEdge reports whether an edge cache answered in any column.
func (c *Summary) hasEdge() bool {
	for _, col := range c.Cols {
		if col.EdgeHits+col.EdgeMisses+col.EdgeRevalidated > 0 {
			return true
		}
	}
	return false
}

// baseColumns gives, for each column, the column it is compared with: the
// first column of its variant when the variant runs several protocols (the
// loss sweep's HTTP/3 beside its HTTP/2 at each loss, which is what the
// lesson is about), else the first column.
func (c *Summary) baseColumns() []int {
	bases := make([]int, len(c.Cols))
	for i, col := range c.Cols {
		for j := range i {
			if col.Variant != "" && c.Cols[j].Variant == col.Variant {
				bases[i] = j
				break
			}
		}
	}
	return bases
}

// byVariant reports whether some column is compared within its variant.
func (c *Summary) byVariant() bool {
	for i, b := range c.baseColumns() {
		if b != 0 && b != i {
			return true
		}
	}
	return false
}

func (c *Summary) table() app.UI {
	l := c.Lang
	head := []app.UI{app.Th().Attr("scope", "col").Text(l.T("sum.metric"))}
	for _, col := range c.Cols {
		head = append(head, app.Th().Attr("scope", "col").Text(col.Names[l]))
	}
	var trs []app.UI
	bases := c.baseColumns()
	for _, r := range c.rows() {
		cells := []app.UI{app.Th().Attr("scope", "row").Text(l.T(r.key))}
		format := c.rowFormat(r)
		for i, col := range c.Cols {
			first := c.Cols[bases[i]]
			base := r.value(first)
			v := r.value(col)
			text := format(v)
			class := ""
			// Marked only where a reader sees a difference, and not where
			// less is no better: a run with failed fetches sent fewer
			// bytes because its upload failed, one with a status the
			// page does not declare loaded less than the page, and one
			// a limit stopped counted less because it stopped.
			whole := func(s SummaryCol) bool { return s.Failed == 0 && s.Unexpected == 0 && limitKey(s.Status) == "" }
			comparable := r.id == "failed" || r.id == "unexpected" || whole(col) && whole(first)
			if bases[i] != i && r.lower && comparable && v != base && v >= 0 && base >= 0 && text != format(base) {
				if v > base {
					text += " ▲"
					class = "hs-worse"
				} else {
					text += " ▼"
					class = "hs-better"
				}
				if rel := relative(v, base); rel != "" {
					text += " " + rel
				}
			}
			td := app.Td().ID("summary-" + r.id + "-" + strconv.Itoa(i)).Text(text)
			if class != "" {
				td = td.Class(class)
			}
			cells = append(cells, td)
		}
		trs = append(trs, app.Tr().Body(cells...))
	}
	if c.Cols[0].Goodput != "" {
		cells := []app.UI{app.Th().Attr("scope", "row").Text(l.T("sum.goodput"))}
		for i, col := range c.Cols {
			cells = append(cells, app.Td().ID("summary-goodput-"+strconv.Itoa(i)).Text(col.Goodput))
		}
		trs = append(trs, app.Tr().Body(cells...))
	}
	hash := []app.UI{app.Th().Attr("scope", "row").Text(l.T("sum.hash"))}
	for i, col := range c.Cols {
		hash = append(hash, app.Td().ID("summary-hash-"+strconv.Itoa(i)).Class("hs-mono").Text(col.Hash))
	}
	trs = append(trs, app.Tr().Body(hash...))
	// A named region: wider than its panel, the browser makes it a tab
	// stop, and draw.js lets its arrows scroll it.
	return app.Div().Class("hs-wide").Attr("role", "region").Aria("label", l.T("sum.table")).Body(app.Table().Class("hs-table").Body(
		app.THead().Body(app.Tr().Body(head...)),
		app.TBody().Body(trs...),
	))
}

// rowFormat is r's format, but with one unit across a row of times from a
// second up: in seconds if any column's time is 10 s or more (where
// formatTime turns to seconds), so that "9870.4 ms" and "10.21 s" do not
// stand side by side. A time under a second keeps its milliseconds: in
// seconds, 4.3 ms read "0.00 s", as if nothing.
func (c *Summary) rowFormat(r summaryRow) func(int64) string {
	// A row of times formats as formatTime does (a probe: the rows' own
	// formats differ only for negative values, which they say in words).
	if r.format(1) != formatTime(1) {
		return r.format
	}
	for _, col := range c.Cols {
		if r.value(col) >= 10e9 {
			return func(v int64) string {
				if v < 999_950_000 { // "999.9 ms"; 999.95 would read "1000.0 ms"
					return r.format(v)
				}
				return formatSeconds(v)
			}
		}
	}
	return r.format
}

// relative prints v against base as a ratio, e.g. "×1.8" or "−35%".
func relative(v, base int64) string {
	if base == 0 {
		return ""
	}
	r := float64(v) / float64(base)
	if r >= 1.5 {
		return "×" + strconv.FormatFloat(r, 'f', 1, 64)
	}
	pct := int(math.Round((r - 1) * 100))
	if pct == 0 {
		return "" // under half a per cent: the arrow says which way
	}
	if pct > 0 {
		return "+" + strconv.Itoa(pct) + "%"
	}
	return "−" + strconv.Itoa(-pct) + "%"
}

func (c *Summary) resourceTable() app.UI {
	l := c.Lang
	head := []string{l.T("sum.resource")}
	for _, col := range c.Cols {
		head = append(head, col.Names[l])
	}
	trs := make([]rawRow, 0, len(c.Resources))
	for _, r := range c.Resources {
		cells := []rawCell{{rowHeader: true, text: r.Label}}
		best := int64(-1)
		for _, d := range r.Done {
			if d >= 0 && (best < 0 || d < best) {
				best = d
			}
		}
		for k, d := range r.Done {
			var text string
			switch {
			case d == doneCached:
				text = l.T("sum.cached")
			case d == doneFailed:
				text = l.T("sum.failed")
			case d < 0:
				text = "–"
			default:
				text = formatTime(d)
				if k < len(r.FirstByte) && r.FirstByte[k] >= 0 {
					// First byte → done: the time to first byte the
					// lessons compare, and the transfer after it.
					text = formatTime(r.FirstByte[k]) + " → " + text
				}
			}
			if k < len(r.Status) && r.Status[k] != 0 && r.Status[k] != 200 {
				text += " · " + strconv.Itoa(r.Status[k])
			}
			if k < len(r.Edge) && r.Edge[k] != "" {
				text += " · " + r.Edge[k]
			}
			if k < len(r.Retried) && r.Retried[k] {
				text += " · " + l.T("sum.retried")
			}
			td := rawCell{text: text}
			if len(r.Done) > 1 && d >= 0 && d == best {
				td.class = "hs-best"
			}
			cells = append(cells, td)
		}
		trs = append(trs, rawRow{cells: cells})
	}
	return app.Details().Class("hs-details").Body(
		app.Summary().Text(l.T("sum.resources")),
		rawTable("hs-table hs-table-small", head, trs),
	)
}

// summaryResources lists each resource's completion in every view.
func summaryResources(views []*runView) []SummaryResource {
	// A bulk transfer has one "resource"; an updates run has updates, whose
	// times the lanes and the latency rows show.
	if len(views) == 0 || views[0].proto == "tcp" || views[0].summary.Updates != nil {
		return nil
	}
	byRes := map[int]int{}
	var out []SummaryResource
	for vi, v := range views {
		for _, r := range v.rows {
			i, ok := byRes[r.res]
			if !ok {
				i = len(out)
				byRes[r.res] = i
				done := make([]int64, len(views))
				for k := range done {
					done[k] = -1
				}
				fb := make([]int64, len(views))
				for k := range fb {
					fb[k] = -1
				}
				out = append(out, SummaryResource{Label: ellipsize(r.path, 40), Done: done, FirstByte: fb,
					Status: make([]int, len(views)), Edge: make([]string, len(views)), Retried: make([]bool, len(views))})
			}
			d := r.done
			switch {
			case r.cache == "fresh":
				d = doneCached
			case r.failed:
				// A failed fetch has an end time, not a completion.
				d = doneFailed
			}
			out[i].Done[vi] = d
			out[i].Edge[vi] = r.edge
			out[i].Status[vi] = r.status
			out[i].Retried[vi] = r.retried
			if d >= 0 {
				out[i].FirstByte[vi] = r.firstByte
			}
		}
	}
	return out
}
