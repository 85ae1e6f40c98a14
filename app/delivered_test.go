package app

import (
	"slices"
	"strconv"
	"testing"

	"httpsim/sim/scenario"
)

// TestDeliveredAtApplicationLevel checks that a row's progress counts a
// byte as delivered when the application gets it, as the row's first
// byte, completion and head-of-line spans do: over TLS when the record
// that holds it has been opened (RFC 8446 §5.2), not when TCP delivers it
// in order. Nothing is delivered before the first byte, everything by
// completion, and never more than has arrived. HTTP/1.1, HTTP/2 and
// HTTP/3 (DefaultParams runs all three), over each TLS setting, with and
// without loss and pipelining, then every lesson at 2 % loss.
func TestDeliveredAtApplicationLevel(t *testing.T) {
	for _, ver := range []string{"1.3", "1.2", "none"} {
		for _, loss := range []int{0, 30} {
			for _, pipe := range []bool{false, true} {
				p := DefaultParams()
				p.TLS, p.LossPermille, p.Scheduler, p.Pipelining = ver, loss, "rr", pipe
				_, _, views := runViews(t, p)
				if len(views) != 3 {
					t.Fatalf("%v: %d views; want h1, h2 and h3", p, len(views))
				}
				for _, v := range views {
					name := "TLS " + ver + ", loss " + strconv.Itoa(loss) + "‰, pipelining " + strconv.FormatBool(pipe) + ", " + v.proto
					checkDelivered(t, name, v)
					checkRecordWaits(t, name, v)
				}
			}
		}
	}
	for _, e := range Library() {
		s, err := scenario.Builtin(e.Name)
		if err != nil {
			t.Fatal(err)
		}
		p := ParamsFrom(s)
		p.LossPermille = 20
		_, _, views := runViews(t, p)
		for _, v := range views {
			checkDelivered(t, e.Name+" "+v.names[LangEN], v)
		}
	}
}

// checkDelivered checks every finished resource of v fetched over the
// network, reporting the first three that fail and how many did.
func checkDelivered(t *testing.T, name string, v *runView) {
	t.Helper()
	itoa := func(x int64) string { return strconv.FormatInt(x, 10) }
	bad := 0
	for _, r := range v.rows {
		if r.done < 0 || r.total <= 0 || r.cache == "fresh" || r.failed {
			continue
		}
		msg := ""
		if d := r.delivered.value(r.firstByte - 1); r.firstByte >= 0 && d != 0 {
			msg = "delivered " + itoa(d) + " before the first byte at " + itoa(r.firstByte)
		}
		if a, d := r.arrived.value(r.done), r.delivered.value(r.done); a != r.total || d != r.total {
			msg = "arrived " + itoa(a) + ", delivered " + itoa(d) + " at completion; want both " + itoa(r.total)
		}
		for _, x := range slices.Concat(r.arrived.at, r.delivered.at) {
			if a, d := r.arrived.value(x), r.delivered.value(x); d > a {
				msg = "delivered " + itoa(d) + " > arrived " + itoa(a) + " at " + itoa(x)
				break
			}
		}
		if msg != "" {
			if bad < 3 {
				t.Errorf("%s %s: %s", name, r.label, msg)
			}
			bad++
		}
	}
	if bad > 3 {
		t.Errorf("%s: %d rows in all", name, bad)
	}
}

// checkRecordWaits checks v's TCP receive buffers whenever TCP delivers:
// over TLS, bytes TCP delivered past the last record opened wait, first
// among the ranges, behind the rest of one record (at most 2^14+256 bytes
// and its header, RFC 8446 §5.2); without TLS, nothing waits in order.
func checkRecordWaits(t *testing.T, name string, v *runView) {
	t.Helper()
	for i := range v.conns {
		c := &v.conns[i]
		for _, at := range c.delivered.at {
			tcp := c.delivered.value(at)
			edge, ranges := c.buffered(at, nil)
			ok := edge == tcp && (len(ranges) == 0 || ranges[0][0] > tcp)
			if c.tls && edge < tcp {
				// An empty range last marks the end of that record.
				last := ranges[len(ranges)-1]
				ok = ranges[0] == [2]int64{edge, tcp} && (last[0] < last[1] || last[1]-edge <= 1<<14+256+5)
			}
			if !ok {
				t.Errorf("%s conn %d at %d: TCP delivered %d; buffered = %d, %v", name, i, at, tcp, edge, ranges)
				return
			}
		}
	}
}

// Over TLS the receive buffer's edge is the end of the last record
// opened: bytes TCP delivered past it wait, behind the record's missing
// rest, which an empty range at the record's end marks.
func TestBufferedWaitsForTheRecord(t *testing.T) {
	c := connRecv{
		tls:       true,
		recv:      []byteRange{{1, 0, 100}, {2, 150, 200}, {5, 100, 150}, {5, 200, 220}},
		delivered: cumSeries{at: []int64{1, 5}, sum: []int64{100, 220}},
		opened:    cumSeries{at: []int64{1, 5}, sum: []int64{60, 220}}, // records [0, 60) and [60, 220)
	}
	// Records [0, 20), [20, 60) and [60, 220), the first two opened at 1.
	steps := c
	steps.opened = cumSeries{at: []int64{1, 1, 5}, sum: []int64{20, 60, 220}}
	plain := c
	plain.tls = false
	tests := []struct {
		c      *connRecv
		t      int64
		edge   int64
		ranges [][2]int64
	}{
		{&c, 0, 0, nil},
		{&c, 1, 60, [][2]int64{{60, 100}, {220, 220}}},
		{&c, 2, 60, [][2]int64{{60, 100}, {150, 200}, {220, 220}}},
		{&c, 5, 220, nil},
		{&steps, 1, 60, [][2]int64{{60, 100}, {220, 220}}},
		{&plain, 1, 100, nil},
		{&plain, 2, 100, [][2]int64{{150, 200}}},
	}
	for _, tt := range tests {
		edge, ranges := tt.c.buffered(tt.t, nil)
		if edge != tt.edge || !slices.Equal(ranges, tt.ranges) {
			t.Errorf("buffered(%d) over TLS %v = %d, %v; want %d, %v", tt.t, tt.c.tls, edge, ranges, tt.edge, tt.ranges)
		}
	}
	// At 2: 90 bytes wait, 50 are missing before [150, 200), and the
	// record's last 20 have not come yet; at 1 nothing is missing.
	for _, tt := range []struct {
		t    int64
		want bufferGaps
	}{{1, bufferGaps{stuck: 40, toCome: 120}}, {2, bufferGaps{stuck: 90, missing: 50, toCome: 20}}} {
		if got := gapsIn(c.buffered(tt.t, nil)); got != tt.want {
			t.Errorf("gapsIn at %d = %+v; want %+v", tt.t, got, tt.want)
		}
	}
}
