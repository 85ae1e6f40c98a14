package h3

import (
	"fmt"
	"slices"

	"httpsim/sim/quic/wire"
)

// SettingID is an HTTP/3 setting identifier (RFC 9114 §7.2.4.1, §11.2.2).
type SettingID uint64

// Setting identifiers.
const (
	// SettingQPACKMaxTableCapacity is SETTINGS_QPACK_MAX_TABLE_CAPACITY
	// (RFC 9204 §5), default 0.
	SettingQPACKMaxTableCapacity SettingID = 0x01
	// SettingMaxFieldSectionSize is SETTINGS_MAX_FIELD_SECTION_SIZE
	// (RFC 9114 §7.2.4.1), default unlimited.
	SettingMaxFieldSectionSize SettingID = 0x06
	// SettingQPACKBlockedStreams is SETTINGS_QPACK_BLOCKED_STREAMS
	// (RFC 9204 §5), default 0.
	SettingQPACKBlockedStreams SettingID = 0x07
	// SettingEnableConnectProtocol is SETTINGS_ENABLE_CONNECT_PROTOCOL
	// (RFC 9220 §3, RFC 8441 §3): 0 or 1.
	SettingEnableConnectProtocol SettingID = 0x08
	// SettingH3Datagram is SETTINGS_H3_DATAGRAM (RFC 9297 §2.1.1): 0 or 1.
	SettingH3Datagram SettingID = 0x33
)

// String returns the setting's RFC name ("SETTINGS_QPACK_MAX_TABLE_CAPACITY",
// ...), "reserved" for the reserved identifiers (0x1f*N+0x21 and HTTP/2's
// 0x02-0x05), and "unknown(0x..)" otherwise.
func (id SettingID) String() string {
	switch id {
	case SettingQPACKMaxTableCapacity:
		return "SETTINGS_QPACK_MAX_TABLE_CAPACITY"
	case SettingMaxFieldSectionSize:
		return "SETTINGS_MAX_FIELD_SECTION_SIZE"
	case SettingQPACKBlockedStreams:
		return "SETTINGS_QPACK_BLOCKED_STREAMS"
	case SettingEnableConnectProtocol:
		return "SETTINGS_ENABLE_CONNECT_PROTOCOL"
	case SettingH3Datagram:
		return "SETTINGS_H3_DATAGRAM"
	}
	if isReserved(uint64(id)) || id.IsHTTP2Reserved() {
		return "reserved"
	}
	return fmt.Sprintf("unknown(%#x)", uint64(id))
}

// IsHTTP2Reserved reports whether id is one of HTTP/2's settings with no
// HTTP/3 counterpart (0x02 ENABLE_PUSH, 0x03 MAX_CONCURRENT_STREAMS, 0x04
// INITIAL_WINDOW_SIZE, 0x05 MAX_FRAME_SIZE), whose receipt is a connection
// error of type H3_SETTINGS_ERROR (RFC 9114 §7.2.4.1).
func (id SettingID) IsHTTP2Reserved() bool { return id >= 0x02 && id <= 0x05 }

// Setting is one setting: an identifier and its value (RFC 9114 §7.2.4).
type Setting struct {
	ID    SettingID
	Value uint64
}

// SettingsFrame is a SETTINGS frame, the first frame of each control
// stream (RFC 9114 §7.2.4). Settings keeps the order of the wire.
type SettingsFrame struct {
	Settings []Setting
}

// parseSettingsFrame parses a SETTINGS payload: settings to the end, each
// identifier at most once, none of HTTP/2's reserved identifiers, and
// boolean settings 0 or 1.
func parseSettingsFrame(payload []byte) (*SettingsFrame, error) {
	f := &SettingsFrame{}
	for len(payload) > 0 {
		id, n, err := wire.ReadVarint(payload)
		if err != nil {
			return nil, connErr(ErrH3FrameError, "settings frame: truncated identifier")
		}
		v, m, err := wire.ReadVarint(payload[n:])
		if err != nil {
			return nil, connErr(ErrH3FrameError, "settings frame: truncated value")
		}
		payload = payload[n+m:]
		s := Setting{ID: SettingID(id), Value: v}
		if s.ID.IsHTTP2Reserved() {
			// §7.2.4.1: "their receipt MUST be treated as a connection
			// error of type H3_SETTINGS_ERROR".
			return nil, connErr(ErrH3SettingsError, "HTTP/2 setting %#x", id)
		}
		if (s.ID == SettingEnableConnectProtocol || s.ID == SettingH3Datagram) && v > 1 {
			// RFC 9297 §2.1.1, RFC 8441 §3 (via RFC 9220 §3): the value is
			// 0 or 1.
			return nil, connErr(ErrH3SettingsError, "%s = %d, not 0 or 1", s.ID, v)
		}
		f.Settings = append(f.Settings, s)
	}
	// §7.2.4: the same identifier MUST NOT occur twice; a receiver MAY
	// treat it as H3_SETTINGS_ERROR, and this one does. Sorting a copy of
	// the identifiers keeps this O(n log n) on hostile input.
	ids := make([]SettingID, len(f.Settings))
	for i, s := range f.Settings {
		ids[i] = s.ID
	}
	slices.Sort(ids)
	for i := 1; i < len(ids); i++ {
		if ids[i] == ids[i-1] {
			return nil, connErr(ErrH3SettingsError, "duplicate setting %s", ids[i])
		}
	}
	return f, nil
}

// Get returns the value of setting id and whether it is present.
func (f *SettingsFrame) Get(id SettingID) (uint64, bool) {
	for _, s := range f.Settings {
		if s.ID == id {
			return s.Value, true
		}
	}
	return 0, false
}

// Type returns FrameSettings.
func (f *SettingsFrame) Type() FrameType { return FrameSettings }

// PayloadLen returns the payload length.
func (f *SettingsFrame) PayloadLen() uint64 {
	n := 0
	for _, s := range f.Settings {
		n += wire.VarintLen(uint64(s.ID)) + wire.VarintLen(s.Value)
	}
	return uint64(n)
}

// Length returns the encoded length.
func (f *SettingsFrame) Length() int { return frameLen(FrameSettings, f.PayloadLen()) }

// Append appends the encoded frame, settings in order.
func (f *SettingsFrame) Append(dst []byte) []byte {
	dst = AppendFrameHeader(dst, FrameSettings, f.PayloadLen())
	for _, s := range f.Settings {
		dst = wire.AppendVarint(wire.AppendVarint(dst, uint64(s.ID)), s.Value)
	}
	return dst
}

// Fields returns one field per setting, named by its identifier.
func (f *SettingsFrame) Fields() []FrameField {
	fields := make([]FrameField, len(f.Settings))
	for i, s := range f.Settings {
		fields[i] = fieldUint(s.ID.String(), s.Value)
	}
	return fields
}
