package tls

// QUICHandshake lists the sizes of the TLS 1.3 handshake messages that QUIC
// carries in CRYPTO frames instead of records (RFC 9001 §4). Each size counts
// the 4-byte handshake message header; there is no record layer. A message
// that a handshake does not send has size 0.
type QUICHandshake struct {
	// ClientHello: the same message as over TCP. Its padding extension is
	// not needed (QUIC pads the datagram instead, RFC 9000 §14.1), and the
	// room it took holds the quic_transport_parameters extension (RFC 9001
	// §8.2), so the size is unchanged; a resumed session adds its PSK.
	ClientHello int
	// ServerHello is sent in Initial packets (RFC 9001 §4.1.4).
	ServerHello int
	// EncryptedExtensions without the server's transport parameters,
	// which the caller adds.
	EncryptedExtensions int
	// Certificate and CertificateVerify are absent on resumption.
	Certificate       int
	CertificateVerify int
	// ServerFinished and ClientFinished carry HMAC-SHA256 verify_data.
	ServerFinished int
	ClientFinished int
	// NewSessionTicket is one ticket, sent in 1-RTT packets.
	NewSessionTicket int
}

// QUICHandshakeSizes returns the message sizes of a TLS 1.3 handshake over
// QUIC with a certificate chain of certChain bytes, or of a resumption. The
// sizes are those this package uses over TCP (see the constants in
// config.go), so that the two transports pay for the same handshake.
func QUICHandshakeSizes(certChain int, resume bool) QUICHandshake {
	h := QUICHandshake{
		ClientHello:         handshakeHeader + clientHelloLen,
		ServerHello:         handshakeHeader + quicServerHello13Len,
		EncryptedExtensions: handshakeHeader + quicEncryptedExtensionsLen,
		ServerFinished:      handshakeHeader + finished13Len,
		ClientFinished:      handshakeHeader + finished13Len,
		NewSessionTicket:    handshakeHeader + newSessionTicketLen,
	}
	if resume {
		h.ClientHello += pskExtensionLen
		h.ServerHello += 6 // pre_shared_key: selected_identity (RFC 8446 §4.2.11)
	} else {
		h.Certificate = handshakeHeader + certChain + certificateOverhead
		h.CertificateVerify = handshakeHeader + certificateVerifyLen
	}
	return h
}
