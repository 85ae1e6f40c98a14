package h3

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

// drain calls Next until it returns ok false, collecting frames.
func drain(t testing.TB, r *FrameReader) ([]Frame, error) {
	t.Helper()
	var frames []Frame
	for {
		f, ok, err := r.Next()
		if err != nil {
			return frames, err
		}
		if !ok {
			return frames, nil
		}
		frames = append(frames, f)
	}
}

// requestStream is a response as it appears on a request stream: HEADERS,
// DATA (1000 filler bytes), a reserved frame, DATA, trailing HEADERS.
func requestStream(t testing.TB) []byte {
	var b []byte
	b = (&HeadersFrame{EncodedFieldSection: []byte{0, 0, 0xd9}}).Append(b)
	b = (&DataFrame{DataLen: 1000}).Append(b)
	b = (&UnknownFrame{FrameType: 0x21, PayloadLength: 3, Payload: []byte("abc")}).Append(b)
	b = (&DataFrame{DataLen: 5, Data: []byte("hello")}).Append(b)
	return (&HeadersFrame{EncodedFieldSection: []byte{0, 0}}).Append(b)
}

var wantRequestFrames = []Frame{
	&HeadersFrame{EncodedFieldSection: []byte{0, 0, 0xd9}},
	&DataFrame{DataLen: 1000},
	&UnknownFrame{FrameType: 0x21, PayloadLength: 3},
	&DataFrame{DataLen: 5},
	&HeadersFrame{EncodedFieldSection: []byte{0, 0}},
}

func TestFrameReaderChunkings(t *testing.T) {
	b := requestStream(t)
	for _, size := range []int{1, 2, 3, 7, 100, 1001, len(b)} {
		r := NewFrameReader(StreamRequest)
		var got []Frame
		for off := 0; off < len(b); off += size {
			r.Feed(b[off:min(off+size, len(b))])
			fs, err := drain(t, r)
			if err != nil {
				t.Fatalf("chunks of %d: %v", size, err)
			}
			if r.Buffered() != 0 {
				t.Fatalf("chunks of %d: %d bytes left queued", size, r.Buffered())
			}
			got = append(got, fs...)
		}
		if !reflect.DeepEqual(got, wantRequestFrames) {
			t.Errorf("chunks of %d: frames %v; want %v", size, got, wantRequestFrames)
		}
		if r.DataRead() != 1005 {
			t.Errorf("chunks of %d: DataRead() = %d; want 1005", size, r.DataRead())
		}
		if err := r.Close(); err != nil {
			t.Errorf("chunks of %d: Close() = %v", size, err)
		}
	}
}

// TestFrameReaderFiller feeds a DATA payload as filler and checks that it
// is counted as it arrives.
func TestFrameReaderFiller(t *testing.T) {
	r := NewFrameReader(StreamRequest)
	r.Feed((&DataFrame{DataLen: 100000}).AppendHeader(nil))
	f, ok, err := r.Next()
	if err != nil || !ok || !reflect.DeepEqual(f, &DataFrame{DataLen: 100000}) {
		t.Fatalf("Next() = %v, %v, %v; want the DATA frame header", f, ok, err)
	}
	steps := []struct {
		filler        uint64
		read, remains uint64
	}{
		{1, 1, 99999},
		{49999, 50000, 50000},
		{50000, 100000, 0},
	}
	for _, s := range steps {
		r.FeedFiller(s.filler)
		if _, ok, err := r.Next(); ok || err != nil {
			t.Fatalf("Next() inside the payload = %v, %v", ok, err)
		}
		if r.DataRead() != s.read || r.DataRemaining() != s.remains {
			t.Errorf("after %d filler bytes: DataRead() = %d, DataRemaining() = %d; want %d, %d",
				s.filler, r.DataRead(), r.DataRemaining(), s.read, s.remains)
		}
	}
	// Filler followed by real bytes in one go: the trailing HEADERS frame.
	r.Feed((&DataFrame{DataLen: 10}).AppendHeader(nil))
	r.FeedFiller(4)
	r.FeedFiller(6)
	r.Feed((&HeadersFrame{EncodedFieldSection: []byte{0, 0}}).Append(nil))
	frames, err := drain(t, r)
	want := []Frame{&DataFrame{DataLen: 10}, &HeadersFrame{EncodedFieldSection: []byte{0, 0}}}
	if err != nil || !reflect.DeepEqual(frames, want) {
		t.Errorf("frames %v, %v; want %v", frames, err, want)
	}
	if r.DataRead() != 100010 {
		t.Errorf("DataRead() = %d; want 100010", r.DataRead())
	}
	// Filler where a frame header is due reads as zero bytes: an empty DATA
	// frame per two bytes.
	r.FeedFiller(4)
	frames, err = drain(t, r)
	if err != nil || !reflect.DeepEqual(frames, []Frame{&DataFrame{}, &DataFrame{}}) {
		t.Errorf("4 filler bytes as frames: %v, %v; want two empty DATA frames", frames, err)
	}
}

func TestFrameReaderErrors(t *testing.T) {
	settings := (&SettingsFrame{Settings: []Setting{{SettingQPACKMaxTableCapacity, 0}}}).Append(nil)
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	big := AppendFrameHeader(nil, FrameHeaders, DefaultMaxFrameLen+1)
	tests := []struct {
		name string
		kind StreamKind
		in   []byte
		code ErrorCode
	}{
		{"control: goaway first", StreamControl, (&GoawayFrame{}).Append(nil), ErrH3MissingSettings},
		{"control: reserved first", StreamControl, (&UnknownFrame{FrameType: 0x21}).Append(nil), ErrH3MissingSettings},
		{"control: second settings", StreamControl, cat(settings, settings), ErrH3FrameUnexpected},
		{"control: data", StreamControl, cat(settings, (&DataFrame{}).Append(nil)), ErrH3FrameUnexpected},
		{"control: headers", StreamControl, cat(settings, (&HeadersFrame{}).Append(nil)), ErrH3FrameUnexpected},
		{"control: push_promise", StreamControl, cat(settings, (&PushPromiseFrame{}).Append(nil)), ErrH3FrameUnexpected},
		{"control: HTTP/2 PING", StreamControl, cat(settings, mustHex(t, "0600")), ErrH3FrameUnexpected},
		{"control: goaway too long", StreamControl, cat(settings, mustHex(t, "0709")), ErrH3FrameError},
		{"control: max_push_id empty", StreamControl, cat(settings, mustHex(t, "0d00")), ErrH3FrameError},
		{"request: settings", StreamRequest, settings, ErrH3FrameUnexpected},
		{"request: goaway", StreamRequest, (&GoawayFrame{}).Append(nil), ErrH3FrameUnexpected},
		{"request: cancel_push", StreamRequest, (&CancelPushFrame{}).Append(nil), ErrH3FrameUnexpected},
		{"request: max_push_id", StreamRequest, (&MaxPushIDFrame{}).Append(nil), ErrH3FrameUnexpected},
		{"request: priority_update", StreamRequest, (&PriorityUpdateFrame{}).Append(nil), ErrH3FrameUnexpected},
		{"request: headers too large", StreamRequest, big, ErrH3FrameError},
		{"request: bad settings payload never buffered", StreamRequest, mustHex(t, "0402"), ErrH3FrameUnexpected},
		{"push: push_promise", StreamPush, (&PushPromiseFrame{}).Append(nil), ErrH3FrameUnexpected},
		{"control: bad settings", StreamControl, mustHex(t, "04020200"), ErrH3SettingsError},
	}
	for _, tt := range tests {
		r := NewFrameReader(tt.kind)
		r.Feed(tt.in)
		_, err := drain(t, r)
		if !isH3Code(err, tt.code) {
			t.Errorf("%s: err = %v; want %s", tt.name, err, tt.code)
			continue
		}
		// Errors stick.
		r.Feed((&DataFrame{}).Append(nil))
		if _, ok, err2 := r.Next(); ok || !errors.Is(err2, err) {
			t.Errorf("%s: Next after the error = %v, %v; want the same error", tt.name, ok, err2)
		}
		if err2 := r.Close(); !errors.Is(err2, err) {
			t.Errorf("%s: Close after the error = %v; want the same error", tt.name, err2)
		}
	}
}

func TestFrameReaderLimits(t *testing.T) {
	// A DATA frame may be as large as the varint allows; only buffered
	// frames are bounded.
	r := NewFrameReader(StreamRequest)
	r.Feed(AppendFrameHeader(nil, FrameData, 1<<40))
	if f, ok, err := r.Next(); !ok || err != nil || f.(*DataFrame).DataLen != 1<<40 {
		t.Errorf("huge DATA header: %v, %v, %v", f, ok, err)
	}
	r = NewFrameReader(StreamRequest)
	r.MaxFrameLen = 10
	r.Feed((&HeadersFrame{EncodedFieldSection: make([]byte, 10)}).Append(nil))
	if _, ok, err := r.Next(); !ok || err != nil {
		t.Errorf("HEADERS at MaxFrameLen: %v, %v", ok, err)
	}
	r.Feed(AppendFrameHeader(nil, FrameHeaders, 11)) // the payload need not arrive
	if _, _, err := r.Next(); !isH3Code(err, ErrH3FrameError) {
		t.Errorf("HEADERS above MaxFrameLen: %v; want H3_FRAME_ERROR", err)
	}
	// Reserved frames are skipped however large.
	r = NewFrameReader(StreamControl)
	r.Feed((&SettingsFrame{}).Append(nil))
	r.Feed(AppendFrameHeader(nil, 0x21, 1<<30))
	r.FeedFiller(1 << 30)
	r.Feed((&GoawayFrame{ID: 4}).Append(nil))
	frames, err := drain(t, r)
	want := []Frame{&SettingsFrame{}, &UnknownFrame{FrameType: 0x21, PayloadLength: 1 << 30}, &GoawayFrame{ID: 4}}
	if err != nil || !reflect.DeepEqual(frames, want) {
		t.Errorf("control stream with a 1 GiB reserved frame: %v, %v; want %v", frames, err, want)
	}
	if r.DataRead() != 0 {
		t.Errorf("DataRead() = %d after a reserved frame; want 0", r.DataRead())
	}
}

func TestFrameReaderClose(t *testing.T) {
	b := requestStream(t)
	tests := []struct {
		name string
		n    int // bytes fed before Close
		ok   bool
	}{
		{"empty", 0, true},
		{"mid header", 1, false},
		{"after headers", 5, true},
		{"mid data", 100, false},
		{"all", len(b), true},
	}
	for _, tt := range tests {
		r := NewFrameReader(StreamRequest)
		r.Feed(b[:tt.n])
		if _, err := drain(t, r); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		err := r.Close()
		if tt.ok != (err == nil) || (err != nil && !isH3Code(err, ErrH3FrameError)) {
			t.Errorf("%s: Close() = %v; want ok %v", tt.name, err, tt.ok)
		}
	}
}

// readerOutcome is what a FrameReader makes of a byte sequence.
type readerOutcome struct {
	frames   []Frame
	err      error
	dataRead uint64
	closeErr error
}

// readChunked feeds b to a reader of kind in chunks whose sizes cuts give
// (cycling, 1 to 64 bytes), sending all-zero chunks as filler, and drains
// the reader after each chunk.
func readChunked(t testing.TB, kind StreamKind, b, cuts []byte) readerOutcome {
	r := NewFrameReader(kind)
	var out readerOutcome
	for i := 0; len(b) > 0; i++ {
		n := len(b)
		if len(cuts) > 0 {
			n = min(n, 1+int(cuts[i%len(cuts)]%64))
		}
		chunk := b[:n]
		b = b[n:]
		if !bytes.ContainsFunc(chunk, func(r rune) bool { return r != 0 }) {
			r.FeedFiller(uint64(len(chunk)))
		} else {
			r.Feed(chunk)
		}
		frames, err := drain(t, r)
		out.frames = append(out.frames, frames...)
		if err != nil {
			out.err = err
			break
		}
	}
	out.dataRead = r.DataRead()
	out.closeErr = r.Close()
	return out
}

func sameErr(a, b error) bool {
	var ca, cb *ConnectionError
	if errors.As(a, &ca) != errors.As(b, &cb) {
		return false
	}
	return ca == nil || ca.Code == cb.Code
}

func FuzzFrameReader(f *testing.F) {
	for _, tt := range frameTests {
		f.Add(mustHex(f, tt.hex), []byte{1, 2, 3}, byte(kindFor(tt.frame.Type())))
	}
	f.Add(requestStream(f), []byte{5, 0, 17, 63}, byte(StreamRequest))
	f.Add(append((&SettingsFrame{Settings: []Setting{{0x21, 1}}}).Append(nil), (&GoawayFrame{ID: 8}).Append(nil)...), []byte{0}, byte(StreamControl))
	f.Fuzz(func(t *testing.T, b, cuts []byte, kindByte byte) {
		kind := StreamKind(kindByte % 3)
		whole := readChunked(t, kind, b, nil)
		pieces := readChunked(t, kind, b, cuts)
		if !reflect.DeepEqual(whole.frames, pieces.frames) {
			t.Fatalf("chunked frames %v; whole %v", pieces.frames, whole.frames)
		}
		if !sameErr(whole.err, pieces.err) || !sameErr(whole.closeErr, pieces.closeErr) {
			t.Fatalf("chunked errors %v, %v; whole %v, %v", pieces.err, pieces.closeErr, whole.err, whole.closeErr)
		}
		if whole.dataRead != pieces.dataRead {
			t.Fatalf("chunked DataRead %d; whole %d", pieces.dataRead, whole.dataRead)
		}
		// Re-encoding the frames (payloads that were skipped as zeros)
		// reads back the same frames.
		var enc []byte
		for _, fr := range whole.frames {
			if fr.PayloadLen() > 1<<16 {
				return
			}
			if fr.Length() != len(fr.Append(nil)) {
				t.Fatalf("%s: Length() = %d; len(Append) = %d", fr.Type(), fr.Length(), len(fr.Append(nil)))
			}
			enc = fr.Append(enc)
		}
		again := readChunked(t, kind, enc, nil)
		if !reflect.DeepEqual(again.frames, whole.frames) || again.err != nil {
			t.Fatalf("re-encoded frames read as %v, %v; want %v", again.frames, again.err, whole.frames)
		}
	})
}

// TestFrameReaderCloseAfterEmptyData closes right after an empty DATA
// frame, before Next has been called again.
func TestFrameReaderCloseAfterEmptyData(t *testing.T) {
	r := NewFrameReader(StreamRequest)
	r.Feed([]byte{0x00, 0x00})
	if f, ok, err := r.Next(); !ok || err != nil || f.(*DataFrame).DataLen != 0 {
		t.Fatalf("Next() = %v, %v, %v; want an empty DATA frame", f, ok, err)
	}
	if err := r.Close(); err != nil {
		t.Errorf("Close() = %v; want nil", err)
	}
}

// TestFrameReaderReuse checks that a reader in reuse mode, which returns
// frames in storage of its own, reads what a new reader reads, frame by
// frame, chunking by chunking, and goes on doing so after reset.
func TestFrameReaderReuse(t *testing.T) {
	b := requestStream(t)
	r := NewFrameReader(StreamRequest)
	r.reuseFrames()
	for _, size := range []int{1, 2, 3, 7, 100, 1001, len(b)} {
		r.reset(StreamRequest)
		var got []Frame
		for off := 0; off < len(b); off += size {
			r.Feed(b[off:min(off+size, len(b))])
			for {
				f, ok, err := r.Next()
				if err != nil {
					t.Fatalf("chunks of %d: %v", size, err)
				}
				if !ok {
					break
				}
				// Valid until the next call to Next: compare now.
				if i := len(got); i >= len(wantRequestFrames) || !reflect.DeepEqual(f, wantRequestFrames[i]) {
					t.Fatalf("chunks of %d: frame %d = %v; want %v", size, i, f, wantRequestFrames[min(i, len(wantRequestFrames)-1)])
				}
				got = append(got, f)
			}
		}
		if len(got) != len(wantRequestFrames) || r.DataRead() != 1005 {
			t.Errorf("chunks of %d: %d frames, %d DATA bytes; want %d, 1005", size, len(got), r.DataRead(), len(wantRequestFrames))
		}
	}
	// Once warm, a stream of HEADERS and DATA takes no allocations.
	hd := (&HeadersFrame{EncodedFieldSection: bytes.Repeat([]byte{0xd9}, 40)}).Append(nil)
	hd = (&DataFrame{DataLen: 1000}).AppendHeader(hd)
	if n := testing.AllocsPerRun(50, func() {
		r.reset(StreamRequest)
		r.Feed(hd)
		r.FeedFiller(1000)
		for {
			if _, ok, _ := r.Next(); !ok {
				break
			}
		}
	}); n != 0 {
		t.Errorf("reused reader: %v allocations per stream; want 0", n)
	}
}
