package scenario

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"httpsim/sim/link"
	"httpsim/sim/tls"
	"httpsim/sim/units"
	"httpsim/sim/updates"
	"httpsim/sim/web"
)

// Decode reads a scenario document and returns the scenario it describes.
// Every problem is reported, each with the JSON path of its field, what was
// found and what is allowed: unknown fields, wrong types, bad units and
// values out of range. A document newer than this program is refused
// politely.
func Decode(b []byte) (*Scenario, error) {
	raw, err := decodeJSON(b)
	if err != nil {
		return nil, err
	}
	obj, ok := raw.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("the document is %s; want a JSON object", describe(raw))
	}
	n, _ := obj["version"].(json.Number)
	v, verr := n.Int64()
	switch {
	case obj["version"] == nil:
		return nil, fmt.Errorf("version: missing; want %d", FormatVersion)
	case verr != nil || v < 1:
		return nil, fmt.Errorf("version: found %s; want a whole number, %d", describe(obj["version"]), FormatVersion)
	case v > FormatVersion:
		return nil, fmt.Errorf("version: this file is version %d, newer than this httpsim understands (version %d); please update httpsim to open it", v, FormatVersion)
	}
	var errs []error
	checkShape("", raw, reflect.TypeOf(Document{}), &errs)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	var d Document
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, err // the shape check makes this unreachable
	}
	s, err := d.Scenario()
	if err != nil {
		return nil, err
	}
	// Each variant is the document with its patch applied (RFC 7386 JSON
	// merge patch), decoded as a whole; the patches are taken as written,
	// numbers exact.
	rawVariants, _ := obj["variants"].([]any)
	delete(obj, "variants")
	if len(d.Variants) > MaxVariants {
		// Each variant is a whole scenario, decoded and run: a small file
		// of thousands took gigabytes.
		return nil, fmt.Errorf("variants: %d variants is out of range (at most %d)", len(d.Variants), MaxVariants)
	}
	named := map[string]int{}
	for i, v := range d.Variants {
		at := fmt.Sprintf("variants[%d]", i)
		if v.Name == "" {
			errs = append(errs, fmt.Errorf("%s.name: missing; want a short name", at))
			continue
		}
		if j, ok := named[v.Name]; ok {
			errs = append(errs, fmt.Errorf("%s.name: %s is variants[%d]'s name too; want a name of its own", at, units.Quote(v.Name), j))
			continue
		}
		named[v.Name] = i
		var patch map[string]any
		ok = false
		if i < len(rawVariants) {
			rv, _ := rawVariants[i].(map[string]any)
			patch, ok = rv["patch"].(map[string]any)
		}
		if !ok {
			errs = append(errs, fmt.Errorf("%s.patch: found %s; want an object (a JSON merge patch)", at, describe(v.Patch)))
			continue
		}
		if _, nested := patch["variants"]; nested {
			// Decoded level after level, 16 variants of 16 of 16 made a
			// 2 MB file take gigabytes, for variants no run reads.
			errs = append(errs, fmt.Errorf("%s.patch.variants: a variant cannot have variants of its own; list every variant in the document's variants", at))
			continue
		}
		merged, _ := json.Marshal(mergePatch(obj, patch))
		vs, err := Decode(merged)
		if err != nil {
			for _, p := range Problems(err) {
				errs = append(errs, fmt.Errorf("%s (%s): %s", at, OneLine(v.Name), p))
			}
			continue
		}
		if vs.Workload != s.Workload {
			// The runs of a comparison are one kind of workload: the
			// tables and views compare page loads with page loads.
			errs = append(errs, fmt.Errorf("%s (%s).patch: makes the workload %s; want the document's, %s (a variant changes settings, not the kind of workload)", at, OneLine(v.Name), vs.Workload, s.Workload))
			continue
		}
		label := Text{EN: v.Name}
		if v.Label != nil {
			label = *v.Label
		}
		// As Validate checks the document's own texts (it runs before
		// the variants are attached). Without a label the name is it.
		texts := [][2]string{{at + ".name", v.Name}}
		if v.Label != nil {
			texts = append(texts, [2]string{at + ".label.en", label.EN}, [2]string{at + ".label.zh", label.ZH})
		}
		bad := false
		for _, t := range texts {
			if err := plainText(t[0], t[1]); err != nil {
				errs, bad = append(errs, err), true
			}
		}
		if bad {
			continue
		}
		s.Variants = append(s.Variants, Variant{Name: v.Name, Label: label, Patch: patch, Scenario: vs})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return s, nil
}

// decodeJSON parses a JSON document with its numbers kept as written
// (json.Number): a seed above 2^53 is not rounded on its way through a
// variant's merge patch, nor refused as not whole at 2^63. Syntax errors
// give their line and column.
func decodeJSON(b []byte) (any, error) {
	var raw any
	if !json.Valid(b) {
		return nil, jsonSyntaxError(b, json.Unmarshal(b, &raw))
	}
	if !utf8.Valid(b) {
		// encoding/json reads such bytes as U+FFFD, so a name or a URL
		// would run other than the file says.
		at := 0
		for at < len(b) {
			r, n := utf8.DecodeRune(b[at:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			at += n
		}
		line, col := positionOf(b, at)
		return nil, fmt.Errorf("line %d, column %d: the byte %#02x is not UTF-8 text; a scenario file is UTF-8", line, col, b[at])
	}
	if dup := DuplicateKey(b); dup != "" {
		return nil, fmt.Errorf("%s: given twice in one object; give it once", dup)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(&raw); err != nil {
		return nil, fmt.Errorf("not valid JSON: %v", err)
	}
	return raw, nil
}

// mergePatch applies an RFC 7386 merge patch to a JSON object: objects
// merge member by member, null removes a member, anything else replaces.
func mergePatch(target, patch map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range target {
		out[k] = v
	}
	for k, v := range patch {
		switch pv := v.(type) {
		case nil:
			delete(out, k)
		case map[string]any:
			t, _ := out[k].(map[string]any)
			out[k] = mergePatch(t, pv)
		default:
			out[k] = v
		}
	}
	return out
}

// jsonSyntaxError gives the line and column of a JSON syntax error.
func jsonSyntaxError(b []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := SyntaxErrorAt(b, se)
		return fmt.Errorf("line %d, column %d: not valid JSON: %v", line, col, err)
	}
	return fmt.Errorf("not valid JSON: %v", err)
}

// SyntaxErrorAt returns the line and column, from 1 and in characters, of
// what the JSON syntax error se in data is about: the last byte the
// decoder read (se.Offset counts the bytes read, the wrong one included),
// or the end of data when it ended too soon.
func SyntaxErrorAt(data []byte, se *json.SyntaxError) (line, col int) {
	at := min(int(se.Offset), len(data))
	if !(at == len(data) && strings.HasPrefix(se.Error(), "unexpected end")) {
		at = max(at-1, 0)
		for at > 0 && !utf8.RuneStart(data[at]) { // back to its character's start
			at--
		}
	}
	return positionOf(data, at)
}

// positionOf returns the line and column, from 1 and in characters, of
// byte at of data.
func positionOf(data []byte, at int) (line, col int) {
	line, col = 1, 1
	for _, r := range string(data[:at]) {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// describe names a decoded JSON value for a message: `a number (5)`.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return fmt.Sprintf("a boolean (%v)", x)
	case json.Number:
		return fmt.Sprintf("a number (%s)", units.Cut(string(x)))
	case string:
		return fmt.Sprintf("a string (%s)", units.Quote(x))
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return "a value"
}

// A message repeats a document's text cut (units.Cut) or quoted
// (units.Quote): a 400 KB member name or value was repeated whole.

// OneLine is text as a message repeats it: cut (units.Cut), with a
// control character or direction override (ControlCharacter) and a byte
// that is not UTF-8 shown as U+FFFD, so that the message stays one line of
// text that reads in its own direction. Paths show member names so, and
// the page's notices values.
func OneLine(k string) string {
	return strings.Map(func(r rune) rune {
		if ControlCharacter(r) {
			return utf8.RuneError
		}
		return r
	}, units.Cut(k))
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// checkShape compares a decoded JSON value with the Go type it should fill,
// recording unknown fields and values of the wrong type.
func checkShape(path string, v any, t reflect.Type, errs *[]error) {
	checkShapeHint(path, v, t, "", errs)
}

func checkShapeHint(path string, v any, t reflect.Type, hint string, errs *[]error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	bad := func(want string) {
		if hint != "" {
			want = hint
		}
		*errs = append(*errs, fmt.Errorf("%s: found %s; want %s", path, describe(v), want))
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			bad("an object")
			return
		}
		fields := map[string]reflect.StructField{}
		var names []string
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			fields[name] = f
			names = append(names, name)
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			f, ok := fields[k]
			if !ok {
				*errs = append(*errs, fmt.Errorf("%s: unknown field (the fields here are %s)", join(path, OneLine(k)), strings.Join(names, ", ")))
				continue
			}
			if obj[k] == nil {
				continue // null: the default
			}
			checkShapeHint(join(path, k), obj[k], f.Type, f.Tag.Get("doc"), errs)
		}
	case reflect.Slice:
		list, ok := v.([]any)
		if !ok {
			bad("a list")
			return
		}
		for i, x := range list {
			checkShapeHint(fmt.Sprintf("%s[%d]", path, i), x, t.Elem(), "", errs)
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			bad("a string")
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			bad("true or false")
		}
	case reflect.Int, reflect.Int64, reflect.Uint64:
		n, ok := v.(json.Number)
		var err error
		want := "a whole number"
		if t.Kind() == reflect.Uint64 {
			_, err = strconv.ParseUint(string(n), 10, 64)
			want = "a whole number, 0 or more" // a seed of -3 was told "want a whole number"
		} else {
			_, err = strconv.ParseInt(string(n), 10, 64)
		}
		if !ok || err != nil {
			bad(want)
		}
	case reflect.Float64:
		if _, ok := v.(json.Number); !ok {
			bad("a number")
		}
	}
}

// converter turns document fields into scenario values, collecting every
// problem with its path.
type converter struct {
	errs []error
	// resourcePaths names, when an entry of the page's resources was
	// repeated, each expanded resource by the document entry it came
	// from, and copyNotes which copy it is ("" for an entry not
	// repeated); both nil when no entry was.
	resourcePaths, copyNotes []string
}

// documentPath rewrites a problem validation found at an expanded
// resource ("workload.page.resources[6]: ...") to name the entry of the
// document the user wrote, and which copy of it.
func (c *converter) documentPath(e error) error {
	const prefix = "workload.page.resources["
	msg := e.Error()
	if c.resourcePaths == nil || !strings.HasPrefix(msg, prefix) {
		return e
	}
	num, rest, ok := strings.Cut(msg[len(prefix):], "]")
	i, err := strconv.Atoi(num)
	if !ok || err != nil || i < 0 || i >= len(c.resourcePaths) {
		return e
	}
	field, tail, _ := strings.Cut(rest, ": ")
	return errors.New(c.resourcePaths[i] + field + c.copyNotes[i] + ": " + tail)
}

func (c *converter) bad(path, format string, a ...any) {
	c.errs = append(c.errs, fmt.Errorf("%s: %s", path, fmt.Sprintf(format, a...)))
}

func (c *converter) duration(path string, v *string, dst *time.Duration) {
	if v == nil {
		return
	}
	d, err := units.ParseDuration(*v)
	if err != nil {
		c.bad(path, "%v; want a duration such as \"100ms\"", err)
		return
	}
	*dst = d
}

func (c *converter) size(path string, v *string) (int64, bool) {
	if v == nil {
		return 0, false
	}
	n, err := units.ParseSize(*v)
	if err != nil {
		c.bad(path, "%v; want a size such as \"30KB\"", err)
		return 0, false
	}
	return int64(n), true
}

func setInt[T ~int | ~int64](dst *T, v *int) {
	if v != nil {
		*dst = T(*v)
	}
}

func setBool(dst *bool, v *bool) {
	if v != nil {
		*dst = *v
	}
}

// Scenario converts the document. Omitted fields take the defaults of the
// workload's built-in scenario ("bulk" or "page").
func (d *Document) Scenario() (*Scenario, error) {
	c := &converter{}
	if d.Workload == nil {
		return nil, fmt.Errorf("workload: missing; want an object with \"kind\": \"bulk\", \"page\" or \"updates\"")
	}
	var s *Scenario
	switch d.Workload.Kind {
	case WorkloadBulk:
		s = Bulk()
	case WorkloadPage:
		s = Page()
	case WorkloadUpdates:
		s = Updates()
	default:
		return nil, fmt.Errorf("workload.kind: found %s; want \"bulk\", \"page\" or \"updates\"", units.Quote(string(d.Workload.Kind)))
	}
	if d.Name != "" {
		s.Name = d.Name
	}
	if d.Title != nil {
		s.Title = *d.Title
	}
	if d.Explanation != nil {
		s.Explanation = *d.Explanation
	}
	if d.Seed != nil {
		s.Seed = *d.Seed
	}
	if n := d.Network; n != nil {
		c.duration("network.rtt", n.RTT, &s.Network.RTT)
		if n.Bandwidth != nil {
			r, err := units.ParseRate(*n.Bandwidth)
			if err != nil {
				c.bad("network.bandwidth", "%v; want a rate such as \"10Mbps\"", err)
			} else {
				s.Network.Bandwidth = r
			}
		}
		if q, ok := c.size("network.queue", n.Queue); ok {
			s.Network.QueueBytes = int(q)
		}
		c.link("network.down", n.Down, &s.Network.Down)
		c.link("network.up", n.Up, &s.Network.Up)
		if e := n.Edge; e != nil {
			s.Network.Edge = c.edge(e)
		}
		if n.ServerResets != nil {
			s.Network.ServerResets = nil
			for i, v := range n.ServerResets {
				var d time.Duration
				c.duration(fmt.Sprintf("network.server_resets[%d]", i), &v, &d)
				s.Network.ServerResets = append(s.Network.ServerResets, d)
			}
		}
		if n.PathChanges != nil {
			s.Network.PathChanges = nil
			for i, pd := range n.PathChanges {
				s.Network.PathChanges = append(s.Network.PathChanges, c.pathChange(fmt.Sprintf("network.path_changes[%d]", i), pd))
			}
		}
	}
	if t := d.TCP; t != nil {
		setInt(&s.TCP.MSS, t.MSS)
		setInt(&s.TCP.InitialWindow, t.InitialWindow)
		setBool(&s.TCP.SACK, t.SACK)
		setBool(&s.TCP.DelayedAck, t.DelayedAck)
		setBool(&s.TCP.LimitedTransmit, t.LimitedTransmit)
		c.duration("tcp.delayed_ack_timeout", t.DelayedAckTime, &s.TCP.DelayedAckTimeout)
		c.duration("tcp.min_rto", t.MinRTO, &s.TCP.MinRTO)
		c.duration("tcp.initial_rto", t.InitialRTO, &s.TCP.InitialRTO)
		if n, ok := c.size("tcp.recv_buffer", t.RecvBuffer); ok {
			s.TCP.RecvBuffer = int(n)
		}
	}
	if t := d.TLS; t != nil {
		if t.Version != nil {
			s.TLS.Version = tls.Version(*t.Version)
		}
		if n, ok := c.size("tls.cert_chain", t.CertChain); ok {
			s.TLS.CertChain = int(n)
		}
		setBool(&s.TLS.Resume, t.Resume)
		setBool(&s.TLS.EarlyData, t.EarlyData)
		setBool(&s.TLS.RejectEarlyData, t.RejectEarlyData)
		if n, ok := c.size("tls.max_record", t.MaxRecord); ok {
			s.TLS.MaxRecord = int(n)
		}
	}
	if d.Protocols != nil {
		s.Protocols = d.Protocols
	}
	if h := d.H1; h != nil {
		setInt(&s.H1.MaxConns, h.MaxConns)
		setBool(&s.H1.Pipelining, h.Pipelining)
		setInt(&s.H1.MaxPipeline, h.MaxPipeline)
		setBool(&s.H1.HTTP10, h.HTTP10)
	}
	if h := d.H2; h != nil {
		if h.Scheduler != nil {
			s.H2.Scheduler = *h.Scheduler
		}
		setBool(&s.H2.Push, h.Push)
		if h.HeaderTableSize != nil {
			if *h.HeaderTableSize < 0 {
				c.bad("h2.header_table_size", "%d is out of range (0 to 1048576)", *h.HeaderTableSize)
			} else {
				s.H2.HeaderTableSize = uint32(min(*h.HeaderTableSize, 1<<30))
			}
		}
		if h.HPACKStrategy != nil {
			s.H2.Strategy = *h.HPACKStrategy
		}
		if n, ok := c.size("h2.stream_window", h.StreamWindow); ok {
			s.H2.StreamWindow = uint32(min(n, 1<<32-1))
		}
		if n, ok := c.size("h2.conn_window", h.ConnWindow); ok {
			s.H2.ConnWindow = uint32(min(n, 1<<32-1))
		}
	}
	if h := d.H3; h != nil {
		if h.Scheduler != nil {
			s.H3.Scheduler = *h.Scheduler
		}
		if v := h.QPACKTableCapacity; v != nil {
			if *v < 0 || *v > 1<<20 {
				c.bad("h3.qpack_table_capacity", "%d is out of range (0 to 1048576)", *v)
			} else {
				s.H3.QPACKTableCapacity = uint64(*v)
			}
		}
		if v := h.QPACKBlocked; v != nil {
			if *v < 0 || *v > 1000 {
				c.bad("h3.qpack_blocked_streams", "%d is out of range (0 to 1000)", *v)
			} else {
				s.H3.QPACKBlockedStreams = uint64(*v)
			}
		}
	}
	if q := d.QUIC; q != nil {
		if n, ok := c.size("quic.cert_chain", q.CertChain); ok {
			s.QUIC.CertChain = int(min(n, 1<<30))
		}
		setInt(&s.QUIC.MaxDatagramSize, q.MaxDatagramSize)
		c.duration("quic.max_ack_delay", q.MaxAckDelay, &s.QUIC.MaxAckDelay)
		c.duration("quic.initial_rtt", q.InitialRTT, &s.QUIC.InitialRTT)
	}
	c.workload(d.Workload, s)
	for i, ctl := range d.Controls {
		switch j := slices.IndexFunc(d.Controls[:i], func(o Control) bool { return o.Param == ctl.Param }); {
		case !knownControl(ctl.Param):
			c.bad(fmt.Sprintf("controls[%d].param", i), "found %s; want one of %s", units.Quote(ctl.Param), strings.Join(ControlParams, ", "))
		case j >= 0:
			// Two sliders for one setting: the page showed the first.
			c.bad(fmt.Sprintf("controls[%d].param", i), "%s is controls[%d]'s already; give each setting one control", units.Quote(ctl.Param), j)
		default:
			c.controlRange(fmt.Sprintf("controls[%d]", i), ctl)
		}
	}
	s.Controls = d.Controls
	if v := d.OpensAt; v != nil {
		switch *v {
		case "end":
		case opensAtHeldWord:
			s.OpensAt.Kind = OpensAtHeld
		default:
			at, err := units.ParseDuration(*v)
			if err != nil {
				c.bad("opens_at", "found %s; want \"end\", %q or a duration such as \"600ms\"", units.Quote(*v), opensAtHeldWord)
			}
			s.OpensAt = OpensAt{Kind: OpensAtTime, At: at}
		}
	}
	if l := d.Limits; l != nil {
		c.duration("limits.max_time", l.MaxTime, &s.Limits.MaxTime)
		if l.MaxEvents != nil {
			s.Limits.MaxEvents = *l.MaxEvents
		}
	}
	if s.Workload == WorkloadUpdates && (d.Limits == nil || d.Limits.MaxTime == nil) && s.Updates.TimeLimit > s.Limits.MaxTime {
		// A time limit the document asks for is not cut short by the
		// default limit of simulated time (20 minutes), which stopped
		// such runs with nothing delivered and no word of why.
		s.Limits.MaxTime = s.Updates.TimeLimit
	}
	// Every problem at once: validate what did convert too. A field that
	// did not keeps a default that may not fit the rest (a path change
	// at 0), so validation's word on it is left out: it has one already.
	verr := s.Validate()
	if verr == nil && len(c.errs) == 0 {
		return s, nil
	}
	var unconverted []string
	for _, e := range c.errs {
		path, _, _ := strings.Cut(e.Error(), ": ")
		unconverted = append(unconverted, path)
	}
	// Only a problem named at an unconverted field itself is left out:
	// one named at what holds it may be another problem altogether ("an
	// edge serves page workloads only").
	about := func(path string) bool {
		for _, u := range unconverted {
			if u == path {
				return true
			}
		}
		return false
	}
	all := c.errs
	for _, e := range flatten(verr) {
		e = c.documentPath(e)
		if path, _, _ := strings.Cut(e.Error(), ": "); !about(path) {
			all = append(all, e)
		}
	}
	return nil, errors.Join(all...)
}

// controlRange checks a control's range: each bound a value of its
// parameter that a run takes, min not above max, a step above 0. A slider
// from 10% down to 0% in steps of 0 was taken.
func (c *converter) controlRange(at string, ctl Control) {
	var parse func(string) (float64, error)
	lo, hi, accepted := 0.0, 0.0, ""
	num := func(s string) (float64, error) { return strconv.ParseFloat(s, 64) }
	size := func(s string) (float64, error) { v, err := units.ParseSize(s); return float64(v), err }
	switch ctl.Param {
	case "loss":
		parse, hi, accepted = units.ParseFraction, link.MaxRate, "0% to 99.9%"
	case "burst":
		parse, lo, hi, accepted = num, 1, 1000, "1 to 1000 packets"
	case "rtt":
		parse = func(s string) (float64, error) { v, err := units.ParseDuration(s); return float64(v), err }
		hi, accepted = float64(20*time.Second), "0 to 20s"
	case "bandwidth":
		parse = func(s string) (float64, error) { v, err := units.ParseRate(s); return float64(v), err }
		lo, hi, accepted = 1, float64(100*units.Gbps), "1bps to 100Gbps"
	case "conns":
		parse, lo, hi, accepted = num, 1, 64, "1 to 64"
	case "hpack_table", "qpack_table":
		parse, hi, accepted = size, 1<<20, "0 to 1048576 bytes"
	case "size":
		parse, lo, hi, accepted = size, 1, float64(100*units.GB), "1B to 100GB"
	case "seed":
		parse, hi, accepted = num, math.MaxUint64, "0 to 18446744073709551615"
	}
	var v [3]float64
	var ok [3]bool
	for k, f := range [3]struct{ name, text string }{{"min", ctl.Min}, {"max", ctl.Max}, {"step", ctl.Step}} {
		if f.text == "" {
			continue
		}
		if parse == nil {
			c.bad(at+"."+f.name, "the %s control has no range; leave min, max and step out", ctl.Param)
			continue
		}
		x, err := parse(f.text)
		switch {
		case err != nil || math.IsNaN(x):
			c.bad(at+"."+f.name, "%s is not a value of %s (%s)", units.Quote(f.text), ctl.Param, accepted)
		case k < 2 && (x < lo || x > hi):
			c.bad(at+"."+f.name, "%s is out of range (%s)", units.Cut(f.text), accepted)
		case k == 2 && !(x > 0):
			c.bad(at+".step", "%s is not a step; want more than 0", units.Cut(f.text))
		default:
			v[k], ok[k] = x, true
		}
	}
	switch {
	case ok[0] && ok[1] && v[0] > v[1]:
		c.bad(at+".max", "%s is below min, %s", ctl.Max, ctl.Min)
	case ok[0] && ok[1] && ok[2] && (v[1]-v[0])/v[2] > maxControlSteps:
		// A step of 1e-9% made a slider of 99.9 billion steps. The page
		// reads a step only with both bounds (app's ControlSpec).
		c.bad(at+".step", "%s makes more than %d steps from %s to %s; want a larger step", ctl.Step, maxControlSteps, ctl.Min, ctl.Max)
	}
}

// maxControlSteps is the most steps a control's slider may have: more
// than a slider's width in pixels several times over.
const maxControlSteps = 10000

func knownControl(p string) bool {
	for _, k := range ControlParams {
		if k == p {
			return true
		}
	}
	return false
}

func (c *converter) link(path string, l *LinkDocument, dst *LinkLoss) {
	if l == nil {
		return
	}
	if ld := l.Loss; ld != nil {
		loss := link.Loss{Model: link.LossModel(ld.Model), MeanBurst: dst.Loss.MeanBurst, DataOnly: dst.Loss.DataOnly}
		if ld.Rate != nil {
			// A plain fraction is read too ("0.007", as versions before
			// this one wrote a rate whose percentage did not read back
			// exactly): a file keeps its meaning. The CLI's --loss, with
			// no file to keep, refuses one (units.ParsePercent).
			f, err := units.ParseFraction(*ld.Rate)
			switch {
			case err != nil && strings.Contains(err.Error(), "is not a number"):
				c.bad(path+".loss.rate", "%v; want a percentage such as \"2%%\"", err)
			case err != nil: // it names what it takes
				c.bad(path+".loss.rate", "%v", err)
			}
			loss.Rate = f
		}
		if ld.MeanBurst != nil {
			loss.MeanBurst = *ld.MeanBurst
		}
		setBool(&loss.DataOnly, ld.DataOnly)
		dst.Loss = loss
	}
	if l.Drop != nil {
		dst.Drop = l.Drop
	}
	if l.Outages != nil {
		dst.Outages = nil
		for i, o := range l.Outages {
			var w link.Outage
			before := len(c.errs)
			c.duration(fmt.Sprintf("%s.outages[%d].from", path, i), &o.From, &w.From)
			c.duration(fmt.Sprintf("%s.outages[%d].to", path, i), &o.To, &w.To)
			if len(c.errs) > before {
				// Said already: the window's check would add "from 1s
				// to 0s is not a window" for a time it could not read.
				// A window that passes it keeps the later ones' places.
				w = link.Outage{From: 0, To: 1}
			}
			dst.Outages = append(dst.Outages, w)
		}
	}
}

// edge converts an edge, starting from a nearby CDN's defaults: 100 ms to
// the origin at 1 Gbps, no loss, caching, HTTP/2 to the origin.
// pathChange converts one network.path_changes entry.
func (c *converter) pathChange(path string, pd PathChangeDocument) PathChange {
	var pc PathChange
	c.duration(path+".at", &pd.At, &pc.At)
	c.duration(path+".rtt", pd.RTT, &pc.RTT)
	if pd.Bandwidth != nil {
		r, err := units.ParseRate(*pd.Bandwidth)
		if err != nil {
			c.bad(path+".bandwidth", "%v; want a rate such as \"5Mbps\"", err)
		} else {
			pc.Bandwidth = r
		}
	}
	if pd.Down != nil {
		l := LinkLoss{Loss: link.Loss{Model: link.NoLoss}}
		c.link(path+".down", pd.Down, &l)
		pc.Down = &l
	}
	if pd.Up != nil {
		l := LinkLoss{Loss: link.Loss{Model: link.NoLoss}}
		c.link(path+".up", pd.Up, &l)
		pc.Up = &l
	}
	return pc
}

func (c *converter) edge(e *EdgeDocument) *EdgeNetwork {
	out := &EdgeNetwork{RTT: 100 * time.Millisecond, Bandwidth: units.Gbps, Protocol: "h2", Loss: link.Loss{Model: link.NoLoss}}
	out.Cache = true
	c.duration("network.edge.rtt", e.RTT, &out.RTT)
	if e.Bandwidth != nil {
		r, err := units.ParseRate(*e.Bandwidth)
		if err != nil {
			c.bad("network.edge.bandwidth", "%v; want a rate such as \"1Gbps\"", err)
		} else {
			out.Bandwidth = r
		}
	}
	if e.Loss != nil {
		var l LinkLoss
		c.link("network.edge", &LinkDocument{Loss: e.Loss}, &l)
		out.Loss = l.Loss
	}
	if e.Protocol != nil {
		out.Protocol = *e.Protocol
	}
	setBool(&out.Cache, e.Cache)
	setBool(&out.Warm, e.Warm)
	setBool(&out.FollowRedirects, e.FollowRedirects)
	setBool(&out.Bypass, e.Bypass)
	return out
}

func (c *converter) workload(w *WorkloadDocument, s *Scenario) {
	if w.Kind != WorkloadUpdates && (w.Mode != nil || w.Events != nil || w.MeanGap != nil || w.Start != nil || w.EventTimes != nil ||
		w.EventSize != nil || w.PollInterval != nil || w.HoldTimeout != nil || w.Cookie != nil || w.Ack != nil || w.PingInterval != nil || w.TimeLimit != nil) {
		c.bad("workload", "mode, events and the other update settings belong to an updates workload, not %s", w.Kind)
	}
	switch w.Kind {
	case WorkloadUpdates:
		u := &s.Updates
		if w.Mode != nil {
			u.Mode = updates.Mode(*w.Mode)
		}
		if w.Events != nil {
			u.Events = *w.Events
		}
		c.duration("workload.mean_gap", w.MeanGap, &u.MeanGap)
		c.duration("workload.start", w.Start, &u.Start)
		if w.EventTimes != nil {
			if len(w.EventTimes) == 0 {
				c.bad("workload.event_times", "an empty list; give at least one time, or leave event_times out for times drawn at random")
			}
			if w.Events == nil && len(w.EventTimes) > 0 {
				// The count is the list's; the default of 20 was kept
				// and refused as disagreeing with it.
				u.Events = len(w.EventTimes)
			}
			u.EventTimes = nil
			for i, v := range w.EventTimes {
				var d time.Duration
				c.duration(fmt.Sprintf("workload.event_times[%d]", i), &v, &d)
				u.EventTimes = append(u.EventTimes, d)
			}
		}
		if n, ok := c.size("workload.event_size", w.EventSize); ok {
			u.EventSize = int(n)
		}
		c.duration("workload.poll_interval", w.PollInterval, &u.PollInterval)
		c.duration("workload.hold_timeout", w.HoldTimeout, &u.HoldTimeout)
		if n, ok := c.size("workload.cookie", w.Cookie); ok {
			u.Cookie = int(n)
		}
		setBool(&u.Ack, w.Ack)
		c.duration("workload.ping_interval", w.PingInterval, &u.PingInterval)
		c.duration("workload.time_limit", w.TimeLimit, &u.TimeLimit)
		if w.Page != nil || w.Visit != nil || w.Size != nil || w.Duration != nil {
			c.bad("workload", "page, visit, size and duration do not apply to an updates workload")
		}
	case WorkloadBulk:
		if w.Page != nil || w.Visit != nil {
			c.bad("workload", "page and visit belong to a page workload, not bulk")
		}
		if n, ok := c.size("workload.size", w.Size); ok {
			s.Bulk.Size = units.Size(n)
		}
		before := len(c.errs)
		c.duration("workload.duration", w.Duration, &s.Bulk.Duration)
		if w.Duration != nil && w.Size == nil && len(c.errs) == before {
			// A flow of that duration; a duration that did not convert
			// leaves the default size, so that validation does not also
			// say "give a size or a duration".
			s.Bulk.Size = 0
		}
	case WorkloadPage:
		if w.Size != nil || w.Duration != nil {
			c.bad("workload", "size and duration belong to a bulk workload, not page")
		}
		if w.Page != nil {
			s.Page = c.page(w.Page)
		}
		if v := w.Visit; v != nil {
			s.Visit.Repeat = v.Repeat
			if v.Age != nil {
				// Given, even as "0s", it is not the default.
				age := time.Duration(0)
				c.duration("workload.visit.age", v.Age, &age)
				s.Visit.Age = &age
			}
		}
		// workload.compression overrides the page's own, built-in or
		// spelt out (so that a variant can change only the coding).
		if cd := w.Compression; cd != nil {
			s.Page.Compression = web.Compression{Encoding: cd.Encoding}
			if cd.Ratio != nil {
				s.Page.Compression.Ratio = *cd.Ratio
			}
		}
	}
}

func (c *converter) page(pd *PageDocument) *web.Page {
	// The built-in page's origin when left out, as every other field is.
	p := &web.Page{Origin: cmp.Or(pd.Origin, Page().Page.Origin)}
	if n, ok := c.size("workload.page.cookie", pd.Cookie); ok {
		p.Cookie = int(n)
	}
	if cd := pd.Compression; cd != nil {
		p.Compression.Encoding = cd.Encoding
		if cd.Ratio != nil {
			p.Compression.Ratio = *cd.Ratio
		}
	}
	// first maps an entry of the document's list to its first resource
	// once repeats are expanded.
	first := make([]int, len(pd.Resources))
	n := 0
	for i, rd := range pd.Resources {
		first[i] = n
		if rd.Repeat != nil && *rd.Repeat > 1 && *rd.Repeat <= 1000 {
			n += *rd.Repeat
		} else {
			n++
		}
	}
	if n > web.MaxResources {
		// Said before the copies are made: a few kilobytes of repeats
		// would otherwise take gigabytes.
		c.bad("workload.page.resources", "%d resources once repeats are expanded is out of range (1 to %d)", n, web.MaxResources)
		return p
	}
	for i, rd := range pd.Resources {
		at := fmt.Sprintf("workload.page.resources[%d]", i)
		r := web.Resource{URL: rd.URL, Type: web.Type(rd.Type), Parent: -1}
		if i > 0 {
			r.Parent = 0
		}
		if n, ok := c.size(at+".size", &rd.Size); ok {
			r.Size = n
		}
		setInt(&r.Parent, rd.Parent)
		if rd.After != nil {
			if *rd.After == "end" {
				r.After = web.AfterParent
			} else if n, ok := c.size(at+".after", rd.After); ok {
				r.After = n
			}
		}
		setInt(&r.Status, rd.Status)
		if rd.Location != nil {
			r.Location = *rd.Location
		}
		if rd.MaxAge != nil {
			var d time.Duration
			c.duration(at+".max_age", rd.MaxAge, &d)
			if d%time.Second != 0 {
				// It was cut to whole seconds, 500ms to no max-age at all.
				c.bad(at+".max_age", "%v is not a whole number of seconds (Cache-Control: max-age counts seconds, RFC 9111 §5.2.2.1; no_cache asks for revalidation every time)", d)
			}
			r.MaxAge = int64(d / time.Second)
		}
		setBool(&r.NoCache, rd.NoCache)
		setBool(&r.NoStore, rd.NoStore)
		setBool(&r.ETag, rd.ETag)
		setBool(&r.LastModified, rd.LastModified)
		c.duration(at+".server_time", rd.ServerTime, &r.ServerTime)
		setBool(&r.Chunked, rd.Chunked)
		if rd.Method != nil {
			r.Method = *rd.Method
		}
		if n, ok := c.size(at+".request_body", rd.RequestBody); ok {
			r.RequestBody = n
		}
		setBool(&r.Push, rd.Push)
		setBool(&r.Lazy, rd.Lazy)
		if r.Parent >= 0 && r.Parent < len(first) {
			r.Parent = first[r.Parent]
		}
		copies := 1
		if rd.Repeat != nil {
			if *rd.Repeat < 1 || *rd.Repeat > 1000 {
				c.bad(at+".repeat", "%d is out of range (1 to 1000)", *rd.Repeat)
			} else {
				copies = *rd.Repeat
			}
		}
		if copies == 1 {
			p.Resources = append(p.Resources, r)
			c.resourcePaths, c.copyNotes = append(c.resourcePaths, at), append(c.copyNotes, "")
			continue
		}
		for k := 1; k <= copies; k++ {
			c.resourcePaths = append(c.resourcePaths, at)
			c.copyNotes = append(c.copyNotes, fmt.Sprintf(" (copy %d of %d)", k, copies))
			cp := r
			if strings.Contains(r.URL, "%d") {
				cp.URL = strings.Replace(r.URL, "%d", strconv.Itoa(k), 1)
			} else {
				cp.URL = fmt.Sprintf("%s-%d", r.URL, k)
			}
			p.Resources = append(p.Resources, cp)
		}
	}
	if len(c.resourcePaths) == len(pd.Resources) {
		c.resourcePaths, c.copyNotes = nil, nil // no repeats: the paths are the document's
	}
	return p
}

// MaxVariants is the most variants a scenario document may have: more
// than the widest comparison a page or a table can show side by side.
const MaxVariants = 16

// itoa is strconv.Itoa, for the encoder.
var itoa = strconv.Itoa
