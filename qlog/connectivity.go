package qlog

import "httpsim/sim/trace"

// This file maps connection states to connectivity:connection_state_updated
// and connectivity:connection_closed (draft-ietf-quic-qlog-quic-events-02
// §3.1.7, §3.1.3).

// connectionStateUpdated is §3.1.7's ConnectivityConnectionStateUpdated.
type connectionStateUpdated struct {
	Old string `json:"old,omitempty"`
	New string `json:"new"`
}

// connectionClosed is §3.1.3's ConnectivityConnectionClosed.
type connectionClosed struct {
	Owner   string `json:"owner"`
	Trigger string `json:"trigger"`
}

// quicStates maps the QUIC states the simulator traces to §3.1.7's
// ConnectionState. "early_data_sent", "early_data_accepted",
// "early_data_rejected", "migrated" and
// "path_validated" have no ConnectionState (§3.1.8 leaves migration to be
// inferred from PATH_CHALLENGE and PATH_RESPONSE frames) and are not
// written.
var quicStates = map[string]string{
	"handshake_started":   "handshake_started",
	"handshake_complete":  "handshake_complete",
	"handshake_confirmed": "handshake_confirmed",
	"closed":              "closed",
	"idle_timeout":        "closed",
}

// quicState returns the events a QUIC ConnectionStateUpdated event maps
// to, given the connection's previous state.
func quicState(e *trace.Event, old string) (state string, events []named) {
	s, ok := quicStates[e.Name]
	if !ok {
		return old, nil
	}
	events = append(events, named{"connectivity:connection_state_updated", connectionStateUpdated{Old: old, New: s}})
	if e.Name == "idle_timeout" {
		// §3.1.3: a close by timeout is hard to see from frames alone.
		events = append(events, named{"connectivity:connection_closed", connectionClosed{Owner: "local", Trigger: "idle_timeout"}})
	}
	return s, events
}

// tcpState returns the event a TCP or TLS ConnectionStateUpdated event maps
// to. TCP's states (RFC 9293 §3.3.2: "syn_sent", "established", ...) and
// TLS's "handshake_complete" are written under their own names: qvis's TCP
// dialect has no state event of its own, and §3.1.7's values are QUIC's.
func tcpState(e *trace.Event, old string) (string, []named) {
	return e.Name, []named{{"connectivity:connection_state_updated", connectionStateUpdated{Old: old, New: e.Name}}}
}
