// Package qpack implements QPACK, the field compression of HTTP/3
// (RFC 9204), with tables a visualiser can watch.
//
// An Encoder turns field lists into encoded field sections, and writes the
// encoder stream that fills the peer decoder's dynamic table; a Decoder
// turns the sections back into field lists, reads the encoder stream, and
// writes the decoder stream of acknowledgments (§2). Both sides keep a copy
// of the dynamic table with absolute indexes (§3.2). By default the encoder
// uses the static table and Huffman-coded literals only, which needs no
// encoder stream and never blocks; with a dynamic strategy it inserts
// entries and references them, acknowledged or, within the peer's
// SETTINGS_QPACK_BLOCKED_STREAMS, not yet (§2.1.2). A section that refers
// to entries the decoder has not received yet is blocked (§2.2.1) and is
// decoded when the encoder stream delivers them.
//
// Both streams are parsed from pieces of any size (EncoderStreamParser,
// DecoderStreamParser), and every wire element has its own append and parse
// functions: AppendFieldLine and ParseFieldLine, AppendSectionPrefix and
// ParseSectionPrefix, AppendEncoderInstruction and ParseEncoderInstruction,
// AppendDecoderInstruction and ParseDecoderInstruction.
//
// The records (SectionRecord, EncoderStreamRecord, DecoderStreamRecord,
// FieldRecord, TableEntry) describe what each section and instruction did:
// each field line's representation and length, the entries inserted and
// evicted, blocking and acknowledgment. They are plain values, after hpack's
// records, that share nothing with the codec's state.
//
// Errors from the wire are *Error values naming the rule broken and
// carrying QPACK's error code (§6): QPACK_DECOMPRESSION_FAILED,
// QPACK_ENCODER_STREAM_ERROR or QPACK_DECODER_STREAM_ERROR.
//
// Prefixed integers and Huffman coding are hpack's (§4.1.1, §4.1.2).
package qpack
