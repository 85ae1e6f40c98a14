package qpack

import (
	"errors"
	"strings"
	"testing"
)

// Encoder streams to prime decoders with.
const (
	// primeB2 is B.2's: capacity 220, then :authority=www.example.com
	// (absolute index 0) and :path=/sample/path (1).
	primeB2 = "3fbd01 c00f 7777 772e 6578 616d 706c 652e 636f 6d c10c 2f73 616d 706c 652f 7061 7468"
	// primeEvicted sets capacity 100 and inserts the same two entries:
	// the second evicts the first.
	primeEvicted = "3f45 c00f 7777 772e 6578 616d 706c 652e 636f 6d c10c 2f73 616d 706c 652f 7061 7468"
)

// TestDecoderFieldSectionObligations feeds field sections that break each
// rule a decoder must enforce (RFC 9204 §2.2, §3, §4.5) and checks the
// reason, the offset and that the error is QPACK_DECOMPRESSION_FAILED.
func TestDecoderFieldSectionObligations(t *testing.T) {
	tests := []struct {
		name              string
		capacity, blocked uint64
		prime             string // encoder stream fed first
		earlier           string // a section decoded first on stream 4
		section           string // decoded on stream 0
		reason            Reason
		offset            uint64
	}{
		{"empty section", 220, 1, "", "", "", ReasonIntegerTruncated, 0},
		{"prefix without Delta Base", 220, 1, "", "", "00", ReasonIntegerTruncated, 1},
		{"truncated Required Insert Count", 220, 1, "", "", "ff", ReasonIntegerTruncated, 0},
		{"truncated index", 220, 1, "", "", "0000 ff", ReasonIntegerTruncated, 2},
		{"literal without its value", 220, 1, "", "", "0000 51", ReasonIntegerTruncated, 3},
		{"truncated value", 220, 1, "", "", "0000 510b 2f69", ReasonStringTruncated, 3},
		{"truncated literal name", 220, 1, "", "", "0000 2700 6162", ReasonStringTruncated, 2},
		{"Required Insert Count above 2^62", 220, 1, "", "", "ffff ffff ffff ffff ffff 7f00", ReasonIntegerOverflow, 0},
		{"Delta Base above 2^62", 220, 1, "", "", "00ff ffff ffff ffff ffff ff7f", ReasonIntegerOverflow, 1},
		{"index above 2^62", 220, 1, "", "", "0000 ffff ffff ffff ffff ffff 7f", ReasonIntegerOverflow, 2},
		{"Huffman value with EOS", 220, 1, "", "", "0000 51 84 ffff ffff", ReasonHuffmanEOS, 7},
		{"Huffman padding too long", 220, 1, "", "", "0000 51 82 1fff", ReasonHuffmanPaddingTooLong, 5},
		{"Huffman padding not EOS", 220, 1, "", "", "0000 51 81 00", ReasonHuffmanPaddingNotEOS, 4},
		{"Huffman literal name with EOS", 220, 1, "", "", "0000 2c ffff ffff 00", ReasonHuffmanEOS, 6},
		{"static index 99", 220, 1, "", "", "0000 ff24", ReasonStaticIndexInvalid, 2},
		{"static name index 99", 220, 1, "", "", "0000 5f54 00", ReasonStaticIndexInvalid, 2},
		{"Encoded Required Insert Count above 2*MaxEntries", 220, 1, "", "", "0d00", ReasonRequiredInsertCountInvalid, 0},
		{"Required Insert Count with no dynamic table", 0, 0, "", "", "0200 80", ReasonRequiredInsertCountInvalid, 0},
		{"Required Insert Count 0 encoded as non-zero", 220, 1, "", "", "0100", ReasonRequiredInsertCountInvalid, 0},
		{"Required Insert Count that did not wrap", 220, 1, "", "", "0c00", ReasonRequiredInsertCountInvalid, 0},
		{"negative Base", 220, 1, primeB2, "", "0382 10", ReasonBaseNegative, 1},
		{"relative index at the Base", 220, 1, primeB2, "", "0300 82", ReasonDynamicIndexInvalid, 2},
		{"relative name index at the Base", 220, 1, primeB2, "", "0300 6f00 00", ReasonDynamicIndexInvalid, 2},
		{"index not below Required Insert Count", 220, 1, primeB2, "", "0201 80", ReasonIndexNotBelowRequiredInsertCount, 2},
		{"post-Base index not below Required Insert Count", 220, 1, primeB2, "", "0381 12", ReasonIndexNotBelowRequiredInsertCount, 2},
		{"post-Base name index not below Required Insert Count", 220, 1, primeB2, "", "0381 02 00", ReasonIndexNotBelowRequiredInsertCount, 2},
		{"evicted entry", 100, 1, primeEvicted, "", "0300 81", ReasonEntryEvicted, 2},
		{"evicted name", 100, 1, primeEvicted, "", "0300 51 00 41 00", ReasonEntryEvicted, 4},
		{"Required Insert Count larger than needed", 220, 1, primeB2, "", "0300 81", ReasonRequiredInsertCountUnused, 0},
		{"Required Insert Count with no reference", 220, 1, primeB2, "", "0300 c1", ReasonRequiredInsertCountUnused, 0},
		{"no blocked stream allowed", 220, 0, "", "", "0300 81", ReasonTooManyBlockedStreams, 0},
		{"second blocked stream", 220, 1, "", "0300 81", "0300 81", ReasonTooManyBlockedStreams, 0},
	}
	for _, tt := range tests {
		d := NewDecoder(tt.capacity, tt.blocked)
		if _, err := d.FeedEncoderStream(dehex(t, tt.prime), nil); err != nil {
			t.Fatalf("%s: prime: %v", tt.name, err)
		}
		if tt.earlier != "" {
			if _, _, err := d.DecodeFieldSection(4, dehex(t, tt.earlier), nil); err != nil {
				t.Fatalf("%s: earlier section: %v", tt.name, err)
			}
		}
		section := dehex(t, tt.section)
		fields, blocked, err := d.DecodeFieldSection(0, section, nil)
		var qe *Error
		if !errors.As(err, &qe) || qe.Reason != tt.reason || qe.Offset != tt.offset {
			t.Errorf("%s: DecodeFieldSection(%x) = %v, %v, %v; want %v at byte %d", tt.name, section, fields, blocked, err, tt.reason, tt.offset)
			continue
		}
		if !errors.Is(err, ErrDecompressionFailed) || errors.Is(err, ErrEncoderStreamError) || qe.Code != ErrDecompressionFailed {
			t.Errorf("%s: error %v is not QPACK_DECOMPRESSION_FAILED alone", tt.name, err)
		}
		if !strings.Contains(err.Error(), tt.reason.Section()) {
			t.Errorf("%s: error %q does not cite %s", tt.name, err, tt.reason.Section())
		}
	}
}

// TestDecoderEncoderStreamObligations feeds encoder streams that break
// each rule of RFC 9204 §3.2 and §4.3, and checks the reason, the offset
// in the stream and that the error is QPACK_ENCODER_STREAM_ERROR.
func TestDecoderEncoderStreamObligations(t *testing.T) {
	tests := []struct {
		name     string
		capacity uint64
		stream   string
		reason   Reason
		offset   uint64
	}{
		{"capacity above the maximum", 220, "3fbe01", ReasonCapacityExceedsLimit, 0},
		{"capacity above a zero maximum", 0, "21", ReasonCapacityExceedsLimit, 0},
		{"insertion into a zero-capacity table", 220, "c0 00", ReasonEntryTooLarge, 0},
		{"entry larger than the capacity", 220, "3f09 4a63 7573 746f 6d2d 6b65 790c 6375 7374 6f6d 2d76 616c 7565", ReasonEntryTooLarge, 2},
		{"value longer than the capacity, before its octets", 220, "3f09 c0 7f 40", ReasonEntryTooLarge, 3},
		{"name longer than the capacity, before its octets", 220, "3f09 5f 30", ReasonEntryTooLarge, 2},
		{"Huffman value too long for the capacity", 220, "3f09 c0 ff 80 01", ReasonEntryTooLarge, 3},
		{"static name index 99", 220, primeB2 + "ff24 00", ReasonStaticIndexInvalid, 34},
		{"relative name index past the Insert Count", 220, primeB2 + "82 00", ReasonDynamicIndexInvalid, 34},
		{"duplicate past the Insert Count", 220, "3fbd01 00", ReasonDynamicIndexInvalid, 3},
		{"duplicate of an evicted entry", 100, primeEvicted + "01", ReasonEntryEvicted, 33},
		{"name reference to an evicted entry", 100, primeEvicted + "81 00", ReasonEntryEvicted, 33},
		{"Huffman value with EOS", 220, "3fbd01 c0 84 ffff ffff", ReasonHuffmanEOS, 8},
		{"Huffman padding not EOS", 220, "3fbd01 c0 81 00", ReasonHuffmanPaddingNotEOS, 5},
		{"capacity above 2^62", 220, "3f ffff ffff ffff ffff ff7f", ReasonIntegerOverflow, 0},
	}
	for _, tt := range tests {
		stream := dehex(t, tt.stream)
		// Whole, and one octet at a time: the same error at the same place.
		for _, piece := range []int{len(stream), 1} {
			d := NewDecoder(tt.capacity, 1)
			var err error
			for i := 0; i < len(stream) && err == nil; i += piece {
				_, err = d.FeedEncoderStream(stream[i:min(i+piece, len(stream))], nil)
			}
			var qe *Error
			if !errors.As(err, &qe) || qe.Reason != tt.reason || qe.Offset != tt.offset {
				t.Errorf("%s (pieces of %d): FeedEncoderStream(%x) error %v; want %v at byte %d", tt.name, piece, stream, err, tt.reason, tt.offset)
				continue
			}
			if !errors.Is(err, ErrEncoderStreamError) || qe.Code != ErrEncoderStreamError {
				t.Errorf("%s: error %v is not QPACK_ENCODER_STREAM_ERROR", tt.name, err)
			}
		}
	}
}

// TestDecoderFieldSectionTooLarge checks the SETTINGS_MAX_FIELD_SECTION_SIZE
// bound (RFC 9114 §4.2.2): the section is decoded to the end and
// acknowledged, the error is not a QPACK error, and the decoder goes on.
func TestDecoderFieldSectionTooLarge(t *testing.T) {
	d := NewDecoder(rfcCapacity, rfcBlocked)
	if _, err := d.FeedEncoderStream(dehex(t, primeB2), nil); err != nil {
		t.Fatal(err)
	}
	d.SetMaxFieldSectionSize(100) // the B.2 section is 57 + 49 = 106
	fields, blocked, err := d.DecodeFieldSection(4, dehex(t, "0381 10 11"), nil)
	var qe *Error
	if !errors.Is(err, ErrFieldSectionTooLarge) || errors.Is(err, ErrDecompressionFailed) || !errors.As(err, &qe) || qe.Value != 106 || qe.Limit != 100 || len(fields) != 0 || blocked {
		t.Fatalf("DecodeFieldSection = %v, %v, %v; want ErrFieldSectionTooLarge (106 > 100)", fields, blocked, err)
	}
	if got := d.AppendDecoderStream(nil, nil); string(got) != "\x84" {
		t.Errorf("decoder stream = %x; want 84: the section was processed", got)
	}
	d.SetMaxFieldSectionSize(106)
	if fields, _, err := d.DecodeFieldSection(8, dehex(t, "0381 10 11"), nil); err != nil || len(fields) != 2 {
		t.Errorf("DecodeFieldSection at the limit = %v, %v; want two fields", fields, err)
	}
	// A blocked section that turns out too large is reported with it.
	d = NewDecoder(rfcCapacity, rfcBlocked)
	d.SetMaxFieldSectionSize(100)
	if _, blocked, err := d.DecodeFieldSection(4, dehex(t, "0381 10 11"), nil); !blocked || err != nil {
		t.Fatalf("DecodeFieldSection = %v, %v; want blocked", blocked, err)
	}
	unblocked, err := d.FeedEncoderStream(dehex(t, primeB2), nil)
	if err != nil || len(unblocked) != 1 || !errors.Is(unblocked[0].Err, ErrFieldSectionTooLarge) || unblocked[0].Fields != nil {
		t.Fatalf("FeedEncoderStream = %+v, %v; want the section with ErrFieldSectionTooLarge", unblocked, err)
	}
}

// TestDecoderCancelStream checks Stream Cancellation (RFC 9204 §4.4.2):
// written when the table is in use, omitted when it cannot be (§2.2.2.2),
// and a cancelled blocked section is never decoded.
func TestDecoderCancelStream(t *testing.T) {
	d := NewDecoder(0, 0)
	d.CancelStream(4)
	if got := d.AppendDecoderStream(nil, nil); len(got) != 0 {
		t.Errorf("decoder stream with no dynamic table = %x; want nothing", got)
	}
	d = NewDecoder(rfcCapacity, 2)
	for _, id := range []uint64{4, 8} {
		if _, blocked, err := d.DecodeFieldSection(id, dehex(t, "0381 10 11"), nil); !blocked || err != nil {
			t.Fatalf("stream %d: DecodeFieldSection = %v, %v; want blocked", id, blocked, err)
		}
	}
	d.CancelStream(4)
	if n := d.BlockedStreams(); n != 1 {
		t.Errorf("BlockedStreams() = %d; want 1", n)
	}
	unblocked, err := d.FeedEncoderStream(dehex(t, primeB2), nil)
	if err != nil || len(unblocked) != 1 || unblocked[0].StreamID != 8 {
		t.Fatalf("FeedEncoderStream = %+v, %v; want stream 8 only", unblocked, err)
	}
	var rec DecoderStreamRecord
	got := d.AppendDecoderStream(nil, &rec)
	if want := dehex(t, "44 88"); string(got) != string(want) || rec.KnownReceivedCount != 2 || rec.WireLen != 2 {
		t.Errorf("decoder stream = %x, record %+v; want %x, Known Received Count 2", got, rec, want)
	}
}
