package app

import (
	"math"
	"strconv"

	"httpsim/sim/updates"
)

// rowsFromUpdates makes a lane row for each update of an updates run (short
// polling, long polling, WebSocket): from when the server had it to when
// the page had all of it, drawn as waiting, so that the rows show the update
// latency the summary averages. The rows map to no stream: an update may
// share a response or a connection's bytes with others.
func (v *runView) rowsFromUpdates(events []updates.EventResult) {
	ns := func(ms float64) int64 { return int64(math.Round(ms * 1e6)) }
	for _, e := range events {
		r := laneRow{res: -1, label: "#" + strconv.Itoa(e.ID+1), conn: -1, stream: -1,
			discovered: ns(e.GeneratedMs), sent: ns(e.GeneratedMs), firstByte: -1, done: -1}
		if e.DeliveredMs >= 0 {
			r.firstByte, r.done = ns(e.DeliveredMs), ns(e.DeliveredMs)
		}
		v.rows = append(v.rows, r)
	}
}
