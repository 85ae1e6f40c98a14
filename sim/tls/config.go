// Package tls models TLS 1.2 and 1.3 over TCP as a cost model: handshake
// flights with realistic sizes and the round trips they take, and the record
// layer's framing overhead. There is no cryptography. Records are real on the
// wire — a 5-byte header, the payload, and a tag-sized trailer — so the
// receiver parses them, and an application's bytes become usable only when
// the whole record holding them has arrived, as with a real AEAD.
package tls

import (
	"errors"
	"fmt"
	"time"
)

// Version selects the protocol.
type Version string

const (
	// None is plain TCP, no TLS.
	None Version = "none"
	// TLS12 is TLS 1.2 (RFC 5246) with an ECDHE key exchange: a full
	// handshake takes two round trips before application data.
	TLS12 Version = "1.2"
	// TLS13 is TLS 1.3 (RFC 8446): one round trip, or none for early data
	// on a resumed session.
	TLS13 Version = "1.3"
)

// MaxTicketLifetime is the longest a TLS 1.3 session ticket can be used for
// resumption: "Servers MUST NOT use any value greater than 604800 seconds
// (7 days)" for ticket_lifetime, and "Clients MUST NOT cache tickets for
// longer than 7 days" (RFC 8446 §4.6.1).
const MaxTicketLifetime = 7 * 24 * time.Hour

// Config configures one end of a TLS connection.
type Config struct {
	Version Version `json:"version"`
	// CertChain is the size in bytes of the server's certificate chain as
	// sent in its Certificate message (default 4000: a leaf and one
	// intermediate with RSA-2048 keys). A large chain can overflow the
	// server's initial congestion window and cost a round trip.
	CertChain int `json:"cert_chain"`
	// Resume resumes an earlier session: with a PSK in TLS 1.3 (RFC 8446
	// §2.2), with the session ID and the abbreviated handshake in TLS
	// 1.2 (RFC 5246 §7.3), one round trip instead of two. No
	// certificate is sent.
	Resume bool `json:"resume"`
	// EarlyData sends the first requests as 0-RTT early data (RFC 8446
	// §2.3); it needs TLS 1.3 and Resume.
	EarlyData bool `json:"early_data"`
	// RejectEarlyData makes the server refuse the client's 0-RTT data
	// (RFC 8446 §4.2.10): its EncryptedExtensions carry no early_data
	// extension, it skips the early records unread, and the client sends
	// the same bytes again once the handshake completes. It needs
	// EarlyData.
	RejectEarlyData bool `json:"reject_early_data"`
	// MaxRecord is the largest plaintext per record (RFC 8446 §5.1: at
	// most 2^14 bytes; default 16384).
	MaxRecord int `json:"max_record"`
}

// DefaultConfig returns TLS 1.3 with a 4 KB certificate chain.
func DefaultConfig() Config {
	return Config{Version: TLS13, CertChain: 4000, MaxRecord: 16384}
}

// Validate names the first bad field.
func (c Config) Validate() error {
	switch c.Version {
	case None:
		return nil
	case TLS12, TLS13:
	default:
		return fmt.Errorf("version: %q is not a TLS version (use none, 1.2 or 1.3)", c.Version)
	}
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if c.CertChain < 100 || c.CertChain > 1<<20 {
		bad("cert_chain: %d is out of range (100 bytes to 1MiB)", c.CertChain)
	}
	if c.MaxRecord < 256 || c.MaxRecord > 1<<14 {
		bad("max_record: %d is out of range (256 to 16384 bytes)", c.MaxRecord)
	}
	if c.EarlyData && (c.Version != TLS13 || !c.Resume) {
		bad("early_data: 0-RTT needs TLS 1.3 and a resumed session (RFC 8446 §2.3)")
	}
	if c.RejectEarlyData && !c.EarlyData {
		bad("reject_early_data: a server can reject 0-RTT only if the client sends it: needs early_data (RFC 8446 §4.2.10)")
	}
	return errors.Join(errs...)
}

// Sizes of handshake message bodies, in bytes. They follow the structures of
// RFC 8446 §4 and RFC 5246 §7.4 filled in as a browser and a common server
// fill them: X25519 key shares, AES-128-GCM, RSA-2048 signatures.
const (
	// clientHelloLen: a browser pads its ClientHello to 512 bytes (RFC
	// 7685's padding extension, used by Chrome and Firefox).
	clientHelloLen = 508
	// pskExtensionLen: a resumption ticket identity and binder (RFC 8446
	// §4.2.11) added to a TLS 1.3 ClientHello.
	pskExtensionLen = 200
	// serverHello13Len: random, session ID echo, cipher, key_share (X25519)
	// and supported_versions (RFC 8446 §4.1.3). Over TCP the hello's true
	// size is used (serverHelloLen): this one and 6 bytes of
	// pre_shared_key when resuming (RFC 8446 §4.2.11).
	serverHello13Len = 118
	// quicServerHello13Len: the same over QUIC, whose legacy_session_id
	// is empty (RFC 9001 §8.4: QUIC has no use for TLS 1.3's middlebox
	// compatibility mode), so its echo is too: 32 bytes fewer (and 6
	// more of pre_shared_key when resuming). The model counted the
	// echo, 32 bytes of QUIC's first flight under the anti-amplification
	// limit.
	quicServerHello13Len = serverHello13Len - 32
	// quicEncryptedExtensionsLen: QUIC's model of EncryptedExtensions
	// without its transport parameters: ALPN and little else (RFC 8446
	// §4.3.1). Over TCP the message's true size is used
	// (encryptedExtensionsLen).
	quicEncryptedExtensionsLen = 21
	// certificateOverhead: context, list lengths, per-entry extensions.
	certificateOverhead = 13
	// certificateVerifyLen: an RSA-PSS 2048-bit signature (RFC 8446 §4.4.3).
	certificateVerifyLen = 260
	// finished13Len: HMAC-SHA256 verify_data (RFC 8446 §4.4.4).
	finished13Len = 32
	// finished12Len: verify_data of 12 bytes (RFC 5246 §7.4.9).
	finished12Len = 12
	// serverKeyExchangeLen and clientKeyExchangeLen: see keyexchange.go.
	// newSessionTicketLen: one ticket; OpenSSL sends two after a full
	// TLS 1.3 handshake (RFC 8446 §4.6.1).
	newSessionTicketLen = 186
	// endOfEarlyDataLen: an empty message (RFC 8446 §4.5).
	endOfEarlyDataLen = 0
)

// Record layer constants.
const (
	recordHeaderLen = 5  // type, legacy version, length (RFC 8446 §5.1)
	tagLen          = 16 // AEAD_AES_128_GCM tag (RFC 5116 §5.1)
	explicitNonce12 = 8  // TLS 1.2 GCM explicit nonce (RFC 5288 §3)
	handshakeHeader = 4  // msg_type and 24-bit length (RFC 8446 §4)
)

// content types (RFC 8446 §5.1).
const (
	ctChangeCipherSpec = 20
	ctAlert            = 21
	ctHandshake        = 22
	ctApplicationData  = 23
)

// handshake message types (RFC 8446 §4, RFC 5246 §7.4).
const (
	hsClientHello         = 1
	hsServerHello         = 2
	hsNewSessionTicket    = 4
	hsEndOfEarlyData      = 5
	hsEncryptedExtensions = 8
	hsCertificate         = 11
	hsServerKeyExchange   = 12
	hsServerHelloDone     = 14
	hsCertificateVerify   = 15
	hsClientKeyExchange   = 16
	hsFinished            = 20
)

func contentTypeName(ct byte) string {
	switch ct {
	case ctChangeCipherSpec:
		return "change_cipher_spec"
	case ctAlert:
		return "alert"
	case ctHandshake:
		return "handshake"
	case ctApplicationData:
		return "application_data"
	}
	return fmt.Sprintf("unknown(%d)", ct)
}

func handshakeName(t byte) string {
	switch t {
	case hsClientHello:
		return "ClientHello"
	case hsServerHello:
		return "ServerHello"
	case hsNewSessionTicket:
		return "NewSessionTicket"
	case hsEndOfEarlyData:
		return "EndOfEarlyData"
	case hsEncryptedExtensions:
		return "EncryptedExtensions"
	case hsCertificate:
		return "Certificate"
	case hsServerKeyExchange:
		return "ServerKeyExchange"
	case hsServerHelloDone:
		return "ServerHelloDone"
	case hsCertificateVerify:
		return "CertificateVerify"
	case hsClientKeyExchange:
		return "ClientKeyExchange"
	case hsFinished:
		return "Finished"
	}
	return fmt.Sprintf("handshake(%d)", t)
}
