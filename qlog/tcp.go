package qlog

import (
	"strings"

	"httpsim/sim/trace"
)

// This file writes TCP segments and TLS records in the dialect of qvis's
// own pcap-to-qlog converter (qvis's qlog_tcp_tls_h2.ts), which the qlog
// drafts do not define: transport:packet_sent and packet_received whose
// header carries the TCP sequence_number, and tls:record_created and
// record_parsed. As with QUIC (main schema -02, "RawInfo"), the lengths are
// under raw, where qvis's 0.3 loader moves them.

// tcpHeader is the dialect's IPacketHeader: packet_number counts the
// segments each side sent (a retransmission gets a new one, as in QUIC),
// sequence_number is relative to the initial sequence number, and
// header_length covers the IP and TCP headers and options.
type tcpHeader struct {
	PacketNumber   int64 `json:"packet_number"`
	SequenceNumber int64 `json:"sequence_number"`
	HeaderLength   int64 `json:"header_length"`
}

// tcpPacketEvent is the dialect's IEventPacketSent and
// IEventPacketReceived, with the segment's flags, acknowledgement and
// window as details.
type tcpPacketEvent struct {
	Header  tcpHeader `json:"header"`
	Raw     rawInfo   `json:"raw"`
	Details []any     `json:"details"`
	Trigger string    `json:"trigger,omitempty"`
}

// tcpFlags is the dialect's IPacketFlags detail.
type tcpFlags struct {
	Type  string `json:"type"`
	SYN   bool   `json:"syn,omitempty"`
	ACK   bool   `json:"ack,omitempty"`
	Reset bool   `json:"reset,omitempty"`
	FIN   bool   `json:"fin,omitempty"`
	PSH   bool   `json:"psh,omitempty"`
}

// tcpAck is the dialect's IPacketAcks detail, with the cumulative
// acknowledgement (relative) and whether SACK blocks ride along.
type tcpAck struct {
	Type      string `json:"type"`
	AckNumber int64  `json:"ack_number"`
	SACK      bool   `json:"sack,omitempty"`
}

// tcpWindow is the dialect's IPacketFlowControl detail: the advertised
// receive window in bytes.
type tcpWindow struct {
	Type   string `json:"type"`
	Window int64  `json:"window"`
}

func tcpPacket(e *trace.Event) tcpPacketEvent {
	p := tcpPacketEvent{
		Header: tcpHeader{PacketNumber: e.PN, SequenceNumber: e.Seq, HeaderLength: e.Size - e.Len},
		Raw:    rawInfo{Length: e.Size, PayloadLength: e.Len},
		Details: []any{tcpFlags{Type: "flags", SYN: e.Flags.Has(trace.FlagSYN), ACK: e.Flags.Has(trace.FlagACK),
			Reset: e.Flags.Has(trace.FlagRST), FIN: e.Flags.Has(trace.FlagFIN), PSH: e.Flags.Has(trace.FlagPSH)}},
	}
	if e.Flags.Has(trace.FlagACK) {
		p.Details = append(p.Details, tcpAck{Type: "ack", AckNumber: e.Ack, SACK: e.Flags.Has(trace.FlagSACK)})
	}
	p.Details = append(p.Details, tcpWindow{Type: "flow_control", Window: e.Wnd})
	if e.Kind == trace.PacketSent {
		switch {
		case e.Flags.Has(trace.FlagProbe):
			p.Trigger = "probe"
		case e.Flags.Has(trace.FlagRetransmit):
			p.Trigger = "retransmit"
		}
	}
	return p
}

// tcpDroppedEvent is an endpoint discarding a segment it received.
type tcpDroppedEvent struct {
	Header  tcpHeader `json:"header"`
	Raw     rawInfo   `json:"raw"`
	Trigger string    `json:"trigger,omitempty"`
}

func tcpDropped(e *trace.Event) tcpDroppedEvent {
	return tcpDroppedEvent{
		Header:  tcpHeader{PacketNumber: e.PN, SequenceNumber: e.Seq, HeaderLength: e.Size - e.Len},
		Raw:     rawInfo{Length: e.Size, PayloadLength: e.Len},
		Trigger: e.Name,
	}
}

// tlsRecordHeaderLen is a TLS record header: type, version, length
// (RFC 8446 §5.1).
const tlsRecordHeaderLen = 5

// tlsRecordHeader is the dialect's IRecordHeader; content_type takes the
// dialect's values ("handshake", "alert", "application",
// "change-cipherspec"). stream_offset (where the record starts in its
// sender's TCP byte stream) and handshake_messages are additional fields.
// The record's lengths are under raw, where qvis's 0.3 loader moves a
// header's payload_length.
type tlsRecordHeader struct {
	ContentType       string   `json:"content_type"`
	HeaderLength      int64    `json:"header_length"`
	StreamOffset      int64    `json:"stream_offset"`
	HandshakeMessages []string `json:"handshake_messages,omitempty"`
}

// tlsRecordEvent is the dialect's IEventRecordCreated and
// IEventRecordParsed.
type tlsRecordEvent struct {
	Header tlsRecordHeader `json:"header"`
	Raw    rawInfo         `json:"raw"`
}

func tlsRecord(e *trace.Event) tlsRecordEvent {
	ct := "unknown"
	switch e.Name {
	case "handshake", "alert":
		ct = e.Name
	case "application_data":
		ct = "application"
	case "change_cipher_spec":
		ct = "change-cipherspec"
	}
	h := tlsRecordHeader{ContentType: ct, HeaderLength: tlsRecordHeaderLen, StreamOffset: e.Seq}
	// A handshake record's messages; a change_cipher_spec record holds
	// none (its Value is its name, or that it was dropped).
	if e.Value != "" && ct == "handshake" {
		h.HandshakeMessages = strings.Split(e.Value, ",")
	}
	return tlsRecordEvent{Header: h, Raw: rawInfo{Length: e.Len, PayloadLength: max(e.Len-tlsRecordHeaderLen, 0)}}
}
