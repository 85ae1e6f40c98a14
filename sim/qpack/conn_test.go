package qpack

import (
	"fmt"
	"testing"
)

// connSim plays one direction of an HTTP/3 connection between an Encoder
// and a Decoder: the encoder encodes header lists on successive request
// streams, and the three kinds of octets (encoder stream, field sections,
// decoder stream) reach the other side each after its own delay, counted
// in header lists, the way QUIC delivers streams independently.
type connSim struct {
	t   testing.TB
	enc *Encoder
	dec *Decoder
	// Delays, in header lists, of the encoder stream, the sections and
	// the decoder stream; and the size of the pieces the encoder stream
	// is delivered in (0: whole).
	lagEncoder, lagSection, lagDecoder int
	piece                              int
	blockedLimit                       uint64

	step     int
	encQ     []timed[[]byte]
	secQ     []timed[sentSection]
	decQ     []timed[[]byte]
	want     map[uint64][]Field
	got      map[uint64][]Field
	lastRIC  uint64 // of the last section unblocked
	blocked  int    // sections that blocked
	sections int    // sections sent

	// Octets sent: field sections, encoder stream, decoder stream.
	sectionOctets, encoderOctets, decoderOctets int
}

type timed[T any] struct {
	due int
	v   T
}

type sentSection struct {
	id   uint64
	data []byte
	rec  SectionRecord
}

func newConnSim(t testing.TB, s Strategy, capacity, blocked uint64) *connSim {
	e := NewEncoder()
	e.SetStrategy(s)
	e.SetPeerSettings(capacity, blocked)
	return &connSim{
		t: t, enc: e, dec: NewDecoder(capacity, blocked), blockedLimit: blocked,
		want: map[uint64][]Field{}, got: map[uint64][]Field{},
	}
}

// send encodes fields on the next request stream and delivers what is due.
func (c *connSim) send(fields []Field) {
	c.t.Helper()
	id := uint64(4 * c.sections)
	c.sections++
	var rec SectionRecord
	sec, es := c.enc.EncodeFieldSection(id, fields, &rec)
	c.checkEncoderRecord(id, sec, es, fields, &rec)
	c.sectionOctets += len(sec)
	c.encoderOctets += len(es)
	c.want[id] = wantSensitive(fields)
	if len(es) > 0 {
		c.encQ = append(c.encQ, timed[[]byte]{c.step + c.lagEncoder, es})
	}
	c.secQ = append(c.secQ, timed[sentSection]{c.step + c.lagSection, sentSection{id, sec, rec.Clone()}})
	c.deliver(c.step)
	c.step++
}

// finish delivers everything still in flight and checks that every
// section was decoded into its fields and the tables agree.
func (c *connSim) finish() {
	c.t.Helper()
	for len(c.encQ)+len(c.secQ)+len(c.decQ) > 0 {
		c.deliver(c.step)
		c.step++
	}
	if len(c.got) != c.sections {
		c.t.Fatalf("%d sections decoded; want %d", len(c.got), c.sections)
	}
	for id, w := range c.want {
		if !equalFields(c.got[id], w) {
			c.t.Fatalf("stream %d decoded %v; want %v", id, c.got[id], w)
		}
	}
	if n := c.dec.BlockedStreams(); n != 0 {
		c.t.Errorf("%d streams still blocked", n)
	}
	if c.enc.KnownReceivedCount() != c.dec.KnownReceivedCount() || c.enc.InsertCount() != c.dec.InsertCount() {
		c.t.Errorf("encoder Insert Count %d, Known Received Count %d; decoder %d, %d",
			c.enc.InsertCount(), c.enc.KnownReceivedCount(), c.dec.InsertCount(), c.dec.KnownReceivedCount())
	}
	et, dt := c.enc.AppendTable(nil), c.dec.AppendTable(nil)
	if len(et) != len(dt) {
		c.t.Fatalf("encoder table has %d entries, decoder %d", len(et), len(dt))
	}
	for i := range et {
		if et[i].Index != dt[i].Index || et[i].Name != dt[i].Name || et[i].Value != dt[i].Value || et[i].Refs != 0 || !et[i].Acknowledged {
			c.t.Fatalf("entry %d: encoder %+v, decoder %+v; want the same, acknowledged, unreferenced", i, et[i], dt[i])
		}
	}
	if c.enc.BlockedStreams() != 0 {
		c.t.Errorf("encoder counts %d streams that may block; want 0 once all is acknowledged", c.enc.BlockedStreams())
	}
}

// deliver hands the other side what is due at step now: encoder stream
// octets, then sections, then the decoder stream the decoder writes.
func (c *connSim) deliver(now int) {
	c.t.Helper()
	for len(c.encQ) > 0 && c.encQ[0].due <= now {
		es := c.encQ[0].v
		c.encQ = c.encQ[1:]
		for len(es) > 0 {
			n := len(es)
			if c.piece > 0 {
				n = min(n, c.piece)
			}
			unblocked, err := c.dec.FeedEncoderStream(es[:n], nil)
			if err != nil {
				c.t.Fatalf("FeedEncoderStream: %v", err)
			}
			for _, u := range unblocked {
				if u.Err != nil {
					c.t.Fatalf("stream %d unblocked with %v", u.StreamID, u.Err)
				}
				if u.Record.RequiredInsertCount < c.lastRIC {
					c.t.Fatalf("stream %d (Required Insert Count %d) unblocked after one with %d", u.StreamID, u.Record.RequiredInsertCount, c.lastRIC)
				}
				c.lastRIC = u.Record.RequiredInsertCount
				c.decoded(u.StreamID, u.Fields)
			}
			es = es[n:]
		}
	}
	for len(c.secQ) > 0 && c.secQ[0].due <= now {
		s := c.secQ[0].v
		c.secQ = c.secQ[1:]
		var rec SectionRecord
		fields, blocked, err := c.dec.DecodeFieldSection(s.id, s.data, &rec)
		if err != nil {
			c.t.Fatalf("stream %d: DecodeFieldSection(%x): %v", s.id, s.data, err)
		}
		if uint64(c.dec.BlockedStreams()) > c.blockedLimit {
			c.t.Fatalf("%d streams blocked; the limit is %d", c.dec.BlockedStreams(), c.blockedLimit)
		}
		if blocked {
			c.blocked++
			if !s.rec.Blocked {
				c.t.Fatalf("stream %d blocked, but the encoder said it could not", s.id)
			}
			continue
		}
		c.checkDecoderRecord(&s.rec, &rec)
		c.decoded(s.id, fields)
	}
	if ds := c.dec.AppendDecoderStream(nil, nil); len(ds) > 0 {
		c.decoderOctets += len(ds)
		c.decQ = append(c.decQ, timed[[]byte]{now + c.lagDecoder, ds})
	}
	for len(c.decQ) > 0 && c.decQ[0].due <= now {
		if err := c.enc.FeedDecoderStream(c.decQ[0].v, nil); err != nil {
			c.t.Fatalf("FeedDecoderStream(%x): %v", c.decQ[0].v, err)
		}
		c.decQ = c.decQ[1:]
	}
}

func (c *connSim) decoded(id uint64, fields []Field) {
	c.t.Helper()
	if _, dup := c.got[id]; dup {
		c.t.Fatalf("stream %d decoded twice", id)
	}
	if !equalFields(fields, c.want[id]) {
		c.t.Fatalf("stream %d decoded %v; want %v", id, fields, c.want[id])
	}
	c.got[id] = fields
}

// checkEncoderRecord checks that the encoder's record adds up.
func (c *connSim) checkEncoderRecord(id uint64, sec, es []byte, fields []Field, rec *SectionRecord) {
	c.t.Helper()
	sum := rec.PrefixLen
	for i, f := range rec.Fields {
		if f.Offset != sum || f.Name != fields[i].Name || f.Value != fields[i].Value {
			c.t.Fatalf("stream %d field %d record %+v at offset %d; want %v", id, i, f, sum, fields[i])
		}
		sum += f.WireLen
	}
	if rec.WireLen != len(sec) || sum != len(sec) || len(rec.Fields) != len(fields) || rec.EncoderStream.WireLen != len(es) || rec.StreamID != id {
		c.t.Fatalf("stream %d record: %d octets (fields add up to %d), %d fields, %d encoder-stream octets; have %d, %d, %d",
			id, rec.WireLen, sum, len(rec.Fields), rec.EncoderStream.WireLen, len(sec), len(fields), len(es))
	}
	if c.enc.strategy == StrategyStaticOnly && (len(es) != 0 || rec.RequiredInsertCount != 0) {
		c.t.Fatalf("stream %d: static-only encoder wrote %x on the encoder stream, Required Insert Count %d", id, es, rec.RequiredInsertCount)
	}
	if uint64(c.enc.BlockedStreams()) > c.blockedLimit {
		c.t.Fatalf("encoder lets %d streams block; the limit is %d", c.enc.BlockedStreams(), c.blockedLimit)
	}
}

// checkDecoderRecord checks that the decoder saw the representations the
// encoder chose.
func (c *connSim) checkDecoderRecord(enc, dec *SectionRecord) {
	c.t.Helper()
	if enc.RequiredInsertCount != dec.RequiredInsertCount || enc.Base != dec.Base || enc.WireLen != dec.WireLen || len(enc.Fields) != len(dec.Fields) {
		c.t.Fatalf("stream %d: encoder record %s; decoder %s", enc.StreamID, summary(enc), summary(dec))
	}
	for i := range enc.Fields {
		e, d := enc.Fields[i], dec.Fields[i]
		if e != d {
			c.t.Fatalf("stream %d field %d: encoder record %+v; decoder %+v", enc.StreamID, i, e, d)
		}
	}
}

func summary(r *SectionRecord) string {
	return fmt.Sprintf("RIC=%d Base=%d len=%d fields=%d", r.RequiredInsertCount, r.Base, r.WireLen, len(r.Fields))
}
