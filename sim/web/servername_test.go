package web

import "testing"

// The TLS server_name of an origin (RFC 6066 §3): the DNS name alone, and
// none for an IP address, as a browser reads one.
func TestServerName(t *testing.T) {
	tests := []struct{ origin, want string }{
		{"www.example.com", "www.example.com"},
		{"www.example.com:8443", "www.example.com"},
		{"www.example.com.", "www.example.com"},
		{"a%41b:8443", "aAb"},
		{"192.0.2.7", ""},
		{"192.0.2.7:443", ""},
		{"127.1", ""},
		{"0x7f.0.0.1", ""},
		{"[2001:db8::7]:443", ""},
		{"host-1.example", "host-1.example"},
		{"example.a1", "example.a1"},
	}
	for _, tt := range tests {
		if got := ServerName(tt.origin); got != tt.want {
			t.Errorf("ServerName(%q) = %q; want %q", tt.origin, got, tt.want)
		}
	}
}
