package site

import (
	"net/http"
	"testing"
)

// BenchmarkServeGzip serves a cached, precompressed file.
func BenchmarkServeGzip(b *testing.B) {
	dir, _ := testSite(b)
	s, err := NewServer(dir, "/")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ReportAllocs()
	for b.Loop() {
		if rec := do(s, http.MethodGet, "/web/app.wasm", "Accept-Encoding", "gzip"); rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}

// BenchmarkServeNotModified answers a revalidation with 304.
func BenchmarkServeNotModified(b *testing.B) {
	dir, _ := testSite(b)
	s, err := NewServer(dir, "/")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	etag := do(s, http.MethodGet, "/web/app.wasm", "Accept-Encoding", "gzip").Header().Get("ETag")
	b.ReportAllocs()
	for b.Loop() {
		if rec := do(s, http.MethodGet, "/web/app.wasm", "Accept-Encoding", "gzip", "If-None-Match", etag); rec.Code != http.StatusNotModified {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
