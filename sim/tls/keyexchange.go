package tls

// TLS 1.2's ECDHE key exchange messages travel in the clear (RFC 5246
// §7.4.3, §7.4.7), so a capture shows their structures: written here as
// RFC 8422 has them for X25519 and an RSA-2048 signature, with zeros for
// the public keys and the signature.

// The structures' fixed parts, as the bytes they are.
const (
	// ServerECDHParams (RFC 8422 §5.4): curve_type named_curve (3),
	// namedcurve x25519 (29, RFC 8422 §5.1.1), and the length of the
	// public ECPoint, a 32-byte X25519 key (RFC 8422 §5.4.1).
	skeParams = "\x03\x00\x1d\x20"
	// The digitally-signed params (RFC 5246 §4.7): the
	// SignatureAndHashAlgorithm rsa_pkcs1_sha256 (sha256 4, rsa 1), which
	// the ClientHello's signature_algorithms offers, and the signature's
	// 2-byte length, 256 (RSA-2048).
	skeSignature = "\x04\x01\x01\x00"
	// x25519KeyLen and rsaSignatureLen are the sizes of the zeros.
	x25519KeyLen    = 32
	rsaSignatureLen = 256
)

const (
	// serverKeyExchangeLen: ECDHE parameters (X25519) with an RSA-2048
	// signature (RFC 8422 §5.4): 296 bytes.
	serverKeyExchangeLen = len(skeParams) + x25519KeyLen + len(skeSignature) + rsaSignatureLen
	// clientKeyExchangeLen: ClientECDiffieHellmanPublic, the client's
	// X25519 public key after its 1-byte length (RFC 8422 §5.7): 33 bytes.
	clientKeyExchangeLen = 1 + x25519KeyLen
)

// serverKeyExchange writes a ServerKeyExchange body into b, zeros (as
// writeFlight gives it) but for the fixed parts, if b is its size.
func serverKeyExchange(b []byte) {
	if len(b) != serverKeyExchangeLen {
		return
	}
	copy(b, skeParams)
	copy(b[len(skeParams)+x25519KeyLen:], skeSignature)
}

// clientKeyExchange writes a ClientKeyExchange body into b, zeros but for
// the key's length, if b is its size.
func clientKeyExchange(b []byte) {
	if len(b) != clientKeyExchangeLen {
		return
	}
	b[0] = x25519KeyLen
}
