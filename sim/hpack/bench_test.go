package hpack

import (
	"bytes"
	"testing"

	xhpack "golang.org/x/net/http2/hpack"
)

// benchCorpus is raw-data as header lists, and its size in name and value
// octets, the figure b.SetBytes reports throughput in.
func benchCorpus(b *testing.B) ([][][]HeaderField, int64) {
	var stories [][][]HeaderField
	var n int64
	for _, s := range loadStories(b, "raw-data") {
		var lists [][]HeaderField
		for _, c := range s.cases {
			fields := c.fields(b)
			for _, f := range fields {
				n += int64(len(f.Name) + len(f.Value))
			}
			lists = append(lists, fields)
		}
		stories = append(stories, lists)
	}
	return stories, n
}

// BenchmarkEncode encodes all of raw-data, one encoder per story.
func BenchmarkEncode(b *testing.B) {
	stories, n := benchCorpus(b)
	b.SetBytes(n)
	b.ReportAllocs()
	var buf []byte
	for b.Loop() {
		for _, lists := range stories {
			e := NewEncoder(DefaultTableSize)
			for _, fields := range lists {
				buf = e.Encode(buf[:0], fields, nil)
			}
		}
	}
}

// BenchmarkDecode decodes all of raw-data as the default strategy encodes
// it, one decoder per story.
func BenchmarkDecode(b *testing.B) {
	stories, n := benchCorpus(b)
	var blocks [][][]byte
	for _, lists := range stories {
		e := NewEncoder(DefaultTableSize)
		var bs [][]byte
		for _, fields := range lists {
			bs = append(bs, e.Encode(nil, fields, nil))
		}
		blocks = append(blocks, bs)
	}
	b.SetBytes(n)
	b.ReportAllocs()
	var out []HeaderField
	for b.Loop() {
		for _, bs := range blocks {
			d := NewDecoder(DefaultTableSize)
			for _, block := range bs {
				var err error
				out, err = d.Decode(out[:0], block, nil)
				if err != nil {
					b.Fatal(err)
				}
			}
		}
	}
}

// BenchmarkDecodeRecord is BenchmarkDecode with a BlockRecord filled per
// block, as the simulator's trace does.
func BenchmarkDecodeRecord(b *testing.B) {
	stories, n := benchCorpus(b)
	var blocks [][][]byte
	for _, lists := range stories {
		e := NewEncoder(DefaultTableSize)
		var bs [][]byte
		for _, fields := range lists {
			bs = append(bs, e.Encode(nil, fields, nil))
		}
		blocks = append(blocks, bs)
	}
	b.SetBytes(n)
	b.ReportAllocs()
	var out []HeaderField
	var rec BlockRecord
	for b.Loop() {
		for _, bs := range blocks {
			d := NewDecoder(DefaultTableSize)
			for _, block := range bs {
				var err error
				out, err = d.Decode(out[:0], block, &rec)
				if err != nil {
					b.Fatal(err)
				}
			}
		}
	}
}

// BenchmarkXNetEncode is BenchmarkEncode with golang.org/x/net/http2/hpack,
// for comparison.
func BenchmarkXNetEncode(b *testing.B) {
	stories, n := benchCorpus(b)
	b.SetBytes(n)
	b.ReportAllocs()
	var buf bytes.Buffer
	for b.Loop() {
		for _, lists := range stories {
			e := xhpack.NewEncoder(&buf)
			for _, fields := range lists {
				buf.Reset()
				for _, f := range fields {
					e.WriteField(xhpack.HeaderField{Name: f.Name, Value: f.Value})
				}
			}
		}
	}
}

// BenchmarkXNetDecode is BenchmarkDecode with golang.org/x/net/http2/hpack.
func BenchmarkXNetDecode(b *testing.B) {
	stories, n := benchCorpus(b)
	var blocks [][][]byte
	for _, lists := range stories {
		e := NewEncoder(DefaultTableSize)
		var bs [][]byte
		for _, fields := range lists {
			bs = append(bs, e.Encode(nil, fields, nil))
		}
		blocks = append(blocks, bs)
	}
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		for _, bs := range blocks {
			d := xhpack.NewDecoder(DefaultTableSize, func(xhpack.HeaderField) {})
			for _, block := range bs {
				if _, err := d.Write(block); err != nil {
					b.Fatal(err)
				}
				if err := d.Close(); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
}
