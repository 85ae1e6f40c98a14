package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runHPACKCLI(stdin string, args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = runHPACK(args, strings.NewReader(stdin), &o, &e)
	return code, o.String(), e.String()
}

// RFC 7541 Appendix C.3: three requests without Huffman coding.
var c3Blocks = []string{
	"828684410f7777772e6578616d706c652e636f6d",
	"828684be58086e6f2d6361636865",
	"828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565",
}

// TestHPACKDecodeRFCC3 checks the text output against the decoded header
// lists and dynamic tables RFC 7541 C.3.1-C.3.3 print.
func TestHPACKDecodeRFCC3(t *testing.T) {
	code, out, errOut := runHPACKCLI("", append([]string{"decode"}, c3Blocks...)...)
	want := `# block 1: 20 octets, 4 fields
:method: GET
:scheme: http
:path: /
:authority: www.example.com
[  1] (s =  57) :authority: www.example.com
      Table size:  57

# block 2: 14 octets, 5 fields
:method: GET
:scheme: http
:path: /
:authority: www.example.com
cache-control: no-cache
[  1] (s =  53) cache-control: no-cache
[  2] (s =  57) :authority: www.example.com
      Table size: 110

# block 3: 29 octets, 5 fields
:method: GET
:scheme: https
:path: /index.html
:authority: www.example.com
custom-key: custom-value
[  1] (s =  54) custom-key: custom-value
[  2] (s =  53) cache-control: no-cache
[  3] (s =  57) :authority: www.example.com
      Table size: 164
`
	if code != 0 || out != want || errOut != "" {
		t.Errorf("hpack decode C.3 = %d, stdout:\n%s\nstderr: %s\nwant 0, stdout:\n%s", code, out, errOut, want)
	}
}

type hpackJSONOut struct {
	Cases []struct {
		Seqno     int         `json:"seqno"`
		Headers   [][2]string `json:"headers"`
		Table     [][2]string `json:"table"`
		TableSize int         `json:"table_size"`
	} `json:"cases"`
}

// TestHPACKDecodeJSON decodes RFC 7541 C.6 (Huffman, table size 256, with
// evictions) and checks the JSON's shape and contents.
func TestHPACKDecodeJSON(t *testing.T) {
	c6 := []string{
		"488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a62d1bff6e919d29ad171863c78f0b97c8e9ae82ae43d3",
		"4883640effc1c0bf",
		"88c16196d07abe941054d444a8200595040b8166e084a62d1bff c05a839bd9ab77ad94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5b1063d5007",
	}
	c6[2] = strings.ReplaceAll(c6[2], " ", "")
	code, out, errOut := runHPACKCLI("", append([]string{"decode", "--table-size", "256", "--json"}, c6...)...)
	if code != 0 || errOut != "" {
		t.Fatalf("hpack decode --json = %d, %s", code, errOut)
	}
	// The shape: exactly these keys, nothing else.
	var raw struct {
		Cases []map[string]json.RawMessage `json:"cases"`
	}
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	for _, c := range raw.Cases {
		if len(c) != 4 || c["seqno"] == nil || c["headers"] == nil || c["table"] == nil || c["table_size"] == nil {
			t.Errorf("case keys %v; want seqno, headers, table, table_size", c)
		}
	}
	var got hpackJSONOut
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Cases) != 3 {
		t.Fatalf("%d cases; want 3", len(got.Cases))
	}
	wantSizes := []int{222, 222, 215}
	wantFirst := [][2]string{{"location", "https://www.example.com"}, {":status", "307"}, {"set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"}}
	wantLens := []int{4, 4, 3}
	for i, c := range got.Cases {
		if c.Seqno != i || c.TableSize != wantSizes[i] || len(c.Table) != wantLens[i] || c.Table[0] != wantFirst[i] {
			t.Errorf("case %d = seqno %d, size %d, table %v; want seqno %d, size %d, %d entries starting %v",
				i, c.Seqno, c.TableSize, c.Table, i, wantSizes[i], wantLens[i], wantFirst[i])
		}
	}
	if h := got.Cases[2].Headers; len(h) != 6 || h[5][0] != "set-cookie" || h[2] != [2]string{"date", "Mon, 21 Oct 2013 20:13:22 GMT"} {
		t.Errorf("case 2 headers = %v; want the six fields of C.6.3", h)
	}
}

// hexLines picks the hex block lines out of `hpack encode` output: each
// follows its "# block" line.
func hexLines(out string) []string {
	var blocks []string
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "# block ") && i+1 < len(lines) {
			blocks = append(blocks, lines[i+1])
		}
	}
	return blocks
}

// TestHPACKEncodeDecode encodes header lines and decodes the output with
// `hpack decode`, for each strategy and a few table sizes.
func TestHPACKEncodeDecode(t *testing.T) {
	input := ":method: GET\n:scheme: https\n:path: /index.html\n:authority: www.example.com\nuser-agent: test/1.0\ncookie: id=42\nx-tight:42\nx-padded: \t v \t\n\n" +
		":method: GET\n:scheme: https\n:path: /style.css?v=3\n:authority: www.example.com\nuser-agent: test/1.0\naccept: text/css,*/*;q=0.1\nx-empty:\n\n\n" +
		":status: 200\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: 1234\r\n"
	want := [][][2]string{
		{{":method", "GET"}, {":scheme", "https"}, {":path", "/index.html"}, {":authority", "www.example.com"}, {"user-agent", "test/1.0"}, {"cookie", "id=42"}, {"x-tight", "42"}, {"x-padded", "v"}},
		{{":method", "GET"}, {":scheme", "https"}, {":path", "/style.css?v=3"}, {":authority", "www.example.com"}, {"user-agent", "test/1.0"}, {"accept", "text/css,*/*;q=0.1"}, {"x-empty", ""}},
		{{":status", "200"}, {"content-type", "text/html; charset=utf-8"}, {"content-length", "1234"}},
	}
	for _, strategy := range []string{"default", "index-all", "never-index"} {
		for _, size := range []string{"4096", "0", "100", "65536"} {
			code, out, errOut := runHPACKCLI(input, "encode", "--strategy", strategy, "--table-size", size, "-v")
			if code != 0 || errOut != "" {
				t.Fatalf("encode --strategy %s --table-size %s = %d, %s", strategy, size, code, errOut)
			}
			blocks := hexLines(out)
			if len(blocks) != 3 {
				t.Fatalf("encode --strategy %s: %d hex lines in\n%s", strategy, len(blocks), out)
			}
			code, out, errOut = runHPACKCLI("", append([]string{"decode", "--json", "--table-size", size}, blocks...)...)
			if code != 0 || errOut != "" {
				t.Fatalf("decode of encode --strategy %s --table-size %s = %d, %s", strategy, size, code, errOut)
			}
			var got hpackJSONOut
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatal(err)
			}
			for i, c := range got.Cases {
				if !equalPairs(c.Headers, want[i]) {
					t.Errorf("--strategy %s --table-size %s block %d: decoded %v; want %v", strategy, size, i+1, c.Headers, want[i])
				}
			}
		}
	}
}

func equalPairs(a, b [][2]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// corpusFile is a file of ../shared/testdata/hpack from the module root.
func corpusFile(t *testing.T, rel string) string {
	t.Helper()
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		if filepath.Dir(dir) == dir {
			t.Fatal("go.mod not found")
		}
		dir = filepath.Dir(dir)
	}
	p := filepath.Join(dir, "..", "shared", "testdata", "hpack", rel)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("corpus file missing: %v", err)
	}
	return p
}

// TestHPACKStory decodes a corpus story, then encodes a raw-data story
// and decodes the result, which `decode --story` checks against the
// story's own headers.
func TestHPACKStory(t *testing.T) {
	code, out, errOut := runHPACKCLI("", "decode", "--json", "--story", corpusFile(t, "nghttp2/story_05.json"))
	if code != 0 || errOut != "" {
		t.Fatalf("decode --story = %d, %s", code, errOut)
	}
	var got hpackJSONOut
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got.Cases) == 0 {
		t.Fatalf("decode --story --json: %v, %d cases", err, len(got.Cases))
	}

	for _, strategy := range []string{"default", "index-all", "never-index"} {
		for _, size := range []string{"4096", "256", "16384"} {
			raw := corpusFile(t, "raw-data/story_12.json")
			code, out, errOut = runHPACKCLI("", "encode", "--story", raw, "--strategy", strategy, "--table-size", size)
			if code != 0 || errOut != "" {
				t.Fatalf("encode --story --strategy %s = %d, %s", strategy, code, errOut)
			}
			var enc struct {
				Context string            `json:"context"`
				Cases   []json.RawMessage `json:"cases"`
			}
			if err := json.Unmarshal([]byte(out), &enc); err != nil || enc.Context == "" || len(enc.Cases) == 0 {
				t.Fatalf("encode --story output: %v, context %q, %d cases", err, enc.Context, len(enc.Cases))
			}
			file := filepath.Join(t.TempDir(), "story.json")
			if err := os.WriteFile(file, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, errOut = runHPACKCLI("", "decode", "--story", file)
			if code != 0 || errOut != "" {
				t.Errorf("decode of encode --story --strategy %s --table-size %s = %d, %s", strategy, size, code, errOut)
			}
		}
	}
}

func TestHPACKBadInput(t *testing.T) {
	dir := t.TempDir()
	wrong := filepath.Join(dir, "wrong.json")
	os.WriteFile(wrong, []byte(`{"cases":[{"seqno":0,"wire":"82","headers":[{":method":"POST"}]}]}`), 0o644)
	notStory := filepath.Join(dir, "not.json")
	os.WriteFile(notStory, []byte(`[1,2]`), 0o644)
	negative := filepath.Join(dir, "negative.json")
	os.WriteFile(negative, []byte(`{"cases":[{"seqno":0,"wire":"82","header_table_size":-5,"headers":[{":method":"GET"}]}]}`), 0o644)
	letters := filepath.Join(dir, "letters.json")
	os.WriteFile(letters, []byte(`{"cases":[{"seqno":"a","wire":"82","headers":[{":method":"GET"}]}]}`), 0o644)
	huge := filepath.Join(dir, "huge.json")
	os.WriteFile(huge, bytes.Repeat([]byte(" "), 16<<20+1), 0o644)
	tests := []struct {
		args  []string
		stdin string
		code  int
		want  string
	}{
		{[]string{"decode", "82", "828684c6"}, "", 1,
			"hpack: block 2 at byte 3: index 70 is past the end of the dynamic table (last index 61) (RFC 7541 §2.3.3): COMPRESSION_ERROR\n"},
		{[]string{"decode", "80"}, "", 1, "hpack: block 1 at byte 0: index 0 is not used (RFC 7541 §6.1): COMPRESSION_ERROR\n"},
		// A value of byte 0xff is not text: JSON turned it into U+FFFD.
		{[]string{"decode", "--json", "00016101ff"}, "", 1,
			"hpack: block 1: field 1's value is not UTF-8, which a JSON string cannot carry; decode without --json to see its bytes\n"},
		// A flag given twice, even after the blocks, was last-wins.
		{[]string{"decode", "--table-size", "100", "8286", "--table-size", "200"}, "", 2, "hpack: decode: --table-size: given twice; give it once\n"},
		{[]string{"encode", "--huffman", "never", "--huffman", "always"}, "", 2, "hpack: encode: --huffman: given twice; give it once\n"},
		{[]string{"decode", "3fe21f"}, "", 1,
			"hpack: block 1 at byte 0: dynamic table size update to 4097 exceeds SETTINGS_HEADER_TABLE_SIZE 4096 (RFC 7541 §6.3): COMPRESSION_ERROR\n"},
		{[]string{"decode", "--table-size", "100", "3f46"}, "", 1,
			"hpack: block 1 at byte 0: dynamic table size update to 101 exceeds SETTINGS_HEADER_TABLE_SIZE 100 (RFC 7541 §6.3): COMPRESSION_ERROR\n"},
		{[]string{"decode", "8220"}, "", 1,
			"hpack: block 1 at byte 1: dynamic table size update after a header field (RFC 7541 §4.2): COMPRESSION_ERROR\n"},
		{[]string{"decode", "0001618100"}, "", 1,
			"hpack: block 1 at byte 4: Huffman padding is not a prefix of the EOS code (all ones) (RFC 7541 §5.2): COMPRESSION_ERROR\n"},
		{[]string{"decode", "000161"}, "", 1, "hpack: block 1 at byte 3: the input ends inside an integer (RFC 7541 §5.1): COMPRESSION_ERROR\n"},
		{[]string{"decode", "82", "zz"}, "", 2, "hpack: block 2: not hex: encoding/hex: invalid byte: U+007A 'z'\n"},
		{[]string{"decode"}, "", 2, "hpack: decode: no header blocks (give HEX arguments or --story FILE)\n"},
		{[]string{"decode", "--table-size", "5000000000", "82"}, "", 2,
			"hpack: decode: --table-size: 5000000000 is out of range (0 to 4294967295 octets, RFC 9113 §6.5.2)\n"},
		// The flag package's "parse error" named no range.
		{[]string{"decode", "--table-size", "big", "82"}, "", 2,
			"hpack: decode: --table-size: \"big\" is not a whole number; want 0 to 4294967295 octets, RFC 9113 §6.5.2\n"},
		{[]string{"decode", "--table-size", "-1", "82"}, "", 2,
			"hpack: decode: --table-size: -1 is out of range (0 to 4294967295 octets, RFC 9113 §6.5.2)\n"},
		{[]string{"decode", "--nosuch"}, "", 2, "hpack: decode: flag provided but not defined: -nosuch\n"},
		{[]string{"decode", "--story", wrong, "82"}, "", 2, "hpack: decode: give either --story or HEX blocks, not both\n"},
		{[]string{"decode", "--story", wrong}, "", 1,
			"hpack: " + wrong + " case 0: decoded headers differ from the story's: field 1 is :method: GET; the story has :method: POST\n"},
		{[]string{"decode", "--story", notStory}, "", 2,
			"hpack: " + notStory + ": not a story: json: cannot unmarshal array into Go value of type map[string]json.RawMessage\n"},
		// Wrong values were dropped without a word; files and input had
		// no bound.
		{[]string{"decode", "--story", negative}, "", 2,
			"hpack: " + negative + ": cases[0].header_table_size: -5 is out of range (0 to 4294967295 octets, RFC 7541 §4.2)\n"},
		{[]string{"decode", "--story", letters}, "", 2,
			"hpack: " + letters + `: cases[0].seqno: "a" is not a whole number of 0 or more` + "\n"},
		{[]string{"decode", "--story", huge}, "", 2, "hpack: " + huge + " is larger than 16 MiB; a story is at most that\n"},
		{[]string{"encode"}, strings.Repeat("a: b\n", 1<<20), 2, "hpack: encode: stdin: more than 4 MiB of header lines; encode at most that at a time\n"},
		{[]string{"encode"}, "a: b\nc: " + strings.Repeat("d", 1<<20) + "\n", 2, "hpack: encode: line 2: longer than 1 MiB; a header line is at most that\n"},
		// Cut by the bound inside a line ("abcde" of "abcdef: g"): the
		// bound is said, not the cut line.
		{[]string{"encode"}, strings.Repeat("abcdef: g\n", 1<<19), 2, "hpack: encode: stdin: more than 4 MiB of header lines; encode at most that at a time\n"},
		{[]string{"encode", "--strategy", "fast"}, "a: b\n", 2,
			"hpack: encode: --strategy: unknown HPACK strategy \"fast\" (want one of default, index-all, never-index)\n"},
		{[]string{"encode", "--huffman", "maybe"}, "a: b\n", 2,
			"hpack: encode: --huffman: unknown Huffman policy \"maybe\" (want one of shorter, always, never)\n"},
		{[]string{"encode"}, "a: b\nnocolon\n", 2, "hpack: encode: line 2: \"nocolon\" is not \"name: value\"\n"},
		// Names HTTP/2 refuses (RFC 9113 §8.2.1).
		{[]string{"encode"}, "Upper: x\n", 2, "hpack: encode: line 1: field name \"Upper\" has an upper-case letter; HTTP/2 field names are lower-case (RFC 9113 §8.2.1): write \"upper\"\n"},
		{[]string{"encode"}, "  : x\n", 2, "hpack: encode: line 1: field name \"  \" has the byte 0x20, which no field name may hold (RFC 9113 §8.2.1)\n"},
		{[]string{"encode"}, ":: x\n", 2, "hpack: encode: line 1: field name \":\" is empty\n"},
		{[]string{"encode"}, "\n\n", 2, "hpack: encode: no header lists on stdin\n"},
		{[]string{"encode", "extra"}, "a: b\n", 2, "hpack: encode: unexpected argument \"extra\" (header lists come from stdin or --story)\n"},
		{[]string{"frob"}, "", 2, "hpack: unknown subcommand \"frob\" (use decode or encode)\n"},
	}
	for _, tt := range tests {
		code, out, errOut := runHPACKCLI(tt.stdin, tt.args...)
		if code != tt.code || errOut != tt.want || tt.code == 2 && out != "" {
			t.Errorf("hpack %q = %d, stderr %q; want %d, %q", tt.args, code, errOut, tt.code, tt.want)
		}
	}
}

// TestHPACKVerbose checks that -v describes representations: the C.4.1
// block (Huffman) has three indexed fields and one literal.
func TestHPACKVerbose(t *testing.T) {
	code, out, _ := runHPACKCLI("", "decode", "-v", "828684418cf1e3c2e5f23a6ba0ab90f4ff")
	if code != 0 {
		t.Fatalf("decode -v = %d", code)
	}
	for _, want := range []string{
		"#   82: indexed 2; 1 octet, 9 fewer than name and value as text\n",
		"#   418cf1e3c2e5f23a6ba0ab90f4ff: literal with incremental indexing, name index 1, Huffman value; 14 octets, 11 fewer than name and value as text\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("decode -v output lacks %q:\n%s", want, out)
		}
	}
	// A short literal costs more than its text, said as such ("-3
	// saved" read as a column nobody named); one field is "1 field".
	code, out, _ = runHPACKCLI("a: b\n\nab: 1\nab: 2\n", "encode", "-v")
	for _, want := range []string{", 1 field\n", "; 5 octets, 3 more than name and value as text\n", "; 3 octets, as many as name and value as text\n"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("encode -v of \"a: b\" = %d, %q; want it to contain %q", code, out, want)
		}
	}
}

// A header line of exactly 1 MiB is within the bound (it was refused).
func TestHPACKEncodeLongestLine(t *testing.T) {
	line := "a: " + strings.Repeat("b", 1<<20-3)
	if code, _, errOut := runHPACKCLI(line+"\r\n", "encode"); code != 0 {
		t.Errorf("a line of 1 MiB: exit %d, %q", code, errOut)
	}
	if code, _, errOut := runHPACKCLI(line+"b\n", "encode"); code != 2 || !strings.Contains(errOut, "longer than 1 MiB") {
		t.Errorf("a line of 1 MiB and a byte: exit %d, %q", code, errOut)
	}
}
