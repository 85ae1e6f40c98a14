package updates

import (
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"math/rand/v2"

	"httpsim/sim/web"
)

// websocketGUID is the GUID a server appends to the client's key (RFC 6455
// §1.3, §4.2.2).
const websocketGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// AcceptKey computes Sec-WebSocket-Accept from Sec-WebSocket-Key: the
// base64 of the SHA-1 of the key followed by the GUID (RFC 6455 §4.2.2,
// item 5.4). SHA-1 here proves the server read the handshake; it protects
// nothing.
func AcceptKey(key string) string {
	sum := sha1.Sum([]byte(key + websocketGUID))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// newKey returns a Sec-WebSocket-Key: 16 random bytes in base64 (RFC 6455
// §4.1, item 7), drawn from the run's seed rather than a real nonce.
func newKey(rng *rand.Rand) string {
	var b [16]byte
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return base64.StdEncoding.EncodeToString(b[:])
}

// checkUpgradeRequest applies the server's checks of RFC 6455 §4.2.1 to a
// parsed opening handshake and returns the client's key.
func checkUpgradeRequest(req *web.Request, http10 bool) (string, error) {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if req.Method != "GET" || http10 {
		bad("opening handshake: %s over %s; want GET over HTTP/1.1 (RFC 6455 §4.2.1 item 1)", req.Method, map[bool]string{true: "HTTP/1.0", false: "HTTP/1.1"}[http10])
	}
	if req.Authority == "" {
		bad("opening handshake: no Host field (RFC 6455 §4.2.1 item 2)")
	}
	if !web.HasToken(req.Header, "upgrade", "websocket") {
		bad("opening handshake: Upgrade %q does not list websocket (RFC 6455 §4.2.1 item 3)", req.Get("upgrade"))
	}
	if !web.HasToken(req.Header, "connection", "upgrade") {
		bad("opening handshake: Connection %q does not list Upgrade (RFC 6455 §4.2.1 item 4)", req.Get("connection"))
	}
	key := req.Get("sec-websocket-key")
	if raw, err := base64.StdEncoding.DecodeString(key); err != nil || len(raw) != 16 {
		bad("opening handshake: Sec-WebSocket-Key %q is not 16 bytes in base64 (RFC 6455 §4.2.1 item 5)", key)
	}
	if v := req.Get("sec-websocket-version"); v != "13" {
		bad("opening handshake: Sec-WebSocket-Version %q; want 13 (RFC 6455 §4.2.1 item 6)", v)
	}
	return key, errors.Join(errs...)
}

// checkUpgradeResponse applies the client's checks of RFC 6455 §4.1 (the
// numbered list on the server's response) to a parsed response.
func checkUpgradeResponse(resp *web.Response, key string) error {
	if resp.Status != 101 {
		return fmt.Errorf("opening handshake: status %d; want 101 (RFC 6455 §4.1)", resp.Status)
	}
	if !web.HasToken(resp.Header, "upgrade", "websocket") {
		return fmt.Errorf("opening handshake: Upgrade %q; want websocket (RFC 6455 §4.1)", resp.Get("upgrade"))
	}
	if !web.HasToken(resp.Header, "connection", "upgrade") {
		return fmt.Errorf("opening handshake: Connection %q; want Upgrade (RFC 6455 §4.1)", resp.Get("connection"))
	}
	if got, want := resp.Get("sec-websocket-accept"), AcceptKey(key); got != want {
		return fmt.Errorf("opening handshake: Sec-WebSocket-Accept %q; want %q (RFC 6455 §4.1)", got, want)
	}
	if ext := resp.Get("sec-websocket-extensions"); ext != "" {
		// The client offers no extension, so any in the answer was not
		// in its handshake (RFC 6455 §4.1, item 5).
		return fmt.Errorf("opening handshake: extension %q was not offered (RFC 6455 §4.1)", ext)
	}
	return nil
}
