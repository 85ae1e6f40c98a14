package quic

import (
	"fmt"
	"time"

	"httpsim/sim/quic/wire"
)

// Config holds one endpoint's QUIC parameters. Both ends of a connection are
// normally built from the same Config; the flow-control and stream limits
// are what this endpoint grants its peer (its transport parameters, RFC 9000
// §18.2).
type Config struct {
	// MaxDatagramSize is the largest UDP payload sent once the handshake is
	// confirmed (default 1350, Chrome's and Cloudflare's choice, which fits
	// common tunnels). Until then every datagram is at most 1200 bytes, the
	// size every path must carry (RFC 9000 §14); the model assumes path MTU
	// discovery (RFC 9000 §14.3) has validated the larger size by the time
	// the handshake is confirmed. Congestion control counts in units of it.
	MaxDatagramSize int `json:"max_datagram_size"`
	// ConnIDLen is the length of the connection IDs this endpoint issues
	// (default 8 bytes, as quic-go and Chrome use; RFC 9000 §5.1).
	ConnIDLen int `json:"conn_id_len"`

	// InitialMaxData is the connection-level flow-control limit granted to
	// the peer (initial_max_data; default 15 MiB, Chrome's value).
	InitialMaxData int64 `json:"initial_max_data"`
	// InitialMaxStreamDataBidiLocal, ...BidiRemote and ...Uni are the
	// per-stream limits for bidirectional streams this endpoint opened,
	// bidirectional streams the peer opened, and the peer's unidirectional
	// streams (initial_max_stream_data_*; default 6 MiB each, Chrome's).
	InitialMaxStreamDataBidiLocal  int64 `json:"initial_max_stream_data_bidi_local"`
	InitialMaxStreamDataBidiRemote int64 `json:"initial_max_stream_data_bidi_remote"`
	InitialMaxStreamDataUni        int64 `json:"initial_max_stream_data_uni"`
	// InitialMaxStreamsBidi and InitialMaxStreamsUni limit how many
	// streams the peer may open (initial_max_streams_*; default 100 each).
	// The limit is raised by MAX_STREAMS as the peer's streams close.
	InitialMaxStreamsBidi int64 `json:"initial_max_streams_bidi"`
	InitialMaxStreamsUni  int64 `json:"initial_max_streams_uni"`

	// MaxAckDelay is the longest this endpoint delays an acknowledgement
	// (max_ack_delay; default 25 ms, RFC 9000 §18.2 and §13.2.1).
	MaxAckDelay time.Duration `json:"max_ack_delay"`
	// AckElicitingThreshold is the number of ack-eliciting packets received
	// before an acknowledgement is sent at once (default 2, RFC 9000
	// §13.2.2: "after receiving at least two ack-eliciting packets").
	AckElicitingThreshold int `json:"ack_eliciting_threshold"`

	// InitialRTT is kInitialRtt, the RTT assumed before a sample (RFC 9002
	// §6.2.2: 333 ms, which makes the first PTO 999 ms).
	InitialRTT time.Duration `json:"initial_rtt"`
	// PacketThreshold is kPacketThreshold (RFC 9002 §6.1.1: 3).
	PacketThreshold int `json:"packet_threshold"`
	// Granularity is kGranularity, the timer granularity (RFC 9002 §6.1.2:
	// 1 ms).
	Granularity time.Duration `json:"granularity"`
	// PTOProbes is the number of ack-eliciting packets sent when the PTO
	// expires (RFC 9002 §6.2.4: at least one, at most two; default 2).
	PTOProbes int `json:"pto_probes"`
	// PersistentCongestionThreshold is kPersistentCongestionThreshold
	// (RFC 9002 §7.6.1: 3).
	PersistentCongestionThreshold int `json:"persistent_congestion_threshold"`

	// CertChain is the size in bytes of the server's certificate chain
	// (default 2500: an ECDSA leaf and intermediate). The server's first
	// flight must fit within three times the client's first datagram until
	// the client's address is validated (RFC 9000 §8.1); with 1200-byte
	// client Initials that is 3600 bytes, and a chain much above 2800 bytes
	// (such as the 4000-byte RSA chain of the TLS model) makes the server
	// wait a round trip for more client bytes.
	CertChain int `json:"cert_chain"`
	// Resume resumes an earlier session (no certificate is sent).
	Resume bool `json:"resume"`
	// EarlyData sends the client's first requests in 0-RTT packets (RFC
	// 9001 §4.6); it needs Resume. The server accepts them, unless
	// RejectEarlyData.
	EarlyData bool `json:"early_data"`
	// RejectEarlyData makes the server reject 0-RTT (RFC 9001 §4.6.2):
	// it discards the 0-RTT packets unprocessed and unacknowledged, and
	// the client sends all of that data again in 1-RTT packets. It needs
	// EarlyData.
	RejectEarlyData bool `json:"reject_early_data"`

	// IdleTimeout closes the connection silently when nothing has arrived
	// from the peer for this long (max_idle_timeout, RFC 9000 §10.1;
	// default 30 s, quic-go's and Chrome's). The effective timeout is at
	// least three times the PTO. 0 disables it.
	IdleTimeout time.Duration `json:"idle_timeout"`

	// Scheduler chooses the stream whose data goes into the next packet:
	// "sequential", "round_robin" or "urgency" (RFC 9218; the default).
	Scheduler string `json:"scheduler"`
}

// DefaultConfig returns the defaults documented on Config's fields.
func DefaultConfig() Config {
	return Config{
		MaxDatagramSize:                1350,
		ConnIDLen:                      8,
		InitialMaxData:                 15 << 20,
		InitialMaxStreamDataBidiLocal:  6 << 20,
		InitialMaxStreamDataBidiRemote: 6 << 20,
		InitialMaxStreamDataUni:        6 << 20,
		InitialMaxStreamsBidi:          100,
		InitialMaxStreamsUni:           100,
		MaxAckDelay:                    25 * time.Millisecond,
		AckElicitingThreshold:          2,
		InitialRTT:                     333 * time.Millisecond,
		PacketThreshold:                3,
		Granularity:                    time.Millisecond,
		PTOProbes:                      2,
		PersistentCongestionThreshold:  3,
		CertChain:                      2500,
		IdleTimeout:                    30 * time.Second,
		Scheduler:                      SchedulerUrgency,
	}
}

// Validate checks every field and names the first one out of range.
func (c Config) Validate() error {
	switch {
	case c.MaxDatagramSize < wire.MinInitialDatagramSize || c.MaxDatagramSize > 65527:
		return fmt.Errorf("max_datagram_size: %d is out of range (1200 to 65527 bytes, RFC 9000 §14, §18.2)", c.MaxDatagramSize)
	case c.ConnIDLen < 1 || c.ConnIDLen > wire.MaxConnectionIDLen:
		return fmt.Errorf("conn_id_len: %d is out of range (1 to 20 bytes, RFC 9000 §17.2)", c.ConnIDLen)
	case c.InitialMaxData < 0 || c.InitialMaxData > wire.MaxVarint:
		return fmt.Errorf("initial_max_data: %d is out of range", c.InitialMaxData)
	case c.InitialMaxStreamDataBidiLocal < 0 || c.InitialMaxStreamDataBidiLocal > wire.MaxVarint:
		return fmt.Errorf("initial_max_stream_data_bidi_local: %d is out of range", c.InitialMaxStreamDataBidiLocal)
	case c.InitialMaxStreamDataBidiRemote < 0 || c.InitialMaxStreamDataBidiRemote > wire.MaxVarint:
		return fmt.Errorf("initial_max_stream_data_bidi_remote: %d is out of range", c.InitialMaxStreamDataBidiRemote)
	case c.InitialMaxStreamDataUni < 0 || c.InitialMaxStreamDataUni > wire.MaxVarint:
		return fmt.Errorf("initial_max_stream_data_uni: %d is out of range", c.InitialMaxStreamDataUni)
	case c.InitialMaxStreamsBidi < 0 || c.InitialMaxStreamsBidi > wire.MaxStreamCount:
		return fmt.Errorf("initial_max_streams_bidi: %d is out of range (0 to 2^60)", c.InitialMaxStreamsBidi)
	case c.InitialMaxStreamsUni < 0 || c.InitialMaxStreamsUni > wire.MaxStreamCount:
		return fmt.Errorf("initial_max_streams_uni: %d is out of range (0 to 2^60)", c.InitialMaxStreamsUni)
	case c.MaxAckDelay < time.Millisecond || c.MaxAckDelay > wire.MaxMaxAckDelay || c.MaxAckDelay%time.Millisecond != 0:
		return fmt.Errorf("max_ack_delay: %v is out of range (whole milliseconds, 1ms to 16383ms, RFC 9000 §18.2)", c.MaxAckDelay)
	case c.AckElicitingThreshold < 1 || c.AckElicitingThreshold > 100:
		return fmt.Errorf("ack_eliciting_threshold: %d is out of range (1 to 100)", c.AckElicitingThreshold)
	case c.InitialRTT < time.Millisecond || c.InitialRTT > 10*time.Second:
		return fmt.Errorf("initial_rtt: %v is out of range (1ms to 10s)", c.InitialRTT)
	case c.PacketThreshold < 1 || c.PacketThreshold > 100:
		return fmt.Errorf("packet_threshold: %d is out of range (1 to 100)", c.PacketThreshold)
	case c.Granularity < 0 || c.Granularity > time.Second:
		return fmt.Errorf("granularity: %v is out of range (0 to 1s)", c.Granularity)
	case c.PTOProbes < 1 || c.PTOProbes > 2:
		return fmt.Errorf("pto_probes: %d is out of range (1 or 2, RFC 9002 §6.2.4)", c.PTOProbes)
	case c.PersistentCongestionThreshold < 1 || c.PersistentCongestionThreshold > 100:
		return fmt.Errorf("persistent_congestion_threshold: %d is out of range (1 to 100)", c.PersistentCongestionThreshold)
	case c.CertChain < 100 || c.CertChain > 1<<20:
		return fmt.Errorf("cert_chain: %d is out of range (100 bytes to 1MiB)", c.CertChain)
	case c.IdleTimeout < 0 || c.IdleTimeout > time.Hour || c.IdleTimeout%time.Millisecond != 0:
		return fmt.Errorf("idle_timeout: %v is out of range (whole milliseconds, 0 to 1h)", c.IdleTimeout)
	case c.EarlyData && !c.Resume:
		return fmt.Errorf("early_data: 0-RTT needs a resumed session (RFC 9001 §4.6)")
	case c.RejectEarlyData && !c.EarlyData:
		return fmt.Errorf("reject_early_data: a server can reject 0-RTT only if the client sends it: needs early_data (RFC 9001 §4.6.2)")
	}
	if _, err := NewScheduler(c.Scheduler); err != nil {
		return fmt.Errorf("scheduler: %v", err)
	}
	return nil
}

// transportParameters returns what this endpoint declares to its peer.
func (c Config) transportParameters() wire.TransportParameters {
	p := wire.DefaultTransportParameters()
	p.MaxIdleTimeout = c.IdleTimeout
	p.MaxUDPPayloadSize = uint64(c.MaxDatagramSize)
	p.InitialMaxData = uint64(c.InitialMaxData)
	p.InitialMaxStreamDataBidiLocal = uint64(c.InitialMaxStreamDataBidiLocal)
	p.InitialMaxStreamDataBidiRemote = uint64(c.InitialMaxStreamDataBidiRemote)
	p.InitialMaxStreamDataUni = uint64(c.InitialMaxStreamDataUni)
	p.InitialMaxStreamsBidi = uint64(c.InitialMaxStreamsBidi)
	p.InitialMaxStreamsUni = uint64(c.InitialMaxStreamsUni)
	p.MaxAckDelay = c.MaxAckDelay
	p.ActiveConnectionIDLimit = 4
	return p
}
