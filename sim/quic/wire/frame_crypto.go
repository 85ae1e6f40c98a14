package wire

import "fmt"

// This file holds the frames that carry handshake bytes: CRYPTO and
// NEW_TOKEN.

// CryptoFrame is a CRYPTO frame (RFC 9000 §19.6):
//
//	Type (i) = 0x06, Offset (i), Length (i), Crypto Data (..)
//
// Like StreamFrame, its data may be filler: DataLen is always the data's
// length and Data is nil or exactly DataLen bytes.
type CryptoFrame struct {
	// Offset is the byte offset of the data in the crypto stream of this
	// encryption level.
	Offset uint64
	// DataLen is the number of data bytes.
	DataLen int
	// Data is the handshake data, or nil for filler.
	Data []byte
}

func parseCryptoFrame(p *parser) *CryptoFrame {
	f := &CryptoFrame{Offset: p.varint("Offset")}
	f.Data = p.bytes(p.varint("Length"), "Crypto Data")
	if p.err != nil {
		return nil
	}
	f.DataLen = len(f.Data)
	// §19.6: the sum of offset and data length cannot exceed 2^62-1.
	if f.Offset > MaxVarint-uint64(f.DataLen) {
		p.fail("offset %d + length %d exceeds 2^62-1", f.Offset, f.DataLen)
		return nil
	}
	return f
}

// Type returns FrameTypeCrypto.
func (f *CryptoFrame) Type() FrameType { return FrameTypeCrypto }

// AckEliciting returns true.
func (f *CryptoFrame) AckEliciting() bool { return true }

// InFlight returns true.
func (f *CryptoFrame) InFlight() bool { return true }

// HeaderLen returns the length of everything but the data.
func (f *CryptoFrame) HeaderLen() int {
	return 1 + VarintLen(f.Offset) + VarintLen(uint64(f.DataLen))
}

// Length returns the encoded length, data included.
func (f *CryptoFrame) Length() int { return f.HeaderLen() + f.DataLen }

// AppendHeader appends the frame's type, Offset and Length fields. It
// panics if Data is not nil and not DataLen bytes long.
func (f *CryptoFrame) AppendHeader(dst []byte) []byte {
	if f.DataLen < 0 || (f.Data != nil && len(f.Data) != f.DataLen) {
		panic(fmt.Sprintf("wire: CRYPTO frame with DataLen %d and %d bytes of Data", f.DataLen, len(f.Data)))
	}
	dst = append(dst, byte(FrameTypeCrypto))
	dst = AppendVarint(dst, f.Offset)
	return AppendVarint(dst, uint64(f.DataLen))
}

// Append appends the whole frame: header, then Data or DataLen zero bytes.
func (f *CryptoFrame) Append(dst []byte) []byte {
	dst = f.AppendHeader(dst)
	if f.Data != nil {
		return append(dst, f.Data...)
	}
	return appendZeros(dst, f.DataLen)
}

// MaxCryptoDataLen returns the most data bytes a CRYPTO frame at offset can
// carry within budget bytes, header included, and whether the header fits.
func MaxCryptoDataLen(offset uint64, budget int) (int, bool) {
	return maxDataLen(1+VarintLen(offset), budget, true)
}

// NewTokenFrame is a NEW_TOKEN frame, a token for a future connection's
// Initial packets (RFC 9000 §19.7):
//
//	Type (i) = 0x07, Token Length (i), Token (..)
type NewTokenFrame struct {
	// Token is the opaque token; it must not be empty.
	Token []byte
}

func parseNewTokenFrame(p *parser) *NewTokenFrame {
	f := &NewTokenFrame{Token: p.bytes(p.varint("Token Length"), "Token")}
	if p.err != nil {
		return nil
	}
	// §19.7: an empty Token field is a FRAME_ENCODING_ERROR.
	if len(f.Token) == 0 {
		p.fail("empty token")
		return nil
	}
	return f
}

// Type returns FrameTypeNewToken.
func (f *NewTokenFrame) Type() FrameType { return FrameTypeNewToken }

// AckEliciting returns true.
func (f *NewTokenFrame) AckEliciting() bool { return true }

// InFlight returns true.
func (f *NewTokenFrame) InFlight() bool { return true }

// Append appends the encoded frame.
func (f *NewTokenFrame) Append(dst []byte) []byte {
	dst = append(dst, byte(FrameTypeNewToken))
	dst = AppendVarint(dst, uint64(len(f.Token)))
	return append(dst, f.Token...)
}

// Length returns the encoded length.
func (f *NewTokenFrame) Length() int {
	return 1 + VarintLen(uint64(len(f.Token))) + len(f.Token)
}
