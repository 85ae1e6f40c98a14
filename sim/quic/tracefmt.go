package quic

import (
	"fmt"

	"httpsim/sim/quic/wire"
	"httpsim/sim/trace"
)

// TraceFrames reads back the packet recorded in a transport:packet_sent or
// packet_received event: raw is the event's Raw, elided its Len (the STREAM
// and CRYPTO data bytes left out of Raw), and dcidLen the length of the
// connection IDs the receiving end issued (Config.ConnIDLen, 8 by default;
// a short header does not carry it, RFC 9000 §17.3.1). STREAM and CRYPTO
// frames come back with their DataLen and no Data; every other frame
// whole. Errors are those of wire.ParseHeader and wire.ParseFrameElided.
func TraceFrames(raw []byte, elided int64, dcidLen int) (wire.Header, []wire.Frame, error) {
	h, n, err := wire.ParseHeader(raw, dcidLen)
	if err != nil {
		return wire.Header{}, nil, err
	}
	rest := raw[n:]
	var frames []wire.Frame
	for len(rest) > 0 {
		f, k, err := wire.ParseFrameElided(rest, int(min(max(elided, -1), 1<<40)))
		if err != nil {
			return h, nil, err
		}
		switch f := f.(type) {
		case *wire.StreamFrame:
			elided -= int64(f.DataLen)
		case *wire.CryptoFrame:
			elided -= int64(f.DataLen)
		}
		frames = append(frames, f)
		rest = rest[k:]
	}
	if elided != 0 {
		return h, frames, fmt.Errorf("%w: frames account for %d bytes of data fewer than recorded", wire.ErrInvalidPacket, elided)
	}
	return h, frames, nil
}

// EventFrames is TraceFrames for a trace event of this package, with
// connection IDs of dcidLen bytes.
func EventFrames(e *trace.Event, dcidLen int) (wire.Header, []wire.Frame, error) {
	return TraceFrames(e.Raw, e.Len, dcidLen)
}
