package h3

import "httpsim/sim/quic/wire"

// DefaultMaxFrameLen is the largest payload a FrameReader buffers by
// default: every frame but DATA and unknown frames, whose payloads are
// counted rather than stored. Larger frames are H3_FRAME_ERROR.
const DefaultMaxFrameLen = 1 << 20

// FrameReader turns the bytes of one frame-carrying stream, delivered in
// pieces of any size, into frames (RFC 9114 §7.1). It checks each frame
// against the stream's kind (§7.2, Table 1) and, on a control stream, that
// SETTINGS comes first and only once (§6.2.1, §7.2.4).
//
// DATA payloads are not materialised: Next returns a DATA frame as soon as
// its Type and Length have arrived, as a *DataFrame with DataLen set and
// Data nil, then consumes its payload bytes by count as they come
// (DataRead, DataRemaining). Unknown and reserved frames are skipped the
// same way and returned as *UnknownFrame with a nil Payload.
//
// Input is either real bytes (Feed) or filler (FeedFiller), which reads as
// that many zero bytes but costs nothing when it falls in a DATA payload.
// All errors are *ConnectionError and stick.
type FrameReader struct {
	// MaxFrameLen bounds the payload of buffered frames; 0 means
	// DefaultMaxFrameLen.
	MaxFrameLen uint64

	kind StreamKind
	in   []segment // queued input, oldest first, from in[head]
	head int

	// inBuf holds the real bytes of the queued segments, copied by Feed;
	// it is reused once the queue is empty.
	inBuf []byte
	// A request stream's input mostly fits in these, which spare it
	// allocations of its own (Feed copies a HEADERS frame, a few DATA
	// frame headers, filler between them).
	inArr   [4]segment
	inBytes [128]byte

	state     readerState
	hdr       []byte    // Type and Length bytes of the next frame, so far, in hdrBuf
	hdrBuf    [16]byte  // two varints of at most 8 bytes (RFC 9000 §16)
	cur       FrameType // type of the frame being read
	remaining uint64    // payload bytes of the current frame not yet read
	payload   []byte    // buffered payload of the current frame

	frames   int // frames started, for the control stream's SETTINGS rule
	dataRead uint64
	err      error

	// In reuse mode (set by reuseFrames) the frames Next returns, and the
	// payload bytes they refer to, may be this reader's own storage, valid
	// until the next call to Next: for an endpoint that is done with each
	// frame before it reads the next. The storage outlives reset, so a
	// reader reused for stream after stream keeps its memory.
	reuse        bool
	dataFrame    DataFrame
	headers      HeadersFrame
	sparePayload []byte
}

// segment is a piece of queued input: real bytes b, or n bytes of filler
// when b is nil.
type segment struct {
	b []byte
	n uint64
}

type readerState uint8

const (
	stateHeader  readerState = iota // reading a frame's Type and Length
	statePayload                    // buffering a frame's payload
	stateSkip                       // counting a DATA or unknown payload
)

// NewFrameReader returns a reader for a stream of kind kind. For a
// unidirectional stream, the stream type (and a push stream's Push ID) must
// have been read off first: see ParseStreamType.
func NewFrameReader(kind StreamKind) *FrameReader {
	r := new(FrameReader)
	r.reset(kind)
	return r
}

// reset makes r a new reader for a stream of kind kind, as NewFrameReader
// returns, for a reader that lives inside another struct.
func (r *FrameReader) reset(kind StreamKind) {
	reuse, spare := r.reuse, r.sparePayload
	*r = FrameReader{kind: kind, reuse: reuse, sparePayload: spare}
	r.hdr = r.hdrBuf[:0]
	r.in = r.inArr[:0]
	r.inBuf = r.inBytes[:0]
}

// reuseFrames puts r in reuse mode (see FrameReader.reuse).
func (r *FrameReader) reuseFrames() { r.reuse = true }

// Kind returns the kind of stream the reader reads.
func (r *FrameReader) Kind() StreamKind { return r.kind }

// Feed queues the next bytes of the stream. The reader copies b.
func (r *FrameReader) Feed(b []byte) {
	if len(b) > 0 {
		// A segment's bytes are read in place and never outlive it; its
		// capacity is capped so that nothing appends into the next.
		start := len(r.inBuf)
		r.inBuf = append(r.inBuf, b...)
		end := len(r.inBuf)
		r.in = append(r.in, segment{b: r.inBuf[start:end:end]})
	}
}

// FeedFiller queues n bytes of the stream that are not materialised. They
// read as zero bytes, which is what a DATA payload of filler consists of.
func (r *FrameReader) FeedFiller(n uint64) {
	if n == 0 {
		return
	}
	if k := len(r.in); k > r.head && r.in[k-1].b == nil {
		r.in[k-1].n += n
		return
	}
	r.in = append(r.in, segment{n: n})
}

// DataRead returns the number of DATA payload bytes consumed so far: the
// HTTP message content delivered on this stream.
func (r *FrameReader) DataRead() uint64 { return r.dataRead }

// DataRemaining returns how many payload bytes of the current DATA frame
// have not arrived yet, 0 between frames.
func (r *FrameReader) DataRemaining() uint64 {
	if r.state == stateSkip && r.cur == FrameData {
		return r.remaining
	}
	return 0
}

// Buffered returns the number of queued input bytes Next has not consumed.
// It is 0 after Next has returned ok false without error: everything fed
// has been consumed or is held as part of an incomplete frame.
func (r *FrameReader) Buffered() uint64 {
	var n uint64
	for _, s := range r.in[r.head:] {
		n += s.len()
	}
	return n
}

// Next returns the next frame, ok false when the input queued so far holds
// no further complete frame (or DATA or unknown frame header), or an error.
// Call it until ok is false after each Feed.
func (r *FrameReader) Next() (f Frame, ok bool, err error) {
	if r.err != nil {
		return nil, false, r.err
	}
	for {
		switch r.state {
		case stateSkip:
			n := r.skip(r.remaining)
			r.remaining -= n
			if r.cur == FrameData {
				r.dataRead += n
			}
			if r.remaining > 0 {
				return nil, false, nil
			}
			r.state = stateHeader
		case stateHeader:
			f, more, err := r.readHeader()
			if err != nil {
				r.err = err
				return nil, false, err
			}
			if f != nil {
				return f, true, nil
			}
			if !more {
				return nil, false, nil
			}
		case statePayload:
			r.payload = r.pull(r.payload, r.remaining-uint64(len(r.payload)))
			if uint64(len(r.payload)) < r.remaining {
				return nil, false, nil
			}
			var f Frame
			var err error
			if r.reuse {
				r.sparePayload = r.payload[:0]
				if r.cur == FrameHeaders {
					r.headers = HeadersFrame{EncodedFieldSection: r.payload}
					f = &r.headers
				} else {
					f, err = parsePayload(r.cur, r.payload)
				}
			} else {
				f, err = parsePayload(r.cur, r.payload)
			}
			r.payload, r.remaining, r.state = nil, 0, stateHeader
			if err != nil {
				r.err = err
				return nil, false, err
			}
			return f, true, nil
		}
	}
}

// Close reports the end of the stream. A stream that ends inside a frame
// is an H3_FRAME_ERROR (RFC 9114 §7.1); so is unread queued input, which
// Next would have turned into a truncated frame. Whether a stream of this
// kind may end at all (a control stream may not, §6.2.1) is for the caller.
func (r *FrameReader) Close() error {
	if r.err != nil {
		return r.err
	}
	switch {
	case r.Buffered() > 0 || len(r.hdr) > 0:
		r.err = connErr(ErrH3FrameError, "stream ended inside a frame header")
	case r.state == statePayload || (r.state == stateSkip && r.remaining > 0):
		r.err = connErr(ErrH3FrameError, "stream ended inside a %s frame", r.cur)
	}
	return r.err
}

// readHeader reads the next frame's Type and Length. It returns the frame
// for DATA and unknown frames, which are returned before their payload;
// nil and more for other frames, whose payload is read next; nil and not
// more when the header is incomplete.
func (r *FrameReader) readHeader() (f Frame, more bool, err error) {
	// Type (i) then Length (i): the first byte of each gives its length.
	need := 1
	for {
		if len(r.hdr) < need {
			r.hdr = r.pull(r.hdr, uint64(need-len(r.hdr)))
			if len(r.hdr) < need {
				return nil, false, nil
			}
		}
		tl := wire.VarintEncodedLen(r.hdr[0])
		if len(r.hdr) < tl+1 {
			need = tl + 1
			continue
		}
		if want := tl + wire.VarintEncodedLen(r.hdr[tl]); len(r.hdr) < want {
			need = want
			continue
		}
		break
	}
	t, length, _, _ := parseFrameHeader(r.hdr)
	r.hdr = r.hdr[:0]
	if err := r.checkFrame(t, length); err != nil {
		return nil, false, err
	}
	r.frames++
	r.cur, r.remaining = t, length
	switch {
	case t == FrameData:
		r.state = stateSkip
		if r.reuse {
			r.dataFrame = DataFrame{DataLen: length}
			return &r.dataFrame, true, nil
		}
		return &DataFrame{DataLen: length}, true, nil
	case !t.Known():
		r.state = stateSkip
		return &UnknownFrame{FrameType: t, PayloadLength: length}, true, nil
	}
	r.state = statePayload
	// Grow the buffer as bytes arrive rather than trusting Length up front.
	if r.reuse && r.sparePayload != nil {
		r.payload = r.sparePayload[:0]
	} else {
		r.payload = make([]byte, 0, min(length, 1024))
	}
	return nil, true, nil
}

// checkFrame applies the rules that the frame header alone decides.
func (r *FrameReader) checkFrame(t FrameType, length uint64) error {
	if err := checkFrameType(t); err != nil {
		return err
	}
	if r.kind == StreamControl {
		// §6.2.1: SETTINGS first, else H3_MISSING_SETTINGS; §7.2.4: a
		// second one is H3_FRAME_UNEXPECTED.
		if r.frames == 0 && t != FrameSettings {
			return connErr(ErrH3MissingSettings, "control stream begins with a %s frame", t)
		}
		if r.frames > 0 && t == FrameSettings {
			return connErr(ErrH3FrameUnexpected, "second settings frame")
		}
	}
	if err := CheckAllowedOn(t, r.kind); err != nil {
		return err
	}
	switch t {
	case FrameCancelPush, FrameGoaway, FrameMaxPushID:
		// One varint: 1 to 8 bytes (§7.1).
		if length == 0 || length > 8 {
			return connErr(ErrH3FrameError, "%s frame with a %d-byte payload", t, length)
		}
	case FrameData:
	default:
		max := r.MaxFrameLen
		if max == 0 {
			max = DefaultMaxFrameLen
		}
		if t.Known() && length > max {
			return connErr(ErrH3FrameError, "%s frame of %d bytes exceeds the limit of %d", t, length, max)
		}
	}
	return nil
}

// pull appends up to n bytes of queued input to dst, filler as zeros.
func (r *FrameReader) pull(dst []byte, n uint64) []byte {
	for n > 0 && r.head < len(r.in) {
		s := &r.in[r.head]
		k := min(n, s.len())
		if s.b != nil {
			dst = append(dst, s.b[:k]...)
			s.b = s.b[k:]
		} else {
			dst = appendZeros(dst, k)
			s.n -= k
		}
		n -= k
		r.dropEmpty()
	}
	return dst
}

// skip consumes up to n bytes of queued input and returns how many.
func (r *FrameReader) skip(n uint64) uint64 {
	var done uint64
	for done < n && r.head < len(r.in) {
		s := &r.in[r.head]
		k := min(n-done, s.len())
		if s.b != nil {
			s.b = s.b[k:]
		} else {
			s.n -= k
		}
		done += k
		r.dropEmpty()
	}
	return done
}

// dropEmpty removes the head segment if it is used up, and reuses the
// queue's array once it is empty.
func (r *FrameReader) dropEmpty() {
	if r.in[r.head].len() > 0 {
		return
	}
	r.in[r.head] = segment{}
	r.head++
	if r.head == len(r.in) {
		r.in, r.head = r.in[:0], 0
		r.inBuf = r.inBuf[:0]
	}
}

func (s segment) len() uint64 {
	if s.b != nil {
		return uint64(len(s.b))
	}
	return s.n
}
