package tls

import (
	"strings"
	"unicode/utf8"
)

// A name on the wire in TLS is ASCII: the server_name extension's HostName
// (RFC 6066 §3) and a certificate's dNSName (RFC 5280 §4.2.1.6, an
// IA5String) carry an internationalised name as its A-labels, each label
// beyond ASCII Punycode-encoded after "xn--" (RFC 5890 §2.3.2.1, RFC 3492).
// An origin's name may be written with %-escapes that decode beyond ASCII
// (sim/web's ServerName decodes them), so both go through asciiHostName.

// asciiHostName returns host in lower case (as a browser's URL parser
// writes a host, so that a name has one A-label), every label beyond ASCII
// as its A-label, and whether that made a name: host is valid UTF-8, its
// ASCII labels hold letters, digits, hyphens and underscores only (RFC
// 1123 §2.1, with the underscore some names carry), no label is empty or
// longer than 63 bytes, and the whole is at most 253 (RFC 1035 §2.3.4).
func asciiHostName(host string) (string, bool) {
	if host == "" || !utf8.ValidString(host) {
		return "", false
	}
	labels := strings.Split(strings.ToLower(host), ".")
	for i, l := range labels {
		switch {
		case l == "":
			return "", false
		case !isASCII(l):
			labels[i] = "xn--" + punycode(l)
		case strings.Trim(l, "abcdefghijklmnopqrstuvwxyz0123456789-_") != "":
			return "", false
		}
		if len(labels[i]) > 63 {
			return "", false
		}
	}
	name := strings.Join(labels, ".")
	if len(name) > 253 {
		return "", false
	}
	return name, true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Punycode's parameters (RFC 3492 §5).
const (
	pcBase        = 36
	pcTMin        = 1
	pcTMax        = 26
	pcSkew        = 38
	pcDamp        = 700
	pcInitialBias = 72
	pcInitialN    = 128
)

// punycode encodes label (RFC 3492 §6.3): its ASCII code points as they
// are, a "-" if there were any, then the others as generalized
// variable-length integers of the deltas between insertions.
func punycode(label string) string {
	runes := []rune(label)
	var out []byte
	for _, r := range runes {
		if r < utf8.RuneSelf {
			out = append(out, byte(r))
		}
	}
	basic := len(out)
	handled := basic
	if basic > 0 {
		out = append(out, '-')
	}
	n, delta, bias := rune(pcInitialN), 0, pcInitialBias
	for handled < len(runes) {
		m := rune(utf8.MaxRune + 1) // the smallest code point not yet handled
		for _, r := range runes {
			if r >= n && r < m {
				m = r
			}
		}
		delta += int(m-n) * (handled + 1)
		n = m
		for _, r := range runes {
			if r < n {
				delta++
			}
			if r != n {
				continue
			}
			q := delta
			for k := pcBase; ; k += pcBase {
				t := min(max(k-bias, pcTMin), pcTMax)
				if q < t {
					break
				}
				out = append(out, pcDigit(t+(q-t)%(pcBase-t)))
				q = (q - t) / (pcBase - t)
			}
			out = append(out, pcDigit(q))
			bias = pcAdapt(delta, handled+1, handled == basic)
			delta = 0
			handled++
		}
		delta++
		n++
	}
	return string(out)
}

// pcDigit is the basic code point of digit d: a–z for 0–25, 0–9 for 26–35.
func pcDigit(d int) byte {
	if d < 26 {
		return byte('a' + d)
	}
	return byte('0' + d - 26)
}

// pcAdapt is Punycode's bias adaptation (RFC 3492 §6.1).
func pcAdapt(delta, points int, first bool) int {
	if first {
		delta /= pcDamp
	} else {
		delta /= 2
	}
	delta += delta / points
	k := 0
	for delta > (pcBase-pcTMin)*pcTMax/2 {
		delta /= pcBase - pcTMin
		k += pcBase
	}
	return k + (pcBase-pcTMin+1)*delta/(delta+pcSkew)
}
