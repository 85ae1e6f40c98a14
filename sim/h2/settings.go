package h2

import (
	"math"
	"strconv"
)

// SettingID identifies a setting in a SETTINGS frame (RFC 9113 §6.5.1,
// §6.5.2). Identifiers this package does not know "MUST" be ignored
// (§6.5.2) and are passed through untouched.
type SettingID uint16

// The settings of RFC 9113 §6.5.2 and of the extensions the simulator
// implements.
const (
	// SettingHeaderTableSize (SETTINGS_HEADER_TABLE_SIZE, 0x01): the
	// largest HPACK dynamic table the sender's decoder accepts. Initial
	// 4,096.
	SettingHeaderTableSize SettingID = 0x01
	// SettingEnablePush (SETTINGS_ENABLE_PUSH, 0x02): 0 or 1, whether the
	// sender accepts PUSH_PROMISE. Initial 1.
	SettingEnablePush SettingID = 0x02
	// SettingMaxConcurrentStreams (SETTINGS_MAX_CONCURRENT_STREAMS, 0x03):
	// how many streams the receiver may have open toward the sender.
	// Initially unlimited.
	SettingMaxConcurrentStreams SettingID = 0x03
	// SettingInitialWindowSize (SETTINGS_INITIAL_WINDOW_SIZE, 0x04): the
	// initial stream flow-control window. Initial 65,535.
	SettingInitialWindowSize SettingID = 0x04
	// SettingMaxFrameSize (SETTINGS_MAX_FRAME_SIZE, 0x05): the largest
	// frame payload the sender accepts, 2^14 to 2^24-1. Initial 16,384.
	SettingMaxFrameSize SettingID = 0x05
	// SettingMaxHeaderListSize (SETTINGS_MAX_HEADER_LIST_SIZE, 0x06): an
	// advisory limit on field section size. Initially unlimited.
	SettingMaxHeaderListSize SettingID = 0x06
	// SettingEnableConnectProtocol (SETTINGS_ENABLE_CONNECT_PROTOCOL,
	// 0x08; RFC 8441 §3): 0 or 1, whether the sender accepts the extended
	// CONNECT method. Initial 0.
	SettingEnableConnectProtocol SettingID = 0x08
	// SettingNoRFC7540Priorities (SETTINGS_NO_RFC7540_PRIORITIES, 0x09;
	// RFC 9218 §2.1): 0 or 1; 1 says the sender does not use the RFC 7540
	// priority signals. Initial 0.
	SettingNoRFC7540Priorities SettingID = 0x09
)

// String returns the RFC name of the setting ("SETTINGS_MAX_FRAME_SIZE"),
// or "SETTINGS_UNKNOWN_0x…".
func (id SettingID) String() string {
	switch id {
	case SettingHeaderTableSize:
		return "SETTINGS_HEADER_TABLE_SIZE"
	case SettingEnablePush:
		return "SETTINGS_ENABLE_PUSH"
	case SettingMaxConcurrentStreams:
		return "SETTINGS_MAX_CONCURRENT_STREAMS"
	case SettingInitialWindowSize:
		return "SETTINGS_INITIAL_WINDOW_SIZE"
	case SettingMaxFrameSize:
		return "SETTINGS_MAX_FRAME_SIZE"
	case SettingMaxHeaderListSize:
		return "SETTINGS_MAX_HEADER_LIST_SIZE"
	case SettingEnableConnectProtocol:
		return "SETTINGS_ENABLE_CONNECT_PROTOCOL"
	case SettingNoRFC7540Priorities:
		return "SETTINGS_NO_RFC7540_PRIORITIES"
	}
	return "SETTINGS_UNKNOWN_0x" + fmtHex(uint64(id))
}

// Setting is one identifier/value pair of a SETTINGS frame (RFC 9113
// §6.5.1).
type Setting struct {
	// ID identifies the setting.
	ID SettingID
	// Value is the setting's 32-bit value.
	Value uint32
}

// String formats the setting as "SETTINGS_MAX_FRAME_SIZE=16384".
func (s Setting) String() string {
	return s.ID.String() + "=" + strconv.FormatUint(uint64(s.Value), 10)
}

// Valid checks the value against the range its definition allows and
// returns the connection error the RFC prescribes for a value outside it.
// Unknown settings are always valid: they are ignored (RFC 9113 §6.5.2).
// Rules that depend on the receiver's role (a client MUST reject
// SETTINGS_ENABLE_PUSH=1, §6.5.2) or on earlier values (RFC 8441 §3: no
// going back from 1 to 0) are the connection's to check.
func (s Setting) Valid() error {
	switch s.ID {
	case SettingEnablePush:
		// §6.5.2: "Any value other than 0 or 1 MUST be treated as a
		// connection error (Section 5.4.1) of type PROTOCOL_ERROR."
		if s.Value > 1 {
			return connErrorf(ErrCodeProtocol, "%s; want 0 or 1", s)
		}
	case SettingInitialWindowSize:
		// §6.5.2: "Values above the maximum flow-control window size of
		// 2^31-1 MUST be treated as a connection error (Section 5.4.1) of
		// type FLOW_CONTROL_ERROR."
		if s.Value > MaxWindowSize {
			return connErrorf(ErrCodeFlowControl, "%s exceeds 2^31-1", s)
		}
	case SettingMaxFrameSize:
		// §6.5.2: the value "MUST be between this initial value and the
		// maximum allowed frame size (2^24-1 or 16,777,215 octets),
		// inclusive. Values outside this range MUST be treated as a
		// connection error (Section 5.4.1) of type PROTOCOL_ERROR."
		if s.Value < DefaultMaxFrameSize || s.Value > MaxFrameSizeLimit {
			return connErrorf(ErrCodeProtocol, "%s outside [2^14, 2^24-1]", s)
		}
	case SettingEnableConnectProtocol:
		// RFC 8441 §3: "The value of the parameter MUST be 0 or 1." It
		// names no error code; a badly formed SETTINGS frame is a
		// PROTOCOL_ERROR (RFC 9113 §6.5).
		if s.Value > 1 {
			return connErrorf(ErrCodeProtocol, "%s; want 0 or 1", s)
		}
	case SettingNoRFC7540Priorities:
		// RFC 9218 §2.1: any value other than 0 or 1 is a connection
		// error of type PROTOCOL_ERROR.
		if s.Value > 1 {
			return connErrorf(ErrCodeProtocol, "%s; want 0 or 1", s)
		}
	}
	return nil
}

// NoLimit stands for "unlimited" in Settings, the initial value of
// SETTINGS_MAX_CONCURRENT_STREAMS and SETTINGS_MAX_HEADER_LIST_SIZE
// (RFC 9113 §6.5.2). It is also the largest value a peer can send.
const NoLimit = math.MaxUint32

// Settings is the set of values one endpoint has advertised, as the peer
// applies them: every defined setting at its current value.
type Settings struct {
	HeaderTableSize       uint32 // SETTINGS_HEADER_TABLE_SIZE
	EnablePush            bool   // SETTINGS_ENABLE_PUSH
	MaxConcurrentStreams  uint32 // SETTINGS_MAX_CONCURRENT_STREAMS; NoLimit initially
	InitialWindowSize     uint32 // SETTINGS_INITIAL_WINDOW_SIZE
	MaxFrameSize          uint32 // SETTINGS_MAX_FRAME_SIZE
	MaxHeaderListSize     uint32 // SETTINGS_MAX_HEADER_LIST_SIZE; NoLimit initially
	EnableConnectProtocol bool   // SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441)
	NoRFC7540Priorities   bool   // SETTINGS_NO_RFC7540_PRIORITIES (RFC 9218)
}

// DefaultSettings returns the initial values of every setting (RFC 9113
// §6.5.2; RFC 8441 §3; RFC 9218 §2.1), in force until the peer's first
// SETTINGS frame says otherwise.
func DefaultSettings() Settings {
	return Settings{
		HeaderTableSize:      4096,
		EnablePush:           true,
		MaxConcurrentStreams: NoLimit,
		InitialWindowSize:    65535,
		MaxFrameSize:         DefaultMaxFrameSize,
		MaxHeaderListSize:    NoLimit,
	}
}

// Apply validates one setting and, when valid, sets it; unknown settings
// are ignored (§6.5.2). A SETTINGS frame's settings are applied in order,
// the last value of a repeated setting winning (§6.5, §6.5.3).
func (s *Settings) Apply(st Setting) error {
	if err := st.Valid(); err != nil {
		return err
	}
	switch st.ID {
	case SettingHeaderTableSize:
		s.HeaderTableSize = st.Value
	case SettingEnablePush:
		s.EnablePush = st.Value == 1
	case SettingMaxConcurrentStreams:
		s.MaxConcurrentStreams = st.Value
	case SettingInitialWindowSize:
		s.InitialWindowSize = st.Value
	case SettingMaxFrameSize:
		s.MaxFrameSize = st.Value
	case SettingMaxHeaderListSize:
		s.MaxHeaderListSize = st.Value
	case SettingEnableConnectProtocol:
		s.EnableConnectProtocol = st.Value == 1
	case SettingNoRFC7540Priorities:
		s.NoRFC7540Priorities = st.Value == 1
	}
	return nil
}

// Changed returns, in identifier order, the settings whose value in s
// differs from their value in from: what a SETTINGS frame must carry to
// move a peer from from to s (from is usually DefaultSettings()).
func (s Settings) Changed(from Settings) []Setting {
	var out []Setting
	add := func(id SettingID, v, w uint32) {
		if v != w {
			out = append(out, Setting{id, v})
		}
	}
	add(SettingHeaderTableSize, s.HeaderTableSize, from.HeaderTableSize)
	add(SettingEnablePush, b2u(s.EnablePush), b2u(from.EnablePush))
	add(SettingMaxConcurrentStreams, s.MaxConcurrentStreams, from.MaxConcurrentStreams)
	add(SettingInitialWindowSize, s.InitialWindowSize, from.InitialWindowSize)
	add(SettingMaxFrameSize, s.MaxFrameSize, from.MaxFrameSize)
	add(SettingMaxHeaderListSize, s.MaxHeaderListSize, from.MaxHeaderListSize)
	add(SettingEnableConnectProtocol, b2u(s.EnableConnectProtocol), b2u(from.EnableConnectProtocol))
	add(SettingNoRFC7540Priorities, b2u(s.NoRFC7540Priorities), b2u(from.NoRFC7540Priorities))
	return out
}

// b2u converts a 0-or-1 setting to its wire value.
func b2u(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}
