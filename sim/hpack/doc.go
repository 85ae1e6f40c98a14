// Package hpack implements HPACK, the header compression of HTTP/2
// (RFC 7541), with tables a visualiser can watch.
//
// An Encoder turns header lists into header blocks and a Decoder turns them
// back, each keeping its own copy of the dynamic table (RFC 7541 §2.3.2).
// Both can fill a BlockRecord per block: each field's representation and
// encoded length, the table entries inserted and evicted, the size updates.
// Snapshots (TableEntry, FieldRecord, BlockRecord) are plain values that
// share nothing with the codec's state.
//
// The decoder is strict: every way RFC 7541 lets a block be malformed is a
// *DecodingError naming the rule broken, matching ErrCompression (RFC 9113
// §4.3: a decoding error is a connection error of type COMPRESSION_ERROR).
// It is bounded by the table size limit (SETTINGS_HEADER_TABLE_SIZE) and the
// header list size (SETTINGS_MAX_HEADER_LIST_SIZE).
//
// AppendInt, ReadInt, AppendHuffman, HuffmanLen and DecodeHuffman are the
// primitives QPACK (RFC 9204 §4.1) shares with HPACK.
package hpack
