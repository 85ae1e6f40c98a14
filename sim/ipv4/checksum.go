package ipv4

// Sum adds b to a running Internet checksum: the 16-bit one's complement sum
// of RFC 1071 §1, kept unfolded in 32 bits. Only the last piece summed may
// have an odd length: its last byte is padded with a zero octet, as RFC
// 1071 §4.1 does. Start from 0, or from PseudoHeaderSum.
func Sum(sum uint32, b []byte) uint32 {
	for len(b) >= 2 {
		sum += uint32(b[0])<<8 | uint32(b[1])
		b = b[2:]
		if sum >= 1<<31 {
			sum = sum&0xffff + sum>>16
		}
	}
	if len(b) == 1 {
		sum += uint32(b[0]) << 8
	}
	return sum
}

// Fold folds the carries of a running sum back into 16 bits and returns
// its one's complement: the value a checksum field holds (RFC 1071 §4.1).
func Fold(sum uint32) uint16 {
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}

// Checksum is the Internet checksum of b (RFC 1071). Summed over data that
// includes a correct checksum field, it is 0.
func Checksum(b []byte) uint16 { return Fold(Sum(0, b)) }

// PseudoHeaderSum starts the checksum of a TCP segment or UDP datagram of
// length bytes (header and data) between src and dst: the sum of the IPv4
// pseudo-header, source and destination address, a zero octet, the
// protocol and the length (RFC 9293 §3.1, RFC 768).
func PseudoHeaderSum(src, dst Addr, proto uint8, length int) uint32 {
	sum := Sum(0, src[:])
	sum = Sum(sum, dst[:])
	return sum + uint32(proto) + uint32(length)&0xffff
}
