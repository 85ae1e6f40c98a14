package qpack

import "testing"

// benchCorpus is raw-data as header lists per story, and its size in name
// and value octets, the figure b.SetBytes reports throughput in.
func benchCorpus(b *testing.B) ([][][]Field, int64) {
	var stories [][][]Field
	var n int64
	for _, s := range loadStories(b) {
		for _, fields := range s.lists {
			for _, f := range fields {
				n += int64(len(f.Name) + len(f.Value))
			}
		}
		stories = append(stories, s.lists)
	}
	return stories, n
}

// benchModes are the encoder settings benchmarked: the default, and the
// dynamic table with blocking allowed.
var benchModes = []struct {
	name              string
	strategy          Strategy
	capacity, blocked uint64
}{
	{"static", StrategyStaticOnly, 0, 0},
	{"dynamic", StrategyDynamic, 4096, 16},
}

// acknowledge feeds e what its peer's decoder would write after decoding
// the section just encoded on stream id: a Section Acknowledgment if the
// section references the table, then an Insert Count Increment for the
// rest. It stands in for the decoder in encoding benchmarks.
func acknowledge(b *testing.B, e *Encoder, id uint64, buf []byte) []byte {
	buf = buf[:0]
	if len(e.sections[id]) > 0 {
		buf = AppendDecoderInstruction(buf, DecoderInstruction{Type: SectionAcknowledgment, StreamID: id})
	}
	known := e.knownReceived
	if len(e.sections[id]) > 0 {
		known = max(known, e.sections[id][0].ric)
	}
	if e.table.inserts > known {
		buf = AppendDecoderInstruction(buf, DecoderInstruction{Type: InsertCountIncrement, Increment: e.table.inserts - known})
	}
	if len(buf) > 0 {
		if err := e.FeedDecoderStream(buf, nil); err != nil {
			b.Fatal(err)
		}
	}
	return buf
}

// BenchmarkEncode encodes all of raw-data, one encoder per story, each
// header list on its own stream, acknowledged before the next.
func BenchmarkEncode(b *testing.B) {
	stories, n := benchCorpus(b)
	for _, m := range benchModes {
		b.Run(m.name, func(b *testing.B) {
			b.SetBytes(n)
			b.ReportAllocs()
			var sec, es, ack []byte
			for b.Loop() {
				for _, lists := range stories {
					e := NewEncoder()
					e.SetStrategy(m.strategy)
					e.SetPeerSettings(m.capacity, m.blocked)
					for i, fields := range lists {
						sec, es = e.AppendFieldSection(sec[:0], es[:0], uint64(4*i), fields, nil)
						if m.strategy != StrategyStaticOnly {
							ack = acknowledge(b, e, uint64(4*i), ack)
						}
					}
				}
			}
		})
	}
}

// encodedStory is one story encoded: per header list, the encoder stream
// octets and the field section.
type encodedStory struct {
	encoderStream, sections [][]byte
}

// BenchmarkDecode decodes all of raw-data as the encoder of each mode
// wrote it, one decoder per story: the encoder stream, then the section,
// then the decoder stream the decoder writes.
func BenchmarkDecode(b *testing.B) {
	stories, n := benchCorpus(b)
	for _, m := range benchModes {
		var encoded []encodedStory
		for _, lists := range stories {
			c := newConnSim(b, m.strategy, m.capacity, m.blocked)
			var es encodedStory
			for i, fields := range lists {
				sec, s := c.enc.EncodeFieldSection(uint64(4*i), fields, nil)
				es.encoderStream = append(es.encoderStream, s)
				es.sections = append(es.sections, sec)
				if _, err := c.dec.FeedEncoderStream(s, nil); err != nil {
					b.Fatal(err)
				}
				if _, _, err := c.dec.DecodeFieldSection(uint64(4*i), sec, nil); err != nil {
					b.Fatal(err)
				}
				if err := c.enc.FeedDecoderStream(c.dec.AppendDecoderStream(nil, nil), nil); err != nil {
					b.Fatal(err)
				}
			}
			encoded = append(encoded, es)
		}
		b.Run(m.name, func(b *testing.B) {
			b.SetBytes(n)
			b.ReportAllocs()
			var out []Field
			var ds []byte
			for b.Loop() {
				for _, s := range encoded {
					d := NewDecoder(m.capacity, m.blocked)
					for i, sec := range s.sections {
						if len(s.encoderStream[i]) > 0 {
							if _, err := d.FeedEncoderStream(s.encoderStream[i], nil); err != nil {
								b.Fatal(err)
							}
						}
						var err error
						if out, _, err = d.AppendFieldSection(out[:0], uint64(4*i), sec, nil); err != nil {
							b.Fatal(err)
						}
						ds = d.AppendDecoderStream(ds[:0], nil)
					}
				}
			}
		})
	}
}
