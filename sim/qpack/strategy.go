package qpack

import (
	"fmt"
	"strings"

	"httpsim/sim/hpack"
)

// Strategy decides whether the encoder uses the dynamic table and what it
// inserts. Whatever the strategy, a field that matches a static entry
// exactly is sent as Indexed, and a sensitive field (see Sensitive) is sent
// as a literal with the 'N' bit and never inserted (RFC 9204 §7.1.3).
type Strategy uint8

const (
	// StrategyStaticOnly, the default, uses the static table and literals
	// only: it sends no encoder instructions, so no field section can ever
	// block (RFC 9204 §2.1: "references to the static table and literal
	// representations do not require any dynamic state and never risk
	// head-of-line blocking"). Its Required Insert Count is always 0.
	StrategyStaticOnly Strategy = iota
	// StrategyDynamic uses a dynamic table of the capacity the peer
	// allows, inserting every field except those whose values seldom
	// repeat on a connection (as hpack.StrategyDefault, whose choice was
	// measured over the same corpus): content-length, :path, and fields
	// whose entry would take more than 3/4 of the table. It references
	// entries the decoder has not acknowledged only while fewer streams
	// than SETTINGS_QPACK_BLOCKED_STREAMS may be blocked (§2.1.2); with 0
	// it never risks blocking, and a field inserted in one section is sent
	// as a literal until the insertion is acknowledged.
	StrategyDynamic
	// StrategyIndexAll inserts every field that is not sensitive and fits,
	// as the examples of RFC 9204 Appendix B do.
	StrategyIndexAll
)

var strategyNames = [...]string{
	StrategyStaticOnly: "static-only",
	StrategyDynamic:    "dynamic",
	StrategyIndexAll:   "index-all",
}

// String names the strategy as ParseStrategy accepts it.
func (s Strategy) String() string {
	if int(s) < len(strategyNames) {
		return strategyNames[s]
	}
	return fmt.Sprintf("Strategy(%d)", uint8(s))
}

// ParseStrategy parses "static-only", "dynamic" or "index-all".
func ParseStrategy(name string) (Strategy, error) {
	for s, n := range strategyNames {
		if n == name {
			return Strategy(s), nil
		}
	}
	return 0, fmt.Errorf("unknown QPACK strategy %q (want one of %s)", name, strings.Join(strategyNames[:], ", "))
}

// HuffmanPolicy decides when the encoder Huffman-codes a string literal
// (RFC 9204 §4.1.2); it is hpack's.
type HuffmanPolicy = hpack.HuffmanPolicy

// The Huffman policies, as hpack defines them.
const (
	// HuffmanShorter, the default, codes a string only if that makes it
	// strictly shorter.
	HuffmanShorter = hpack.HuffmanShorter
	// HuffmanAlways codes every string.
	HuffmanAlways = hpack.HuffmanAlways
	// HuffmanNever sends every string as it is, as RFC 9204 Appendix B does.
	HuffmanNever = hpack.HuffmanNever
)

// Sensitive reports whether the encoder treats f as sensitive: marked so
// by the caller, or authorization, proxy-authorization, or a cookie shorter
// than 20 octets. It is hpack.Sensitive: RFC 9204 §7.1.3 names the same
// risks as RFC 7541 §7.1.3, and an intermediary must carry the 'N' bit
// from one to the other.
func Sensitive(f Field) bool { return hpack.Sensitive(f) }

// shouldIndex reports whether the strategy inserts f, which is not
// sensitive, into a table of the given capacity.
func (s Strategy) shouldIndex(f Field, capacity int) bool {
	switch s {
	case StrategyIndexAll:
		return true
	case StrategyDynamic:
		return hpack.WorthIndexing(f, capacity)
	}
	return false
}

// useHuffman reports whether the policy Huffman-codes s.
func useHuffman(p HuffmanPolicy, s string) bool {
	_, huffman := p.Choose(s)
	return huffman
}
