package main

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// wrap breaks text into lines at most width terminal columns wide. English
// breaks at spaces. Chinese has none: it breaks between any two Han
// characters, but never inside a Latin word ("RFC", "HTTP/2"), never
// before closing punctuation (，。）) nor after opening punctuation (（),
// the basic rule of Chinese line breaking that W3C's "Requirements for
// Chinese Text Layout" (clreq) describes for punctuation. A Han character
// or full-width punctuation mark takes two columns. Only a word wider than
// a whole line is cut.
func wrap(text string, width int) string {
	var out strings.Builder
	line := 0
	for _, c := range breakChunks(text) {
		w := columns(c.text)
		sep := 0
		if c.space {
			sep = 1
		}
		if line > 0 && line+sep+w > width {
			out.WriteByte('\n')
			line, sep = 0, 0
		}
		if sep > 0 {
			out.WriteByte(' ')
			line++
		}
		// A word wider than a line is cut where it must be.
		rest := c.text
		for line+columns(rest) > width && line == 0 {
			cut := fitPrefix(rest, width)
			out.WriteString(rest[:cut])
			out.WriteByte('\n')
			rest = rest[cut:]
		}
		out.WriteString(rest)
		line += columns(rest)
	}
	return out.String()
}

// chunk is a piece of text that no line break goes inside, and whether a
// space came before it.
type chunk struct {
	text  string
	space bool
}

// breakChunks splits text into what a line may break between: words
// separated by spaces, and each Han character on its own, with closing
// punctuation held to what comes before it and opening punctuation to what
// comes after.
func breakChunks(text string) []chunk {
	var chunks []chunk
	var cur strings.Builder
	space, glue := false, false // glue: cur ends with opening punctuation
	flush := func() {
		if cur.Len() > 0 {
			chunks = append(chunks, chunk{cur.String(), space})
			cur.Reset()
			space = false
		}
	}
	for _, r := range text {
		switch {
		case unicode.IsSpace(r):
			flush()
			space = len(chunks) > 0
			glue = false
		case strings.ContainsRune(closingPunct, r):
			if cur.Len() == 0 && !space && len(chunks) > 0 {
				// Held to the chunk before it.
				last := &chunks[len(chunks)-1]
				last.text += string(r)
				continue
			}
			cur.WriteRune(r)
		case strings.ContainsRune(openingPunct, r):
			// A line may break before "（", not inside "request(s)".
			if !glue && (wide(r) || cur.Len() == 0) {
				flush()
			}
			cur.WriteRune(r)
			glue = true
		case wide(r):
			if !glue {
				flush()
			}
			cur.WriteRune(r)
			glue = false
			flush()
		default:
			// A Latin word; after a Han character (flushed above) it
			// starts a chunk of its own, a line may break before it.
			cur.WriteRune(r)
			glue = false
		}
	}
	flush()
	return chunks
}

// closingPunct may not begin a line, openingPunct may not end one.
const (
	closingPunct = "，。、：；！？）」』】》〉”’,.;:!?)]}%"
	openingPunct = "（「『【《〈“‘([{"
)

// wide reports whether r takes two terminal columns: Han characters, CJK
// punctuation and full-width forms (Unicode's East Asian Width W and F,
// for the ranges Chinese text uses).
func wide(r rune) bool {
	return unicode.Is(unicode.Han, r) ||
		r >= 0x3000 && r <= 0x303F || // CJK symbols and punctuation
		r >= 0xFF01 && r <= 0xFF60 || // full-width forms
		r >= 0x2E80 && r <= 0x2FDF // radicals
}

// columns is how many terminal columns s takes.
func columns(s string) int {
	n := 0
	for _, r := range s {
		n++
		if wide(r) {
			n++
		}
	}
	return n
}

// fitPrefix is the length in bytes of the longest prefix of s (at least one
// rune) that fits in width columns.
func fitPrefix(s string, width int) int {
	n, cut := 0, 0
	for i, r := range s {
		w := 1
		if wide(r) {
			w = 2
		}
		if n+w > width && cut > 0 {
			return cut
		}
		n += w
		cut = i + utf8.RuneLen(r)
	}
	return cut
}
