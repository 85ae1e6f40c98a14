package tls

import (
	"testing"
	"time"

	"httpsim/sim"
	"httpsim/sim/bytestream"
	"httpsim/sim/tcp"
	"httpsim/sim/units"
)

// abortApp aborts its connection once TCP delivers bytes that waited for a
// hole: from inside OnData (inside), as HTTP/1.1's client does on a parse
// error, or just after the delivery (from the loop), and records what it is
// handed, and when.
type abortApp struct {
	*app
	inside  bool
	inData  bool // OnData is running
	armed   bool // a delivery waited: abort
	aborted bool
	after   int64 // bytes handed to OnData after the abort
	heldN   int64
	heldIn  int // OnHeld calls made inside OnData
	stopped int // OnStopped calls
}

func (a *abortApp) OnData(now sim.Time, d bytestream.Slice, at tcp.Arrival) {
	if a.aborted {
		a.after += d.N
		return
	}
	a.inData = true
	defer func() { a.inData = false }()
	a.app.OnData(now, d, at)
	if at.InOrder <= at.At || a.armed {
		return
	}
	a.armed = true
	if a.inside {
		a.aborted = true
		a.conn.Abort()
		return
	}
	a.conn.loop.After(now, func(sim.Time) { a.aborted = true; a.conn.Abort() })
}

func (a *abortApp) OnHeld(now sim.Time, d bytestream.Slice, at tcp.Arrival) {
	if a.inData {
		a.heldIn++
	}
	a.heldN += d.N
}

func (a *abortApp) OnStopped(sim.Time) { a.stopped++ }

// An application aborting its connection from inside OnData gets nothing
// more through OnData; what TCP and the record layer had not handed it
// yet, and what was held behind holes, comes through OnHeld once OnData has
// returned, each byte once: as much in all as when it aborts just after
// the delivery. (A later loss keeps bytes held at the abort in both, so
// that the record left incomplete counts in both.) Before, the abort flushed the held bytes from inside the
// delivery, re-entering the record reader: the record being delivered was
// handed up twice, the rest of the delivery went on to OnData, read from a
// buffer the flush had discarded.
func TestAbortInsideOnData(t *testing.T) {
	for _, drops := range [][]int{{10, 20}, {10, 11, 20}, {10, 20, 21}, {15, 30}} {
		run := func(inside bool) *abortApp {
			p := newTLSPair(t, DefaultConfig(), 50*time.Millisecond, 10*units.Mbps, drops...)
			p.server.filler = 60000
			a := &abortApp{app: p.client, inside: inside}
			p.c.SetHandler(a)
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("drops %v, abort inside %v: panic: %v", drops, inside, r)
					}
				}()
				p.loop.Run(0)
			}()
			if !a.aborted {
				t.Fatalf("drops %v: no delivery waited for a hole", drops)
			}
			return a
		}
		in, out := run(true), run(false)
		if out.after != 0 {
			t.Fatalf("drops %v: %d bytes delivered after an abort from the loop", drops, out.after)
		}
		if in.after != 0 || in.heldIn != 0 || in.stopped != 1 {
			t.Errorf("drops %v: after the abort inside OnData, %d bytes went to OnData, %d OnHeld calls ran inside it, %d OnStopped; want 0, 0, 1",
				drops, in.after, in.heldIn, in.stopped)
		}
		if got, want := in.gotN+in.heldN, out.gotN+out.heldN; got != want {
			t.Errorf("drops %v: aborted inside OnData, %d bytes delivered and %d held (%d); aborted after it, %d and %d (%d)",
				drops, in.gotN, in.heldN, got, out.gotN, out.heldN, want)
		}
	}
}
