package tls

import "encoding/binary"

// The extensions by which a server answers the client's (RFC 8446 §4.2
// lists which message carries each): the protocol it selected (RFC 7301
// §3.1), an acknowledgement of the server name (RFC 6066 §3) and, in TLS
// 1.3, early_data when it accepts 0-RTT (RFC 8446 §4.2.10). Over TLS 1.3
// they go in EncryptedExtensions, over TLS 1.2 in the ServerHello.

// EarlyDataExtension is an empty early_data extension (RFC 8446 §4.2.10:
// type 42, length 0), which a server accepting 0-RTT data puts in its
// EncryptedExtensions (over QUIC too, RFC 9001 §4.6.2): the client reads it
// to learn whether its early data was accepted.
var EarlyDataExtension = [4]byte{0, 42, 0, 0}

// extServerNameAck is the server_name extension by which a server says it
// used the client's: "the "extension_data" field of this extension SHALL
// be empty" (RFC 6066 §3).
const extServerNameAck = "\x00\x00\x00\x00"

// maxALPN is the longest protocol name: ProtocolName is <1..2^8-1> (RFC
// 7301 §3.1).
const maxALPN = 255

// alpnHeader is appendALPN's bytes before the name: the extension's type
// and length, the list's length, the name's length.
const alpnHeader = 7

// sendsServerName reports whether a ClientHello names serverName: one
// host_name the hello's one-byte length here holds (clientHello), and
// which a server then acknowledges.
func sendsServerName(serverName string) bool { return len(serverName) > 0 && len(serverName) < 256 }

// appendALPN appends an application_layer_protocol_negotiation extension
// naming one protocol (RFC 7301 §3.1): a client's offer, or the protocol a
// server selected, of which its list "MUST contain exactly one". A name
// that is empty or too long leaves the extension out.
func appendALPN(h []byte, alpn string) []byte {
	n := len(alpn)
	if n == 0 || n > maxALPN {
		return h
	}
	h = append(h, 0, 16, byte((n+3)>>8), byte(n+3), byte((n+1)>>8), byte(n+1), byte(n))
	return append(h, alpn...)
}

// appendEncryptedExtensions appends an EncryptedExtensions body (RFC 8446
// §4.3.1: "Extension extensions<0..2^16-1>", its 2-byte length first): an
// empty server_name if sni (the client sent one), the selected protocol
// alpn ("" for none), and early_data if early, in the order OpenSSL writes
// them.
func appendEncryptedExtensions(h []byte, sni bool, alpn string, early bool) []byte {
	start := len(h)
	h = append(h, 0, 0)
	if sni {
		h = append(h, extServerNameAck...)
	}
	h = appendALPN(h, alpn)
	if early {
		h = append(h, EarlyDataExtension[:]...)
	}
	binary.BigEndian.PutUint16(h[start:], uint16(len(h)-start-2))
	return h
}

// encryptedExtensionsLen is the size of the EncryptedExtensions body
// appendEncryptedExtensions writes. QUIC's model has a size of its own,
// quicEncryptedExtensionsLen.
func encryptedExtensionsLen(sni bool, alpn string, early bool) int {
	n := 2 + len(appendALPN(nil, alpn))
	if sni {
		n += len(extServerNameAck)
	}
	if early {
		n += len(EarlyDataExtension)
	}
	return n
}

// maxEncryptedExtensionsLen is the largest EncryptedExtensions body the
// model writes: the most a client reads of one.
const maxEncryptedExtensionsLen = 2 + len(extServerNameAck) + alpnHeader + maxALPN + len(EarlyDataExtension)

// hasEarlyData reports whether ee, an EncryptedExtensions body (or as much
// of its start as holds its extensions), carries early_data: the server
// accepted the client's 0-RTT data (RFC 8446 §4.2.10).
func hasEarlyData(ee []byte) bool {
	if len(ee) < 2 {
		return false
	}
	exts := ee[2:]
	if n := int(binary.BigEndian.Uint16(ee)); n < len(exts) {
		exts = exts[:n]
	}
	for len(exts) >= 4 {
		if [4]byte(exts[:4]) == EarlyDataExtension {
			return true
		}
		n := 4 + int(binary.BigEndian.Uint16(exts[2:]))
		if n > len(exts) {
			return false
		}
		exts = exts[n:]
	}
	return false
}
