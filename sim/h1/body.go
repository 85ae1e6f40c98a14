package h1

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"httpsim/sim"
	"httpsim/sim/bytestream"
)

// chunkSize is the size of the chunks a server writes with chunked transfer
// coding (nginx's default output buffer).
const chunkSize = 8192

// writeBody writes n body bytes to w, framed with chunked transfer coding
// (RFC 9112 §7.1) if chunked: a hexadecimal size line, the data, CRLF, and
// a last chunk of size 0.
func writeBody(now sim.Time, w writer, n int64, chunked bool) (framing int64) {
	if !chunked {
		w.WriteFiller(now, n)
		return 0
	}
	for n > 0 {
		k := min(n, chunkSize)
		line := strconv.FormatInt(k, 16) + "\r\n"
		w.Write(now, []byte(line))
		w.WriteFiller(now, k)
		w.Write(now, []byte("\r\n"))
		framing += int64(len(line)) + 2
		n -= k
	}
	w.Write(now, []byte("0\r\n\r\n"))
	return framing + 5
}

// writer is where messages go: a transport connection.
type writer interface {
	Write(now sim.Time, p []byte)
	WriteFiller(now sim.Time, n int64)
}

// bodyMode is how a message's body is delimited (RFC 9112 §6.3).
type bodyMode int

const (
	bodyNone bodyMode = iota
	bodyLength
	bodyChunked
	bodyUntilClose
)

// bodyReader consumes one message body from a byte stream.
type bodyReader struct {
	mode bodyMode
	left int64 // bytes left of the body or of the current chunk's data
	// Chunked state: reading a size line, the data, the CRLF after the
	// data, or the trailer section after the last chunk.
	state   chunkState
	line    []byte
	done    bool
	framing int64
}

type chunkState int

const (
	chunkSizeLine chunkState = iota
	chunkData
	chunkDataCRLF
	chunkTrailer
)

func newBodyReader(mode bodyMode, length int64) *bodyReader {
	return new(bodyReader).reset(mode, length)
}

// reset readies b for the next message's body and returns it (a
// connection reads its bodies one after the other with one reader).
func (b *bodyReader) reset(mode bodyMode, length int64) *bodyReader {
	*b = bodyReader{mode: mode, left: length, line: b.line[:0]}
	if mode == bodyNone || (mode == bodyLength && length == 0) {
		b.done = true
	}
	return b
}

var errBadChunk = errors.New("h1: malformed chunk size line (RFC 9112 §7.1)")

// feed consumes bytes of d from rel on; it returns how many it consumed and
// how many of those were body data (not chunk framing).
func (b *bodyReader) feed(d bytestream.Slice, rel int64) (consumed, data int64, err error) {
	avail := d.N - rel
	switch b.mode {
	case bodyLength:
		n := min(avail, b.left)
		b.left -= n
		b.done = b.left == 0
		return n, n, nil
	case bodyUntilClose:
		return avail, avail, nil
	case bodyChunked:
		return b.feedChunked(d, rel)
	}
	return 0, 0, nil
}

// parseChunkSize parses chunk-size, 1*HEXDIG (RFC 9112 §7.1), before any
// chunk extension: no sign and no leading space (strconv.ParseInt alone took
// "+5" and "-0"), trailing spaces and tabs allowed (the BWS before a chunk
// extension's ";", §7.1.1; leniently also with no extension after them),
// and a size that fits an int64.
func parseChunkSize(s string) (int64, error) {
	s = strings.TrimRight(s, " \t")
	if s == "" {
		return 0, strconv.ErrSyntax
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return 0, strconv.ErrSyntax
		}
	}
	return strconv.ParseInt(s, 16, 64)
}

func (b *bodyReader) feedChunked(d bytestream.Slice, rel int64) (consumed, data int64, err error) {
	var one [1]byte
	for rel+consumed < d.N && !b.done {
		switch b.state {
		case chunkSizeLine, chunkTrailer:
			d.ReadAt(one[:], rel+consumed)
			consumed++
			b.framing++
			b.line = append(b.line, one[0])
			if len(b.line) > 1024 {
				return consumed, data, errBadChunk
			}
			if !strings.HasSuffix(string(b.line), "\r\n") {
				continue
			}
			line := strings.TrimSuffix(string(b.line), "\r\n")
			b.line = b.line[:0]
			if b.state == chunkTrailer {
				if line == "" {
					b.done = true
				}
				continue
			}
			sizeText, _, _ := strings.Cut(line, ";") // chunk extensions (§7.1.1)
			size, perr := parseChunkSize(sizeText)
			if perr != nil {
				return consumed, data, fmt.Errorf("%w: %q", errBadChunk, line)
			}
			if size == 0 {
				b.state = chunkTrailer
				continue
			}
			b.left = size
			b.state = chunkData
		case chunkData:
			n := min(d.N-rel-consumed, b.left)
			b.left -= n
			consumed += n
			data += n
			if b.left == 0 {
				b.state = chunkDataCRLF
			}
		case chunkDataCRLF:
			d.ReadAt(one[:], rel+consumed)
			consumed++
			b.framing++
			b.line = append(b.line, one[0])
			if len(b.line) == 2 {
				if string(b.line) != "\r\n" {
					return consumed, data, errBadChunk
				}
				b.line = b.line[:0]
				b.state = chunkSizeLine
			}
		}
	}
	return consumed, data, nil
}
