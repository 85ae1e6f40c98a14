// Package wire is the byte layer of QUIC version 1 (RFC 9000): variable-length
// integers (§16), frames (§12.4, §19), packet headers and packet numbers
// (§17, Appendix A). It encodes and parses; it keeps no connection state.
//
// Packets are the cleartext layout: no packet protection and no header
// protection is applied (RFC 9001 §5). Where a real packet carries an AEAD
// authentication tag, this package writes AEADTagSize filler bytes, so that
// every datagram has exactly the size a protected one would have. The
// packet-number length bits and the reserved bits of the first byte are
// therefore readable without removing header protection.
//
// Bodies need not be materialised: a STREAM or CRYPTO frame may carry a known
// data length and nil data (filler). Length() counts the data, AppendHeader
// writes only the frame's header fields, and Append writes zero bytes in
// place of the filler so that the result is still a well-formed frame.
//
// Parsed frames alias the buffer they were parsed from (STREAM and CRYPTO
// data, tokens, connection IDs); copy them if the buffer is reused.
//
// Bad input is reported as an error value, never a panic: frame errors are
// *TransportError with the RFC 9000 §20.1 code the receiver must close the
// connection with; malformed packets wrap ErrInvalidPacket (they are
// dropped, §12.2, §17.2). Functions panic only when the caller breaks a
// documented precondition, such as encoding a value above MaxVarint.
package wire
