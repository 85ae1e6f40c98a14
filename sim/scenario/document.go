package scenario

// Document is the scenario file format (docs/scenarios.md): versioned JSON
// that people write, share and import. Quantities are strings with units
// ("100ms", "10Mbps", "30KB", "2%"), as on the command line. A field left
// out takes the default of the workload's built-in scenario; Encode writes
// every field, so an exported file says exactly what it runs.
type Document struct {
	// Version is the format version; this program reads version 1.
	Version     int               `json:"version"`
	Name        string            `json:"name,omitempty"`
	Title       *Text             `json:"title,omitempty"`
	Explanation *Text             `json:"explanation,omitempty"`
	Seed        *uint64           `json:"seed,omitempty"`
	Network     *NetworkDocument  `json:"network,omitempty"`
	TCP         *TCPDocument      `json:"tcp,omitempty"`
	TLS         *TLSDocument      `json:"tls,omitempty"`
	Protocols   []string          `json:"protocols,omitempty"`
	H1          *H1Document       `json:"h1,omitempty"`
	H2          *H2Document       `json:"h2,omitempty"`
	H3          *H3Document       `json:"h3,omitempty"`
	QUIC        *QUICDocument     `json:"quic,omitempty"`
	Workload    *WorkloadDocument `json:"workload"`
	Controls    []Control         `json:"controls,omitempty"`
	OpensAt     *string           `json:"opens_at,omitempty" doc:"\"end\", \"held\" or a duration such as \"600ms\""`
	Variants    []VariantDocument `json:"variants,omitempty"`
	Limits      *LimitsDocument   `json:"limits,omitempty"`
}

// VariantDocument is one of several versions of a scenario shown side by
// side: the base document with Patch applied as an RFC 7386 JSON merge patch
// (objects merge, null removes, anything else replaces).
type VariantDocument struct {
	Name  string `json:"name"`
	Label *Text  `json:"label,omitempty"`
	Patch any    `json:"patch"`
}

// FormatVersion is the newest document version this program understands.
const FormatVersion = 1

// Text is a sentence or paragraph in English and Simplified Chinese.
type Text struct {
	EN string `json:"en,omitempty"`
	ZH string `json:"zh,omitempty"`
}

// In returns the text in lang ("en" or "zh"), falling back to English.
func (t Text) In(lang string) string {
	if lang == "zh" && t.ZH != "" {
		return t.ZH
	}
	return t.EN
}

// NetworkDocument is the path between client and server.
type NetworkDocument struct {
	RTT          *string       `json:"rtt,omitempty" doc:"a duration such as \"100ms\""`    // e.g. "100ms"
	Bandwidth    *string       `json:"bandwidth,omitempty" doc:"a rate such as \"10Mbps\""` // e.g. "10Mbps"
	Queue        *string       `json:"queue,omitempty" doc:"a size such as \"64KB\""`       // e.g. "64KB"; "0" for one BDP
	Down         *LinkDocument `json:"down,omitempty"`                                      // server to client
	Up           *LinkDocument `json:"up,omitempty"`                                        // client to server
	Edge         *EdgeDocument `json:"edge,omitempty"`                                      // an intermediary in front of the origin
	ServerResets []string      `json:"server_resets,omitempty"`                             // e.g. ["1.2s"]
	// PathChanges move the client to another network (Wi-Fi to cellular).
	PathChanges []PathChangeDocument `json:"path_changes,omitempty"`
}

// PathChangeDocument is the client's path changing at At; fields left out
// keep the previous path's values.
type PathChangeDocument struct {
	At        string        `json:"at" doc:"a duration such as \"2s\""`
	RTT       *string       `json:"rtt,omitempty" doc:"a duration such as \"60ms\""`
	Bandwidth *string       `json:"bandwidth,omitempty" doc:"a rate such as \"5Mbps\""`
	Down      *LinkDocument `json:"down,omitempty"`
	Up        *LinkDocument `json:"up,omitempty"`
}

// EdgeDocument puts a CDN edge or reverse proxy between browser and origin;
// network.rtt and network.bandwidth then describe the browser–edge path.
type EdgeDocument struct {
	RTT             *string       `json:"rtt,omitempty" doc:"a duration such as \"120ms\""`
	Bandwidth       *string       `json:"bandwidth,omitempty" doc:"a rate such as \"1Gbps\""`
	Loss            *LossDocument `json:"loss,omitempty"`
	Protocol        *string       `json:"protocol,omitempty"` // h1 or h2, to the origin
	Cache           *bool         `json:"cache,omitempty"`
	Warm            *bool         `json:"warm,omitempty"`
	FollowRedirects *bool         `json:"follow_redirects,omitempty"`
	// Bypass: the browser goes straight to the origin, as far away as the
	// edge's origin is (see EdgeNetwork.Bypass).
	Bypass *bool `json:"bypass,omitempty"`
}

// LinkDocument is what goes wrong on one direction.
type LinkDocument struct {
	Loss    *LossDocument    `json:"loss,omitempty"`
	Drop    []int            `json:"drop,omitempty"`
	Outages []OutageDocument `json:"outages,omitempty"`
}

// LossDocument is a random loss process.
type LossDocument struct {
	Model     string   `json:"model"`                                            // none, bernoulli, burst
	Rate      *string  `json:"rate,omitempty" doc:"a percentage such as \"2%\""` // e.g. "2%"
	MeanBurst *float64 `json:"mean_burst,omitempty"`                             // packets
	DataOnly  *bool    `json:"data_only,omitempty"`
}

// OutageDocument is a window in which a direction is down.
type OutageDocument struct {
	From string `json:"from" doc:"a duration such as \"1s\""`
	To   string `json:"to" doc:"a duration such as \"3s\""`
}

// TCPDocument overrides TCP's defaults.
type TCPDocument struct {
	MSS             *int    `json:"mss,omitempty"`
	InitialWindow   *int    `json:"initial_window,omitempty"`
	SACK            *bool   `json:"sack,omitempty"`
	DelayedAck      *bool   `json:"delayed_ack,omitempty"`
	DelayedAckTime  *string `json:"delayed_ack_timeout,omitempty" doc:"a duration such as \"40ms\""`
	MinRTO          *string `json:"min_rto,omitempty" doc:"a duration such as \"200ms\""`
	InitialRTO      *string `json:"initial_rto,omitempty" doc:"a duration such as \"1s\""`
	RecvBuffer      *string `json:"recv_buffer,omitempty" doc:"a size such as \"4MB\""`
	LimitedTransmit *bool   `json:"limited_transmit,omitempty"`
}

// TLSDocument overrides TLS's defaults.
type TLSDocument struct {
	Version   *string `json:"version,omitempty"` // none, 1.2, 1.3
	CertChain *string `json:"cert_chain,omitempty" doc:"a size such as \"4KB\""`
	Resume    *bool   `json:"resume,omitempty"`
	EarlyData *bool   `json:"early_data,omitempty"`
	// RejectEarlyData: the server rejects the 0-RTT data (RFC 8446
	// §4.2.10, RFC 9001 §4.6.2); needs early_data.
	RejectEarlyData *bool `json:"reject_early_data,omitempty"`
	// MaxRecord: the largest plaintext the server seals in one record
	// (RFC 8446 §5.1, RFC 5246 §6.2.1: at most 2^14 bytes).
	MaxRecord *string `json:"max_record,omitempty" doc:"a size such as \"16KiB\""`
}

// H1Document overrides HTTP/1.x's defaults.
type H1Document struct {
	MaxConns    *int  `json:"max_conns,omitempty"`
	Pipelining  *bool `json:"pipelining,omitempty"`
	MaxPipeline *int  `json:"max_pipeline,omitempty"`
	HTTP10      *bool `json:"http10,omitempty"`
}

// H2Document overrides HTTP/2's defaults.
type H2Document struct {
	Scheduler       *string `json:"scheduler,omitempty"` // seq, rr, urgency
	Push            *bool   `json:"push,omitempty"`
	HeaderTableSize *int    `json:"header_table_size,omitempty"`
	HPACKStrategy   *string `json:"hpack_strategy,omitempty"`
	StreamWindow    *string `json:"stream_window,omitempty" doc:"a size such as \"64KB\""`
	ConnWindow      *string `json:"conn_window,omitempty" doc:"a size such as \"15MB\""`
}

// H3Document overrides HTTP/3's defaults.
type H3Document struct {
	Scheduler          *string `json:"scheduler,omitempty"` // seq, rr, urgency
	QPACKTableCapacity *int    `json:"qpack_table_capacity,omitempty"`
	QPACKBlocked       *int    `json:"qpack_blocked_streams,omitempty"`
}

// QUICDocument overrides QUIC's defaults (session resumption and 0-RTT come
// from the tls block).
type QUICDocument struct {
	CertChain       *string `json:"cert_chain,omitempty" doc:"a size such as \"2500B\""`
	MaxDatagramSize *int    `json:"max_datagram_size,omitempty"`
	MaxAckDelay     *string `json:"max_ack_delay,omitempty" doc:"a duration such as \"25ms\""`
	InitialRTT      *string `json:"initial_rtt,omitempty" doc:"a duration such as \"333ms\""`
}

// WorkloadDocument says what is loaded.
type WorkloadDocument struct {
	// Kind is "bulk", "page" or "updates".
	Kind string `json:"kind"`
	// Bulk: a transfer of Size bytes, or a flow lasting Duration.
	Size     *string `json:"size,omitempty" doc:"a size such as \"10MB\""`
	Duration *string `json:"duration,omitempty" doc:"a duration such as \"60s\""`
	// Page: the built-in page (omitted) or one described here.
	Page  *PageDocument  `json:"page,omitempty"`
	Visit *VisitDocument `json:"visit,omitempty"`
	// Compression overrides the page's content coding, whichever page it is.
	Compression *CompressionDocument `json:"compression,omitempty"`
	// Updates: how the page receives server events (see updates.Config).
	Mode         *string  `json:"mode,omitempty"` // short_poll, long_poll, websocket
	Events       *int     `json:"events,omitempty"`
	MeanGap      *string  `json:"mean_gap,omitempty" doc:"a duration such as \"2s\""`
	Start        *string  `json:"start,omitempty" doc:"a duration such as \"1s\""`
	EventTimes   []string `json:"event_times,omitempty"`
	EventSize    *string  `json:"event_size,omitempty" doc:"a size such as \"200B\""`
	PollInterval *string  `json:"poll_interval,omitempty" doc:"a duration such as \"5s\""`
	HoldTimeout  *string  `json:"hold_timeout,omitempty" doc:"a duration such as \"30s\""`
	Cookie       *string  `json:"cookie,omitempty" doc:"a size such as \"100B\""`
	Ack          *bool    `json:"ack,omitempty"`
	PingInterval *string  `json:"ping_interval,omitempty" doc:"a duration such as \"15s\""`
	TimeLimit    *string  `json:"time_limit,omitempty" doc:"a duration such as \"10m\""`
}

// PageDocument is a page of resources (see web.Page).
type PageDocument struct {
	Origin      string               `json:"origin"`
	Cookie      *string              `json:"cookie,omitempty" doc:"a size such as \"300B\""` // size of the Cookie header value
	Compression *CompressionDocument `json:"compression,omitempty"`
	Resources   []ResourceDocument   `json:"resources"`
}

// CompressionDocument is the origin's content coding of text.
type CompressionDocument struct {
	Encoding string   `json:"encoding"` // none, gzip, br
	Ratio    *float64 `json:"ratio,omitempty"`
}

// ResourceDocument is one resource (see web.Resource for the meanings).
type ResourceDocument struct {
	URL          string  `json:"url"`
	Type         string  `json:"type"`
	Size         string  `json:"size" doc:"a size such as \"30KB\""`
	Parent       *int    `json:"parent,omitempty"`
	After        *string `json:"after,omitempty" doc:"a size such as \"2KB\", or \"end\""` // bytes of the parent, or "end"
	Status       *int    `json:"status,omitempty"`
	Location     *string `json:"location,omitempty"`
	MaxAge       *string `json:"max_age,omitempty" doc:"a duration such as \"1h\""` // e.g. "1h", "7d", "365d"
	NoCache      *bool   `json:"no_cache,omitempty"`
	NoStore      *bool   `json:"no_store,omitempty"`
	ETag         *bool   `json:"etag,omitempty"`
	LastModified *bool   `json:"last_modified,omitempty"`
	ServerTime   *string `json:"server_time,omitempty" doc:"a duration such as \"20ms\""`
	Chunked      *bool   `json:"chunked,omitempty"`
	Method       *string `json:"method,omitempty"`
	RequestBody  *string `json:"request_body,omitempty" doc:"a size such as \"2MB\""`
	Push         *bool   `json:"push,omitempty"`
	Lazy         *bool   `json:"lazy,omitempty"`
	// Repeat expands the entry into this many resources; "%d" in the URL
	// (or a "-N" suffix) numbers them from 1. Parents refer to entries of
	// this list, meaning their first copy.
	Repeat *int `json:"repeat,omitempty"`
}

// VisitDocument is the browser cache's state.
type VisitDocument struct {
	Repeat bool    `json:"repeat"`
	Age    *string `json:"age,omitempty" doc:"a duration such as \"1h\""`
}

// Control is a parameter the user interface exposes for the scenario, with
// its range (in the units of the parameter).
type Control struct {
	Param string `json:"param"`
	Min   string `json:"min,omitempty"`
	Max   string `json:"max,omitempty"`
	Step  string `json:"step,omitempty"`
}

// LimitsDocument bounds a run.
type LimitsDocument struct {
	MaxTime   *string `json:"max_time,omitempty" doc:"a duration such as \"10m\""`
	MaxEvents *int64  `json:"max_events,omitempty"`
}

// ControlParams lists the parameters a Control may name.
var ControlParams = []string{"loss", "burst", "rtt", "bandwidth", "seed", "protocols", "scheduler", "conns",
	"pipelining", "http10", "tls", "0rtt", "hpack_table", "qpack_table", "warm_cache", "push", "size"}
