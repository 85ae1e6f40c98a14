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
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], uint64(s))
	h := sha256.New()
	h.Write(b[:])
	h.Write([]byte(name))
	sum := h.Sum(nil)
	return rand.New(rand.NewPCG(binary.BigEndian.Uint64(sum[0:8]), binary.BigEndian.Uint64(sum[8:16])))
}
