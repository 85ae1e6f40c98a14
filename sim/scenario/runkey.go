package scenario

import (
	"bytes"
	"encoding/json"

	"httpsim/sim/h1"
	"httpsim/sim/h2"
	"httpsim/sim/h3"
	"httpsim/sim/quic"
	"httpsim/sim/tcp"
)

// A run key names everything one protocol's page load reads from its
// scenario: two loads with the same key give the same trace, event for
// event, because a load is a pure function of those inputs (each protocol
// runs on a fresh network with the scenario's seed). A caller that keeps
// runs can then repeat only the loads whose keys a change of settings
// touched: in the browser, a change of the HPACK table size re-runs HTTP/2
// alone, and ticking a protocol on runs that protocol alone.
//
// The key is JSON, so every exported field counts and none can be forgotten
// when one is added; it leaves out only what a load of that protocol never
// reads:
//   - the texts, controls, variants and protocol list (a job is one
//     protocol of one scenario or variant);
//   - the other protocols' configurations: HTTP/1.x reads H1 and TCP,
//     HTTP/2 reads H2 and TCP, HTTP/3 reads H3 and QUIC;
//   - except that with an edge, the edge reaches the origin over TCP with
//     HTTP/2 (H2) or HTTP/1.1 (its defaults), whatever the browser speaks.
//
// TLS stays in every key, although HTTP/3 reads only its resumption and
// early-data flags (its browser is on https whatever TLS's version says of
// TCP), and, with an edge, the edge's leg to the origin reads the rest.
// Leaving a field in costs a re-run; leaving one out wrongly would show a stale run,
// so TestRunKeySameTrace checks across the library that equal keys mean
// equal traces, and TestRunKeySeesEveryField that JSON writes every field
// of every type a key holds.

// runKeys computes the keys of a runner's jobs, sharing the part common
// to a scenario's protocols between them.
type runKeys struct {
	s      *Scenario
	common string
}

// protocolInputs are the configurations that differ between protocols.
type protocolInputs struct {
	H1   *h1.Config   `json:",omitempty"`
	H2   *h2.Config   `json:",omitempty"`
	H3   *h3.Config   `json:",omitempty"`
	QUIC *quic.Config `json:",omitempty"`
	TCP  *tcp.Config  `json:",omitempty"`
}

// key returns the run key of job j, or "" if it has none (only page loads
// have keys).
func (k *runKeys) key(j job) string {
	s := j.s
	if s.Workload != WorkloadPage {
		return ""
	}
	if k.s != s {
		c := s.Unpresented()
		c.Variants, c.Protocols = nil, nil
		c.Bulk = BulkWorkload{}
		c.H1, c.H2, c.H3, c.QUIC, c.TCP = h1.Config{}, h2.Config{}, h3.Config{}, quic.Config{}, tcp.Config{}
		b, err := json.Marshal(&c)
		if err != nil || lossy(b) {
			return ""
		}
		k.s, k.common = s, string(b)
	}
	var in protocolInputs
	edge := s.Network.HasEdge()
	switch j.proto {
	case "h1":
		in.H1, in.TCP = &s.H1, &s.TCP
		if edge {
			in.H2 = &s.H2
		}
	case "h2":
		in.H2, in.TCP = &s.H2, &s.TCP
	case "h3":
		in.H3, in.QUIC = &s.H3, &s.QUIC
		if edge {
			in.H2, in.TCP = &s.H2, &s.TCP
		}
	default:
		return ""
	}
	b, err := json.Marshal(&in)
	if err != nil || lossy(b) {
		return ""
	}
	return j.proto + "\n" + string(b) + "\n" + k.common
}

// RunKeys returns the run key of each load s runs, in order (each protocol
// of s, or of each of its variants), "" for a load that has none (bulk and
// updates workloads): loads with equal keys give equal traces, so two
// scenarios with the same keys run the same.
func RunKeys(s *Scenario) []string {
	var k runKeys
	var out []string
	for _, j := range s.jobs() {
		out = append(out, k.key(j))
	}
	return out
}

// lossy reports whether JSON may have stood one string for another:
// encoding/json writes every byte that is not valid UTF-8 as \ufffd, so two
// strings that differ only there would give one key. (A string that holds
// those six characters itself is taken for lossy too; its load just runs.)
func lossy(b []byte) bool { return bytes.Contains(b, []byte(`\ufffd`)) }
