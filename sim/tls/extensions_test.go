package tls

import (
	"strings"
	"testing"
	"time"

	"httpsim/sim/trace"
	"httpsim/sim/units"
)

// EncryptedExtensions is "Extension extensions<0..2^16-1>" (RFC 8446
// §4.3.1), its length first: it was the early_data extension alone, written
// where the length goes. A server writes the protocol it selected (RFC
// 7301 §3.1), an empty server_name (RFC 6066 §3) and early_data when it
// accepts 0-RTT (RFC 8446 §4.2.10).
func TestEncryptedExtensions(t *testing.T) {
	tests := []struct {
		sni   bool
		alpn  string
		early bool
		want  string
	}{
		{false, "", false, "\x00\x00"},
		{false, "", true, "\x00\x04\x00\x2a\x00\x00"},
		{true, "h2", false, "\x00\x0d" + "\x00\x00\x00\x00" + "\x00\x10\x00\x05\x00\x03\x02h2"},
		{true, "h2", true, "\x00\x11" + "\x00\x00\x00\x00" + "\x00\x10\x00\x05\x00\x03\x02h2" + "\x00\x2a\x00\x00"},
		{true, "http/1.1", true, "\x00\x17" + "\x00\x00\x00\x00" + "\x00\x10\x00\x0b\x00\x09\x08http/1.1" + "\x00\x2a\x00\x00"},
		{false, strings.Repeat("x", 256), false, "\x00\x00"}, // no such protocol name
	}
	for _, tt := range tests {
		got := appendEncryptedExtensions(nil, tt.sni, tt.alpn, tt.early)
		if string(got) != tt.want {
			t.Errorf("appendEncryptedExtensions(%v, %q, %v) = % x; want % x", tt.sni, tt.alpn, tt.early, got, tt.want)
		}
		if n := encryptedExtensionsLen(tt.sni, tt.alpn, tt.early); n != len(tt.want) {
			t.Errorf("encryptedExtensionsLen(%v, %q, %v) = %d; want %d", tt.sni, tt.alpn, tt.early, n, len(tt.want))
		}
		if n := len(got); n > maxEncryptedExtensionsLen {
			t.Errorf("%d bytes of EncryptedExtensions; a client reads %d", n, maxEncryptedExtensionsLen)
		}
		if got := hasEarlyData(got); got != tt.early {
			t.Errorf("hasEarlyData(% x) = %v; want %v", tt.want, got, tt.early)
		}
	}
	big := appendEncryptedExtensions(nil, true, strings.Repeat("x", maxALPN), true)
	if len(big) != maxEncryptedExtensionsLen || !hasEarlyData(big) {
		t.Errorf("the largest EncryptedExtensions: %d bytes, early_data %v; want %d, true", len(big), hasEarlyData(big), maxEncryptedExtensionsLen)
	}
	// early_data outside the extensions' length, or cut short, is not
	// there; the old form (early_data where the length goes) reads as
	// no early_data.
	for _, b := range []string{"\x00\x04\x00\x10\x00\x00\x00\x2a\x00\x00", "\x00\x08\x00\x10\x00\x07\x00", "\x00\x2a\x00\x00" + strings.Repeat("\x00", 17), "\x00"} {
		if hasEarlyData([]byte(b)) {
			t.Errorf("hasEarlyData(% x) = true; want false", b)
		}
	}
}

// Over TCP the server's EncryptedExtensions has the size of what it holds,
// and the client finds early_data after the ALPN extension (newTLSPair
// names a protocol): 0-RTT accepted still takes one round trip
// (TestHandshakeRoundTrips), rejected two (TestEarlyDataRejected).
func TestEncryptedExtensionsRecord(t *testing.T) {
	for _, early := range []bool{false, true} {
		cfg := Config{Version: TLS13, CertChain: 4000, MaxRecord: 16384, Resume: true, EarlyData: early}
		p := newTLSPair(t, cfg, 100*time.Millisecond, units.Gbps)
		p.loop.Run(0)
		ee := encryptedExtensionsLen(true, "http/1.1", early)
		want := int64(recordHeaderLen + handshakeHeader + ee + handshakeHeader + finished13Len + 1 + tagLen)
		found := false
		for _, e := range p.log.Events() {
			if e.Kind == trace.RecordCreated && e.Side == trace.Server && e.Value == "EncryptedExtensions,Finished" {
				found = true
				if e.Len != want {
					t.Errorf("early %v: the server's EncryptedExtensions,Finished record is %d bytes; want %d (EncryptedExtensions %d)", early, e.Len, want, ee)
				}
			}
		}
		if !found {
			t.Errorf("early %v: no EncryptedExtensions,Finished record", early)
		}
	}
}
