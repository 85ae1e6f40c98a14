package main

import (
	"fmt"
	"io"
	"time"

	"httpsim/sim/host"
	"httpsim/sim/pcap"
	"httpsim/sim/scenario"
	"httpsim/sim/units"
)

// exportPcap is `httpsim export --format pcap --proto h1|h2 --out FILE`:
// one protocol's run of a page scenario as a classic libpcap file, captured
// on the client host as Wireshark on the student's laptop would: what it
// sends, and what is delivered to it (lost packets are not in the file).
func exportPcap(f *scenarioFlags, variant, out string, stdout, stderr io.Writer) int {
	var c *pcap.Capture
	s, res, code := f.exportRun(variant, "pcap", stderr, func(s *scenario.Scenario) host.Tap {
		c = pcap.ForScenario(s)
		return c.Tap
	})
	if res == nil {
		return code
	}
	b := c.Bytes()
	if !writeExport(out, b, stdout, stderr) {
		return 1
	}
	if out != "-" {
		run := res.Runs[0]
		client := pcap.ClientAddr.String()
		for _, m := range c.Moves {
			// Each move to another network gives the client a new address.
			client += fmt.Sprintf(", %s from %s", c.ClientAddrAt(m), time.Duration(m))
		}
		// The packets as the client's capture saw them: what it sent and
		// what reached it, not what the network lost on the way in.
		fmt.Fprintf(stdout, "wrote %s: pcap, %s, %d packets, %s on the wire as captured at the client (client %s, server %s:%d), a file of %s\n",
			out, run.Proto, c.Packets, units.Size(c.WireBytes), client, pcap.ServerAddr, pcap.ServerPort(s), units.Size(int64(len(b))))
	}
	return 0
}
