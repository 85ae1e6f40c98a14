package web

// redirectedMethod is the method and body of the request a user agent makes
// for the target of a redirect with status, after a request with method
// and body (RFC 9110 §15.4):
//   - 307 and 308 keep both (§15.4.8, §15.4.9);
//   - 303 asks for the result with GET, or HEAD after a HEAD (§15.4.4);
//   - 301 and 302 may turn POST into GET "for historical reasons"
//     (§15.4.2, §15.4.3), and browsers do (the Fetch standard's HTTP-
//     redirect fetch); other methods are kept.
func redirectedMethod(status int, method string, body int64) (string, int64) {
	switch {
	case status == 303 && method != "HEAD",
		(status == 301 || status == 302) && method == "POST":
		return "GET", 0
	}
	return method, body
}

// isRedirectStatus reports whether a response with status sends the client
// on to its Location (RFC 9110 §15.4; 300 and 304 do not).
func isRedirectStatus(status int) bool {
	switch status {
	case 301, 302, 303, 307, 308:
		return true
	}
	return false
}

// redirected is the request an intermediary following a redirect with
// status to path makes after req: the method redirectedMethod gives, and
// without the fields that described a body it no longer sends (RFC 9110
// §15.4: "remove content-specific header fields").
func (req *Request) redirected(status int, path string) *Request {
	next := *req
	next.Path = path
	next.Method, next.Body = redirectedMethod(status, req.Method, req.Body)
	if next.Method != req.Method || next.Body != req.Body {
		next.Header = make([]Field, 0, len(req.Header))
		for _, f := range req.Header {
			if f.Name != "content-length" && f.Name != "content-type" {
				next.Header = append(next.Header, f)
			}
		}
	}
	return &next
}
