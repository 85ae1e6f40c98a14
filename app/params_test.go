package app

import (
	"testing"
	"time"

	"httpsim/sim/link"
	"httpsim/sim/scenario"
)

func TestDefaultParamsFollowBulk(t *testing.T) {
	b := scenario.Bulk()
	p := DefaultParams()
	if got := p.Scenario(); got.Seed != b.Seed || got.Network.RTT != b.Network.RTT || got.Network.Down.Loss.Rate != b.Network.Down.Loss.Rate {
		t.Errorf("DefaultParams().Scenario() = seed %d, RTT %v, loss %v; want the bulk defaults %d, %v, %v",
			got.Seed, got.Network.RTT, got.Network.Down.Loss.Rate, b.Seed, b.Network.RTT, b.Network.Down.Loss.Rate)
	}
}

func TestParamsScenario(t *testing.T) {
	tests := []struct {
		p         Params
		wantRate  float64
		wantModel link.LossModel
		wantRTT   time.Duration
	}{
		{Params{LossPermille: 0, RTTMillis: 100, Seed: 1}, 0, link.NoLoss, 100 * time.Millisecond},
		{Params{LossPermille: 20, RTTMillis: 50, Seed: 7}, 0.02, link.Bernoulli, 50 * time.Millisecond},
		{Params{LossPermille: 1, RTTMillis: 1, Seed: 0}, 0.001, link.Bernoulli, time.Millisecond},
		{Params{LossPermille: 500, RTTMillis: 9000, Seed: 3}, 0.1, link.Bernoulli, 500 * time.Millisecond}, // clamped
		{Params{LossPermille: -5, RTTMillis: 0, Seed: 3}, 0, link.NoLoss, time.Millisecond},                // clamped
	}
	for _, tt := range tests {
		s := tt.p.Scenario()
		down := s.Network.Down.Loss
		if down.Rate != tt.wantRate || down.Model != tt.wantModel || s.Network.RTT != tt.wantRTT || s.Seed != tt.p.Seed {
			t.Errorf("%v.Scenario() = loss %v %v, RTT %v, seed %d; want %v %v, %v, %d",
				tt.p, down.Model, down.Rate, s.Network.RTT, s.Seed, tt.wantModel, tt.wantRate, tt.wantRTT, tt.p.Seed)
		}
		if down.DataOnly != scenario.Bulk().Network.Down.Loss.DataOnly {
			t.Errorf("%v.Scenario() changed loss.DataOnly to %v", tt.p, down.DataOnly)
		}
		if err := s.Validate(); err != nil {
			t.Errorf("%v.Scenario().Validate() = %v; want nil", tt.p, err)
		}
	}
}

func TestParamsStrings(t *testing.T) {
	tests := []struct {
		p         Params
		loss, rtt string
	}{
		{Params{LossPermille: 0, RTTMillis: 100}, "0%", "100ms"},
		{Params{LossPermille: 15, RTTMillis: 7}, "1.5%", "7ms"},
		{Params{LossPermille: 100, RTTMillis: 500}, "10%", "500ms"},
	}
	for _, tt := range tests {
		if got := tt.p.LossString(); got != tt.loss {
			t.Errorf("%+v.LossString() = %q; want %q", tt.p, got, tt.loss)
		}
		if got := tt.p.RTTString(); got != tt.rtt {
			t.Errorf("%+v.RTTString() = %q; want %q", tt.p, got, tt.rtt)
		}
	}
}
