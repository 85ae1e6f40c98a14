package web

import "testing"

// A request an intermediary makes after a redirect drops the fields that
// described the body it no longer sends (RFC 9110 §15.4), also a POST's
// "Content-Length: 0", which went along with the GET.
func TestRedirectedRequest(t *testing.T) {
	tests := []struct {
		status     int
		method     string
		body       int64
		wantMethod string
		wantFields int // of the request's three
	}{
		{301, "POST", 100, "GET", 1},
		{302, "POST", 0, "GET", 1},
		{303, "PUT", 100, "GET", 1},
		{307, "POST", 100, "POST", 3},
		{308, "POST", 0, "POST", 3},
		{303, "HEAD", 0, "HEAD", 3},
	}
	for _, tt := range tests {
		req := &Request{Method: tt.method, Path: "/form", Body: tt.body, Header: []Field{
			{"accept", "*/*"}, {"content-type", "application/x-www-form-urlencoded"}, {"content-length", "100"}}}
		next := req.redirected(tt.status, "/done")
		if next.Method != tt.wantMethod || len(next.Header) != tt.wantFields || next.Path != "/done" {
			t.Errorf("%s with %d body bytes after %d = %s %s with %v; want %s with %d fields", tt.method, tt.body, tt.status, next.Method, next.Path, next.Header, tt.wantMethod, tt.wantFields)
		}
	}
}
