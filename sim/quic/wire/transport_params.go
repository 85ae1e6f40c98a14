package wire

import (
	"fmt"
	"time"
)

// TransportParameterID identifies a transport parameter (RFC 9000 §18.2).
type TransportParameterID uint64

// Transport parameters of QUIC version 1 (RFC 9000 §18.2).
const (
	ParamOriginalDestinationConnectionID TransportParameterID = 0x00
	ParamMaxIdleTimeout                  TransportParameterID = 0x01
	ParamStatelessResetToken             TransportParameterID = 0x02
	ParamMaxUDPPayloadSize               TransportParameterID = 0x03
	ParamInitialMaxData                  TransportParameterID = 0x04
	ParamInitialMaxStreamDataBidiLocal   TransportParameterID = 0x05
	ParamInitialMaxStreamDataBidiRemote  TransportParameterID = 0x06
	ParamInitialMaxStreamDataUni         TransportParameterID = 0x07
	ParamInitialMaxStreamsBidi           TransportParameterID = 0x08
	ParamInitialMaxStreamsUni            TransportParameterID = 0x09
	ParamAckDelayExponent                TransportParameterID = 0x0a
	ParamMaxAckDelay                     TransportParameterID = 0x0b
	ParamDisableActiveMigration          TransportParameterID = 0x0c
	ParamPreferredAddress                TransportParameterID = 0x0d
	ParamActiveConnectionIDLimit         TransportParameterID = 0x0e
	ParamInitialSourceConnectionID       TransportParameterID = 0x0f
	ParamRetrySourceConnectionID         TransportParameterID = 0x10
)

var transportParameterNames = [...]string{
	"original_destination_connection_id", "max_idle_timeout", "stateless_reset_token",
	"max_udp_payload_size", "initial_max_data", "initial_max_stream_data_bidi_local",
	"initial_max_stream_data_bidi_remote", "initial_max_stream_data_uni",
	"initial_max_streams_bidi", "initial_max_streams_uni", "ack_delay_exponent",
	"max_ack_delay", "disable_active_migration", "preferred_address",
	"active_connection_id_limit", "initial_source_connection_id", "retry_source_connection_id",
}

// String returns the RFC's name of the parameter, or its number in hex.
func (id TransportParameterID) String() string {
	if id < TransportParameterID(len(transportParameterNames)) {
		return transportParameterNames[id]
	}
	return fmt.Sprintf("unknown(%#x)", uint64(id))
}

// Defaults and limits of transport parameters (RFC 9000 §18.2).
const (
	// DefaultMaxUDPPayloadSize is max_udp_payload_size's default, 65527.
	DefaultMaxUDPPayloadSize = 65527
	// DefaultMaxAckDelay is max_ack_delay's default, 25 ms.
	DefaultMaxAckDelay = 25 * time.Millisecond
	// MaxMaxAckDelay bounds max_ack_delay: values of 2^14 ms or more are
	// invalid.
	MaxMaxAckDelay = (1<<14 - 1) * time.Millisecond
	// DefaultActiveConnectionIDLimit is active_connection_id_limit's
	// default, 2, which is also its minimum.
	DefaultActiveConnectionIDLimit = 2
)

// TransportParameters are the values an endpoint declares in its handshake
// (RFC 9000 §7.4, §18). Absent parameters take their defaults: zero for
// the flow-control limits and the idle timeout, and the constants above.
// A connection ID field is present when not nil (an empty, non-nil slice is
// a zero-length connection ID).
type TransportParameters struct {
	OriginalDestinationConnectionID []byte
	// MaxIdleTimeout, in milliseconds on the wire; 0 disables it.
	MaxIdleTimeout time.Duration
	// StatelessResetToken is present when not nil; it is 16 bytes.
	StatelessResetToken            *[StatelessResetTokenLen]byte
	MaxUDPPayloadSize              uint64
	InitialMaxData                 uint64
	InitialMaxStreamDataBidiLocal  uint64
	InitialMaxStreamDataBidiRemote uint64
	InitialMaxStreamDataUni        uint64
	InitialMaxStreamsBidi          uint64
	InitialMaxStreamsUni           uint64
	AckDelayExponent               uint8
	// MaxAckDelay, in milliseconds on the wire.
	MaxAckDelay            time.Duration
	DisableActiveMigration bool
	// PreferredAddress is the parameter's value as received, not
	// interpreted (RFC 9000 §18.2); present when not nil.
	PreferredAddress          []byte
	ActiveConnectionIDLimit   uint64
	InitialSourceConnectionID []byte
	RetrySourceConnectionID   []byte
}

// DefaultTransportParameters returns the values of a parameter set in which
// nothing was sent.
func DefaultTransportParameters() TransportParameters {
	return TransportParameters{
		MaxUDPPayloadSize:       DefaultMaxUDPPayloadSize,
		AckDelayExponent:        DefaultAckDelayExponent,
		MaxAckDelay:             DefaultMaxAckDelay,
		ActiveConnectionIDLimit: DefaultActiveConnectionIDLimit,
	}
}

// Append appends the encoded parameters: each as ID, length and value
// (RFC 9000 §18), in ID order, omitting those that equal their defaults.
// It panics if a value is out of its valid range.
func (p *TransportParameters) Append(dst []byte) []byte {
	if err := p.validate(); err != nil {
		panic("wire: " + err.Error())
	}
	bytesParam := func(id TransportParameterID, v []byte) {
		if v == nil {
			return
		}
		dst = AppendVarint(dst, uint64(id))
		dst = AppendVarint(dst, uint64(len(v)))
		dst = append(dst, v...)
	}
	intParam := func(id TransportParameterID, v, def uint64) {
		if v == def {
			return
		}
		dst = AppendVarint(dst, uint64(id))
		dst = AppendVarint(dst, uint64(VarintLen(v)))
		dst = AppendVarint(dst, v)
	}
	bytesParam(ParamOriginalDestinationConnectionID, p.OriginalDestinationConnectionID)
	intParam(ParamMaxIdleTimeout, uint64(p.MaxIdleTimeout/time.Millisecond), 0)
	if p.StatelessResetToken != nil {
		bytesParam(ParamStatelessResetToken, p.StatelessResetToken[:])
	}
	intParam(ParamMaxUDPPayloadSize, p.MaxUDPPayloadSize, DefaultMaxUDPPayloadSize)
	intParam(ParamInitialMaxData, p.InitialMaxData, 0)
	intParam(ParamInitialMaxStreamDataBidiLocal, p.InitialMaxStreamDataBidiLocal, 0)
	intParam(ParamInitialMaxStreamDataBidiRemote, p.InitialMaxStreamDataBidiRemote, 0)
	intParam(ParamInitialMaxStreamDataUni, p.InitialMaxStreamDataUni, 0)
	intParam(ParamInitialMaxStreamsBidi, p.InitialMaxStreamsBidi, 0)
	intParam(ParamInitialMaxStreamsUni, p.InitialMaxStreamsUni, 0)
	intParam(ParamAckDelayExponent, uint64(p.AckDelayExponent), DefaultAckDelayExponent)
	intParam(ParamMaxAckDelay, uint64(p.MaxAckDelay/time.Millisecond), uint64(DefaultMaxAckDelay/time.Millisecond))
	if p.DisableActiveMigration {
		bytesParam(ParamDisableActiveMigration, []byte{})
	}
	bytesParam(ParamPreferredAddress, p.PreferredAddress)
	intParam(ParamActiveConnectionIDLimit, p.ActiveConnectionIDLimit, DefaultActiveConnectionIDLimit)
	bytesParam(ParamInitialSourceConnectionID, p.InitialSourceConnectionID)
	bytesParam(ParamRetrySourceConnectionID, p.RetrySourceConnectionID)
	return dst
}

// Length returns the length of the encoding Append writes.
func (p *TransportParameters) Length() int { return len(p.Append(nil)) }

// validate checks the ranges RFC 9000 §18.2 sets.
func (p *TransportParameters) validate() error {
	switch {
	case p.MaxUDPPayloadSize < MinInitialDatagramSize:
		return fmt.Errorf("max_udp_payload_size %d below 1200", p.MaxUDPPayloadSize)
	case p.AckDelayExponent > MaxAckDelayExponent:
		return fmt.Errorf("ack_delay_exponent %d above 20", p.AckDelayExponent)
	case p.MaxAckDelay < 0 || p.MaxAckDelay > MaxMaxAckDelay || p.MaxAckDelay%time.Millisecond != 0:
		return fmt.Errorf("max_ack_delay %v is not a whole number of milliseconds below 2^14", p.MaxAckDelay)
	case p.MaxIdleTimeout < 0 || p.MaxIdleTimeout%time.Millisecond != 0:
		return fmt.Errorf("max_idle_timeout %v is not a whole number of milliseconds", p.MaxIdleTimeout)
	case p.InitialMaxStreamsBidi > MaxStreamCount || p.InitialMaxStreamsUni > MaxStreamCount:
		return fmt.Errorf("initial_max_streams above 2^60")
	case p.ActiveConnectionIDLimit < DefaultActiveConnectionIDLimit:
		return fmt.Errorf("active_connection_id_limit %d below 2", p.ActiveConnectionIDLimit)
	case len(p.OriginalDestinationConnectionID) > MaxConnectionIDLen ||
		len(p.InitialSourceConnectionID) > MaxConnectionIDLen ||
		len(p.RetrySourceConnectionID) > MaxConnectionIDLen:
		return fmt.Errorf("connection ID longer than 20 bytes")
	}
	return nil
}

// ParseTransportParameters parses an encoded transport parameter list
// (RFC 9000 §18). Unknown parameters are ignored (§18.1); a parameter sent
// twice, a value that does not fill its length or is out of range gives a
// *TransportError with TRANSPORT_PARAMETER_ERROR (§7.4, §18.2).
func ParseTransportParameters(b []byte) (*TransportParameters, error) {
	p := DefaultTransportParameters()
	var seen [ParamRetrySourceConnectionID + 1]bool
	fail := func(format string, args ...any) (*TransportParameters, error) {
		return nil, &TransportError{Code: TransportParameterError, Reason: fmt.Sprintf(format, args...)}
	}
	for len(b) > 0 {
		id, n, err := ReadVarint(b)
		if err != nil {
			return fail("truncated parameter ID")
		}
		b = b[n:]
		l, n, err := ReadVarint(b)
		if err != nil {
			return fail("truncated length of parameter %#x", id)
		}
		b = b[n:]
		if l > uint64(len(b)) {
			return fail("parameter %#x runs past the end", id)
		}
		v := b[:l:l]
		b = b[l:]
		pid := TransportParameterID(id)
		if pid > ParamRetrySourceConnectionID {
			continue // unknown or reserved (§18.1): ignored
		}
		if seen[pid] {
			return fail("parameter %#x sent twice", id)
		}
		seen[pid] = true
		// intValue reads a varint that must fill the value exactly.
		intValue := func() (uint64, bool) {
			x, n, err := ReadVarint(v)
			return x, err == nil && n == len(v)
		}
		switch pid {
		case ParamOriginalDestinationConnectionID, ParamInitialSourceConnectionID, ParamRetrySourceConnectionID:
			if len(v) > MaxConnectionIDLen {
				return fail("parameter %#x: connection ID of %d bytes", id, len(v))
			}
			switch pid {
			case ParamOriginalDestinationConnectionID:
				p.OriginalDestinationConnectionID = v
			case ParamInitialSourceConnectionID:
				p.InitialSourceConnectionID = v
			default:
				p.RetrySourceConnectionID = v
			}
		case ParamStatelessResetToken:
			if len(v) != StatelessResetTokenLen {
				return fail("stateless_reset_token of %d bytes", len(v))
			}
			var tok [StatelessResetTokenLen]byte
			copy(tok[:], v)
			p.StatelessResetToken = &tok
		case ParamDisableActiveMigration:
			if len(v) != 0 {
				return fail("disable_active_migration with a value")
			}
			p.DisableActiveMigration = true
		case ParamPreferredAddress:
			p.PreferredAddress = v
		default:
			x, ok := intValue()
			if !ok {
				return fail("parameter %#x: value is not one varint", id)
			}
			switch pid {
			case ParamMaxIdleTimeout:
				if x > uint64(maxInt64/int64(time.Millisecond)) {
					return fail("max_idle_timeout %d too large", x)
				}
				p.MaxIdleTimeout = time.Duration(x) * time.Millisecond
			case ParamMaxUDPPayloadSize:
				p.MaxUDPPayloadSize = x
			case ParamInitialMaxData:
				p.InitialMaxData = x
			case ParamInitialMaxStreamDataBidiLocal:
				p.InitialMaxStreamDataBidiLocal = x
			case ParamInitialMaxStreamDataBidiRemote:
				p.InitialMaxStreamDataBidiRemote = x
			case ParamInitialMaxStreamDataUni:
				p.InitialMaxStreamDataUni = x
			case ParamInitialMaxStreamsBidi:
				p.InitialMaxStreamsBidi = x
			case ParamInitialMaxStreamsUni:
				p.InitialMaxStreamsUni = x
			case ParamAckDelayExponent:
				if x > MaxAckDelayExponent {
					return fail("ack_delay_exponent %d above 20", x)
				}
				p.AckDelayExponent = uint8(x)
			case ParamMaxAckDelay:
				if x >= 1<<14 {
					return fail("max_ack_delay %d ms not below 2^14", x)
				}
				p.MaxAckDelay = time.Duration(x) * time.Millisecond
			case ParamActiveConnectionIDLimit:
				p.ActiveConnectionIDLimit = x
			}
		}
	}
	if err := p.validate(); err != nil {
		return fail("%v", err)
	}
	return &p, nil
}

const maxInt64 = int64(^uint64(0) >> 1)
