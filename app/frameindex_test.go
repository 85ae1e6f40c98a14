package app

import (
	"strings"
	"testing"

	"httpsim/sim/tls"
	"httpsim/sim/trace"
)

// dataWholeOracle returns, for each frame of a run in the order written,
// when its receiver's HTTP layer had all of it if it is a DATA frame (-1:
// never, or not DATA), worked out from the trace alone: the frame's end in
// the sender's application bytes (HTTP/2, after the client's 24-byte
// preface) or in its stream (HTTP/3), against the plaintext the receiver
// had in order: TCP's deliveries, or with TLS the content of the
// application_data records it opened (RFC 8446 §5.2).
func dataWholeOracle(log *trace.Log, h3 bool, v tls.Version) []int64 {
	type key struct {
		conn   int32
		server bool // the sender
		stream int64
	}
	type wait struct {
		frame int
		end   int64
	}
	off, edge := map[key]int64{}, map[key]int64{}
	pending := map[key][]wait{}
	var out []int64
	prefix, suffix := recordOverhead(v)
	advance := func(k key, to, at int64) {
		edge[k] = max(edge[k], to)
		rest := pending[k][:0]
		for _, w := range pending[k] {
			if w.end <= edge[k] {
				out[w.frame] = at
			} else {
				rest = append(rest, w)
			}
		}
		pending[k] = rest
	}
	for e := range log.All() {
		if e.Side != trace.Client && e.Side != trace.Server || e.Conn < 0 {
			continue
		}
		sender := key{e.Conn, e.Side != trace.Server, -1} // of what the event's side receives
		if h3 {
			sender.stream = e.Stream
		}
		switch {
		case e.Kind == trace.FrameCreated:
			k := key{e.Conn, e.Side == trace.Server, -1}
			if h3 {
				k.stream = e.Stream
			}
			if _, ok := off[k]; !ok && !h3 && !k.server {
				off[k] = 24 // RFC 9113 §3.4
			}
			off[k] += e.Len
			out = append(out, -1)
			if e.Name == "DATA" || e.Name == "data" {
				pending[k] = append(pending[k], wait{len(out) - 1, off[k]})
			}
		case e.Kind == trace.DataMoved && (h3 || v == tls.None):
			advance(sender, e.Seq+e.Len, int64(e.At))
		case e.Kind == trace.RecordParsed && !h3 && e.Name == "application_data":
			advance(sender, edge[sender]+e.Len-prefix-suffix, int64(e.At))
		}
	}
	return out
}

// A DATA frame counts as parsed, filled in the strip, once its last byte
// has reached the receiver's HTTP layer, not when its header was read with
// the payload still on its way or stuck behind a hole; its details say so.
func TestDataFramesParsedWhole(t *testing.T) {
	for _, version := range []tls.Version{tls.None, tls.TLS12, tls.TLS13} {
		p := lossyParams()
		p.Protos, p.TLS = "h2,h3", string(version)
		_, res, views := runViews(t, p)
		for vi, v := range views {
			want := dataWholeOracle(res.Runs[vi].Log, v.quic, version) // QUIC: no records
			if len(want) != len(v.frames) {
				t.Fatalf("TLS %s %s: %d frames; the trace has %d", p.TLS, v.proto, len(v.frames), len(want))
			}
			bad, early := 0, 0
			for i, f := range v.frames {
				if !f.whole {
					if want[i] >= 0 {
						t.Errorf("TLS %s %s frame %d (%s): not counted as DATA", p.TLS, v.proto, i, f.name)
					}
					continue
				}
				if f.parsed != want[i] {
					if bad++; bad <= 3 {
						t.Errorf("TLS %s %s frame %d (%s, stream %d): parsed = %d; want %d, when it was received whole", p.TLS, v.proto, i, f.name, f.stream, f.parsed, want[i])
					}
				}
				// Details at a moment its header was read but not all of
				// it: not yet whole.
				at := f.parsed - 1
				if f.parsed < 0 || at < f.created || early > 0 {
					continue
				}
				early++
				for tm, when := range map[int64]string{at: "not yet received whole at this moment", f.parsed: "received whole at " + formatTime(f.parsed)} {
					if d := frameDetailsOf(v, i, tm, LangEN); !strings.HasSuffix(d.When, when) {
						t.Errorf("TLS %s %s frame %d: details at %d say %q; want %q", p.TLS, v.proto, i, tm, d.When, when)
					}
				}
			}
			if early == 0 {
				t.Errorf("TLS %s %s: no DATA frame to check", p.TLS, v.proto)
			}
		}
	}
}
