package wire

// This file holds the path validation frames, PATH_CHALLENGE and
// PATH_RESPONSE (RFC 9000 §8.2).

// PathChallengeFrame is a PATH_CHALLENGE frame carrying 8 unpredictable
// bytes that the peer echoes in a PATH_RESPONSE (RFC 9000 §19.17).
type PathChallengeFrame struct {
	Data [8]byte
}

// Type returns FrameTypePathChallenge.
func (f *PathChallengeFrame) Type() FrameType { return FrameTypePathChallenge }

// AckEliciting returns true.
func (f *PathChallengeFrame) AckEliciting() bool { return true }

// InFlight returns true.
func (f *PathChallengeFrame) InFlight() bool { return true }

// Append appends the encoded frame.
func (f *PathChallengeFrame) Append(dst []byte) []byte {
	return append(append(dst, byte(FrameTypePathChallenge)), f.Data[:]...)
}

// Length returns 9.
func (f *PathChallengeFrame) Length() int { return 9 }

// PathResponseFrame is a PATH_RESPONSE frame echoing a PATH_CHALLENGE's
// data (RFC 9000 §19.18).
type PathResponseFrame struct {
	Data [8]byte
}

// Type returns FrameTypePathResponse.
func (f *PathResponseFrame) Type() FrameType { return FrameTypePathResponse }

// AckEliciting returns true.
func (f *PathResponseFrame) AckEliciting() bool { return true }

// InFlight returns true.
func (f *PathResponseFrame) InFlight() bool { return true }

// Append appends the encoded frame.
func (f *PathResponseFrame) Append(dst []byte) []byte {
	return append(append(dst, byte(FrameTypePathResponse)), f.Data[:]...)
}

// Length returns 9.
func (f *PathResponseFrame) Length() int { return 9 }
