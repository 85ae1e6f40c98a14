package h2

import (
	"encoding/binary"
	"strconv"
)

// settingLen is the size of one setting in a SETTINGS payload (RFC 9113
// §6.5.1).
const settingLen = 6

// SettingsFrame is a SETTINGS frame (RFC 9113 §6.5): the sender's
// configuration, or (with ACK) the acknowledgement of the peer's.
//
//	SETTINGS Frame {
//	  Length (24),
//	  Type (8) = 0x04,
//	  Unused Flags (7), ACK Flag (1),
//	  Reserved (1),
//	  Stream Identifier (31) = 0,
//	  Setting (48) ...,
//	}
//
//	Setting {
//	  Identifier (16),
//	  Value (32),
//	}
type SettingsFrame struct {
	// Ack is the ACK flag: the frame acknowledges the peer's SETTINGS and
	// carries no settings.
	Ack bool
	// Settings are the settings in wire order; an identifier may repeat,
	// the last value winning (§6.5).
	Settings []Setting
}

var _ Frame = (*SettingsFrame)(nil)

// PayloadLen implements Frame.
func (f *SettingsFrame) PayloadLen() int { return settingLen * len(f.Settings) }

// flags returns the flags the fields imply.
func (f *SettingsFrame) flags() Flags {
	if f.Ack {
		return FlagAck
	}
	return 0
}

// Header implements Frame.
func (f *SettingsFrame) Header() FrameHeader {
	return FrameHeader{Length: uint32(f.PayloadLen()), Type: FrameSettings, Flags: f.flags()}
}

// Append implements Frame. It writes the fields as they are: an Ack frame
// with settings, which the RFC forbids, is written as such.
func (f *SettingsFrame) Append(dst []byte) []byte {
	dst = appendHeader(dst, FrameSettings, f.flags(), 0, f.PayloadLen())
	for _, s := range f.Settings {
		dst = binary.BigEndian.AppendUint16(dst, uint16(s.ID))
		dst = binary.BigEndian.AppendUint32(dst, s.Value)
	}
	return dst
}

// Fields implements Frame: one field per setting, named after it.
func (f *SettingsFrame) Fields() []Field {
	fields := headerFields(f.Header())
	for _, s := range f.Settings {
		fields = append(fields, Field{s.ID.String(), strconv.FormatUint(uint64(s.Value), 10)})
	}
	return fields
}

// Value returns the last value of setting id in the frame, and whether the
// frame carries it.
func (f *SettingsFrame) Value(id SettingID) (v uint32, ok bool) {
	for _, s := range f.Settings {
		if s.ID == id {
			v, ok = s.Value, true
		}
	}
	return v, ok
}

// ParseSettingsFrame parses the payload of a SETTINGS frame with header h
// and checks every value (Setting.Valid). Settings is a new slice.
func ParseSettingsFrame(h FrameHeader, payload []byte) (SettingsFrame, error) {
	if err := checkLength(h, payload); err != nil {
		return SettingsFrame{}, err
	}
	// §6.5: "If an endpoint receives a SETTINGS frame whose Stream
	// Identifier field is anything other than 0x00, the endpoint MUST
	// respond with a connection error (Section 5.4.1) of type
	// PROTOCOL_ERROR."
	if h.StreamID != 0 {
		return SettingsFrame{}, connErrorf(ErrCodeProtocol, "SETTINGS frame on stream %d; want 0", h.StreamID)
	}
	f := SettingsFrame{Ack: h.Flags.Has(FlagAck)}
	// §6.5: "Receipt of a SETTINGS frame with the ACK flag set and a
	// length field value other than 0 MUST be treated as a connection
	// error (Section 5.4.1) of type FRAME_SIZE_ERROR."
	if f.Ack && len(payload) != 0 {
		return SettingsFrame{}, connErrorf(ErrCodeFrameSize, "SETTINGS ACK with a %d-octet payload", len(payload))
	}
	// §6.5: "A SETTINGS frame with a length other than a multiple of 6
	// octets MUST be treated as a connection error (Section 5.4.1) of type
	// FRAME_SIZE_ERROR."
	if len(payload)%settingLen != 0 {
		return SettingsFrame{}, connErrorf(ErrCodeFrameSize, "SETTINGS payload of %d octets is not a multiple of 6", len(payload))
	}
	if n := len(payload) / settingLen; n > 0 {
		f.Settings = make([]Setting, n)
	}
	for i := range f.Settings {
		p := payload[i*settingLen:]
		s := Setting{ID: SettingID(binary.BigEndian.Uint16(p)), Value: binary.BigEndian.Uint32(p[2:])}
		// §6.5.2: each defined setting's range, with its error code.
		if err := s.Valid(); err != nil {
			return SettingsFrame{}, err
		}
		f.Settings[i] = s
	}
	return f, nil
}
