package tls

import (
	"strings"
	"testing"
)

// TLS 1.2's key exchanges are RFC 8422's structures for X25519 and an
// RSA-2048 signature: they were zeros, which Wireshark reads as a curve
// type of 0.
func TestKeyExchanges(t *testing.T) {
	ske := make([]byte, 296)
	serverKeyExchange(ske)
	// ECParameters: named_curve, x25519; ECPoint: 32 bytes; signed with
	// rsa_pkcs1_sha256, 256 bytes.
	want := "\x03\x00\x1d\x20" + strings.Repeat("\x00", 32) + "\x04\x01\x01\x00" + strings.Repeat("\x00", 256)
	if string(ske) != want {
		t.Errorf("serverKeyExchange = % x; want % x", ske, want)
	}
	cke := make([]byte, 33)
	clientKeyExchange(cke)
	if want := "\x20" + strings.Repeat("\x00", 32); string(cke) != want {
		t.Errorf("clientKeyExchange = % x; want % x", cke, want)
	}
	// A size the structure does not fit is left as it is.
	for _, n := range []int{0, 32, 295, 297} {
		b := make([]byte, n)
		serverKeyExchange(b)
		clientKeyExchange(b)
		if strings.Trim(string(b), "\x00") != "" {
			t.Errorf("key exchanges written into %d bytes: % x; want them left zero", n, b)
		}
	}
}
