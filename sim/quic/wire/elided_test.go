package wire

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

func TestParseFrameElided(t *testing.T) {
	tests := []struct {
		name  string
		f     Frame
		open  int
		trail []Frame // frames after f
	}{
		{"stream with length", &StreamFrame{StreamID: 4, Offset: 1000, HasLength: true, DataLen: 1200}, 0, []Frame{&PingFrame{}}},
		{"stream open", &StreamFrame{StreamID: 8, Offset: 70000, Fin: true, DataLen: 1300}, 1300, nil},
		{"stream at offset 0", &StreamFrame{StreamID: 0, HasLength: true, DataLen: 3}, 0, []Frame{&MaxDataFrame{MaximumData: 9}}},
		{"crypto", &CryptoFrame{Offset: 512, DataLen: 900}, 0, []Frame{&PaddingFrame{Count: 5}}},
		{"ack", NewAckFrame([]AckRange{{1, 5}, {8, 9}}, 100), 0, nil},
	}
	for _, tt := range tests {
		b := AppendElided(nil, tt.f)
		if len(b) != ElidedLength(tt.f) {
			t.Errorf("%s: len(AppendElided) = %d; ElidedLength = %d", tt.name, len(b), ElidedLength(tt.f))
		}
		for _, g := range tt.trail {
			b = AppendElided(b, g)
		}
		got, n, err := ParseFrameElided(b, tt.open)
		if err != nil {
			t.Errorf("%s: ParseFrameElided(%x) error %v", tt.name, b, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.f) {
			t.Errorf("%s: ParseFrameElided = %#v; want %#v", tt.name, got, tt.f)
		}
		if n != ElidedLength(tt.f) {
			t.Errorf("%s: ParseFrameElided n = %d; want %d", tt.name, n, ElidedLength(tt.f))
		}
	}
}

func TestParseFrameElidedErrors(t *testing.T) {
	open := AppendElided(nil, &StreamFrame{StreamID: 1, DataLen: 10})
	tests := []struct {
		name string
		b    []byte
		open int
	}{
		{"open stream frame not last", append(open, 0x01), 10},
		{"negative open length", open, -1},
		{"truncated crypto", []byte{0x06, 0x40}, 0},
		{"truncated stream", []byte{0x0e, 0x04}, 0},
		{"non-minimal type", []byte{0x40, 0x08, 0x00}, 0},
	}
	for _, tt := range tests {
		_, _, err := ParseFrameElided(tt.b, tt.open)
		var te *TransportError
		if !errors.As(err, &te) {
			t.Errorf("%s: ParseFrameElided(%x) error = %v; want a *TransportError", tt.name, tt.b, err)
		}
	}
}

// TestElidedParser checks that one ElidedParser, reused frame after frame,
// parses each as ParseFrameElided does: nothing of a frame leaks into the
// next one parsed into the same storage.
func TestElidedParser(t *testing.T) {
	// The parser resets its frames field by field: a new field must be
	// reset there too (resetStreamFrame, parseFrameElided,
	// parseAckFrameInto).
	for _, c := range []struct {
		typ    reflect.Type
		fields int
	}{{reflect.TypeFor[StreamFrame](), 6}, {reflect.TypeFor[CryptoFrame](), 3}, {reflect.TypeFor[AckFrame](), 3}} {
		if n := c.typ.NumField(); n != c.fields {
			t.Fatalf("%v has %d fields; ElidedParser resets %d", c.typ, n, c.fields)
		}
	}
	tests := []struct {
		f    Frame
		open int
	}{
		{NewAckFrame([]AckRange{{1, 5}, {8, 9}, {20, 30}, {40, 40}}, 100), 0},
		{&AckFrame{Ranges: []AckRange{{Smallest: 7, Largest: 9}}, AckDelay: 3, ECN: &ECNCounts{ECT0: 1, ECNCE: 2}}, 0},
		{NewAckFrame([]AckRange{{2, 3}}, 0), 0},
		{&StreamFrame{StreamID: 4, Offset: 1000, HasLength: true, Fin: true, DataLen: 1200}, 0},
		{&StreamFrame{StreamID: 8, DataLen: 13}, 13},
		{&CryptoFrame{Offset: 512, DataLen: 900}, 0},
		{&CryptoFrame{DataLen: 1}, 0},
		{&MaxDataFrame{MaximumData: 9}, 0},
	}
	var ep ElidedParser
	for _, tt := range tests {
		b := AppendElided(nil, tt.f)
		want, wn, werr := ParseFrameElided(b, tt.open)
		got, n, err := ep.Parse(b, tt.open)
		if err != nil || werr != nil || n != wn || !reflect.DeepEqual(got, want) {
			t.Errorf("Parse(%x) = %#v, %d, %v; want %#v, %d, %v", b, got, n, err, want, wn, werr)
		}
	}
	// The frames a packet carries by the dozen are parsed without
	// allocating once the parser has seen their like.
	ack := AppendElided(nil, NewAckFrame([]AckRange{{1, 5}, {8, 9}}, 100))
	stream := AppendElided(nil, &StreamFrame{StreamID: 4, Offset: 1000, HasLength: true, DataLen: 1200})
	if n := testing.AllocsPerRun(100, func() {
		ep.Parse(ack, 0)
		ep.Parse(stream, 0)
	}); n != 0 {
		t.Errorf("ElidedParser.Parse of ACK and STREAM frames: %v allocations; want 0", n)
	}
}

func TestTransportParametersRoundTrip(t *testing.T) {
	tok := [16]byte{1, 2, 3}
	p := DefaultTransportParameters()
	p.OriginalDestinationConnectionID = []byte{1, 2, 3, 4, 5, 6, 7, 8}
	p.MaxIdleTimeout = 30 * time.Second
	p.StatelessResetToken = &tok
	p.MaxUDPPayloadSize = 1472
	p.InitialMaxData = 15 << 20
	p.InitialMaxStreamDataBidiLocal = 6 << 20
	p.InitialMaxStreamDataBidiRemote = 6 << 20
	p.InitialMaxStreamDataUni = 6 << 20
	p.InitialMaxStreamsBidi = 100
	p.InitialMaxStreamsUni = 103
	p.MaxAckDelay = 20 * time.Millisecond
	p.ActiveConnectionIDLimit = 4
	p.InitialSourceConnectionID = []byte{}
	b := p.Append(nil)
	if len(b) != p.Length() {
		t.Errorf("Length = %d; len(Append) = %d", p.Length(), len(b))
	}
	got, err := ParseTransportParameters(b)
	if err != nil {
		t.Fatalf("ParseTransportParameters(%x) error %v", b, err)
	}
	if !reflect.DeepEqual(*got, p) {
		t.Errorf("ParseTransportParameters = %+v; want %+v", *got, p)
	}
	def := DefaultTransportParameters()
	if n := def.Length(); n != 0 {
		t.Errorf("default parameters encode to %d bytes; want 0", n)
	}
}

func TestTransportParametersErrors(t *testing.T) {
	tests := []struct {
		name string
		b    []byte
	}{
		{"duplicate", []byte{0x04, 0x01, 0x05, 0x04, 0x01, 0x06}},
		{"value not filling length", []byte{0x04, 0x02, 0x05, 0x00}},
		{"past the end", []byte{0x04, 0x05, 0x05}},
		{"ack_delay_exponent 21", []byte{0x0a, 0x01, 21}},
		{"max_ack_delay 2^14", []byte{0x0b, 0x04, 0x80, 0x00, 0x40, 0x00}},
		{"max_udp_payload_size 1199", []byte{0x03, 0x02, 0x44, 0xaf}},
		{"short reset token", []byte{0x02, 0x01, 0x00}},
		{"active_connection_id_limit 1", []byte{0x0e, 0x01, 0x01}},
		{"migration flag with value", []byte{0x0c, 0x01, 0x00}},
	}
	for _, tt := range tests {
		_, err := ParseTransportParameters(tt.b)
		var te *TransportError
		if !errors.As(err, &te) || te.Code != TransportParameterError {
			t.Errorf("%s: ParseTransportParameters(%x) error = %v; want TRANSPORT_PARAMETER_ERROR", tt.name, tt.b, err)
		}
	}
	// Unknown and reserved parameters are skipped (RFC 9000 §18.1).
	if _, err := ParseTransportParameters([]byte{0x1b, 0x02, 0xff, 0xff, 0x04, 0x01, 0x07}); err != nil {
		t.Errorf("reserved parameter 27: error %v; want it ignored", err)
	}
}

func FuzzParseFrameElided(f *testing.F) {
	f.Add(AppendElided(nil, &StreamFrame{StreamID: 4, Offset: 99, DataLen: 1000}), 1000)
	f.Add(AppendElided(AppendElided(nil, &CryptoFrame{Offset: 1, DataLen: 3}), &PaddingFrame{Count: 3}), 0)
	f.Add([]byte{0x0a, 0x04, 0x40, 0x10, 0x01}, 0)
	f.Fuzz(func(t *testing.T, b []byte, open int) {
		var frames []Frame
		rest := b
		for len(rest) > 0 {
			fr, n, err := ParseFrameElided(rest, open)
			if err != nil {
				var te *TransportError
				if !errors.As(err, &te) {
					t.Fatalf("ParseFrameElided(%x) error %v is not a *TransportError", rest, err)
				}
				return
			}
			if n <= 0 || n > len(rest) {
				t.Fatalf("ParseFrameElided(%x) n = %d", rest, n)
			}
			frames = append(frames, fr)
			rest = rest[n:]
		}
		var enc []byte
		for _, fr := range frames {
			enc = AppendElided(enc, fr)
		}
		if len(enc) > len(b) {
			t.Fatalf("re-encoding of %x is longer: %x", b, enc)
		}
		rest = enc
		var ep ElidedParser
		for i := range frames {
			fr, n, err := ParseFrameElided(rest, open)
			if err != nil || !reflect.DeepEqual(fr, frames[i]) {
				t.Fatalf("round trip of frame %d of %x: %v, %v; want %v", i, b, fr, err, frames[i])
			}
			if again, m, err := ep.Parse(rest, open); err != nil || m != n || !reflect.DeepEqual(again, frames[i]) {
				t.Fatalf("ElidedParser.Parse of frame %d of %x: %v, %d, %v; want %v, %d", i, b, again, m, err, frames[i], n)
			}
			rest = rest[n:]
		}
	})
}

func FuzzTransportParameters(f *testing.F) {
	p := DefaultTransportParameters()
	p.InitialMaxData = 1 << 20
	p.InitialSourceConnectionID = []byte{9, 9}
	f.Add(p.Append(nil))
	f.Add([]byte{0x04, 0x01, 0x05, 0x1b, 0x00})
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := ParseTransportParameters(b)
		if err != nil {
			var te *TransportError
			if !errors.As(err, &te) {
				t.Fatalf("error %v is not a *TransportError", err)
			}
			return
		}
		enc := got.Append(nil)
		again, err := ParseTransportParameters(enc)
		if err != nil {
			t.Fatalf("re-parse of %x: %v", enc, err)
		}
		if !reflect.DeepEqual(again, got) {
			t.Fatalf("round trip of %x: %+v; want %+v", b, again, got)
		}
	})
}

func TestTransportParameterIDString(t *testing.T) {
	tests := []struct {
		id   TransportParameterID
		want string
	}{
		{ParamInitialMaxData, "initial_max_data"},
		{ParamRetrySourceConnectionID, "retry_source_connection_id"},
		{0x1b, "unknown(0x1b)"},
	}
	for _, tt := range tests {
		if got := tt.id.String(); got != tt.want {
			t.Errorf("TransportParameterID(%#x).String() = %q; want %q", uint64(tt.id), got, tt.want)
		}
	}
}
