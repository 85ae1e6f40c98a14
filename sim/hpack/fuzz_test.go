package hpack

import (
	"encoding/hex"
	"errors"
	"testing"

	xhpack "golang.org/x/net/http2/hpack"
)

// FuzzDecode feeds arbitrary octets to the decoder as two blocks sharing a
// context. It must never panic; whatever it accepts, x/net's decoder must
// accept with the same fields, and re-encoding the fields with each
// strategy must decode back to them.
func FuzzDecode(f *testing.F) {
	for _, seq := range rfcSequences {
		for _, blk := range seq.blocks {
			f.Add(dehex(f, blk.wire), uint8(0))
		}
	}
	for _, s := range loadStories(f, "nghttp2")[:2] {
		s.cases = s.cases[:min(5, len(s.cases))]
		for _, c := range s.cases {
			b, _ := hex.DecodeString(c.Wire)
			f.Add(b, uint8(len(b)/2))
		}
	}
	f.Add([]byte{0x20, 0x3f, 0xe1, 0x1f, 0x82}, uint8(1))
	f.Add([]byte{0x00, 0x01, 0x61, 0x84, 0xff, 0xff, 0xff, 0xff}, uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, split uint8) {
		cut := min(int(split), len(data))
		blocks := [][]byte{data[:cut], data[cut:]}
		d := NewDecoder(DefaultTableSize)
		xd := xhpack.NewDecoder(DefaultTableSize, nil)
		var lists [][]HeaderField
		for _, b := range blocks {
			got, err := d.Decode(nil, b, nil)
			xgot, xerr := xnetDecode(xd, b)
			if err != nil {
				var de *DecodingError
				if !errors.As(err, &de) || !errors.Is(err, ErrCompression) {
					t.Fatalf("Decode(%x) error %v is not a compression error", b, err)
				}
				break
			}
			if xerr != nil {
				t.Fatalf("Decode(%x) = %v; x/net refuses it: %v", b, got, xerr)
			}
			if !equalFields(got, xgot) {
				t.Fatalf("Decode(%x) = %v; x/net decodes %v", b, got, xgot)
			}
			lists = append(lists, got)
		}
		for _, s := range []Strategy{StrategyDefault, StrategyIndexAll, StrategyNeverIndex} {
			e := NewEncoder(DefaultTableSize)
			e.SetStrategy(s)
			d := NewDecoder(DefaultTableSize)
			for _, fields := range lists {
				block := e.Encode(nil, fields, nil)
				got, err := d.Decode(nil, block, nil)
				if err != nil || !equalFields(plainFields(got), plainFields(fields)) {
					t.Fatalf("%v: re-encoded %v as %x, decoded %v, %v", s, fields, block, got, err)
				}
				for i := range got {
					if fields[i].Sensitive && !got[i].Sensitive {
						t.Fatalf("%v: field %v lost its never-indexed flag", s, fields[i])
					}
				}
			}
		}
	})
}
