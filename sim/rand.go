package sim

import (
	"crypto/sha256"
	"encoding/binary"
	"math/rand/v2"
)

// Seed is the seed of a run. Every random choice of the run draws from a named
// substream of it (for example "link/down/loss"), so that adding randomness to
// one component never reshuffles another's.
type Seed uint64

// Stream returns the random substream called name: a PCG generator whose state
// is derived from the seed and the name by SHA-256, so substreams are
// independent of each other and of the order in which they are created.
func (s Seed) Stream(name string) *rand.Rand {
	// SHA-256 of the seed's eight big-endian bytes followed by the name,
	// hashed in one call on a stack buffer (a run makes a stream per
	// connection and per link).
	var buf [64]byte
	in := binary.BigEndian.AppendUint64(buf[:0], uint64(s))
	in = append(in, name...)
	sum := sha256.Sum256(in)
	return rand.New(rand.NewPCG(binary.BigEndian.Uint64(sum[0:8]), binary.BigEndian.Uint64(sum[8:16])))
}
