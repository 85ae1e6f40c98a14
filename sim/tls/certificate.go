package tls

// The server's Certificate message carries a chain of X.509 certificates
// (RFC 5246 §7.4.2, RFC 8446 §4.4.2). Over TLS 1.2 it travels in the
// clear, so a capture opened in Wireshark shows it: the chain here is two
// well-formed DER certificates (RFC 5280 §4.1), a leaf for the server's
// name and the intermediate that issued it, with RSA-2048 keys and
// sha256WithRSAEncryption signatures as Config.CertChain describes. The
// modulus and the signatures are zeros (but for the modulus's top bit, so
// that it is a 2048-bit number): nothing here is cryptography. Each
// certificate is brought to its share of the chain's size by a comment
// extension saying so, where real chains have their Certificate
// Transparency, policy and revocation extensions.
//
// Every TLS connection over TCP writes its chain, so the certificates are
// written straight into the message, back to front (a DER element's length
// is then known when its header is written), without allocating; the same
// writer, given no buffer, measures.

// ASN.1 tags (X.680 §8.4 assigns the universal ones), those a certificate
// uses.
const (
	derBoolean     = 0x01
	derInteger     = 0x02
	derBitString   = 0x03
	derOctetString = 0x04
	derNull        = 0x05
	derOID         = 0x06
	derUTF8String  = 0x0c
	derIA5String   = 0x16
	derUTCTime     = 0x17
	derSequence    = 0x30
	derSet         = 0x31
	derExplicit0   = 0xa0 // [0] EXPLICIT: the version
	derExplicit3   = 0xa3 // [3] EXPLICIT: the extensions
	derDNSName     = 0x82 // GeneralName's [2] IMPLICIT IA5String (RFC 5280 §4.2.1.6)
)

// Object identifiers, as their DER contents.
const (
	oidSHA256WithRSA    = "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0b" // 1.2.840.113549.1.1.11 (RFC 4055 §5)
	oidRSAEncryption    = "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01" // 1.2.840.113549.1.1.1 (RFC 3279 §2.3.1)
	oidCommonName       = "\x55\x04\x03"                         // 2.5.4.3
	oidOrganization     = "\x55\x04\x0a"                         // 2.5.4.10
	oidSubjectAltName   = "\x55\x1d\x11"                         // 2.5.29.17 (RFC 5280 §4.2.1.6)
	oidBasicConstraints = "\x55\x1d\x13"                         // 2.5.29.19 (RFC 5280 §4.2.1.9)
	// oidComment is Netscape's certificate comment,
	// 2.16.840.1.113730.1.13, an IA5String that Wireshark and OpenSSL
	// show as text: the extension that brings a certificate to its size
	// says what its bytes stand for.
	oidComment = "\x60\x86\x48\x01\x86\xf8\x42\x01\x0d"
)

// The chain's fixed names and dates: an intermediate CA that issued the
// leaf, valid around the runs' date (sim/web's epoch, 26 November 2026),
// the leaf for ninety days, as many CAs issue them.
const (
	certOrganization   = "httpsim (simulated, not a real CA)"
	intermediateName   = "httpsim Intermediate CA"
	rootName           = "httpsim Root CA"
	unnamedServer      = "httpsim server"
	leafNotBefore      = "260915000000Z"
	leafNotAfter       = "261214000000Z"
	intermediateBefore = "240313000000Z"
	intermediateAfter  = "270312000000Z"
	rsaModulusLen      = 256 // RSA-2048
	// fillerText is the comment's text, repeated to its length.
	fillerText = "Simulated by httpsim: no real key, no real signature. This comment stands in for what a real certificate also carries (Certificate Transparency SCTs, policies, revocation and issuer links), to the chain's size. "
)

// certificateMessage writes a Certificate body into b (zeros, as
// writeFlight gives it): a chain of two certificates for host filling the
// body exactly, or one when b is too small for two. A body too small for
// any (Config.CertChain allows 100 bytes) carries a single entry of zeros:
// the list's framing is still right.
func certificateMessage(b []byte, tls13 bool, host string) {
	// The list's framing: TLS 1.3's empty certificate_request_context
	// and each entry's empty extensions (RFC 8446 §4.4.2).
	head, perEntry := 3, 3
	if tls13 {
		head, perEntry = 4, 5
	}
	if len(b) < head+perEntry+1 {
		return
	}
	put24(b[head-3:], len(b)-head)
	list := b[head:]
	leaf := certSpec{subject: host, dnsName: host, issuer: intermediateName, notBefore: leafNotBefore, notAfter: leafNotAfter}
	if host == "" {
		// No name to certify (an origin that is an IP literal, or a
		// name that is none, Conn.Hello): a leaf without one.
		leaf.subject = unnamedServer
	}
	ca := certSpec{subject: intermediateName, issuer: rootName, notBefore: intermediateBefore, notAfter: intermediateAfter, ca: true}
	room := len(list) - 2*perEntry // for two certificates
	// The leaf takes half the room; where a size cannot be made exactly
	// (a DER length growing by a byte), a byte moves to the other.
	for d := 0; d < 4; d++ {
		n1 := room/2 - d
		f1, ok1 := leaf.shapeFor(n1)
		f2, ok2 := ca.shapeFor(room - n1)
		if ok1 && ok2 {
			put24(list, n1)
			leaf.write(list[3:3+n1], f1)
			rest := list[perEntry+n1:]
			put24(rest, room-n1)
			ca.write(rest[3:3+room-n1], f2)
			return
		}
	}
	put24(list, len(list)-perEntry)
	if f, ok := leaf.shapeFor(len(list) - perEntry); ok {
		leaf.write(list[3:len(list)-perEntry+3], f)
	}
}

// certSpec is what differs between the chain's two certificates.
type certSpec struct {
	subject, issuer     string // common names
	dnsName             string // the subjectAltName's, if any
	notBefore, notAfter string // UTCTime, YYMMDDhhmmssZ
	ca                  bool
}

// certShape is what brings a certificate to its size: the comment's
// length (none if 0) and the serial number's length. A DER
// length that grows by a byte grows the lengths around it too, so filler
// alone skips some sizes; the serial number, 8 to 20 bytes (RFC 5280
// §4.1.2.2), fills them.
type certShape struct{ filler, serial int }

// shapeFor returns the shape that makes the certificate size bytes long,
// and whether one does (none when size is too small).
func (c certSpec) shapeFor(size int) (certShape, bool) {
	for serial := minSerial; serial <= maxSerial; serial++ {
		s := certShape{serial: serial}
		n := c.size(s)
		if n == size {
			return s, true
		}
		if n > size {
			return certShape{}, false
		}
		// The filler's bytes count once, its tags and lengths a few
		// bytes more: a few steps reach the size, or go back and forth
		// across it where a length grows, and a longer serial number
		// is tried.
		s.filler = 1
		for step := 0; step < 6 && s.filler > 0; step++ {
			n = c.size(s)
			if n == size {
				return s, true
			}
			s.filler += size - n
		}
	}
	return certShape{}, false
}

// The serial number's lengths: 8 bytes, as many CAs use, to the 20 RFC
// 5280 §4.1.2.2 allows.
const (
	minSerial = 8
	maxSerial = 20
)

// size is the certificate's length in shape s.
func (c certSpec) size(s certShape) int {
	w := derWriter{pos: 1 << 30}
	c.encode(&w, s)
	return 1<<30 - w.pos
}

// write writes the certificate into b, which is exactly its size.
func (c certSpec) write(b []byte, s certShape) {
	w := derWriter{b: b, pos: len(b)}
	c.encode(&w, s)
}

// encode writes the certificate (RFC 5280 §4.1) back to front.
func (c certSpec) encode(w *derWriter, s certShape) {
	cert := w.pos
	// signatureValue: a BIT STRING with no unused bits, of zeros.
	sig := w.pos
	w.zeros(rsaModulusLen)
	w.bytes("\x00")
	w.wrap(derBitString, sig)
	rsaAlgorithm(w, oidSHA256WithRSA)

	tbs := w.pos
	// extensions [3] EXPLICIT SEQUENCE OF Extension.
	exp := w.pos
	exts := w.pos
	if s.filler > 0 {
		ext := w.pos
		o := w.pos
		text := w.pos
		w.cycle(s.filler, fillerText)
		w.wrap(derIA5String, text)
		w.wrap(derOctetString, o)
		w.tlv(derOID, oidComment)
		w.wrap(derSequence, ext)
	}
	ext := w.pos
	o := w.pos
	inner := w.pos
	switch {
	case c.ca:
		// cA TRUE (RFC 5280 §4.2.1.9), critical.
		w.tlv(derBoolean, "\xff")
		w.wrap(derSequence, inner)
		w.wrap(derOctetString, o)
		w.tlv(derBoolean, "\xff")
		w.tlv(derOID, oidBasicConstraints)
		w.wrap(derSequence, ext)
	case c.dnsName != "":
		// The name the browser asked for, where a client matches it
		// (RFC 9525 §6.3).
		w.tlv(derDNSName, c.dnsName)
		w.wrap(derSequence, inner)
		w.wrap(derOctetString, o)
		w.tlv(derOID, oidSubjectAltName)
		w.wrap(derSequence, ext)
	}
	if w.pos != exts { // Extensions has at least one (RFC 5280 §4.1)
		w.wrap(derSequence, exts)
		w.wrap(derExplicit3, exp)
	}

	rsaPublicKey(w)
	name(w, c.subject)
	validity := w.pos
	w.tlv(derUTCTime, c.notAfter)
	w.tlv(derUTCTime, c.notBefore)
	w.wrap(derSequence, validity)
	name(w, c.issuer)
	rsaAlgorithm(w, oidSHA256WithRSA)
	serial(w, c.subject, s.serial)
	version := w.pos
	w.tlv(derInteger, "\x02") // v3
	w.wrap(derExplicit0, version)
	w.wrap(derSequence, tbs)
	w.wrap(derSequence, cert)
}

// name writes a Name (RFC 5280 §4.1.2.4): an organisation, a common name.
func name(w *derWriter, cn string) {
	n := w.pos
	for _, a := range [2][2]string{{oidCommonName, cn}, {oidOrganization, certOrganization}} {
		set := w.pos
		seq := w.pos
		w.tlv(derUTF8String, a[1])
		w.tlv(derOID, a[0])
		w.wrap(derSequence, seq)
		w.wrap(derSet, set)
	}
	w.wrap(derSequence, n)
}

// rsaAlgorithm writes an AlgorithmIdentifier of the RSA family, oid with
// its NULL parameters (RFC 3279 §2.3.1, RFC 4055 §5): the signatures'
// sha256WithRSAEncryption, the keys' rsaEncryption.
func rsaAlgorithm(w *derWriter, oid string) {
	alg := w.pos
	w.tlv(derNull, "")
	w.tlv(derOID, oid)
	w.wrap(derSequence, alg)
}

// rsaPublicKey writes a SubjectPublicKeyInfo for an RSA-2048 key (RFC 3279
// §2.3.1): a modulus with its top bit set and zeros below, exponent 65537.
func rsaPublicKey(w *derWriter) {
	spki := w.pos
	bits := w.pos
	key := w.pos
	w.tlv(derInteger, "\x01\x00\x01")
	m := w.pos
	w.zeros(rsaModulusLen - 1)
	w.bytes("\x00\x80") // the leading zero keeps the INTEGER positive
	w.wrap(derInteger, m)
	w.wrap(derSequence, key)
	w.bytes("\x00") // no unused bits
	w.wrap(derBitString, bits)
	rsaAlgorithm(w, oidRSAEncryption)
	w.wrap(derSequence, spki)
}

// serial writes a certificate's serial number of n bytes: positive (RFC
// 5280 §4.1.2.2), from its subject, so that the two differ.
func serial(w *derWriter, subject string, n int) {
	h := uint64(14695981039346656037) // FNV-1a
	for i := 0; i < len(subject); i++ {
		h = (h ^ uint64(subject[i])) * 1099511628211
	}
	s := w.pos
	for i := 0; i < n; i++ {
		b := byte(h >> (8 * (i % 8)))
		if i == n-1 {
			b = b&0x7f | 0x10 // positive, and no leading zero to drop
		}
		w.byte(b)
	}
	w.wrap(derInteger, s)
}

// derWriter writes DER back to front into b, ending at pos; with b nil it
// only counts.
type derWriter struct {
	b   []byte
	pos int
}

func (w *derWriter) byte(c byte) {
	w.pos--
	if w.b != nil {
		w.b[w.pos] = c
	}
}

// bytes writes s (in order) before what is written.
func (w *derWriter) bytes(s string) {
	w.pos -= len(s)
	if w.b != nil {
		copy(w.b[w.pos:], s)
	}
}

// cycle writes n bytes of s repeated from its start.
func (w *derWriter) cycle(n int, s string) {
	w.pos -= n
	if w.b == nil {
		return
	}
	for i := 0; i < n; i += len(s) {
		copy(w.b[w.pos+i:w.pos+n], s)
	}
}

// zeros leaves n bytes of zeros (b comes zeroed).
func (w *derWriter) zeros(n int) { w.pos -= n }

// wrap writes the header of an element whose contents run from pos to
// end: its tag and definite length in the fewest bytes (X.690 §8.1.3,
// §10.1).
func (w *derWriter) wrap(tag byte, end int) {
	n := end - w.pos
	switch {
	case n < 0x80:
		w.byte(byte(n))
	case n < 0x100:
		w.byte(byte(n))
		w.byte(0x81)
	case n < 0x10000:
		w.byte(byte(n))
		w.byte(byte(n >> 8))
		w.byte(0x82)
	default:
		w.byte(byte(n))
		w.byte(byte(n >> 8))
		w.byte(byte(n >> 16))
		w.byte(0x83)
	}
	w.byte(tag)
}

// tlv writes a whole element with contents s.
func (w *derWriter) tlv(tag byte, s string) {
	end := w.pos
	w.bytes(s)
	w.wrap(tag, end)
}
