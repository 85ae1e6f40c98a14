package tls

import "encoding/binary"

// The hellos are the handshake messages sent in the clear, so a capture of
// a run (httpsim export --format pcap) shows them to Wireshark. They are
// written as the structures of RFC 8446 §4.1.2–4.1.3 (RFC 5246 §7.4.1 for
// TLS 1.2), at exactly the sizes the model gives them (clientHelloLen,
// serverHello13Len, serverHello12Len): a browser's X25519 key share,
// AES-128-GCM and a padding extension (RFC 7685) to 512 bytes. Random
// values, keys, session IDs, tickets and binders are zeros: nothing here is
// cryptography, and the simulator reads none of these bytes.

// The hellos' parts, as the bytes they are (the structures' fields in
// order; lengths in big-endian): built from these, not field by field, the
// hellos cost the wasm a tenth of the code.
const (
	zeros32 = "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
		"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
	// legacy_version 0x0303, random, a 32-byte legacy_session_id.
	helloStart = "\x03\x03" + zeros32 + "\x20" + zeros32
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
	extEarly    = "\x00\x2a\x00\x00"
	// ec_point_formats: uncompressed; extended_master_secret;
	// renegotiation_info, empty.
	exts12 = "\x00\x0b\x00\x02\x01\x00" + "\x00\x17\x00\x00" + "\xff\x01\x00\x01\x00"
	// pre_shared_key, last (RFC 8446 §4.2.11): one identity, a ticket of
	// ticketIdentityLen zeros and its obfuscated age, then one binder of
	// 32 bytes (HMAC-SHA256).
	extPSKStart = "\x00\x29" + "\x00\xa3" + "\x00\x7e" + "\x00\x78"
	extPSKEnd   = "\x00\x21\x20"
	pskExtLen   = len(extPSKStart) + ticketIdentityLen + 4 + len(extPSKEnd) + 32
	// ticketIdentityLen is the resumption ticket's length: the extension
	// stays within the pskExtensionLen the model adds to a resuming
	// ClientHello.
	ticketIdentityLen = 120
	// ServerHello, TLS 1.3: TLS_AES_128_GCM_SHA256, null compression;
	// supported_versions: TLS 1.3; key_share: X25519.
	serverRest13 = "\x13\x01\x00" + "\x00\x2e" + "\x00\x2b\x00\x02\x03\x04" + "\x00\x33\x00\x24\x00\x1d\x00\x20" + zeros32
	// ServerHello, TLS 1.2: ECDHE-RSA-AES128-GCM, null compression;
	// extended_master_secret, renegotiation_info.
	serverRest12 = "\xc0\x2f\x00" + "\x00\x09" + "\x00\x17\x00\x00" + "\xff\x01\x00\x01\x00"
)

// clientHello writes a ClientHello body into b, all of it: the padding
// extension (RFC 7685) takes what the other fields leave. b is left as it
// is if they do not fit.
func clientHello(b []byte, v13, resume, early bool) {
	h := append(make([]byte, 0, len(b)), helloStart...)
	if v13 {
		h = append(h, clientSuites13...)
	} else {
		h = append(h, clientSuites12...)
	}
	extStart := len(h)
	h = append(h, "\x00\x00"+extsBoth...) // the extensions' length, set below
	psk := 0
	if v13 {
		h = append(h, exts13...)
		if resume {
			h = append(h, extPSKModes...)
			psk = pskExtLen
		}
		if early {
			h = append(h, extEarly...)
		}
	} else {
		h = append(h, exts12...)
	}
	pad := len(b) - len(h) - psk - 4
	if pad < 0 {
		return
	}
	h = append(h, 0, 21, byte(pad>>8), byte(pad))
	h = h[:len(h)+pad] // zeros: h has room for all of b
	if psk > 0 {
		h = append(h, extPSKStart...)
		h = h[:len(h)+ticketIdentityLen+4]
		h = append(h, extPSKEnd...)
		h = h[:len(h)+32]
	}
	binary.BigEndian.PutUint16(h[extStart:], uint16(len(h)-extStart-2))
	copy(b, h)
}

// serverHello writes a ServerHello body into b if it is exactly the
// structure's size (serverHello13Len, serverHello12Len), else leaves it.
func serverHello(b []byte, v13 bool) {
	rest := serverRest12
	if v13 {
		rest = serverRest13
	}
	if len(b) == len(helloStart)+len(rest) {
		copy(b, helloStart)
		copy(b[len(helloStart):], rest)
	}
}
