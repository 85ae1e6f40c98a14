package hpack

//go:generate go test -run TestHuffmanTableGenerated -update

// eosSymbol is the 257th symbol of the Huffman code, end-of-string. It is
// never encoded; its code's most significant bits pad the last octet
// (RFC 7541 §5.2).
const eosSymbol = 256

// HuffmanLen is the length in octets of s Huffman-coded (RFC 7541 §5.2),
// padding included.
func HuffmanLen(s string) int {
	var n uint64
	for i := 0; i < len(s); i++ {
		n += uint64(huffmanCodeLen[s[i]])
	}
	return int((n + 7) / 8)
}

// AppendHuffman appends s Huffman-coded with the code of RFC 7541
// Appendix B, padded to an octet boundary with the most significant bits of
// the EOS code (all ones), as RFC 7541 §5.2 requires.
func AppendHuffman(dst []byte, s string) []byte {
	// acc holds nbits pending bits in its low end; nbits < 32 between
	// symbols and a code is at most 30 bits, so 64 bits never overflow.
	var acc uint64
	var nbits uint
	for i := 0; i < len(s); i++ {
		c := s[i]
		n := uint(huffmanCodeLen[c])
		acc = acc<<n | uint64(huffmanCodes[c])
		nbits += n
		if nbits >= 32 {
			nbits -= 32
			v := uint32(acc >> nbits)
			dst = append(dst, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
		}
	}
	for nbits >= 8 {
		nbits -= 8
		dst = append(dst, byte(acc>>nbits))
	}
	if nbits > 0 {
		dst = append(dst, byte(acc<<(8-nbits))|byte(0xff>>nbits))
	}
	return dst
}

// The decoder walks the code tree four bits at a time. Its states are the
// tree's 256 internal nodes (a complete code for 257 symbols has 256), the
// root being state 0. No code is shorter than 5 bits, so one nibble
// completes at most one symbol.
type huffmanStep struct {
	next  uint8 // state after the nibble
	sym   uint8 // symbol completed by the nibble, if flags&stepSym
	flags uint8
}

const (
	stepSym = 1 << iota // the nibble completes a symbol
	stepEOS             // the nibble completes EOS: a decoding error
)

// huffmanNode describes a state: how deep it lies in the tree and whether
// the path to it is all ones. At the end of a string the bits since the last
// symbol are that path, and RFC 7541 §5.2 accepts them only as EOS padding:
// all ones and at most 7 bits.
type huffmanNode struct {
	depth   uint8
	allOnes bool
}

var huffmanSteps, huffmanNodes = buildHuffmanDecoder()

// buildHuffmanDecoder derives the nibble automaton from huffmanCodes.
func buildHuffmanDecoder() (*[256][16]huffmanStep, *[256]huffmanNode) {
	// Build the tree: child[n][bit] is an internal node (>0) or, negated
	// and offset by one, a leaf symbol.
	var child [256][2]int
	var nodes [256]huffmanNode
	nodes[0].allOnes = true // the empty path
	count := 1
	for sym := 0; sym <= eosSymbol; sym++ {
		code, n := huffmanCodes[sym], int(huffmanCodeLen[sym])
		node := 0
		for i := n - 1; i > 0; i-- {
			bit := code >> i & 1
			if child[node][bit] == 0 {
				if count == len(nodes) {
					panic("hpack: Huffman code is not prefix-free")
				}
				nodes[count] = huffmanNode{depth: nodes[node].depth + 1, allOnes: nodes[node].allOnes && bit == 1}
				child[node][bit] = count
				count++
			}
			node = child[node][bit]
		}
		child[node][code&1] = -(sym + 1)
	}

	var steps [256][16]huffmanStep
	for state := 0; state < count; state++ {
		for nib := 0; nib < 16; nib++ {
			node, st := state, huffmanStep{}
			for i := 3; i >= 0; i-- {
				c := child[node][nib>>i&1]
				if c > 0 {
					node = c
					continue
				}
				sym := -c - 1
				if sym == eosSymbol {
					st.flags |= stepEOS
				} else {
					st.flags |= stepSym
					st.sym = uint8(sym)
				}
				node = 0
			}
			st.next = uint8(node)
			steps[state][nib] = st
		}
	}
	return &steps, &nodes
}

// DecodeHuffman appends to dst the string Huffman-coded in src (RFC 7541
// §5.2). A string containing EOS, padded with more than 7 bits, or padded
// with anything but ones is a *DecodingError whose Offset is the octet of
// src where decoding failed.
func DecodeHuffman(dst []byte, src []byte) ([]byte, error) {
	steps := huffmanSteps
	state := uint8(0)
	for i, b := range src {
		st := steps[state][b>>4]
		if st.flags&stepSym != 0 {
			dst = append(dst, st.sym)
		}
		lo := steps[st.next][b&0x0f]
		if (st.flags|lo.flags)&stepEOS != 0 {
			return dst, &DecodingError{Reason: ReasonHuffmanEOS, Offset: i}
		}
		if lo.flags&stepSym != 0 {
			dst = append(dst, lo.sym)
		}
		state = lo.next
	}
	if state != 0 {
		n := huffmanNodes[state]
		if !n.allOnes {
			return dst, &DecodingError{Reason: ReasonHuffmanPaddingNotEOS, Offset: len(src) - 1}
		}
		if n.depth > 7 {
			return dst, &DecodingError{Reason: ReasonHuffmanPaddingTooLong, Offset: len(src) - 1, Value: uint64(n.depth)}
		}
	}
	return dst, nil
}
