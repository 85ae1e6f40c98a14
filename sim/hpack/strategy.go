package hpack

import (
	"fmt"
	"strings"
)

// Strategy decides which fields the encoder adds to the dynamic table. A
// field that matches a table entry exactly is always sent as Indexed and a
// sensitive field always as LiteralNeverIndexed; the strategy chooses for
// the rest between LiteralIncremental and LiteralWithoutIndexing.
//
// A field is sensitive if the caller marks it (HeaderField.Sensitive) or if
// it is authorization or proxy-authorization, or a cookie whose value is
// shorter than 20 octets: RFC 7541 §7.1.3 warns that entries an attacker
// can probe let short secrets be guessed, and names cookie and
// authorization. (nghttp2 draws the same 20-octet line.) set-cookie is not
// sensitive by this rule: its values are long and go from server to client,
// and RFC 7541 Appendix C.5.3 indexes one.
type Strategy uint8

const (
	// StrategyDefault indexes every field except those whose values
	// seldom repeat on a connection, so that one-off values do not evict
	// entries that would have been reused (RFC 7541 §2.3.2 leaves the
	// choice to the encoder). Not indexed:
	//   - fields whose entry would take more than 3/4 of the table, which
	//     would flush nearly everything else;
	//   - content-length, which differs from response to response;
	//   - :path, which differs from request to request while a page loads
	//     its resources (above all with a query string).
	// The choice is measured, not guessed: over the raw-data stories of the
	// hpack-test-case corpus, leaving out content-length saves 0.9% and
	// :path 0.2% over indexing everything, while leaving out dates, which
	// repeat across responses sent within the same second, would cost 14%,
	// and leaving out etag, set-cookie or location costs 0.2-0.8% each.
	// The result (357,234 octets) is 0.9% below nghttp2's (360,319).
	StrategyDefault Strategy = iota
	// StrategyIndexAll adds every field that is not sensitive to the
	// dynamic table, as the examples of RFC 7541 Appendix C.3-C.6 do.
	StrategyIndexAll
	// StrategyNeverIndex never adds to the dynamic table: fields are sent
	// indexed from the static table or as literals without indexing.
	StrategyNeverIndex
)

var strategyNames = [...]string{
	StrategyDefault:    "default",
	StrategyIndexAll:   "index-all",
	StrategyNeverIndex: "never-index",
}

// String names the strategy as ParseStrategy accepts it.
func (s Strategy) String() string {
	if int(s) < len(strategyNames) {
		return strategyNames[s]
	}
	return fmt.Sprintf("Strategy(%d)", uint8(s))
}

// ParseStrategy parses "default", "index-all" or "never-index".
func ParseStrategy(name string) (Strategy, error) {
	for s, n := range strategyNames {
		if n == name {
			return Strategy(s), nil
		}
	}
	return 0, fmt.Errorf("unknown HPACK strategy %q (want one of %s)", name, strings.Join(strategyNames[:], ", "))
}

// Sensitive reports whether the strategies treat f as sensitive (see
// Strategy), and so send it as a literal never indexed (RFC 7541 §7.1.3).
func Sensitive(f HeaderField) bool {
	switch f.Name {
	case "authorization", "proxy-authorization":
		return true
	case "cookie":
		return len(f.Value) < 20
	}
	return f.Sensitive
}

// represent chooses the literal representation of a field with no exact
// match in the tables, given the dynamic table's maximum size.
func (s Strategy) represent(f HeaderField, maxSize int) Representation {
	if Sensitive(f) {
		return LiteralNeverIndexed
	}
	switch s {
	case StrategyIndexAll:
		return LiteralIncremental
	case StrategyNeverIndex:
		return LiteralWithoutIndexing
	}
	if !WorthIndexing(f, maxSize) {
		return LiteralWithoutIndexing
	}
	return LiteralIncremental
}

// WorthIndexing reports whether StrategyDefault adds f to a dynamic table
// of the given capacity: not if its value is unlikely to be sent again on
// the connection (content-length, :path), nor if its entry would take more
// than 3/4 of the table. QPACK's dynamic strategy makes the same choice.
func WorthIndexing(f HeaderField, capacity int) bool {
	if f.Name == "content-length" || f.Name == ":path" {
		return false
	}
	return f.Size() <= capacity*3/4
}

// HuffmanPolicy decides when the encoder Huffman-codes a string literal
// (RFC 7541 §5.2).
type HuffmanPolicy uint8

const (
	// HuffmanShorter codes a string only if that makes it strictly shorter.
	HuffmanShorter HuffmanPolicy = iota
	// HuffmanAlways codes every string, as RFC 7541 Appendix C.4 and C.6 do.
	HuffmanAlways
	// HuffmanNever sends every string as it is, as Appendix C.3 and C.5 do.
	HuffmanNever
)

// Choose reports whether the policy Huffman-codes s, and the coded length
// when it does.
func (p HuffmanPolicy) Choose(s string) (n int, huffman bool) {
	if p == HuffmanNever {
		return 0, false
	}
	n = HuffmanLen(s)
	return n, p == HuffmanAlways || n < len(s)
}

var huffmanPolicyNames = [...]string{
	HuffmanShorter: "shorter",
	HuffmanAlways:  "always",
	HuffmanNever:   "never",
}

// String names the policy as ParseHuffmanPolicy accepts it.
func (p HuffmanPolicy) String() string {
	if int(p) < len(huffmanPolicyNames) {
		return huffmanPolicyNames[p]
	}
	return fmt.Sprintf("HuffmanPolicy(%d)", uint8(p))
}

// ParseHuffmanPolicy parses "shorter", "always" or "never".
func ParseHuffmanPolicy(name string) (HuffmanPolicy, error) {
	for p, n := range huffmanPolicyNames {
		if n == name {
			return HuffmanPolicy(p), nil
		}
	}
	return 0, fmt.Errorf("unknown Huffman policy %q (want one of %s)", name, strings.Join(huffmanPolicyNames[:], ", "))
}
