package wire

import (
	"errors"
	"fmt"
)

// TransportErrorCode is a QUIC transport error code, carried in a
// CONNECTION_CLOSE frame of type 0x1c (RFC 9000 §20.1).
type TransportErrorCode uint64

// Transport error codes (RFC 9000 §20.1).
const (
	NoError                 TransportErrorCode = 0x00
	InternalError           TransportErrorCode = 0x01
	ConnectionRefused       TransportErrorCode = 0x02
	FlowControlError        TransportErrorCode = 0x03
	StreamLimitError        TransportErrorCode = 0x04
	StreamStateError        TransportErrorCode = 0x05
	FinalSizeError          TransportErrorCode = 0x06
	FrameEncodingError      TransportErrorCode = 0x07
	TransportParameterError TransportErrorCode = 0x08
	ConnectionIDLimitError  TransportErrorCode = 0x09
	ProtocolViolation       TransportErrorCode = 0x0a
	InvalidToken            TransportErrorCode = 0x0b
	ApplicationError        TransportErrorCode = 0x0c
	CryptoBufferExceeded    TransportErrorCode = 0x0d
	KeyUpdateError          TransportErrorCode = 0x0e
	AEADLimitReached        TransportErrorCode = 0x0f
	NoViablePath            TransportErrorCode = 0x10
	// CryptoError is the first of the 256 CRYPTO_ERROR codes 0x0100-0x01ff;
	// the low byte is a TLS alert (RFC 9000 §20.1, RFC 9001 §4.8).
	CryptoError TransportErrorCode = 0x0100
)

var transportErrorNames = [...]string{
	NoError:                 "NO_ERROR",
	InternalError:           "INTERNAL_ERROR",
	ConnectionRefused:       "CONNECTION_REFUSED",
	FlowControlError:        "FLOW_CONTROL_ERROR",
	StreamLimitError:        "STREAM_LIMIT_ERROR",
	StreamStateError:        "STREAM_STATE_ERROR",
	FinalSizeError:          "FINAL_SIZE_ERROR",
	FrameEncodingError:      "FRAME_ENCODING_ERROR",
	TransportParameterError: "TRANSPORT_PARAMETER_ERROR",
	ConnectionIDLimitError:  "CONNECTION_ID_LIMIT_ERROR",
	ProtocolViolation:       "PROTOCOL_VIOLATION",
	InvalidToken:            "INVALID_TOKEN",
	ApplicationError:        "APPLICATION_ERROR",
	CryptoBufferExceeded:    "CRYPTO_BUFFER_EXCEEDED",
	KeyUpdateError:          "KEY_UPDATE_ERROR",
	AEADLimitReached:        "AEAD_LIMIT_REACHED",
	NoViablePath:            "NO_VIABLE_PATH",
}

// CryptoErrorCode returns the CRYPTO_ERROR code that carries TLS alert
// (RFC 9001 §4.8).
func CryptoErrorCode(alert uint8) TransportErrorCode { return CryptoError + TransportErrorCode(alert) }

// String returns the RFC's name of the code, "CRYPTO_ERROR(0x1xx)" for the
// crypto range, or the number in hex for codes this version does not define.
func (c TransportErrorCode) String() string {
	if c < TransportErrorCode(len(transportErrorNames)) {
		return transportErrorNames[c]
	}
	if c >= CryptoError && c <= CryptoError+0xff {
		return fmt.Sprintf("CRYPTO_ERROR(%#x)", uint64(c))
	}
	return fmt.Sprintf("TRANSPORT_ERROR(%#x)", uint64(c))
}

// TransportError is a connection error (RFC 9000 §11.1) detected while
// parsing: the receiver closes the connection with a CONNECTION_CLOSE frame
// of type 0x1c carrying Code and FrameType.
type TransportError struct {
	// Code is the error code to send.
	Code TransportErrorCode
	// FrameType is the type of the frame that triggered the error, as sent
	// in CONNECTION_CLOSE's Frame Type field (0 when unknown, §19.19).
	FrameType FrameType
	// Reason says what was wrong, for people.
	Reason string
}

// Error implements error.
func (e *TransportError) Error() string {
	return fmt.Sprintf("quic: %s in %s frame (%#x): %s", e.Code, e.FrameType, uint64(e.FrameType), e.Reason)
}

// ErrInvalidPacket is wrapped by the errors of packets that cannot be parsed
// and are therefore dropped (RFC 9000 §12.2, §17.2): bad fixed bit, a
// connection ID longer than 20 bytes, a Length past the datagram's end.
var ErrInvalidPacket = errors.New("quic: invalid packet")

// ErrUnsupportedVersion is wrapped by the error of a long-header packet whose
// version is not 1, including Version Negotiation packets (version 0), which
// this package does not parse (RFC 9000 §17.2.1).
var ErrUnsupportedVersion = errors.New("quic: unsupported version")
