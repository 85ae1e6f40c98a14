package app

import (
	"httpsim/sim/scenario"
	"httpsim/sim/trace"
)

// browsersView is what the views read of a run through an edge: the
// browser's connections, seen from the browser (client) and from what it
// talks to, the edge, which the views draw as the server. The edge's own
// connections to the origin are left out: the ladder, the lanes, the
// buffers and the frame strip show the page load as the browser has it,
// and an edge's connection would be drawn as if it were the browser's,
// with its own numbering. The summary's totals (bytes on the wire, edge
// hits and misses) still count both legs; they come from the run.
//
// Without an edge it is the run's own log, untouched.
func browsersView(s *scenario.Scenario, log *trace.Log) *trace.Log {
	if !s.Network.HasEdge() || log == nil {
		return log
	}
	var browser []bool // by connection: the browser is one of its ends
	for e := range log.All() {
		if e.Side == trace.Client && e.Conn >= 0 {
			for int(e.Conn) >= len(browser) {
				browser = append(browser, false)
			}
			browser[e.Conn] = true
		}
	}
	out := trace.NewLog(true)
	for e := range log.All() {
		if e.Conn >= 0 && (int(e.Conn) >= len(browser) || !browser[e.Conn]) {
			continue // the edge and the origin
		}
		ev := *e
		if ev.Side == trace.Edge {
			ev.Side = trace.Server
		}
		out.Emit(ev)
	}
	return out
}
