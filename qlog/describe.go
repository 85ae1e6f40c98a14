package qlog

import (
	"fmt"

	"httpsim/sim/scenario"
	"httpsim/sim/units"
)

// Title is an exported file's title: which scenario (its English title, or
// its name), which protocol and which seed, so that a file opened in qvis
// later still says which run it holds. The CLI's export and the page's
// download both name their files this way.
func Title(scenarioTitle, proto string, seed uint64) string {
	return fmt.Sprintf("httpsim: %s, %s, seed %d", scenarioTitle, proto, seed)
}

// Description is an exported file's description: the network run over and
// the page load time (or the limit that stopped the run first).
func Description(s *scenario.Scenario, run *scenario.ProtocolRun) string {
	n := s.Network
	d := fmt.Sprintf("simulated: RTT %v, %v, loss %s up and %s down; page load time ", n.RTT, n.Bandwidth,
		units.Percent(n.Up.Loss.Rate), units.Percent(n.Down.Loss.Rate))
	if run.PLT < 0 {
		return d + "not reached (" + run.Status + ")"
	}
	return d + units.Ms(run.PLT)
}
