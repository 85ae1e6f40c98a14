package tls

import (
	"bytes"
	"encoding/binary"
	"slices"
	"testing"
)

// extensionTypes walks a hello's extensions (after legacy_version, random,
// session ID, cipher suites and compression methods) and returns their
// types, or nil if the lengths do not add up to the body exactly.
func extensionTypes(body []byte, client bool) []int {
	at := 2 + 32
	at += 1 + int(body[at]) // legacy_session_id
	if client {
		at += 2 + int(binary.BigEndian.Uint16(body[at:])) // cipher_suites
		at += 1 + int(body[at])                           // compression methods
	} else {
		at += 2 + 1 // cipher_suite, compression method
	}
	if at+2 > len(body) || at+2+int(binary.BigEndian.Uint16(body[at:])) != len(body) {
		return nil
	}
	var types []int
	for at += 2; at < len(body); {
		if at+4 > len(body) {
			return nil
		}
		types = append(types, int(binary.BigEndian.Uint16(body[at:])))
		at += 4 + int(binary.BigEndian.Uint16(body[at+2:]))
	}
	if at != len(body) {
		return nil
	}
	return types
}

// The hellos are whole structures of the sizes the model gives them, so a
// capture shows Wireshark a TLS handshake it can read: they were zeros, a
// ClientHello with no cipher suites.
func TestHellosFillTheirSizes(t *testing.T) {
	tests := []struct {
		name               string
		v13, resume, early bool
		size               int
		want               []int
	}{
		{"TLS 1.3", true, false, false, clientHelloLen, []int{0, 16, 10, 13, 43, 51, 21}},
		{"TLS 1.3 resumed", true, true, false, clientHelloLen + pskExtensionLen, []int{0, 16, 10, 13, 43, 51, 45, 41}},
		{"TLS 1.3 0-RTT", true, true, true, clientHelloLen + pskExtensionLen, []int{0, 16, 10, 13, 43, 51, 45, 42, 41}},
		{"TLS 1.2", false, false, false, clientHelloLen, []int{0, 16, 10, 13, 11, 23, 0xff01, 21}},
		{"TLS 1.2 resumed", false, true, false, clientHelloLen, []int{0, 16, 10, 13, 11, 23, 0xff01, 21}},
	}
	for _, tt := range tests {
		b := make([]byte, tt.size)
		clientHello(b, tt.v13, tt.resume, tt.early, "www.example.com", "h2")
		if got := extensionTypes(b, true); !slices.Equal(got, tt.want) || binary.BigEndian.Uint16(b) != 0x0303 {
			t.Errorf("clientHello(%s): extensions %v, version %#x; want %v, 0x0303", tt.name, got, binary.BigEndian.Uint16(b), tt.want)
		}
		// server_name's one host_name (RFC 6066 §3), ALPN's one protocol
		// (RFC 7301 §3.1).
		for _, ext := range []string{"\x00\x00\x00\x14\x00\x12\x00\x00\x0fwww.example.com", "\x00\x10\x00\x05\x00\x03\x02h2"} {
			if !bytes.Contains(b, []byte(ext)) {
				t.Errorf("clientHello(%s) lacks % x", tt.name, ext)
			}
		}
	}
	// A server that accepts a resumption says so with pre_shared_key
	// (RFC 8446 §4.2.11), 6 bytes more. It echoes the client's session
	// ID, 32 bytes as browsers send (RFC 8446 Appendix D.4), resuming or
	// not. A TLS 1.2 server returns the protocol it selected (RFC 7301
	// §3.1, RFC 9113 §3.2) and acknowledges the server name (RFC 6066 §3)
	// in its ServerHello, but not the name when resuming; a TLS 1.3 one
	// does both in EncryptedExtensions. A TLS 1.2 server that picks ECDHE
	// lists its point formats (RFC 8422 §4), except when resuming.
	for _, tt := range []struct {
		v13, resume bool
		alpn        string
		size        int
		want        []int
		id          int
	}{
		{true, false, "h2", 118, []int{43, 51}, 32},
		{true, true, "h2", 124, []int{43, 51, 41}, 32},
		{false, false, "h2", 100, []int{0, 16, 11, 23, 0xff01}, 32},
		{false, false, "http/1.1", 106, []int{0, 16, 11, 23, 0xff01}, 32},
		{false, false, "", 91, []int{0, 11, 23, 0xff01}, 32},
		{false, true, "h2", 90, []int{16, 23, 0xff01}, 32},
	} {
		if n := serverHelloLen(tt.v13, tt.resume, true, tt.alpn); n != tt.size {
			t.Errorf("serverHelloLen(TLS 1.3 %v, resumed %v, %q) = %d; want %d", tt.v13, tt.resume, tt.alpn, n, tt.size)
		}
		b := make([]byte, tt.size)
		serverHello(b, tt.v13, tt.resume, true, tt.alpn)
		if got := extensionTypes(b, false); !slices.Equal(got, tt.want) || binary.BigEndian.Uint16(b) != 0x0303 || int(b[34]) != tt.id {
			t.Errorf("serverHello(TLS 1.3 %v, resumed %v, %q): extensions %v, session ID %d bytes; want %v, %d", tt.v13, tt.resume, tt.alpn, got, b[34], tt.want, tt.id)
		}
		if alpn := "\x00\x10\x00\x05\x00\x03\x02h2"; tt.alpn == "h2" && !tt.v13 && !bytes.Contains(b, []byte(alpn)) {
			t.Errorf("serverHello(TLS 1.2, resumed %v) lacks ALPN h2: % x", tt.resume, b)
		}
		c := make([]byte, clientHelloLen+map[bool]int{false: 0, true: pskExtensionLen}[tt.resume && tt.v13])
		clientHello(c, tt.v13, tt.resume, false, "", "")
		if cid := int(c[34]); cid != tt.id && (tt.v13 || tt.resume) {
			t.Errorf("TLS 1.3 %v, resumed %v: the client's session ID is %d bytes, the server's echo %d", tt.v13, tt.resume, cid, tt.id)
		}
	}
	// A size the structure does not fit is left as it is.
	b := make([]byte, 40)
	clientHello(b, true, false, false, "www.example.com", "h2")
	serverHello(b, true, false, true, "h2")
	if !slices.Equal(b, make([]byte, 40)) {
		t.Errorf("hellos written into 40 bytes: %x; want them left zero", b)
	}
}
