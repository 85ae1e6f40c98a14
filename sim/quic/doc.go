// Package quic is httpsim's QUIC transport: RFC 9000 as a cost model on the
// simulator's links, the handshake of RFC 9001 in shape and size without
// cryptography, and RFC 9002 loss detection and congestion control.
//
// Packets are the cleartext layout of package wire followed by an
// AEAD-tag-sized trailer, so every size on the wire is exact: long and short
// headers, connection IDs, packet numbers encoded per RFC 9000 Appendix A.2,
// frames, padding, and 8 bytes of UDP and 20 of IPv4 per datagram. STREAM
// and CRYPTO frames refer to ranges of their sender's buffers instead of
// copying them; everything else a packet carries is encoded, and the
// receiver parses it back with package wire.
//
// The handshake follows RFC 9001: Initial, Handshake and application packet
// number spaces; a client Initial padded to 1200 bytes; the server's flight
// of TLS 1.3 messages sized as package tls sizes them, coalesced in
// datagrams and held to three times the bytes received until the client's
// address is validated (RFC 9000 §8.1); 0.5-RTT data from the server;
// HANDSHAKE_DONE; 0-RTT on resumption; keys discarded per RFC 9001 §4.9.
//
// Streams are independent: each is reassembled and delivered in order on
// its own, so a hole in one never holds back another. For every range
// delivered the receiver reports when it reached the transport and when it
// became in order (tcp.Arrival), and emits a transport:data_moved event.
//
// Like package tcp, a connection runs no timers of its own beyond those of
// the loop, takes now in every call, and exports snapshots for the UI.
package quic
