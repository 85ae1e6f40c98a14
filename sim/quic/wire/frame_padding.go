package wire

import "slices"

// This file holds the frames that are nothing but a type byte: PADDING,
// PING and HANDSHAKE_DONE.

// PaddingFrame is a run of Count consecutive PADDING frames, each a single
// 0x00 byte (RFC 9000 §19.1). ParseFrame gathers a whole run into one
// PaddingFrame. PADDING is not ack-eliciting but counts toward bytes in
// flight (RFC 9002 §2), which is how it pads a client's Initial datagram to
// 1200 bytes (RFC 9000 §14.1).
type PaddingFrame struct {
	// Count is the number of PADDING bytes, at least 1.
	Count int
}

func parsePaddingFrame(p *parser) *PaddingFrame {
	for p.off < len(p.b) && p.b[p.off] == 0x00 {
		p.off++
	}
	return &PaddingFrame{Count: p.off}
}

// Type returns FrameTypePadding.
func (f *PaddingFrame) Type() FrameType { return FrameTypePadding }

// Append appends Count zero bytes.
func (f *PaddingFrame) Append(dst []byte) []byte { return appendZeros(dst, f.Count) }

// Length returns Count.
func (f *PaddingFrame) Length() int { return f.Count }

// AckEliciting returns false (RFC 9002 §2).
func (f *PaddingFrame) AckEliciting() bool { return false }

// InFlight returns true (RFC 9002 §2).
func (f *PaddingFrame) InFlight() bool { return true }

// PingFrame is a PING frame: it elicits an acknowledgement and nothing else
// (RFC 9000 §19.2).
type PingFrame struct{}

// Type returns FrameTypePing.
func (f *PingFrame) Type() FrameType { return FrameTypePing }

// Append appends the frame's single type byte.
func (f *PingFrame) Append(dst []byte) []byte { return append(dst, byte(FrameTypePing)) }

// Length returns 1.
func (f *PingFrame) Length() int { return 1 }

// AckEliciting returns true.
func (f *PingFrame) AckEliciting() bool { return true }

// InFlight returns true.
func (f *PingFrame) InFlight() bool { return true }

// HandshakeDoneFrame is a HANDSHAKE_DONE frame, sent by the server to
// confirm the handshake (RFC 9000 §19.20).
type HandshakeDoneFrame struct{}

// Type returns FrameTypeHandshakeDone.
func (f *HandshakeDoneFrame) Type() FrameType { return FrameTypeHandshakeDone }

// Append appends the frame's single type byte.
func (f *HandshakeDoneFrame) Append(dst []byte) []byte {
	return append(dst, byte(FrameTypeHandshakeDone))
}

// Length returns 1.
func (f *HandshakeDoneFrame) Length() int { return 1 }

// AckEliciting returns true.
func (f *HandshakeDoneFrame) AckEliciting() bool { return true }

// InFlight returns true.
func (f *HandshakeDoneFrame) InFlight() bool { return true }

// appendZeros appends n zero bytes to dst: PADDING, and the filler that
// stands for unmaterialised STREAM and CRYPTO data and for AEAD tags.
func appendZeros(dst []byte, n int) []byte {
	if n <= 0 {
		return dst
	}
	dst = slices.Grow(dst, n)
	l := len(dst)
	dst = dst[:l+n]
	clear(dst[l:])
	return dst
}
