package tls

import "testing"

// Punycode as RFC 3492 writes it (the A-labels Python's codec gives for
// the same words).
func TestPunycode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"bücher", "bcher-kva"},
		{"café", "caf-dma"},
		{"münchen", "mnchen-3ya"},
		{"中文", "fiq228c"},
		{"例え", "r8jz45g"},
		{"ü", "tda"},
		{"aü", "a-eha"},
		{"Bahnhof-Zürich", "Bahnhof-Zrich-4ob"},
	}
	for _, tt := range tests {
		if got := punycode(tt.in); got != tt.want {
			t.Errorf("punycode(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

func TestASCIIHostName(t *testing.T) {
	long := ""
	for len(long) < 250 {
		long += "abcdefghi."
	}
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"photos.example.com", "photos.example.com", true},
		{"Photos.Example.COM", "photos.example.com", true},
		{"BÜCHER.example", "xn--bcher-kva.example", true},
		{"a b.example", "", false},
		{"my_host.example", "my_host.example", true},
		{"café.example", "xn--caf-dma.example", true},
		{"中文.example", "xn--fiq228c.example", true},
		{"\xff.example", "", false},
		{"", "", false},
		{"a..example", "", false},
		{long + "example", "", false},
		{string(make([]byte, 64)) + ".example", "", false},
	}
	for _, tt := range tests {
		if got, ok := asciiHostName(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("asciiHostName(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
