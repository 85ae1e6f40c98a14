package qpack

import (
	"errors"
	"testing"
)

// fuzzPrime is the encoder stream of B.2 and B.3: three entries in a
// 220-octet table, for fuzzed sections to reference.
const fuzzPrime = primeB2 + "4a63 7573 746f 6d2d 6b65 790c 6375 7374 6f6d 2d76 616c 7565"

// fuzzLater is the rest of Appendix B's encoder stream: a Duplicate and an
// insertion with eviction, which may unblock a fuzzed section.
const fuzzLater = "02 810d 6375 7374 6f6d 2d76 616c 7565 32"

// checkQPACKError fails unless err is an *Error with one of the codes.
func checkQPACKError(t *testing.T, what string, err error, codes ...ErrorCode) {
	t.Helper()
	var qe *Error
	if !errors.As(err, &qe) {
		t.Fatalf("%s: error %v is not a *qpack.Error", what, err)
	}
	for _, c := range codes {
		if qe.Code == c && errors.Is(err, c) {
			return
		}
	}
	if qe.Reason == ReasonFieldSectionTooLarge && errors.Is(err, ErrFieldSectionTooLarge) {
		return
	}
	t.Fatalf("%s: error %v has code %v; want one of %v", what, err, qe.Code, codes)
}

// FuzzDecodeFieldSection decodes arbitrary octets as a field section on a
// connection with three entries in its table. It must never panic; errors
// must be QPACK_DECOMPRESSION_FAILED; and whatever it decodes, re-encoded
// with each strategy, must decode to the same field list, never-indexed
// fields staying so.
func FuzzDecodeFieldSection(f *testing.F) {
	for _, s := range rfcSteps {
		if s.section != "" {
			f.Add(dehex(f, s.section))
		}
	}
	for _, s := range []string{"0000 2700 6162", "0300 81", "0381 12", "0000 51 82 1fff", "0000 ff24", "0482 80 10", "0500 7f00 00 0a 01 61 3200 00"} {
		f.Add(dehex(f, s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d := NewDecoder(rfcCapacity, 4)
		if _, err := d.FeedEncoderStream(dehex(t, fuzzPrime), nil); err != nil {
			t.Fatal(err)
		}
		fields, blocked, err := d.DecodeFieldSection(0, data, nil)
		if err != nil {
			checkQPACKError(t, "DecodeFieldSection", err, ErrDecompressionFailed)
			return
		}
		if blocked {
			unblocked, err := d.FeedEncoderStream(dehex(t, fuzzLater), nil)
			if err != nil {
				checkQPACKError(t, "unblocking", err, ErrDecompressionFailed)
				return
			}
			if len(unblocked) == 0 {
				return // still blocked: a Required Insert Count past the 5 insertions
			}
			if len(unblocked) != 1 || unblocked[0].StreamID != 0 {
				t.Fatalf("unblocked %+v; want stream 0", unblocked)
			}
			if unblocked[0].Err != nil {
				checkQPACKError(t, "unblocked", unblocked[0].Err)
				return
			}
			fields = unblocked[0].Fields
		}
		for _, s := range []Strategy{StrategyStaticOnly, StrategyDynamic, StrategyIndexAll} {
			e := NewEncoder()
			e.SetStrategy(s)
			e.SetPeerSettings(rfcCapacity, 1)
			d := NewDecoder(rfcCapacity, 1)
			d.SetMaxFieldSectionSize(1 << 20)
			for i := range 2 { // twice: the second time from the table
				sec, es := e.EncodeFieldSection(uint64(4*i), fields, nil)
				if _, err := d.FeedEncoderStream(es, nil); err != nil {
					t.Fatalf("%v: re-encoded encoder stream %x: %v", s, es, err)
				}
				got, blocked, err := d.DecodeFieldSection(uint64(4*i), sec, nil)
				if err != nil || blocked || !equalFields(plainFields(got), plainFields(fields)) {
					t.Fatalf("%v: re-encoded %v as %x, decoded %v, %v, %v", s, fields, sec, got, blocked, err)
				}
				for j := range got {
					if fields[j].Sensitive && !got[j].Sensitive {
						t.Fatalf("%v: field %v lost its 'N' bit", s, fields[j])
					}
				}
				if err := e.FeedDecoderStream(d.AppendDecoderStream(nil, nil), nil); err != nil {
					t.Fatalf("%v: decoder stream: %v", s, err)
				}
			}
		}
	})
}

// FuzzEncoderStream feeds arbitrary octets to a decoder as its encoder
// stream, whole and in two pieces. It must never panic; both must end the
// same way (the same error, or the same table); errors must be
// QPACK_ENCODER_STREAM_ERROR; and the instructions parsed must append and
// parse back to themselves.
func FuzzEncoderStream(f *testing.F) {
	f.Add(dehex(f, appendixBEncoderStream), uint8(5))
	f.Add(dehex(f, primeEvicted+"01"), uint8(1))
	for _, s := range []string{"3fbe01", "3f09 c0 7f 40", "3fbd01 c0 84 ffff ffff", "3fbd01 00", "3f45 6c f1e3 c2e5 f23a 6ba0 ab90 f4ff 01 61 00 00"} {
		f.Add(dehex(f, s), uint8(2))
	}
	f.Fuzz(func(t *testing.T, data []byte, split uint8) {
		whole := NewDecoder(rfcCapacity, 4)
		_, errWhole := whole.FeedEncoderStream(data, nil)
		pieces := NewDecoder(rfcCapacity, 4)
		cut := min(int(split), len(data))
		_, errPieces := pieces.FeedEncoderStream(data[:cut], nil)
		if errPieces == nil {
			_, errPieces = pieces.FeedEncoderStream(data[cut:], nil)
		}
		if (errWhole == nil) != (errPieces == nil) || errWhole != nil && errWhole.Error() != errPieces.Error() {
			t.Fatalf("FeedEncoderStream(%x) = %v whole, %v in pieces at %d", data, errWhole, errPieces, cut)
		}
		if errWhole != nil {
			checkQPACKError(t, "FeedEncoderStream", errWhole, ErrEncoderStreamError)
		} else {
			a, b := whole.AppendTable(nil), pieces.AppendTable(nil)
			if len(a) != len(b) || whole.Capacity() != pieces.Capacity() {
				t.Fatalf("tables differ: %+v whole, %+v in pieces", a, b)
			}
			for i := range a {
				if a[i] != b[i] {
					t.Fatalf("tables differ: %+v whole, %+v in pieces", a, b)
				}
			}
		}
		// Parse, append, parse: the same instructions.
		rest := data
		for {
			in, n, err := ParseEncoderInstruction(rest, 1<<20)
			if err != nil || n == 0 {
				break
			}
			re := AppendEncoderInstruction(nil, in)
			back, m, err := ParseEncoderInstruction(re, 1<<20)
			if err != nil || m != len(re) || back != in {
				t.Fatalf("instruction %+v appended as %x parses as %+v, %d, %v", in, re, back, m, err)
			}
			rest = rest[n:]
		}
	})
}

// fuzzEncoder is an encoder that has sent B.2's section on stream 4, a
// section on stream 8 and one that inserts on stream 12, so that a fuzzed
// decoder stream has sections to acknowledge and insertions to count.
func fuzzEncoder(t *testing.T) *Encoder {
	e := newTestEncoder(StrategyIndexAll, rfcCapacity, 2)
	e.EncodeFieldSection(4, rfcSteps[1].fields, nil)
	e.EncodeFieldSection(8, rfcSteps[1].fields, nil)
	e.EncodeFieldSection(12, []Field{hf("x-a", "1")}, nil)
	if e.InsertCount() != 3 || e.BlockedStreams() != 2 {
		t.Fatalf("fuzz encoder: %d insertions, %d blocked streams; want 3, 2", e.InsertCount(), e.BlockedStreams())
	}
	return e
}

// FuzzDecoderStream feeds arbitrary octets to an encoder as its decoder
// stream, whole and in two pieces. It must never panic; both must end the
// same way; errors must be QPACK_DECODER_STREAM_ERROR; the encoder's counts
// must stay consistent; and the instructions must append and parse back to
// themselves.
func FuzzDecoderStream(f *testing.F) {
	for _, s := range []string{"84", "84 88", "03", "48 4c 01", "00", "8c 8c", "ff80ffffffffffffff3f", "01 01 01 01"} {
		f.Add(dehex(f, s), uint8(1))
	}
	f.Fuzz(func(t *testing.T, data []byte, split uint8) {
		whole := fuzzEncoder(t)
		errWhole := whole.FeedDecoderStream(data, nil)
		pieces := fuzzEncoder(t)
		cut := min(int(split), len(data))
		errPieces := pieces.FeedDecoderStream(data[:cut], nil)
		if errPieces == nil {
			errPieces = pieces.FeedDecoderStream(data[cut:], nil)
		}
		if (errWhole == nil) != (errPieces == nil) || errWhole != nil && errWhole.Error() != errPieces.Error() {
			t.Fatalf("FeedDecoderStream(%x) = %v whole, %v in pieces at %d", data, errWhole, errPieces, cut)
		}
		if errWhole != nil {
			checkQPACKError(t, "FeedDecoderStream", errWhole, ErrDecoderStreamError)
			return
		}
		if whole.KnownReceivedCount() > whole.InsertCount() || whole.KnownReceivedCount() != pieces.KnownReceivedCount() ||
			whole.BlockedStreams() != pieces.BlockedStreams() || whole.BlockedStreams() > 2 {
			t.Fatalf("after %x: Known Received Count %d/%d of %d insertions, blocked streams %d/%d", data,
				whole.KnownReceivedCount(), pieces.KnownReceivedCount(), whole.InsertCount(), whole.BlockedStreams(), pieces.BlockedStreams())
		}
		refs := 0
		for _, e := range whole.AppendTable(nil) {
			if e.Refs < 0 {
				t.Fatalf("entry %+v has negative references", e)
			}
			refs += e.Refs
		}
		outstanding := 0
		for _, secs := range whole.sections {
			for _, s := range secs {
				outstanding += len(s.refs)
			}
		}
		if refs != outstanding {
			t.Fatalf("table counts %d references; the outstanding sections hold %d", refs, outstanding)
		}
		rest := data
		for {
			in, n, err := ParseDecoderInstruction(rest)
			if err != nil || n == 0 {
				break
			}
			re := AppendDecoderInstruction(nil, in)
			back, m, err := ParseDecoderInstruction(re)
			if err != nil || m != len(re) || back != in {
				t.Fatalf("instruction %+v appended as %x parses as %+v, %d, %v", in, re, back, m, err)
			}
			rest = rest[n:]
		}
	})
}
