package main

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"httpsim/sim/hpack"
)

const hpackUsage = `usage:
  httpsim hpack decode [--table-size N] [--json] [-v] HEX [HEX...]
  httpsim hpack decode [--table-size N] [--json] [-v] --story FILE.json
  httpsim hpack encode [--strategy S] [--huffman P] [--table-size N] [-v] < "name: value" lines
  httpsim hpack encode [--strategy S] [--huffman P] [--table-size N] --story FILE.json

decode: each HEX is one header block; all share one decoding context. With
--story, the blocks are the "wire" of each case of an hpack-test-case story,
and the decoded headers are checked against the story's. Prints each
block's headers and the dynamic table after it (RFC 7541 Appendix C style).

encode: reads "name: value" lines (names in lower case, as HTTP/2 wants
them), a blank line between header blocks, and prints each block in hex
with the dynamic table after it. With --story,
reads a story's headers and writes the story with "wire" filled in.
`

// runHPACK runs `httpsim hpack ARGS` and returns the exit code: 0, 1 for a
// block that does not decode, 2 for bad usage or input that is not HPACK's
// business (bad hex, unreadable files).
func runHPACK(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, hpackUsage)
		return 2
	}
	switch args[0] {
	case "decode":
		return hpackDecode(args[1:], stdout, stderr)
	case "encode":
		return hpackEncode(args[1:], stdin, stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, hpackUsage)
		return 0
	}
	fmt.Fprintf(stderr, "hpack: unknown subcommand %q (use decode or encode)\n", args[0])
	return 2
}

// hpackFlags are the flags of both subcommands.
type hpackFlags struct {
	tableSize       uint64
	story           string
	asJSON, verbose bool
	strategy        string
	huffman         string
}

// parseHPACKFlags parses flags anywhere among the arguments and returns the
// others. done is set when the caller should return code at once.
func parseHPACKFlags(sub string, args []string, stdout, stderr io.Writer) (f hpackFlags, rest []string, code int, done bool) {
	fs := flag.NewFlagSet("httpsim hpack "+sub, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	tableSize := fs.String("table-size", strconv.Itoa(hpack.DefaultTableSize), "SETTINGS_HEADER_TABLE_SIZE in `octets` (0 to 4294967295)")
	fs.StringVar(&f.story, "story", "", "hpack-test-case story `file` (JSON)")
	fs.BoolVar(&f.verbose, "v", false, "describe each field's representation, evictions and size updates")
	if sub == "decode" {
		fs.BoolVar(&f.asJSON, "json", false, "print one JSON object")
	} else {
		fs.StringVar(&f.strategy, "strategy", "default", "indexing `strategy`: default, index-all or never-index")
		fs.StringVar(&f.huffman, "huffman", "shorter", "Huffman `policy`: shorter, always or never")
	}
	if name := repeatedFlag(fs, args, true); name != "" {
		fmt.Fprintf(stderr, "hpack: %s: --%s: given twice; give it once\n", sub, name)
		return f, nil, 2, true
	}
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(stdout, hpackUsage)
				fs.SetOutput(stdout)
				fs.PrintDefaults()
				return f, nil, 0, true
			}
			fmt.Fprintf(stderr, "hpack: %s: %v\n", sub, err)
			return f, nil, 2, true
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		rest, args = append(rest, args[0]), args[1:]
	}
	// Parsed here, not by the flag package, whose "parse error" named no
	// range.
	var err error
	if f.tableSize, err = wholeNumber("--table-size", *tableSize, 32, fmt.Sprintf("0 to %d octets, RFC 9113 §6.5.2", uint32(math.MaxUint32))); err != nil {
		fmt.Fprintf(stderr, "hpack: %s: %v\n", sub, err)
		return f, nil, 2, true
	}
	return f, rest, 0, false
}

// hpackBlock is one header block to decode.
type hpackBlock struct {
	label           string // "block 2", "case 7": how errors name it
	seqno           int
	wire            []byte
	headerTableSize *uint32             // SETTINGS_HEADER_TABLE_SIZE from this block on
	want            []hpack.HeaderField // a story's headers, to check against
}

// notUTF8 names the first header field whose name or value is not UTF-8
// ("field 2's value"), "" if none. The dynamic table needs no check: its
// entries are fields of blocks already checked.
func notUTF8(fields []hpack.HeaderField) string {
	for i, h := range fields {
		switch {
		case !utf8.ValidString(h.Name):
			return fmt.Sprintf("field %d's name", i+1)
		case !utf8.ValidString(h.Value):
			return fmt.Sprintf("field %d's value", i+1)
		}
	}
	return ""
}

// hpackCaseJSON is one block of `decode --json`.
type hpackCaseJSON struct {
	Seqno     int         `json:"seqno"`
	Headers   [][2]string `json:"headers"`
	Table     [][2]string `json:"table"`
	TableSize int         `json:"table_size"`
}

func hpackDecode(args []string, stdout, stderr io.Writer) int {
	f, rest, code, done := parseHPACKFlags("decode", args, stdout, stderr)
	if done {
		return code
	}
	var blocks []hpackBlock
	switch {
	case f.story != "" && len(rest) > 0:
		fmt.Fprintf(stderr, "hpack: decode: give either --story or HEX blocks, not both\n")
		return 2
	case f.story != "":
		st, err := readHPACKStory(f.story)
		if err != nil {
			fmt.Fprintf(stderr, "hpack: %v\n", err)
			return 2
		}
		for i, c := range st.cases {
			b := hpackBlock{label: fmt.Sprintf("%s case %d", f.story, c.seqno(i)), seqno: c.seqno(i), headerTableSize: c.headerTableSize()}
			if b.wire, err = c.wire(); err != nil {
				fmt.Fprintf(stderr, "hpack: %s: %v\n", b.label, err)
				return 2
			}
			if b.want, err = c.headers(); err != nil {
				fmt.Fprintf(stderr, "hpack: %s: %v\n", b.label, err)
				return 2
			}
			blocks = append(blocks, b)
		}
	case len(rest) == 0:
		fmt.Fprintf(stderr, "hpack: decode: no header blocks (give HEX arguments or --story FILE)\n")
		return 2
	default:
		for i, h := range rest {
			b := hpackBlock{label: fmt.Sprintf("block %d", i+1), seqno: i}
			var err error
			if b.wire, err = hex.DecodeString(strings.TrimPrefix(h, "0x")); err != nil {
				fmt.Fprintf(stderr, "hpack: %s: not hex: %v\n", b.label, err)
				return 2
			}
			blocks = append(blocks, b)
		}
	}

	d := hpack.NewDecoder(uint32(f.tableSize))
	var out []hpackCaseJSON
	var rec hpack.BlockRecord
	var fields []hpack.HeaderField
	var table []hpack.TableEntry
	for i, b := range blocks {
		if b.headerTableSize != nil {
			d.SetTableSizeLimit(*b.headerTableSize)
		}
		var err error
		fields, err = d.Decode(fields[:0], b.wire, &rec)
		if err != nil {
			var de *hpack.DecodingError
			if errors.As(err, &de) {
				fmt.Fprintf(stderr, "hpack: %s at byte %d: %s\n", b.label, de.Offset, de.Explain())
			} else {
				fmt.Fprintf(stderr, "hpack: %s: %v\n", b.label, err)
			}
			return 1
		}
		if b.want != nil {
			if msg := hpackDiff(fields, b.want); msg != "" {
				fmt.Fprintf(stderr, "hpack: %s: decoded headers differ from the story's: %s\n", b.label, msg)
				return 1
			}
		}
		table = d.AppendTable(table[:0])
		if f.asJSON {
			// A JSON string holds text: bytes that are not UTF-8 became
			// U+FFFD, and the output no longer said what was decoded.
			if where := notUTF8(fields); where != "" {
				fmt.Fprintf(stderr, "hpack: %s: %s is not UTF-8, which a JSON string cannot carry; decode without --json to see its bytes\n", b.label, where)
				return 1
			}
			c := hpackCaseJSON{Seqno: b.seqno, Headers: [][2]string{}, Table: [][2]string{}, TableSize: d.TableSize()}
			for _, h := range fields {
				c.Headers = append(c.Headers, [2]string{h.Name, h.Value})
			}
			for _, e := range table {
				c.Table = append(c.Table, [2]string{e.Name, e.Value})
			}
			out = append(out, c)
			continue
		}
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		fmt.Fprintf(stdout, "# %s: %d octets, %s\n", b.label, len(b.wire), counted(len(fields), "field"))
		printHPACKFields(stdout, fields, &rec, b.wire, f.verbose)
		printHPACKTable(stdout, table, d.TableSize())
	}
	if f.asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(struct {
			Cases []hpackCaseJSON `json:"cases"`
		}{out}); err != nil {
			fmt.Fprintf(stderr, "hpack: %v\n", err)
			return 1
		}
	}
	return 0
}

func hpackEncode(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	f, rest, code, done := parseHPACKFlags("encode", args, stdout, stderr)
	if done {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "hpack: encode: unexpected argument %q (header lists come from stdin or --story)\n", rest[0])
		return 2
	}
	strategy, err := hpack.ParseStrategy(f.strategy)
	if err != nil {
		fmt.Fprintf(stderr, "hpack: encode: --strategy: %v\n", err)
		return 2
	}
	huffman, err := hpack.ParseHuffmanPolicy(f.huffman)
	if err != nil {
		fmt.Fprintf(stderr, "hpack: encode: --huffman: %v\n", err)
		return 2
	}
	// The encoder starts, as HTTP/2 does, at the default table size, and
	// announces another --table-size in the first block (RFC 7541 §4.2).
	e := hpack.NewEncoder(hpack.DefaultTableSize)
	e.SetStrategy(strategy)
	e.SetHuffman(huffman)
	size := uint32(f.tableSize)
	e.SetTableSizeLimit(size)
	e.SetMaxTableSize(size)

	if f.story != "" {
		return hpackEncodeStory(e, f.story, size, stdout, stderr)
	}
	lists, err := readHeaderLines(stdin)
	if err != nil {
		fmt.Fprintf(stderr, "hpack: encode: %v\n", err)
		return 2
	}
	var rec hpack.BlockRecord
	var table []hpack.TableEntry
	var block []byte
	for i, fields := range lists {
		block = e.Encode(block[:0], fields, &rec)
		table = e.AppendTable(table[:0])
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		fmt.Fprintf(stdout, "# block %d: %d octets for %d octets of names and values, %s\n", i+1, len(block), rec.PlainLen, counted(len(fields), "field"))
		fmt.Fprintf(stdout, "%x\n", block)
		if f.verbose {
			printHPACKFields(stdout, fields, &rec, block, true)
		}
		printHPACKTable(stdout, table, e.TableSize())
	}
	return 0
}

// hpackEncodeStory writes the story in path with each case's wire filled in.
func hpackEncodeStory(e *hpack.Encoder, path string, size uint32, stdout, stderr io.Writer) int {
	st, err := readHPACKStory(path)
	if err != nil {
		fmt.Fprintf(stderr, "hpack: %v\n", err)
		return 2
	}
	for i, c := range st.cases {
		label := fmt.Sprintf("%s case %d", path, c.seqno(i))
		if hts := c.headerTableSize(); hts != nil {
			e.SetTableSizeLimit(*hts)
		}
		fields, err := c.headers()
		if err != nil {
			fmt.Fprintf(stderr, "hpack: %s: %v\n", label, err)
			return 2
		}
		c["wire"], _ = json.Marshal(hex.EncodeToString(e.Encode(nil, fields, nil)))
		if _, ok := c["seqno"]; !ok {
			c["seqno"], _ = json.Marshal(i)
		}
		if i == 0 && size > hpack.DefaultTableSize && c.headerTableSize() == nil {
			// A decoder must allow the size the first block announces.
			c["header_table_size"], _ = json.Marshal(size)
		}
	}
	st.top["cases"], _ = json.Marshal(st.cases)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(st.top); err != nil {
		fmt.Fprintf(stderr, "hpack: %v\n", err)
		return 1
	}
	stdout.Write(buf.Bytes())
	return 0
}

// readHeaderLines reads "name: value" lines, a blank line ending each
// header list. The name ends at the first ":" after its first character,
// so pseudo-header fields read naturally (":method: GET"), and the value
// is the rest without the whitespace around it (RFC 9110 §5.1: field-line
// = field-name ":" OWS field-value OWS); a line ending in ":" has an
// empty value. A name must be one HTTP/2 allows (fieldNameError).
func readHeaderLines(r io.Reader) ([][]hpack.HeaderField, error) {
	var lists [][]hpack.HeaderField
	var cur []hpack.HeaderField
	// A bound on the input: each byte read becomes about ten in memory,
	// and 200 MB of lines ran out of it.
	in := &io.LimitedReader{R: r, N: maxHeaderInput + 1}
	sc := bufio.NewScanner(in)
	sc.Buffer(nil, maxHeaderLine+2) // a line of maxHeaderLine, and "\r\n"
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSuffix(sc.Text(), "\r")
		if len(s) > maxHeaderLine {
			return nil, fmt.Errorf("line %d: longer than 1 MiB; a header line is at most that", line)
		}
		if s == "" {
			if cur != nil {
				lists, cur = append(lists, cur), nil
			}
			continue
		}
		i := strings.IndexByte(s[1:], ':')
		if i < 0 {
			if in.N <= 0 {
				break // cut by the bound, said below
			}
			return nil, fmt.Errorf("line %d: %q is not \"name: value\"", line, s)
		}
		name, value := s[:i+1], strings.Trim(s[i+2:], " \t")
		if err := fieldNameError(name); err != "" {
			return nil, fmt.Errorf("line %d: field name %q %s", line, name, err)
		}
		cur = append(cur, hpack.HeaderField{Name: name, Value: value})
	}
	switch err := sc.Err(); {
	case errors.Is(err, bufio.ErrTooLong):
		return nil, fmt.Errorf("line %d: longer than 1 MiB; a header line is at most that", line+1)
	case err != nil:
		return nil, err
	case in.N <= 0:
		return nil, errors.New("stdin: more than 4 MiB of header lines; encode at most that at a time")
	}
	if cur != nil {
		lists = append(lists, cur)
	}
	if len(lists) == 0 {
		return nil, errors.New("no header lists on stdin")
	}
	return lists, nil
}

// fieldNameError says what makes name one HTTP/2 refuses, or "": RFC 9113
// §8.2.1, "A field name MUST NOT contain characters in the ranges
// 0x00-0x20, 0x41-0x5a, or 0x7f-0xff", and a pseudo-header field's name
// is a colon before such a name (§8.3).
func fieldNameError(name string) string {
	bare := strings.TrimPrefix(name, ":")
	if bare == "" {
		return "is empty"
	}
	for i := 0; i < len(bare); i++ {
		switch c := bare[i]; {
		case c >= 'A' && c <= 'Z':
			return fmt.Sprintf("has an upper-case letter; HTTP/2 field names are lower-case (RFC 9113 §8.2.1): write %q", strings.ToLower(name))
		case c <= 0x20 || c >= 0x7f || c == ':':
			return fmt.Sprintf("has the byte %#02x, which no field name may hold (RFC 9113 §8.2.1)", c)
		}
	}
	return ""
}

// Bounds on hpack encode's input.
const (
	maxHeaderInput = 4 << 20
	maxHeaderLine  = 1 << 20
)

// hpackStory is an hpack-test-case story, kept as raw JSON so that
// rewriting it keeps the fields this command does not know.
type hpackStory struct {
	top   map[string]json.RawMessage
	cases []hpackCase
}

type hpackCase map[string]json.RawMessage

// maxStoryFile bounds a story file: the corpus's largest is under 1 MB.
// /dev/zero used to be read until memory ran out.
const maxStoryFile = 16 << 20

func readHPACKStory(path string) (*hpackStory, error) {
	data, err := readBounded(path, maxStoryFile, "a story")
	if err != nil {
		return nil, err
	}
	st := &hpackStory{}
	if err := json.Unmarshal(data, &st.top); err != nil {
		return nil, fmt.Errorf("%s: not a story: %v", path, err)
	}
	if err := json.Unmarshal(st.top["cases"], &st.cases); err != nil || len(st.cases) == 0 {
		return nil, fmt.Errorf("%s: not a story: no \"cases\" list", path)
	}
	// A value that is there but wrong was dropped without a word
	// (header_table_size -5 read as none, seqno "a" as the case's place).
	for i, c := range st.cases {
		var n int64
		if raw, ok := c["seqno"]; ok {
			if err := json.Unmarshal(raw, &n); err != nil || n < 0 {
				return nil, fmt.Errorf("%s: cases[%d].seqno: %s is not a whole number of 0 or more", path, i, raw)
			}
		}
		if raw, ok := c["header_table_size"]; ok {
			if err := json.Unmarshal(raw, &n); err != nil || n < 0 || n > math.MaxUint32 {
				return nil, fmt.Errorf("%s: cases[%d].header_table_size: %s is out of range (0 to %d octets, RFC 7541 §4.2)", path, i, raw, uint32(math.MaxUint32))
			}
		}
	}
	return st, nil
}

// seqno is the case's own number, or its place i if it has none
// (readHPACKStory checked it).
func (c hpackCase) seqno(i int) int {
	var n int
	if err := json.Unmarshal(c["seqno"], &n); err != nil {
		return i
	}
	return n
}

// headerTableSize is the case's header_table_size, nil if it has none
// (readHPACKStory checked it).
func (c hpackCase) headerTableSize() *uint32 {
	var n uint32
	if err := json.Unmarshal(c["header_table_size"], &n); err != nil {
		return nil
	}
	return &n
}

func (c hpackCase) wire() ([]byte, error) {
	var s string
	if err := json.Unmarshal(c["wire"], &s); err != nil {
		return nil, errors.New("no \"wire\" string")
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("\"wire\" is not hex: %v", err)
	}
	return b, nil
}

// headers reads the case's header list: one-key objects, in order; nil if
// the case has none.
func (c hpackCase) headers() ([]hpack.HeaderField, error) {
	raw, ok := c["headers"]
	if !ok {
		return nil, nil
	}
	var hs []map[string]string
	if err := json.Unmarshal(raw, &hs); err != nil {
		return nil, fmt.Errorf("\"headers\" is not a list of {name: value} objects: %v", err)
	}
	out := make([]hpack.HeaderField, 0, len(hs))
	for i, h := range hs {
		if len(h) != 1 {
			return nil, fmt.Errorf("header %d has %d names; want one", i, len(h))
		}
		for k, v := range h {
			out = append(out, hpack.HeaderField{Name: k, Value: v})
		}
	}
	return out, nil
}

// hpackDiff describes the first difference between two header lists.
func hpackDiff(got, want []hpack.HeaderField) string {
	for i := 0; i < len(got) && i < len(want); i++ {
		if got[i].Name != want[i].Name || got[i].Value != want[i].Value {
			return fmt.Sprintf("field %d is %s: %s; the story has %s: %s", i+1,
				hpackShow(got[i].Name), hpackShow(got[i].Value), hpackShow(want[i].Name), hpackShow(want[i].Value))
		}
	}
	if len(got) != len(want) {
		return fmt.Sprintf("%d fields; the story has %d", len(got), len(want))
	}
	return ""
}

// printHPACKFields prints a block's fields, one "name: value" line each,
// and with verbose a comment line for each describing its representation,
// plus the block's size updates and evictions.
func printHPACKFields(w io.Writer, fields []hpack.HeaderField, rec *hpack.BlockRecord, block []byte, verbose bool) {
	if verbose {
		for _, s := range rec.SizeUpdates {
			fmt.Fprintf(w, "#   dynamic table size update: %d\n", s)
		}
	}
	for i, f := range fields {
		fmt.Fprintf(w, "%s: %s\n", hpackShow(f.Name), hpackShow(f.Value))
		if !verbose {
			continue
		}
		fr := rec.Fields[i]
		desc := fr.Rep.String()
		switch {
		case fr.Rep == hpack.Indexed:
			desc += fmt.Sprintf(" %d", fr.Index)
		case fr.Index > 0:
			desc += fmt.Sprintf(", name index %d", fr.Index)
		case fr.NameHuffman:
			desc += ", Huffman name"
		}
		if fr.ValueHuffman {
			desc += ", Huffman value"
		}
		// Against the name and value sent as they are: a short literal
		// costs more than its text.
		saved := fmt.Sprintf("%d fewer than name and value as text", fr.Saved())
		switch {
		case fr.Saved() < 0:
			saved = fmt.Sprintf("%d more than name and value as text", -fr.Saved())
		case fr.Saved() == 0:
			saved = "as many as name and value as text"
		}
		fmt.Fprintf(w, "#   %x: %s; %s, %s\n", block[fr.Offset:fr.Offset+fr.WireLen], desc, counted(fr.WireLen, "octet"), saved)
	}
	if verbose {
		for _, e := range rec.Evicted {
			fmt.Fprintf(w, "#   evicted: (s = %d) %s: %s\n", e.Size, hpackShow(e.Name), hpackShow(e.Value))
		}
	}
}

// printHPACKTable prints the dynamic table as RFC 7541 Appendix C does:
// "[  1] (s =  57) :authority: www.example.com", newest first, numbered
// from 1 (HPACK index 62), then "      Table size:  57".
func printHPACKTable(w io.Writer, table []hpack.TableEntry, size int) {
	for i, e := range table {
		fmt.Fprintf(w, "[%3d] (s = %3d) %s: %s\n", i+1, e.Size, hpackShow(e.Name), hpackShow(e.Value))
	}
	fmt.Fprintf(w, "      Table size: %3d\n", size)
}

// hpackShow prints a name or value as it is if it is printable UTF-8, and
// quoted otherwise, so that control octets cannot mangle the output.
func hpackShow(s string) string {
	if !utf8.ValidString(s) {
		return strconv.Quote(s)
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return strconv.Quote(s)
		}
	}
	return s
}
