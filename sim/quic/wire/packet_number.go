package wire

import "fmt"

// NoPacketNumber stands for "none": no packet acknowledged yet in
// EncodePacketNumberLength, no packet received yet in DecodePacketNumber
// (RFC 9000 Appendix A.2, A.3).
const NoPacketNumber = ^uint64(0)

// MaxPacketNumber is the largest packet number, 2^62-1 (RFC 9000 §12.3).
const MaxPacketNumber = 1<<62 - 1

// EncodePacketNumberLength returns how many bytes (1 to 4) the packet number
// field of packet full needs so that the receiver can recover it, given the
// largest packet number the peer has acknowledged in this packet number
// space (NoPacketNumber if none). It follows RFC 9000 Appendix A.2: the
// field must represent at least twice the number of packets in flight,
// num_unacked = full - largestAcked (full + 1 when nothing is
// acknowledged), so it needs ceil((log2(num_unacked) + 1) / 8) bytes.
func EncodePacketNumberLength(full, largestAcked uint64) int {
	var numUnacked uint64
	if largestAcked == NoPacketNumber {
		numUnacked = full + 1
	} else {
		numUnacked = full - largestAcked
	}
	// log2(n)+1 <= 8k  <=>  n <= 2^(8k-1): exact integer form of A.2's
	// real-valued logarithm.
	for k := 1; k < 4; k++ {
		if numUnacked <= 1<<(8*k-1) {
			return k
		}
	}
	return 4
}

// AppendPacketNumber appends the low length bytes of pn, most significant
// first: the truncated packet number of RFC 9000 §17.1. It panics unless
// length is 1 to 4.
func AppendPacketNumber(dst []byte, pn uint64, length int) []byte {
	if length < 1 || length > 4 {
		panic(fmt.Sprintf("wire: packet number length %d outside 1..4", length))
	}
	for i := length - 1; i >= 0; i-- {
		dst = append(dst, byte(pn>>(8*i)))
	}
	return dst
}

// DecodePacketNumber recovers a full packet number from its truncated
// encoding of nbits bits, given the largest packet number received so far
// in the packet number space (NoPacketNumber if none). It is RFC 9000
// Appendix A.3's algorithm: the result is the packet number closest to
// largest+1 whose low nbits bits equal truncated.
func DecodePacketNumber(largest, truncated uint64, nbits int) uint64 {
	// Signed arithmetic, as in the pseudocode: NoPacketNumber is -1, so the
	// expected packet number is then 0.
	expected := int64(largest) + 1
	win := int64(1) << nbits
	hwin := win / 2
	mask := win - 1
	candidate := (expected &^ mask) | (int64(truncated) & mask)
	if candidate <= expected-hwin && candidate < (1<<62)-win {
		return uint64(candidate + win)
	}
	if candidate > expected+hwin && candidate >= win {
		return uint64(candidate - win)
	}
	return uint64(candidate)
}
