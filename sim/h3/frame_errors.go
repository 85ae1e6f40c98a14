package h3

import "fmt"

// ErrorCode is an HTTP/3 application error code, carried in QUIC's
// RESET_STREAM, STOP_SENDING and CONNECTION_CLOSE (type 0x1d) frames
// (RFC 9114 §8.1), or a QPACK error code (RFC 9204 §6).
type ErrorCode uint64

// HTTP/3 error codes (RFC 9114 §8.1) and QPACK error codes (RFC 9204 §6).
const (
	ErrH3NoError                ErrorCode = 0x0100
	ErrH3GeneralProtocolError   ErrorCode = 0x0101
	ErrH3InternalError          ErrorCode = 0x0102
	ErrH3StreamCreationError    ErrorCode = 0x0103
	ErrH3ClosedCriticalStream   ErrorCode = 0x0104
	ErrH3FrameUnexpected        ErrorCode = 0x0105
	ErrH3FrameError             ErrorCode = 0x0106
	ErrH3ExcessiveLoad          ErrorCode = 0x0107
	ErrH3IDError                ErrorCode = 0x0108
	ErrH3SettingsError          ErrorCode = 0x0109
	ErrH3MissingSettings        ErrorCode = 0x010a
	ErrH3RequestRejected        ErrorCode = 0x010b
	ErrH3RequestCancelled       ErrorCode = 0x010c
	ErrH3RequestIncomplete      ErrorCode = 0x010d
	ErrH3MessageError           ErrorCode = 0x010e
	ErrH3ConnectError           ErrorCode = 0x010f
	ErrH3VersionFallback        ErrorCode = 0x0110
	ErrQPACKDecompressionFailed ErrorCode = 0x0200
	ErrQPACKEncoderStreamError  ErrorCode = 0x0201
	ErrQPACKDecoderStreamError  ErrorCode = 0x0202
)

var errorCodeNames = map[ErrorCode]string{
	ErrH3NoError:                "H3_NO_ERROR",
	ErrH3GeneralProtocolError:   "H3_GENERAL_PROTOCOL_ERROR",
	ErrH3InternalError:          "H3_INTERNAL_ERROR",
	ErrH3StreamCreationError:    "H3_STREAM_CREATION_ERROR",
	ErrH3ClosedCriticalStream:   "H3_CLOSED_CRITICAL_STREAM",
	ErrH3FrameUnexpected:        "H3_FRAME_UNEXPECTED",
	ErrH3FrameError:             "H3_FRAME_ERROR",
	ErrH3ExcessiveLoad:          "H3_EXCESSIVE_LOAD",
	ErrH3IDError:                "H3_ID_ERROR",
	ErrH3SettingsError:          "H3_SETTINGS_ERROR",
	ErrH3MissingSettings:        "H3_MISSING_SETTINGS",
	ErrH3RequestRejected:        "H3_REQUEST_REJECTED",
	ErrH3RequestCancelled:       "H3_REQUEST_CANCELLED",
	ErrH3RequestIncomplete:      "H3_REQUEST_INCOMPLETE",
	ErrH3MessageError:           "H3_MESSAGE_ERROR",
	ErrH3ConnectError:           "H3_CONNECT_ERROR",
	ErrH3VersionFallback:        "H3_VERSION_FALLBACK",
	ErrQPACKDecompressionFailed: "QPACK_DECOMPRESSION_FAILED",
	ErrQPACKEncoderStreamError:  "QPACK_ENCODER_STREAM_ERROR",
	ErrQPACKDecoderStreamError:  "QPACK_DECODER_STREAM_ERROR",
}

// String returns the RFC's name of the code; "H3_RESERVED(0x..)" for the
// reserved codes 0x1f*N+0x21, which mean H3_NO_ERROR (RFC 9114 §8.1, §9);
// and "H3_UNKNOWN(0x..)" otherwise.
func (c ErrorCode) String() string {
	if name, ok := errorCodeNames[c]; ok {
		return name
	}
	if isReserved(uint64(c)) {
		return fmt.Sprintf("H3_RESERVED(%#x)", uint64(c))
	}
	return fmt.Sprintf("H3_UNKNOWN(%#x)", uint64(c))
}

// ConnectionError is an HTTP/3 connection error (RFC 9114 §8): the
// endpoint closes the QUIC connection with a CONNECTION_CLOSE frame of type
// 0x1d carrying Code.
type ConnectionError struct {
	// Code is the error code to close the connection with.
	Code ErrorCode
	// Reason says what was wrong, for people.
	Reason string
}

// Error implements error.
func (e *ConnectionError) Error() string { return fmt.Sprintf("h3: %s: %s", e.Code, e.Reason) }

func connErr(code ErrorCode, format string, args ...any) *ConnectionError {
	return &ConnectionError{Code: code, Reason: fmt.Sprintf(format, args...)}
}

// isReserved reports whether v has the form 0x1f*N + 0x21 that RFC 9114
// reserves in every extensible code space to exercise "ignore unknown
// values" (§6.2.3, §7.2.4.1, §7.2.8, §8.1).
func isReserved(v uint64) bool { return v >= 0x21 && (v-0x21)%0x1f == 0 }
