package qlog

import (
	"encoding/hex"
	"fmt"

	"httpsim/sim"
	"httpsim/sim/quic"
	"httpsim/sim/quic/wire"
	"httpsim/sim/trace"
)

// This file maps QUIC packets: transport:packet_sent and packet_received
// (draft-ietf-quic-qlog-quic-events-02 §3.3.5, §3.3.6) and an endpoint's
// transport:packet_dropped (§3.3.7).

// packetHeader is A.8's PacketHeader: the packet number in full, the long
// header's version, connection IDs and Length field, and a short header's
// destination connection ID.
type packetHeader struct {
	PacketType   string `json:"packet_type"`
	PacketNumber int64  `json:"packet_number"`
	Token        *token `json:"token,omitempty"`
	Length       uint64 `json:"length,omitempty"`
	Version      string `json:"version,omitempty"`
	SCIL         *int   `json:"scil,omitempty"`
	DCIL         *int   `json:"dcil,omitempty"`
	SCID         string `json:"scid,omitempty"`
	DCID         string `json:"dcid,omitempty"`
}

// rawInfo is main schema -02's RawInfo: a packet's length and that of its
// payload (the frames; the AEAD tag is neither header nor payload,
// quic-events -02 §2.1.1).
type rawInfo struct {
	Length        int64 `json:"length,omitempty"`
	PayloadLength int64 `json:"payload_length"`
}

// packetEvent is §3.3.5's TransportPacketSent and §3.3.6's
// TransportPacketReceived.
type packetEvent struct {
	Header  packetHeader `json:"header"`
	Frames  []any        `json:"frames"`
	Raw     rawInfo      `json:"raw"`
	Trigger string       `json:"trigger,omitempty"`
}

// packetDropped is §3.3.7's TransportPacketDropped.
type packetDropped struct {
	Header  packetHeader `json:"header"`
	Raw     rawInfo      `json:"raw"`
	Trigger string       `json:"trigger,omitempty"`
}

// packetBuffered is quic-events -02's TransportPacketBuffered: a packet
// kept because the keys to read it were not there yet (trigger
// "keys_unavailable"), logged when it arrived.
type packetBuffered struct {
	Header  packetHeader `json:"header"`
	Raw     rawInfo      `json:"raw"`
	Trigger string       `json:"trigger"`
	arrived sim.Time
}

// quicPacket maps a PacketSent or PacketReceived event of a QUIC run.
func (x *exporter) quicPacket(e *trace.Event) (any, error) {
	h, frames, err := quic.EventFrames(e, x.connIDLen)
	if err != nil {
		return nil, x.eventErr(e, err)
	}
	p := packetEvent{Header: header(e, &h), Frames: make([]any, 0, len(frames))}
	payload := int64(0)
	for _, f := range frames {
		j, err := quicFrame(f)
		if err != nil {
			return nil, x.eventErr(e, err)
		}
		p.Frames = append(p.Frames, j)
		payload += int64(wire.ElidedLength(f))
	}
	payload += e.Len // the STREAM and CRYPTO data the trace leaves out
	p.Raw = rawInfo{Length: int64(h.Len()) + payload + wire.AEADTagSize, PayloadLength: payload}
	if e.Kind == trace.PacketSent && e.Flags.Has(trace.FlagProbe) {
		p.Trigger = "pto_probe" // §3.3.5, RFC 9002 §6.2.4
	}
	return p, nil
}

// quicDropped maps an endpoint's PacketDropped event: a packet it could not
// process, for a reason that is one of §3.3.7's triggers
// ("header_parse_error", "key_unavailable", "duplicate").
func (x *exporter) quicDropped(e *trace.Event) packetDropped {
	d := packetDropped{Header: packetHeader{PacketType: "unknown", PacketNumber: e.PN}, Raw: rawInfo{Length: e.Size}}
	if h, n, err := wire.ParseHeader(e.Raw, x.connIDLen); err == nil {
		d.Header = header(e, &h)
		d.Raw.PayloadLength = max(e.Size-int64(n)-wire.AEADTagSize, 0)
	}
	switch e.Name {
	case "header_parse_error", "key_unavailable", "duplicate":
		d.Trigger = e.Name
	}
	return d
}

// header fills A.8's PacketHeader from the parsed header; the trace's PN is
// the full packet number where the header holds its truncation.
func header(e *trace.Event, h *wire.Header) packetHeader {
	ph := packetHeader{PacketType: h.Type.String(), PacketNumber: e.PN, DCID: hex.EncodeToString(h.DestConnectionID)}
	if h.Type.IsLong() {
		scil, dcil := len(h.SrcConnectionID), len(h.DestConnectionID)
		ph.Version = fmt.Sprintf("%08x", h.Version)
		ph.SCIL, ph.DCIL = &scil, &dcil
		ph.SCID = hex.EncodeToString(h.SrcConnectionID)
		ph.Length = h.Length
		if h.Type == wire.PacketInitial && len(h.Token) > 0 {
			ph.Token = &token{Length: len(h.Token), Data: hex.EncodeToString(h.Token)}
		}
	}
	return ph
}
