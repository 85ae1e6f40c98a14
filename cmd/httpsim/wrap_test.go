package main

import (
	"regexp"
	"strings"
	"testing"

	ui "httpsim/app"
)

func TestWrap(t *testing.T) {
	tests := []struct {
		text  string
		width int
		want  string
	}{
		{"one two three four", 9, "one two\nthree\nfour"},
		{"abcdefghij xy", 4, "abcd\nefgh\nij\nxy"},
		// Two columns a Han character: five to a line of ten.
		{"一二三四五六七八九十", 10, "一二三四五\n六七八九十"},
		// Not inside "RFC", nor before "，", nor after "（".
		{"一二三RFC 9218", 7, "一二三\nRFC\n9218"},
		{"一二三四，五六", 8, "一二三\n四，五六"},
		{"一二（三四", 6, "一二\n（三四"},
		{"aaaa request(s) done", 12, "aaaa\nrequest(s)\ndone"},
		{"", 10, ""},
	}
	for _, tt := range tests {
		if got := wrap(tt.text, tt.width); got != tt.want {
			t.Errorf("wrap(%q, %d) = %q; want %q", tt.text, tt.width, got, tt.want)
		}
	}
}

// Every lesson's explanation, in either language, as `httpsim show` wraps
// it: no line is wider than 78 columns, none begins with closing
// punctuation or ends with opening punctuation, no Latin word is cut, and
// only spaces are lost.
func TestWrapKeepsWordsWhole(t *testing.T) {
	latin := regexp.MustCompile(`[A-Za-z0-9/=._-]+`)
	for _, e := range ui.Library() {
		for l, text := range e.Explanation {
			got := wrap(text, 78)
			where := e.Name + "/" + ui.Lang(l).Code()
			for i, line := range strings.Split(got, "\n") {
				if columns(line) > 78 {
					t.Errorf("%s: line %d has %d columns: %q", where, i+1, columns(line), line)
				}
				if r := []rune(line); len(r) > 0 && (strings.ContainsRune(closingPunct, r[0]) || strings.ContainsRune(openingPunct, r[len(r)-1])) {
					t.Errorf("%s: line %d breaks at punctuation: %q", where, i+1, line)
				}
			}
			if strip(got) != strip(text) {
				t.Errorf("%s: wrapping changed the text", where)
			}
			words := latin.FindAllString(strings.ReplaceAll(got, "\n", " "), -1)
			if want := latin.FindAllString(text, -1); strings.Join(words, " ") != strings.Join(want, " ") {
				t.Errorf("%s: a Latin word was cut:\n%q\nwant\n%q", where, words, want)
			}
		}
	}
}

func strip(s string) string {
	return strings.Join(strings.Fields(s), "")
}
