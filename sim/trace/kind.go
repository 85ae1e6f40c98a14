package trace

// Kind says what an event records. Its String is the qlog event name where
// qlog has one ("category:event"), and an "httpsim:" name otherwise.
type Kind uint8

const (
	// PacketSent: Side sent packet PN of Size bytes carrying payload
	// [Seq, Seq+Len) and acknowledgement Ack. Flags carry TCP flags and
	// FlagRetransmit.
	PacketSent Kind = iota
	// PacketReceived: Side received packet PN (fields as PacketSent).
	PacketReceived
	// PacketDropped: the network dropped packet PN. Name is the reason
	// ("loss", "burst", "scripted", "queue_full", "outage"); Value names the
	// link ("up" or "down"). The other fields are those of the PacketSent.
	PacketDropped
	// PacketLost: Side's loss detection declared packet PN lost. Name is the
	// trigger ("dupack", "sack", "rto", "time_threshold", "pto", ...).
	PacketLost
	// MetricsUpdated: Side's congestion and RTT state after a change: Cwnd,
	// Ssthresh, InFlight, RTT, SRTT, RTTVar, MinRTT.
	MetricsUpdated
	// CongestionStateUpdated: Name is the new state ("slow_start",
	// "congestion_avoidance", "recovery", "application_limited").
	CongestionStateUpdated
	// LossTimerUpdated: a retransmission timer expired. Name is the timer
	// ("rto", "pto", "persist", "sws_override": TCP's silly window
	// avoidance override); RTT holds the timeout that expired; Len the
	// number of back-offs so far.
	LossTimerUpdated
	// DataMoved: bytes [Seq, Seq+Len) of Stream were handed to the
	// application at At, having reached the transport at Arrived.
	DataMoved
	// ConnectionStateUpdated: Name is the new state ("syn_sent",
	// "established", "handshake_complete", "closed", "migrated", ...).
	ConnectionStateUpdated

	// RecordCreated: Side wrote a TLS record of Len bytes on the wire
	// (header, payload and tag) at byte Seq of its TCP stream. Name is the
	// content type ("handshake", "application_data", "change_cipher_spec");
	// Value lists the handshake messages it carries.
	RecordCreated
	// RecordParsed: Side's TLS layer received a whole record (fields as
	// RecordCreated); only now can its contents be used.
	RecordParsed

	// HOLBlocked: Len bytes of Stream on Conn were held back from the
	// application from Arrived to At. Name is the cause: "http" (an
	// HTTP/1.1 pipelined response waiting behind an earlier one),
	// "transport" (waiting for a lost packet that carried another stream's
	// bytes, or for one of no stream's bytes: cross-stream head-of-line
	// blocking), "loss" (waiting for this stream's own retransmission),
	// "qpack" (waiting for a QPACK encoder stream update), "handshake"
	// (QUIC data that arrived before the keys to read it). Value names the
	// blocking stream(s) for "transport", if any.
	HOLBlocked
	// ResourceUpdated: page resource Res changed state. Name is the new
	// state ("discovered", "cache_hit", "request_sent", "headers", "done",
	// "failed", "retry"); Conn and Stream say where it travels; Value is
	// its URL; Len its status code for "headers", its bytes for "done".
	ResourceUpdated
	// FrameCreated and FrameParsed: an HTTP/2 or HTTP/3 frame (or an
	// HTTP/1.x message head) written or parsed on Stream. Name is the
	// frame type; Len its length; Raw its header and, except for DATA,
	// its payload.
	FrameCreated
	FrameParsed

	// numKinds counts the kinds; keep it last.
	numKinds
)

var kindNames = [numKinds]string{
	PacketSent:             "transport:packet_sent",
	PacketReceived:         "transport:packet_received",
	PacketDropped:          "transport:packet_dropped",
	PacketLost:             "recovery:packet_lost",
	MetricsUpdated:         "recovery:metrics_updated",
	CongestionStateUpdated: "recovery:congestion_state_updated",
	LossTimerUpdated:       "recovery:loss_timer_updated",
	DataMoved:              "transport:data_moved",
	ConnectionStateUpdated: "transport:connection_state_updated",
	RecordCreated:          "tls:record_created",
	RecordParsed:           "tls:record_parsed",
	HOLBlocked:             "httpsim:hol_blocked",
	ResourceUpdated:        "httpsim:resource_updated",
	FrameCreated:           "http:frame_created",
	FrameParsed:            "http:frame_parsed",
}

// String returns the event's qlog name.
func (k Kind) String() string {
	if k < numKinds {
		return kindNames[k]
	}
	return "httpsim:unknown"
}

// NumKinds is the number of defined kinds; kinds are 0..NumKinds-1.
const NumKinds = int(numKinds)
