package tls

import (
	"crypto/x509"
	"strings"
	"testing"
	"time"
)

// certificatesIn reads a Certificate body's list (RFC 5246 §7.4.2, RFC
// 8446 §4.4.2) and returns its entries' certificate bytes.
func certificatesIn(t *testing.T, b []byte, tls13 bool) [][]byte {
	t.Helper()
	get24 := func(b []byte) int { return int(b[0])<<16 | int(b[1])<<8 | int(b[2]) }
	head := 3
	if tls13 {
		if b[0] != 0 {
			t.Fatalf("certificate_request_context length %d; want 0", b[0])
		}
		head = 4
	}
	if n := get24(b[head-3:]); n != len(b)-head {
		t.Fatalf("certificate_list length %d; want the rest of the body, %d", n, len(b)-head)
	}
	var certs [][]byte
	for l := b[head:]; len(l) > 0; {
		n := get24(l)
		if 3+n > len(l) {
			t.Fatalf("an entry of %d bytes overruns the list's %d", n, len(l)-3)
		}
		certs = append(certs, l[3:3+n])
		l = l[3+n:]
		if tls13 {
			if len(l) < 2 || l[0] != 0 || l[1] != 0 {
				t.Fatalf("an entry's extensions are not empty")
			}
			l = l[2:]
		}
	}
	return certs
}

// The chain is a leaf for the server's name and the intermediate that
// issued it, both well-formed X.509 (crypto/x509 parses them), filling the
// message exactly whatever its size; below two certificates' room, one,
// and below one's, an entry of zeros.
func TestCertificateChain(t *testing.T) {
	const host = "photos.example.com"
	for _, tls13 := range []bool{false, true} {
		for _, chain := range []int{100, 500, 699, 900, 1200, 1413, 1414, 1500, 2500, 2890, 4000, 4001, 10007, 65000, 70000, 1 << 20} {
			body := make([]byte, chain+certificateOverhead)
			certificateMessage(body, tls13, host)
			certs := certificatesIn(t, body, tls13)
			var parsed []*x509.Certificate
			for i, der := range certs {
				c, err := x509.ParseCertificate(der)
				if err != nil {
					if chain < 2*testMinCert && len(certs) == 1 {
						break // too small for a certificate: zeros
					}
					t.Fatalf("chain %d (TLS 1.3 %v): certificate %d: %v", chain, tls13, i, err)
				}
				parsed = append(parsed, c)
			}
			switch {
			case len(parsed) == 2:
				leaf, ca := parsed[0], parsed[1]
				if len(leaf.DNSNames) != 1 || leaf.DNSNames[0] != host || leaf.Subject.CommonName != host || leaf.IsCA {
					t.Errorf("chain %d: leaf for %v (CN %q, CA %v); want %s", chain, leaf.DNSNames, leaf.Subject.CommonName, leaf.IsCA, host)
				}
				if leaf.Issuer.String() != ca.Subject.String() || !ca.IsCA || !ca.BasicConstraintsValid {
					t.Errorf("chain %d: leaf issued by %q; intermediate %q, CA %v", chain, leaf.Issuer, ca.Subject, ca.IsCA)
				}
				epoch := time.Date(2026, time.November, 26, 9, 0, 0, 0, time.UTC) // sim/web's
				for _, c := range parsed {
					if epoch.Before(c.NotBefore) || epoch.After(c.NotAfter) || c.SignatureAlgorithm != x509.SHA256WithRSA || c.PublicKeyAlgorithm != x509.RSA {
						t.Errorf("chain %d: %q valid %v to %v, %v, %v", chain, c.Subject, c.NotBefore, c.NotAfter, c.SignatureAlgorithm, c.PublicKeyAlgorithm)
					}
				}
				if leaf.SerialNumber.Cmp(ca.SerialNumber) == 0 {
					t.Errorf("chain %d: both serial numbers %v", chain, leaf.SerialNumber)
				}
			case len(parsed) == 1 && chain < 2*testMinCert:
			case len(parsed) == 0 && chain < testMinCert:
			default:
				t.Errorf("chain %d (TLS 1.3 %v): %d entries, %d certificates", chain, tls13, len(certs), len(parsed))
			}
		}
	}
}

// Every size a Config allows gives a chain that fills its message: no
// length is left unreached by a DER length growing a byte.
func TestCertificateChainEverySize(t *testing.T) {
	for chain := 100; chain <= 5000; chain++ {
		body := make([]byte, chain+certificateOverhead)
		host := "a.example"
		if chain%2 == 1 {
			host = "" // a leaf without a name, and at its smallest without extensions
		}
		certificateMessage(body, false, host)
		certs := certificatesIn(t, body, false)
		if chain >= 2*testMinCert+8 && len(certs) != 2 {
			t.Fatalf("chain %d: %d certificates; want 2", chain, len(certs))
		}
		for _, der := range certs {
			if chain >= testMinCert+8 {
				if _, err := x509.ParseCertificate(der); err != nil {
					t.Fatalf("chain %d: %v", chain, err)
				}
			}
		}
	}
}

// Writing a chain allocates nothing: every connection writes one.
func TestCertificateChainAllocatesNothing(t *testing.T) {
	body := make([]byte, 4000+certificateOverhead)
	if n := testing.AllocsPerRun(20, func() { certificateMessage(body, true, "photos.example.com") }); n != 0 {
		t.Errorf("certificateMessage allocates %v times; want 0", n)
	}
}

// testMinCert is above the size of either certificate with a byte of filler.
const testMinCert = 880

// The leaf names what the browser asked for as it goes on the wire: a
// name beyond ASCII as its A-labels; with no name (an IP literal's origin,
// or one that is none), a leaf without a subjectAltName. Each parses.
func TestCertificateNames(t *testing.T) {
	tests := []struct{ origin, cn, dns string }{
		{"café.example", "xn--caf-dma.example", "xn--caf-dma.example"},
		{"", unnamedServer, ""},
		{"\xff.example", unnamedServer, ""},
		{strings.Repeat("a", 5000) + ".example", unnamedServer, ""},
	}
	for _, tt := range tests {
		var c Conn
		c.Hello(tt.origin, "h2")
		for _, tls13 := range []bool{false, true} {
			body := make([]byte, 4000+certificateOverhead)
			certificateMessage(body, tls13, c.serverName)
			certs := certificatesIn(t, body, tls13)
			leaf, err := x509.ParseCertificate(certs[0])
			if err != nil {
				t.Fatalf("origin %.40q: %v", tt.origin, err)
			}
			var dns string
			if len(leaf.DNSNames) > 0 {
				dns = leaf.DNSNames[0]
			}
			if leaf.Subject.CommonName != tt.cn || dns != tt.dns || len(leaf.DNSNames) > 1 {
				t.Errorf("origin %.40q: leaf CN %q, DNS names %q; want %q, %q", tt.origin, leaf.Subject.CommonName, leaf.DNSNames, tt.cn, tt.dns)
			}
		}
	}
}
