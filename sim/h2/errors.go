package h2

import (
	"errors"
	"fmt"
	"strconv"
)

// ErrCode is an HTTP/2 error code: the 32-bit value carried in RST_STREAM
// and GOAWAY frames to say why a stream or the connection ended (RFC 9113
// §7). Error codes share one code space for streams and connections.
type ErrCode uint32

// The error codes of RFC 9113 §7.
const (
	// ErrCodeNo (NO_ERROR, 0x00): the condition is not an error, for
	// example a GOAWAY that starts a graceful shutdown.
	ErrCodeNo ErrCode = 0x00
	// ErrCodeProtocol (PROTOCOL_ERROR, 0x01): an unspecific protocol error.
	ErrCodeProtocol ErrCode = 0x01
	// ErrCodeInternal (INTERNAL_ERROR, 0x02): an unexpected internal error.
	ErrCodeInternal ErrCode = 0x02
	// ErrCodeFlowControl (FLOW_CONTROL_ERROR, 0x03): the peer violated the
	// flow-control protocol.
	ErrCodeFlowControl ErrCode = 0x03
	// ErrCodeSettingsTimeout (SETTINGS_TIMEOUT, 0x04): a SETTINGS frame was
	// not acknowledged in time (§6.5.3).
	ErrCodeSettingsTimeout ErrCode = 0x04
	// ErrCodeStreamClosed (STREAM_CLOSED, 0x05): a frame arrived after the
	// stream was half-closed.
	ErrCodeStreamClosed ErrCode = 0x05
	// ErrCodeFrameSize (FRAME_SIZE_ERROR, 0x06): a frame had an invalid
	// size.
	ErrCodeFrameSize ErrCode = 0x06
	// ErrCodeRefusedStream (REFUSED_STREAM, 0x07): the stream was refused
	// before any application processing (§8.7).
	ErrCodeRefusedStream ErrCode = 0x07
	// ErrCodeCancel (CANCEL, 0x08): the stream is no longer needed.
	ErrCodeCancel ErrCode = 0x08
	// ErrCodeCompression (COMPRESSION_ERROR, 0x09): the field section
	// compression context cannot be maintained.
	ErrCodeCompression ErrCode = 0x09
	// ErrCodeConnect (CONNECT_ERROR, 0x0a): the connection made for a
	// CONNECT request was reset or abnormally closed (§8.5).
	ErrCodeConnect ErrCode = 0x0a
	// ErrCodeEnhanceYourCalm (ENHANCE_YOUR_CALM, 0x0b): the peer may be
	// generating excessive load.
	ErrCodeEnhanceYourCalm ErrCode = 0x0b
	// ErrCodeInadequateSecurity (INADEQUATE_SECURITY, 0x0c): the transport
	// does not meet minimum security requirements (§9.2).
	ErrCodeInadequateSecurity ErrCode = 0x0c
	// ErrCodeHTTP11Required (HTTP_1_1_REQUIRED, 0x0d): HTTP/1.1 must be used
	// instead of HTTP/2.
	ErrCodeHTTP11Required ErrCode = 0x0d
)

var errCodeNames = [...]string{
	ErrCodeNo:                 "NO_ERROR",
	ErrCodeProtocol:           "PROTOCOL_ERROR",
	ErrCodeInternal:           "INTERNAL_ERROR",
	ErrCodeFlowControl:        "FLOW_CONTROL_ERROR",
	ErrCodeSettingsTimeout:    "SETTINGS_TIMEOUT",
	ErrCodeStreamClosed:       "STREAM_CLOSED",
	ErrCodeFrameSize:          "FRAME_SIZE_ERROR",
	ErrCodeRefusedStream:      "REFUSED_STREAM",
	ErrCodeCancel:             "CANCEL",
	ErrCodeCompression:        "COMPRESSION_ERROR",
	ErrCodeConnect:            "CONNECT_ERROR",
	ErrCodeEnhanceYourCalm:    "ENHANCE_YOUR_CALM",
	ErrCodeInadequateSecurity: "INADEQUATE_SECURITY",
	ErrCodeHTTP11Required:     "HTTP_1_1_REQUIRED",
}

// String returns the RFC 9113 §7 name of the code, or "UNKNOWN_ERROR_0x…"
// for codes the RFC does not define. Unknown codes carry no special meaning
// (§7: they "MUST NOT trigger any special behavior").
func (c ErrCode) String() string {
	if int(c) < len(errCodeNames) {
		return errCodeNames[c]
	}
	return "UNKNOWN_ERROR_0x" + strconv.FormatUint(uint64(c), 16)
}

// ConnError is a connection error (RFC 9113 §5.4.1): one that makes the
// whole connection unusable. The endpoint that detects it sends GOAWAY with
// Code and closes the TCP connection.
type ConnError struct {
	// Code is the error code to put in the GOAWAY frame.
	Code ErrCode
	// Reason says, for people, which rule the peer broke.
	Reason string
}

// Error implements error.
func (e ConnError) Error() string {
	return fmt.Sprintf("h2: connection error %s: %s", e.Code, e.Reason)
}

// StreamError is a stream error (RFC 9113 §5.4.2): one that affects only
// StreamID. The endpoint that detects it sends RST_STREAM with Code on that
// stream. An endpoint MAY treat a stream error as a connection error
// (§5.4.1).
type StreamError struct {
	// StreamID is the stream in error.
	StreamID uint32
	// Code is the error code to put in the RST_STREAM frame.
	Code ErrCode
	// Reason says, for people, which rule the peer broke.
	Reason string
}

// Error implements error.
func (e StreamError) Error() string {
	return fmt.Sprintf("h2: stream error on stream %d %s: %s", e.StreamID, e.Code, e.Reason)
}

// ErrIncomplete is returned by ReadFrame and CheckClientPreface when the
// input holds only a prefix of a frame (or of the preface): not an error of
// the peer, only a request for more bytes.
var ErrIncomplete = errors.New("h2: incomplete frame")

// ErrorCodeOf reports the HTTP/2 error code carried by err and whether it
// is a connection error (as opposed to a stream error). ok is false when
// err is neither a ConnError nor a StreamError.
func ErrorCodeOf(err error) (code ErrCode, conn bool, ok bool) {
	var ce ConnError
	if errors.As(err, &ce) {
		return ce.Code, true, true
	}
	var se StreamError
	if errors.As(err, &se) {
		return se.Code, false, true
	}
	return 0, false, false
}

// connErrorf returns a ConnError with a formatted reason.
func connErrorf(code ErrCode, format string, args ...any) error {
	return ConnError{Code: code, Reason: fmt.Sprintf(format, args...)}
}

// streamErrorf returns a StreamError with a formatted reason.
func streamErrorf(id uint32, code ErrCode, format string, args ...any) error {
	return StreamError{StreamID: id, Code: code, Reason: fmt.Sprintf(format, args...)}
}
