package scenario

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"httpsim/sim/link"
	"httpsim/sim/tls"
	"httpsim/sim/units"
	"httpsim/sim/web"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// goldenRuns are the runs whose trace hashes are pinned in
// testdata/trace_hashes.json. The same test runs natively and as WebAssembly
// under Node (make test-wasm): both must produce these hashes, which proves
// that a run is byte-identical on both.
func goldenRuns() map[string]*Scenario {
	runs := map[string]*Scenario{}
	s := Bulk()
	runs["bulk-default"] = s

	s = Bulk()
	s.Seed = 7
	s.Bulk.Size = 10 * units.MB
	s.Network.Bandwidth = 100 * units.Mbps
	s.Network.Down.Loss = link.Loss{Model: link.Bernoulli, Rate: 0.01, DataOnly: true}
	runs["bulk-10MB-1pct-seed7"] = s

	s = Bulk()
	s.Seed = 3
	s.Bulk.Size = 2 * units.MB
	s.Network.Down.Loss = link.Loss{Model: link.Burst, Rate: 0.02, MeanBurst: 4, DataOnly: true}
	s.TCP.SACK = false
	runs["bulk-burst-newreno"] = s

	s = Bulk()
	s.Bulk.Size = 3 * units.MB
	s.Network.Down.Outages = []link.Outage{{From: time.Second, To: 3 * time.Second}}
	s.Network.Down.Drop = []int{5, 6, 40}
	runs["bulk-outage-scripted"] = s

	runs["page-h1-tls13"] = Page()

	s = Page()
	s.Seed = 5
	s.TLS.Version = tls.TLS12
	s.H1.Pipelining = true
	s.Network.Down.Loss = link.Loss{Model: link.Burst, Rate: 0.02, MeanBurst: 3}
	s.Network.Up.Loss = s.Network.Down.Loss
	runs["page-h1-pipelined-burst"] = s

	s = Page()
	s.Protocols = []string{"h2"}
	s.Seed = 9
	s.H2.Scheduler = "rr"
	s.Network.Down.Loss = link.Loss{Model: link.Bernoulli, Rate: 0.02}
	s.Network.Up.Loss = s.Network.Down.Loss
	runs["page-h2-rr-2pct"] = s

	s = Page()
	s.Protocols = []string{"h2"}
	s.H2.Push = true
	s.Page.Resources[1].Push = true
	s.TLS.Version = tls.None
	runs["page-h2c-push"] = s

	s = edgeScenario(web.EdgeConfig{Cache: true, FollowRedirects: true}, "h2")
	s.Page = redirectPage(true)
	runs["page-edge-redirects"] = s

	s = Page()
	s.Protocols = []string{"h3"}
	s.Seed = 4
	s.H3.Scheduler = "rr"
	s.Network.Down.Loss = link.Loss{Model: link.Burst, Rate: 0.02, MeanBurst: 3}
	s.Network.Up.Loss = s.Network.Down.Loss
	runs["page-h3-rr-burst"] = s

	s = Page()
	s.Protocols = []string{"h3"}
	s.Seed = 6
	s.TLS.Resume, s.TLS.EarlyData = true, true
	s.H3.QPACKTableCapacity, s.H3.QPACKBlockedStreams = 4096, 16
	s.Network.Down.Loss = link.Loss{Model: link.Bernoulli, Rate: 0.02}
	s.Network.Up.Loss = s.Network.Down.Loss
	runs["page-h3-0rtt-qpack-dynamic"] = s

	s = migrationScenario("h3")
	runs["page-h3-migration"] = s
	return runs
}

func TestGoldenTraceHashes(t *testing.T) {
	path := filepath.Join("testdata", "trace_hashes.json")
	got := map[string]string{}
	for name, s := range goldenRuns() {
		r, err := Run(s, Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got[name] = r.TraceHash
	}
	if *update {
		b, _ := json.MarshalIndent(got, "", "  ")
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	want := map[string]string{}
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	for name, h := range got {
		if want[name] != h {
			t.Errorf("%s: trace hash %s; want %s (a model change moves it: refresh with go test -update and say why)", name, h, want[name])
		}
	}
	if len(want) != len(got) {
		t.Errorf("golden file has %d runs; the test has %d", len(want), len(got))
	}
}
