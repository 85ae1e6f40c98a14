// Package updates models how a web page receives events that happen on its
// server, the question every course on web protocols asks: short polling,
// long polling (RFC 6202 §2) or a WebSocket (RFC 6455). The page and the
// server sit on the two ends of one keep-alive HTTP/1.1 connection over TCP,
// with TLS unless the run says plain HTTP, on the path the caller built.
//
// The server generates N events at times drawn from the seed (a Poisson
// process) or given as a list. What is measured, per event, is the delivery
// latency: from the server generating the event to the page having all of
// its bytes (the whole JSON answer of a poll, the whole frame of a
// WebSocket message). The run also counts requests, responses, frames and
// the bytes on the wire, split into TCP/IP, TLS, HTTP heads, WebSocket
// framing and payload.
//
// The models, with R the round-trip time and one-way delay R/2:
//
//   - Short polling: a GET every PollInterval on a fixed clock; the server
//     answers at once with the events queued since the last poll (200,
//     JSON) or 204 No Content. An event waits for the next poll to reach
//     the server, then half a round trip: on average PollInterval/2 + R/2.
//   - Long polling: the server holds each GET until an event comes (then
//     answers at once: R/2) or HoldTimeout passes (204); the page sends the
//     next GET as soon as an answer is in. An event that comes while no
//     request is held waits for the next one to arrive: up to 1.5 R, the
//     "three network transits" of RFC 6202 §2.2.
//   - WebSocket: one Upgrade round trip, then every event is a text frame
//     the server writes at once: R/2, plus 2 to 10 bytes of framing (RFC
//     6455 §5.2: 2 up to 125 bytes of payload, 4 up to 65,535, 10 above)
//     instead of a few hundred bytes of HTTP head per event. Once the last event
//     is in, the page closes the WebSocket (RFC 6455 §7.1.2): a masked
//     Close frame with status 1000, normal closure; the server answers
//     with a Close echoing it, stops pinging and closes the TCP connection
//     first (§7.1.1); the page closes its side when the server's FIN
//     reaches it. The run ends when the page's FIN is acknowledged, two
//     round trips after the last event without loss; its completion, and
//     every latency, is still the last event's arrival.
//
// Under loss the three share TCP's in-order delivery: an event whose bytes
// arrived after a lost segment waits for its retransmission (head-of-line
// blocking, reported per event and as trace.HOLBlocked events).
//
// Trace events, for the UI: FrameCreated and FrameParsed named "request",
// "response" (Stream: the request's number on the connection, Raw: the
// head as sent), "ws_upgrade" (the opening handshake's two heads),
// "ws_frame" (Stream: the event a frame carries or acknowledges, or -1;
// Raw: the frame header, and for a Close frame its body, the status code,
// as on the wire; Value: the opcode: "text", "ping", "pong", "close"),
// and "event": FrameCreated on
// the server when it generates event Stream, FrameParsed on the client when
// the page has all of it (Arrived: when it was generated, so At-Arrived is
// its latency).
package updates
