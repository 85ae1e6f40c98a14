package pcap

import (
	"httpsim/sim"
	"httpsim/sim/scenario"
	"httpsim/sim/tls"
)

// ForScenario returns a capture for a run of s: its server's port, and the
// times its client moves to another network, under a new address. The CLI's
// export and the page's download both take their captures from here, so the
// two write the same file for the same run.
func ForScenario(s *scenario.Scenario) *Capture {
	c := NewCapture(ServerPort(s))
	for _, pc := range s.Network.PathChanges {
		c.Moves = append(c.Moves, sim.Time(pc.At))
	}
	return c
}

// ServerPort is the port of the scenario's server: 443 for HTTPS, 80 for
// cleartext HTTP.
func ServerPort(s *scenario.Scenario) uint16 {
	if s.TLS.Version == tls.None {
		return PortHTTP
	}
	return PortHTTPS
}
