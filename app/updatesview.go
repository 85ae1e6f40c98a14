package app

import (
	"math"
	"strconv"

	"httpsim/sim/updates"
)

// rowsFromUpdates makes a lane row for each update of an updates run (short
// polling, long polling, WebSocket): from when the server had it to when
// the page had all of it, drawn as waiting, so that the rows show the update
// latency the summary averages. The rows map to no connection's bytes: an
// update may share a response or a connection's bytes with others. Their
// stream is what the run's head-of-line events name (sim/updates): the
// request whose answer carried the update, or over WebSocket the update
// itself, so that its lane shows the wait; -1 for an update polling never
// delivered (a limit stopped the run), which no answer carried.
func (v *runView) rowsFromUpdates(u *updates.Result) {
	v.updateRows = true
	v.updateNumbers = u.Mode == updates.WebSocket // a WebSocket frame carries one update
	for _, e := range u.PerEvent {
		stream := e.Request
		if v.updateNumbers {
			stream = int64(e.ID)
		}
		r := laneRow{res: -1, label: "#" + strconv.Itoa(e.ID+1), conn: -1, stream: stream,
			discovered: msToNs(e.GeneratedMs), sent: msToNs(e.GeneratedMs), firstByte: -1, done: -1}
		if e.DeliveredMs >= 0 {
			r.firstByte, r.done = msToNs(e.DeliveredMs), msToNs(e.DeliveredMs)
		}
		v.rows = append(v.rows, r)
	}
}

// msToNs converts the updates package's milliseconds to the page's
// nanoseconds.
func msToNs(ms float64) int64 { return int64(math.Round(ms * 1e6)) }
