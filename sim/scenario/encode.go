package scenario

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"httpsim/sim/link"
	"httpsim/sim/tls"
	"httpsim/sim/units"
	"httpsim/sim/web"
)

// Encode writes s as a scenario document (indented JSON) with every field
// explicit, so that the file runs the same whatever later defaults become.
func Encode(s *Scenario) ([]byte, error) {
	b, err := json.MarshalIndent(s.Document(), "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

func str(s string) *string { return &s }
func ptr[T any](v T) *T    { return &v }

// durString writes d exactly, in the largest unit that divides it.
func durString(d time.Duration) *string {
	for _, u := range []struct {
		d    time.Duration
		name string
	}{{24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}, {time.Millisecond, "ms"}, {time.Microsecond, "us"}} {
		if d != 0 && d%u.d == 0 {
			return str(itoa(int(d/u.d)) + u.name)
		}
	}
	return str(itoa(int(d)) + "ns")
}

// sizeString writes n exactly, in the largest unit that divides it.
func sizeString(n int64) *string {
	for _, u := range []struct {
		n    int64
		name string
	}{{1 << 20, "MiB"}, {1000_000, "MB"}, {1 << 10, "KiB"}, {1000, "KB"}} {
		if n != 0 && n%u.n == 0 {
			return str(itoa(int(n/u.n)) + u.name)
		}
	}
	return str(itoa(int(n)) + "B")
}

// rateString writes r exactly, in the largest unit that divides it.
func rateString(r units.Rate) *string {
	switch {
	case r%units.Gbps == 0:
		return str(itoa(int(r/units.Gbps)) + "Gbps")
	case r%units.Mbps == 0:
		return str(itoa(int(r/units.Mbps)) + "Mbps")
	case r%units.Kbps == 0:
		return str(itoa(int(r/units.Kbps)) + "Kbps")
	}
	return str(itoa(int(r)) + "bps")
}

// fractionString writes f as a percentage that reads back exactly: f×100
// when that does, else f's own shortest digits with the point moved two
// places (f×100 can round: 0.07×100 is 7.000000000000001), which name the
// same decimal and so round to f once read.
func fractionString(f float64) *string {
	pct := strconv.FormatFloat(f*100, 'g', -1, 64) + "%"
	if back, err := units.ParsePercent(pct); err == nil && back == f {
		return str(pct)
	}
	digits := strconv.FormatFloat(f, 'f', -1, 64)
	whole, frac, _ := strings.Cut(digits, ".")
	frac += strings.Repeat("0", max(0, 2-len(frac)))
	whole = strings.TrimLeft(whole+frac[:2], "0")
	if whole == "" {
		whole = "0"
	}
	if frac = frac[2:]; frac != "" {
		whole += "." + frac
	}
	return str(whole + "%")
}

// Document returns the complete document of s.
func (s *Scenario) Document() *Document {
	d := &Document{
		Version: FormatVersion, Name: s.Name, Title: textPtr(s.Title), Explanation: textPtr(s.Explanation),
		Seed: ptr(s.Seed), Controls: s.Controls, OpensAt: s.OpensAt.document(),
		Network: &NetworkDocument{
			RTT:       durString(s.Network.RTT),
			Bandwidth: rateString(s.Network.Bandwidth),
			Down:      linkDocument(s.Network.Down),
			Up:        linkDocument(s.Network.Up),
		},
		TCP: &TCPDocument{
			MSS: ptr(s.TCP.MSS), InitialWindow: ptr(s.TCP.InitialWindow), SACK: ptr(s.TCP.SACK),
			DelayedAck: ptr(s.TCP.DelayedAck), DelayedAckTime: durString(s.TCP.DelayedAckTimeout),
			MinRTO: durString(s.TCP.MinRTO), InitialRTO: durString(s.TCP.InitialRTO),
			RecvBuffer: sizeString(int64(s.TCP.RecvBuffer)), LimitedTransmit: ptr(s.TCP.LimitedTransmit),
		},
		Limits: &LimitsDocument{MaxTime: durString(s.Limits.MaxTime), MaxEvents: ptr(s.Limits.MaxEvents)},
	}
	for _, v := range s.Variants {
		label := v.Label
		d.Variants = append(d.Variants, VariantDocument{Name: v.Name, Label: &label, Patch: v.Patch})
	}
	if s.Network.QueueBytes > 0 {
		d.Network.Queue = sizeString(int64(s.Network.QueueBytes))
	}
	for _, at := range s.Network.ServerResets {
		d.Network.ServerResets = append(d.Network.ServerResets, *durString(at))
	}
	for _, pc := range s.Network.PathChanges {
		pd := PathChangeDocument{At: *durString(pc.At)}
		if pc.RTT > 0 {
			pd.RTT = durString(pc.RTT)
		}
		if pc.Bandwidth > 0 {
			pd.Bandwidth = rateString(pc.Bandwidth)
		}
		if pc.Down != nil {
			pd.Down = linkDocument(*pc.Down)
		}
		if pc.Up != nil {
			pd.Up = linkDocument(*pc.Up)
		}
		d.Network.PathChanges = append(d.Network.PathChanges, pd)
	}
	if e := s.Network.Edge; e != nil {
		d.Network.Edge = &EdgeDocument{RTT: durString(e.RTT), Bandwidth: rateString(e.Bandwidth),
			Loss: linkDocument(LinkLoss{Loss: e.Loss}).Loss, Protocol: str(e.Protocol),
			Cache: ptr(e.Cache), Warm: ptr(e.Warm), FollowRedirects: ptr(e.FollowRedirects), Bypass: ptr(e.Bypass)}
	}
	switch s.Workload {
	case WorkloadUpdates:
		u := s.Updates
		d.TLS = tlsDocument(s.TLS)
		w := &WorkloadDocument{Kind: WorkloadUpdates, Mode: str(string(u.Mode)), Events: ptr(u.Events),
			MeanGap: durString(u.MeanGap), Start: durString(u.Start), EventSize: sizeString(int64(u.EventSize)),
			PollInterval: durString(u.PollInterval), HoldTimeout: durString(u.HoldTimeout), Cookie: sizeString(int64(u.Cookie)),
			Ack: ptr(u.Ack), PingInterval: durString(u.PingInterval), TimeLimit: durString(u.TimeLimit)}
		for _, t := range u.EventTimes {
			w.EventTimes = append(w.EventTimes, *durString(t))
		}
		d.Workload = w
	case WorkloadBulk:
		w := &WorkloadDocument{Kind: WorkloadBulk}
		if s.Bulk.Size > 0 {
			w.Size = sizeString(int64(s.Bulk.Size))
		}
		if s.Bulk.Duration > 0 {
			w.Duration = durString(s.Bulk.Duration)
		}
		d.Workload = w
	case WorkloadPage:
		d.Protocols = s.Protocols
		d.TLS = tlsDocument(s.TLS)
		d.H1 = &H1Document{MaxConns: ptr(s.H1.MaxConns), Pipelining: ptr(s.H1.Pipelining),
			MaxPipeline: ptr(s.H1.MaxPipeline), HTTP10: ptr(s.H1.HTTP10)}
		d.H2 = &H2Document{Scheduler: str(s.H2.Scheduler), Push: ptr(s.H2.Push), HeaderTableSize: ptr(int(s.H2.HeaderTableSize)),
			HPACKStrategy: str(s.H2.Strategy), StreamWindow: sizeString(int64(s.H2.StreamWindow)),
			ConnWindow: sizeString(int64(s.H2.ConnWindow))}
		d.H3 = &H3Document{Scheduler: str(s.H3.Scheduler), QPACKTableCapacity: ptr(int(s.H3.QPACKTableCapacity)),
			QPACKBlocked: ptr(int(s.H3.QPACKBlockedStreams))}
		d.QUIC = &QUICDocument{CertChain: sizeString(int64(s.QUIC.CertChain)), MaxDatagramSize: ptr(s.QUIC.MaxDatagramSize),
			MaxAckDelay: durString(s.QUIC.MaxAckDelay), InitialRTT: durString(s.QUIC.InitialRTT)}
		w := &WorkloadDocument{Kind: WorkloadPage, Page: pageDocument(s.Page)}
		w.Visit = &VisitDocument{Repeat: s.Visit.Repeat}
		if a := s.Visit.Age; a != nil {
			w.Visit.Age = durString(*a)
			if *a == 0 {
				w.Visit.Age = str("0s")
			}
		}
		d.Workload = w
	}
	return d
}

func linkDocument(l LinkLoss) *LinkDocument {
	ld := &LinkDocument{Drop: l.Drop}
	loss := &LossDocument{Model: string(l.Loss.Model), DataOnly: ptr(l.Loss.DataOnly)}
	if loss.Model == "" {
		loss.Model = string(link.NoLoss)
	}
	if l.Loss.Rate > 0 {
		loss.Rate = fractionString(l.Loss.Rate)
	}
	if l.Loss.Model == link.Burst {
		loss.MeanBurst = ptr(l.Loss.MeanBurst)
	}
	ld.Loss = loss
	for _, o := range l.Outages {
		ld.Outages = append(ld.Outages, OutageDocument{From: *durString(o.From), To: *durString(o.To)})
	}
	return ld
}

func pageDocument(p *web.Page) *PageDocument {
	if p == nil {
		return nil
	}
	pd := &PageDocument{Origin: p.Origin, Cookie: sizeString(int64(p.Cookie)),
		Compression: &CompressionDocument{Encoding: p.Compression.Encoding}}
	if pd.Compression.Encoding == "" {
		pd.Compression.Encoding = "none"
	}
	if p.Compression.Ratio > 0 {
		pd.Compression.Ratio = ptr(p.Compression.Ratio)
	}
	for _, r := range p.Resources {
		rd := ResourceDocument{URL: r.URL, Type: string(r.Type), Size: *sizeString(r.Size), Parent: ptr(r.Parent)}
		if r.After == web.AfterParent {
			rd.After = str("end")
		} else {
			rd.After = sizeString(r.After)
		}
		if r.Status != 0 {
			rd.Status = ptr(r.Status)
		}
		if r.Location != "" {
			rd.Location = str(r.Location)
		}
		if r.MaxAge > 0 {
			rd.MaxAge = durString(time.Duration(r.MaxAge) * time.Second)
		}
		if r.NoCache {
			rd.NoCache = ptr(true)
		}
		if r.NoStore {
			rd.NoStore = ptr(true)
		}
		if r.ETag {
			rd.ETag = ptr(true)
		}
		if r.LastModified {
			rd.LastModified = ptr(true)
		}
		if r.ServerTime > 0 {
			rd.ServerTime = durString(r.ServerTime)
		}
		if r.Chunked {
			rd.Chunked = ptr(true)
		}
		if r.Method != "" {
			rd.Method = str(r.Method)
		}
		if r.RequestBody > 0 {
			rd.RequestBody = sizeString(r.RequestBody)
		}
		if r.Push {
			rd.Push = ptr(true)
		}
		if r.Lazy {
			rd.Lazy = ptr(true)
		}
		pd.Resources = append(pd.Resources, rd)
	}
	return pd
}

func textPtr(t Text) *Text {
	if t == (Text{}) {
		return nil
	}
	return &t
}

// tlsDocument is the document of a TLS configuration, for page and updates
// workloads alike.
func tlsDocument(c tls.Config) *TLSDocument {
	return &TLSDocument{Version: str(string(c.Version)), CertChain: sizeString(int64(c.CertChain)),
		Resume: ptr(c.Resume), EarlyData: ptr(c.EarlyData), RejectEarlyData: ptr(c.RejectEarlyData),
		MaxRecord: sizeString(int64(c.MaxRecord))}
}

// document writes where the timeline opens, or nothing for the end.
func (o OpensAt) document() *string {
	switch o.Kind {
	case OpensAtHeld:
		return str(opensAtHeldWord)
	case OpensAtTime:
		if o.At == 0 {
			return str("0s")
		}
		return durString(o.At)
	}
	return nil
}
