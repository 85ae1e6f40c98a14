package tls

import "encoding/binary"

// The hellos are the handshake messages sent in the clear, so a capture of
// a run (httpsim export --format pcap) shows them to Wireshark. They are
// written as the structures of RFC 8446 §4.1.2–4.1.3 (RFC 5246 §7.4.1 for
// TLS 1.2), at exactly the sizes the model gives them (clientHelloLen,
// serverHelloLen): a browser's X25519 key share,
// AES-128-GCM, the server's name and the application protocol (Conn.Hello)
// and a padding extension (RFC 7685) to 512 bytes. Random values, keys,
// session IDs, tickets and binders are zeros: nothing here is cryptography,
// and the simulator reads none of these bytes.

// The hellos' parts, as the bytes they are (the structures' fields in
// order; lengths in big-endian): built from these, not field by field, the
// hellos cost the wasm a third of the code.
const (
	zeros32 = "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
		"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	// legacy_version 0x0303 and random, which every hello starts with.
	helloStart = "\x03\x03" + zeros32
	// cipher_suites, then legacy_compression_methods: null.
	clientSuites13 = "\x00\x02\x13\x01" + "\x01\x00"
	clientSuites12 = "\x00\x02\xc0\x2f" + "\x01\x00"
	// supported_groups: x25519; signature_algorithms: ecdsa_secp256r1_sha256,
	// rsa_pss_rsae_sha256, rsa_pkcs1_sha256.
	extsBoth = "\x00\x0a\x00\x04\x00\x02\x00\x1d" + "\x00\x0d\x00\x08\x00\x06\x04\x03\x08\x04\x04\x01"
	// supported_versions: TLS 1.3; key_share: one X25519 share.
	exts13 = "\x00\x2b\x00\x03\x02\x03\x04" + "\x00\x33\x00\x26\x00\x24\x00\x1d\x00\x20" + zeros32
	// psk_key_exchange_modes: psk_dhe_ke.
	extPSKModes = "\x00\x2d\x00\x02\x01\x01"
	// ec_point_formats: uncompressed; extended_master_secret;
	// renegotiation_info, empty.
	exts12 = extPointFormats + server12Exts
	// pskFixed is what the pre_shared_key extension holds besides its
	// ticket (RFC 8446 §4.2.11): the extension's type and length, the
	// identities' length, the ticket's length, its obfuscated_ticket_age,
	// the binders' length and one binder of 32 bytes (HMAC-SHA256).
	pskFixed = 4 + 2 + 2 + 4 + 2 + 1 + 32
	// ServerHello, TLS 1.3: TLS_AES_128_GCM_SHA256, null compression;
	// supported_versions: TLS 1.3; key_share: X25519; when resuming,
	// pre_shared_key: selected_identity 0.
	server13    = "\x13\x01\x00" + "\x00\x2e" + "\x00\x2b\x00\x02\x03\x04" + "\x00\x33\x00\x24\x00\x1d\x00\x20" + zeros32
	server13PSK = "\x13\x01\x00" + "\x00\x34" + "\x00\x2b\x00\x02\x03\x04" + "\x00\x33\x00\x24\x00\x1d\x00\x20" + zeros32 + "\x00\x29\x00\x02\x00\x00"
	// ServerHello, TLS 1.2: ECDHE-RSA-AES128-GCM, null compression; its
	// extensions (server12Exts) after their length.
	server12 = "\xc0\x2f\x00"
	// extended_master_secret, renegotiation_info, after the server_name
	// acknowledgement and ALPN.
	server12Exts = "\x00\x17\x00\x00" + "\xff\x01\x00\x01\x00"
	// ec_point_formats: uncompressed (RFC 8422 §5.1.2).
	extPointFormats = "\x00\x0b\x00\x02\x01\x00"
)

// sessionIDLen is the legacy_session_id a client sends and a server echoes
// (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2): 32 bytes, as browsers send for
// middlebox compatibility (RFC 8446 Appendix D.4), resuming or not; none
// from the client on a full TLS 1.2 handshake, where the server gives the
// session a new ID.
func sessionIDLen(v13, resume, server bool) int {
	if !v13 && !resume && !server {
		return 0
	}
	return 32
}

// clientHello writes a ClientHello body into b, all of it, or leaves b as
// it is if the fields do not fit. It names serverName and offers alpn
// ("" for none). A ClientHello is padded to 512 bytes, as browsers pad one
// of 256 to 511 (RFC 7685 §4); one resuming TLS 1.3 is longer, and its
// ticket takes what is left, in pre_shared_key. One resuming TLS 1.2 names
// the session by its ID (RFC 5246 §7.4.1.2) and is padded as a first one:
// the model's TLS 1.2 server sends no NewSessionTicket, so RFC 5077
// tickets play no part.
func clientHello(b []byte, v13, resume, early bool, serverName, alpn string) {
	// Zeros are written by extending h over its capacity, made zero and
	// larger than any hello's fields, so that a b too small is left as it
	// is, not overrun.
	h := append(make([]byte, 0, max(len(b), 512)), helloStart...)
	id := sessionIDLen(v13, resume, false)
	h = append(h, byte(id))
	h = h[:len(h)+id]
	if v13 {
		h = append(h, clientSuites13...)
	} else {
		h = append(h, clientSuites12...)
	}
	extStart := len(h)
	h = append(h, 0, 0) // the extensions' length, set below
	if n := len(serverName); sendsServerName(serverName) {
		// server_name: one host_name (RFC 6066 §3).
		h = append(h, 0, 0, byte((n+5)>>8), byte(n+5), byte((n+3)>>8), byte(n+3), 0, 0, byte(n))
		h = append(h, serverName...)
	}
	h = appendALPN(h, alpn)
	h = append(h, extsBoth...)
	if v13 {
		h = append(h, exts13...)
		if resume {
			h = append(h, extPSKModes...)
		}
		if early {
			h = append(h, EarlyDataExtension[:]...)
		}
	} else {
		h = append(h, exts12...)
	}
	rest := len(b) - len(h)
	switch {
	case rest < pskFixed:
		return
	case !resume || !v13:
		h = append(h, 0, 21, byte((rest-4)>>8), byte(rest-4)) // padding
	default:
		// pre_shared_key comes last (RFC 8446 §4.2.11).
		ticket := rest - pskFixed
		h = append(h, 0, 41, byte((rest-4)>>8), byte(rest-4), byte((ticket+6)>>8), byte(ticket+6), byte(ticket>>8), byte(ticket))
		h = h[:len(h)+ticket+4]
		h = append(h, 0, 33, 32)
	}
	h = h[:len(b)]
	binary.BigEndian.PutUint16(h[extStart:], uint16(len(h)-extStart-2))
	copy(b, h)
}

// appendServerHello appends a ServerHello body. The session ID echoes the
// client's (zeros); on a full TLS 1.2 handshake it is the session's new
// one. A TLS 1.2 server answers the client's server_name (if sni) and ALPN
// here (RFC 6066 §3, RFC 7301 §3.1), a TLS 1.3 one in EncryptedExtensions;
// resuming TLS 1.2, "the server MUST NOT include a server_name extension"
// (RFC 6066 §3), while ALPN is negotiated again.
func appendServerHello(h []byte, v13, resume, sni bool, alpn string) []byte {
	h = append(h, helloStart...)
	id := sessionIDLen(v13, resume, true)
	h = append(h, byte(id))
	h = append(h, zeros32[:id]...)
	switch {
	case v13 && resume:
		return append(h, server13PSK...)
	case v13:
		return append(h, server13...)
	}
	h = append(h, server12...)
	start := len(h)
	h = append(h, 0, 0) // the extensions' length, set below
	if sni && !resume {
		h = append(h, extServerNameAck...)
	}
	h = appendALPN(h, alpn)
	if !resume {
		// ec_point_formats: uncompressed. RFC 8422 §4: "The server
		// similarly enumerates the point formats it can parse by
		// including an extension in its ServerHello message"; on a
		// resumption the client ignores it, and the server sends none.
		h = append(h, extPointFormats...)
	}
	h = append(h, server12Exts...)
	binary.BigEndian.PutUint16(h[start:], uint16(len(h)-start-2))
	return h
}

// serverHelloLen is the size of the ServerHello body serverHello writes,
// its true size over TCP: 118 bytes in TLS 1.3, 124 resuming (6 of
// pre_shared_key); in TLS 1.2 81 and the extensions answering the
// client's.
func serverHelloLen(v13, resume, sni bool, alpn string) int {
	return len(appendServerHello(nil, v13, resume, sni, alpn))
}

// serverHello writes a ServerHello body (appendServerHello) into b if it
// is exactly the structure's size (serverHelloLen), else leaves it.
func serverHello(b []byte, v13, resume, sni bool, alpn string) {
	if h := appendServerHello(b[:0:0], v13, resume, sni, alpn); len(h) == len(b) {
		copy(b, h)
	}
}
