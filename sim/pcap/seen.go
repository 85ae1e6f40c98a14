package pcap

// seen is what a capture has seen of the server's byte stream on one
// connection: the non-zero bytes of the segments delivered to the client,
// by stream offset. A duplicate can arrive after the server discarded its
// bytes (they were acknowledged), and the capture then writes it with the
// bytes it saw the first time: the client acknowledged only bytes it was
// delivered, and the tap saw every delivery. Filler (bodies) is zeros and
// not kept: a range nothing covers reads as zeros, which is what it was.
type seen struct {
	// pieces are in the order captured; a later piece may repeat bytes an
	// earlier one holds (TCP's bytes do not change when sent again).
	pieces []piece
}

type piece struct {
	off  int64
	data []byte
}

// remember keeps a copy of payload, at stream offset off, trimmed to the
// span between its first and last non-zero byte; nothing if all are zero.
func (s *seen) remember(off int64, payload []byte) {
	lo, hi := 0, len(payload)
	for lo < hi && payload[lo] == 0 {
		lo++
	}
	for hi > lo && payload[hi-1] == 0 {
		hi--
	}
	if lo < hi {
		s.pieces = append(s.pieces, piece{off + int64(lo), append([]byte(nil), payload[lo:hi]...)})
	}
}

// read fills dst with the stream's bytes at off: those of the pieces that
// cover them, zeros elsewhere.
func (s *seen) read(dst []byte, off int64) {
	clear(dst)
	for _, p := range s.pieces {
		lo, hi := max(off, p.off), min(off+int64(len(dst)), p.off+int64(len(p.data)))
		if lo < hi {
			copy(dst[lo-off:hi-off], p.data[lo-p.off:hi-p.off])
		}
	}
}
