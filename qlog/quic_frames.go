package qlog

import (
	"encoding/hex"
	"fmt"
	"strings"

	"httpsim/sim/quic/wire"
)

// This file maps QUIC frames to the QuicFrame objects of
// draft-ietf-quic-qlog-quic-events-02 Appendix A.12. Fields the draft marks
// optional are left out when the frame has nothing to say; the required
// ones are always written, zero included.

// paddingFrame is A.12.1's PaddingFrame: one object for a run of PADDING
// bytes, their number in payload_length.
type paddingFrame struct {
	FrameType     string `json:"frame_type"`
	Length        int    `json:"length"`
	PayloadLength int    `json:"payload_length"`
}

// simpleFrame is a frame with no fields: A.12.2's PingFrame and A.12.20's
// HandshakeDoneFrame.
type simpleFrame struct {
	FrameType string `json:"frame_type"`
}

// ackFrame is A.12.3's AckFrame: ack_delay in milliseconds, acked_ranges
// as [from, to] pairs, or [n] for a single packet number.
type ackFrame struct {
	FrameType   string     `json:"frame_type"`
	AckDelay    float64    `json:"ack_delay"`
	AckedRanges [][]uint64 `json:"acked_ranges"`
	ECT1        *uint64    `json:"ect1,omitempty"`
	ECT0        *uint64    `json:"ect0,omitempty"`
	CE          *uint64    `json:"ce,omitempty"`
}

// resetStreamFrame is A.12.4's ResetStreamFrame.
type resetStreamFrame struct {
	FrameType string `json:"frame_type"`
	StreamID  uint64 `json:"stream_id"`
	ErrorCode uint64 `json:"error_code"`
	FinalSize uint64 `json:"final_size"`
}

// stopSendingFrame is A.12.5's StopSendingFrame.
type stopSendingFrame struct {
	FrameType string `json:"frame_type"`
	StreamID  uint64 `json:"stream_id"`
	ErrorCode uint64 `json:"error_code"`
}

// cryptoFrame is A.12.6's CryptoFrame.
type cryptoFrame struct {
	FrameType string `json:"frame_type"`
	Offset    uint64 `json:"offset"`
	Length    int    `json:"length"`
}

// token is A.9's Token.
type token struct {
	Length int    `json:"length"`
	Data   string `json:"data"`
}

// newTokenFrame is A.12.7's NewTokenFrame.
type newTokenFrame struct {
	FrameType string `json:"frame_type"`
	Token     token  `json:"token"`
}

// streamFrame is A.12.8's StreamFrame: offset and length always, fin only
// when true.
type streamFrame struct {
	FrameType string `json:"frame_type"`
	StreamID  uint64 `json:"stream_id"`
	Offset    uint64 `json:"offset"`
	Length    int    `json:"length"`
	Fin       bool   `json:"fin,omitempty"`
}

// maxDataFrame is A.12.9's MaxDataFrame.
type maxDataFrame struct {
	FrameType string `json:"frame_type"`
	Maximum   uint64 `json:"maximum"`
}

// maxStreamDataFrame is A.12.10's MaxStreamDataFrame.
type maxStreamDataFrame struct {
	FrameType string `json:"frame_type"`
	StreamID  uint64 `json:"stream_id"`
	Maximum   uint64 `json:"maximum"`
}

// maxStreamsFrame is A.12.11's MaxStreamsFrame.
type maxStreamsFrame struct {
	FrameType  string `json:"frame_type"`
	StreamType string `json:"stream_type"`
	Maximum    uint64 `json:"maximum"`
}

// limitFrame is A.12.12's DataBlockedFrame and, with a stream, A.12.13's
// StreamDataBlockedFrame.
type limitFrame struct {
	FrameType string  `json:"frame_type"`
	StreamID  *uint64 `json:"stream_id,omitempty"`
	Limit     uint64  `json:"limit"`
}

// streamsBlockedFrame is A.12.14's StreamsBlockedFrame.
type streamsBlockedFrame struct {
	FrameType  string `json:"frame_type"`
	StreamType string `json:"stream_type"`
	Limit      uint64 `json:"limit"`
}

// newConnectionIDFrame is A.12.15's NewConnectionIDFrame.
type newConnectionIDFrame struct {
	FrameType           string `json:"frame_type"`
	SequenceNumber      uint64 `json:"sequence_number"`
	RetirePriorTo       uint64 `json:"retire_prior_to"`
	ConnectionIDLength  int    `json:"connection_id_length"`
	ConnectionID        string `json:"connection_id"`
	StatelessResetToken string `json:"stateless_reset_token"`
}

// retireConnectionIDFrame is A.12.16's RetireConnectionIDFrame.
type retireConnectionIDFrame struct {
	FrameType      string `json:"frame_type"`
	SequenceNumber uint64 `json:"sequence_number"`
}

// pathFrame is A.12.17's PathChallengeFrame and A.12.18's
// PathResponseFrame.
type pathFrame struct {
	FrameType string `json:"frame_type"`
	Data      string `json:"data"`
}

// connectionCloseFrame is A.12.19's ConnectionCloseFrame: error_code is
// A.12.22's TransportError name where there is one, else the number.
type connectionCloseFrame struct {
	FrameType        string `json:"frame_type"`
	ErrorSpace       string `json:"error_space"`
	ErrorCode        any    `json:"error_code"`
	RawErrorCode     uint64 `json:"raw_error_code"`
	Reason           string `json:"reason"`
	TriggerFrameType any    `json:"trigger_frame_type,omitempty"`
}

// quicFrame returns the qlog object of f.
func quicFrame(f wire.Frame) (any, error) {
	name := f.Type().String()
	switch f := f.(type) {
	case *wire.PaddingFrame:
		return paddingFrame{FrameType: name, Length: f.Count, PayloadLength: f.Count}, nil
	case *wire.PingFrame, *wire.HandshakeDoneFrame:
		return simpleFrame{FrameType: name}, nil
	case *wire.AckFrame:
		return ackJSON(f), nil
	case *wire.ResetStreamFrame:
		return resetStreamFrame{FrameType: name, StreamID: f.StreamID, ErrorCode: f.ApplicationProtocolErrorCode, FinalSize: f.FinalSize}, nil
	case *wire.StopSendingFrame:
		return stopSendingFrame{FrameType: name, StreamID: f.StreamID, ErrorCode: f.ApplicationProtocolErrorCode}, nil
	case *wire.CryptoFrame:
		return cryptoFrame{FrameType: name, Offset: f.Offset, Length: f.DataLen}, nil
	case *wire.NewTokenFrame:
		return newTokenFrame{FrameType: name, Token: token{Length: len(f.Token), Data: hex.EncodeToString(f.Token)}}, nil
	case *wire.StreamFrame:
		return streamFrame{FrameType: name, StreamID: f.StreamID, Offset: f.Offset, Length: f.DataLen, Fin: f.Fin}, nil
	case *wire.MaxDataFrame:
		return maxDataFrame{FrameType: name, Maximum: f.MaximumData}, nil
	case *wire.MaxStreamDataFrame:
		return maxStreamDataFrame{FrameType: name, StreamID: f.StreamID, Maximum: f.MaximumStreamData}, nil
	case *wire.MaxStreamsFrame:
		return maxStreamsFrame{FrameType: name, StreamType: streamType(f.Direction), Maximum: f.MaximumStreams}, nil
	case *wire.DataBlockedFrame:
		return limitFrame{FrameType: name, Limit: f.MaximumData}, nil
	case *wire.StreamDataBlockedFrame:
		id := f.StreamID
		return limitFrame{FrameType: name, StreamID: &id, Limit: f.MaximumStreamData}, nil
	case *wire.StreamsBlockedFrame:
		return streamsBlockedFrame{FrameType: name, StreamType: streamType(f.Direction), Limit: f.MaximumStreams}, nil
	case *wire.NewConnectionIDFrame:
		return newConnectionIDFrame{
			FrameType: name, SequenceNumber: f.SequenceNumber, RetirePriorTo: f.RetirePriorTo,
			ConnectionIDLength: len(f.ConnectionID), ConnectionID: hex.EncodeToString(f.ConnectionID),
			StatelessResetToken: hex.EncodeToString(f.StatelessResetToken[:]),
		}, nil
	case *wire.RetireConnectionIDFrame:
		return retireConnectionIDFrame{FrameType: name, SequenceNumber: f.SequenceNumber}, nil
	case *wire.PathChallengeFrame:
		return pathFrame{FrameType: name, Data: hex.EncodeToString(f.Data[:])}, nil
	case *wire.PathResponseFrame:
		return pathFrame{FrameType: name, Data: hex.EncodeToString(f.Data[:])}, nil
	case *wire.ConnectionCloseFrame:
		return closeJSON(f), nil
	}
	return nil, fmt.Errorf("qlog: QUIC frame type %#x has no qlog mapping", uint64(f.Type()))
}

// ackJSON writes the ranges smallest first; the ACK Delay field is decoded
// with the ack_delay_exponent httpsim's endpoints use, the default 3
// (RFC 9000 §18.2), since the simulator does not negotiate another.
func ackJSON(f *wire.AckFrame) ackFrame {
	a := ackFrame{
		FrameType: "ack",
		AckDelay:  ms(f.AckDelayDuration(wire.DefaultAckDelayExponent)),
	}
	for i := len(f.Ranges) - 1; i >= 0; i-- {
		r := f.Ranges[i]
		if r.Smallest == r.Largest {
			// A.12.3: a single packet number SHOULD be [n].
			a.AckedRanges = append(a.AckedRanges, []uint64{r.Smallest})
		} else {
			a.AckedRanges = append(a.AckedRanges, []uint64{r.Smallest, r.Largest})
		}
	}
	if f.ECN != nil {
		ect0, ect1, ce := f.ECN.ECT0, f.ECN.ECT1, f.ECN.ECNCE
		a.ECT0, a.ECT1, a.CE = &ect0, &ect1, &ce
	}
	return a
}

func closeJSON(f *wire.ConnectionCloseFrame) connectionCloseFrame {
	c := connectionCloseFrame{FrameType: "connection_close", RawErrorCode: f.ErrorCode, Reason: f.ReasonPhrase}
	if f.IsApplicationError {
		c.ErrorSpace, c.ErrorCode = "application", f.ErrorCode
		return c
	}
	c.ErrorSpace = "transport"
	c.ErrorCode = transportError(f.TransportErrorCode())
	if f.FrameType != 0 {
		if f.FrameType.Known() {
			c.TriggerFrameType = f.FrameType.String()
		} else {
			c.TriggerFrameType = uint64(f.FrameType)
		}
	}
	return c
}

// transportError returns A.12.22's name of c ("protocol_violation"), or
// A.12.24's "crypto_error_0x1xx", or c's number for codes neither names.
func transportError(c wire.TransportErrorCode) any {
	switch {
	case c >= wire.CryptoError && c <= wire.CryptoError+0xff:
		return fmt.Sprintf("crypto_error_%#x", uint64(c))
	case c <= wire.CryptoBufferExceeded:
		return strings.ToLower(c.String())
	}
	return uint64(c)
}

// streamType is A.12.11's StreamType.
func streamType(d wire.StreamDirection) string {
	if d == wire.Unidirectional {
		return "unidirectional"
	}
	return "bidirectional"
}
