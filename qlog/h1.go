package qlog

import (
	"errors"
	"strings"

	"httpsim/sim/trace"
)

// HTTP/1.x has no frames, and neither the qlog drafts nor qvis's TCP dialect
// have an event for its messages. An HTTP/1.x run's message heads are
// written as http1:message_created and http1:message_parsed, this
// exporter's own category (main schema -02 lets a log add categories; qvis
// lists events it does not know without drawing them).

// h1MessageEvent is a request or response head: stream_id is the message's
// number on its connection, length the bytes it takes on the wire (head and
// body for a message written, the head for one parsed), and the head's
// start line and fields as text.
type h1MessageEvent struct {
	StreamID  int64       `json:"stream_id"`
	Message   string      `json:"message"`
	Length    int64       `json:"length"`
	StartLine string      `json:"start_line"`
	Headers   []httpField `json:"headers"`
}

// h1Message parses the head the event holds (RFC 9112 §2.1: start-line,
// field lines, each ending in CRLF, then an empty line).
func h1Message(e *trace.Event) (h1MessageEvent, error) {
	head := strings.TrimSuffix(string(e.Raw), "\r\n\r\n")
	lines := strings.Split(head, "\r\n")
	if len(lines) == 0 || lines[0] == "" {
		return h1MessageEvent{}, errors.New("HTTP/1.x message head without a start line")
	}
	m := h1MessageEvent{StreamID: e.Stream, Message: e.Name, Length: e.Len, StartLine: lines[0], Headers: []httpField{}}
	for _, l := range lines[1:] {
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			return h1MessageEvent{}, errors.New("HTTP/1.x field line without a colon: " + l)
		}
		m.Headers = append(m.Headers, httpField{Name: name, Value: strings.TrimSpace(value)})
	}
	return m, nil
}
