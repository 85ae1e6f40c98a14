package qlog

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// Version is the qlog_version written: "0.3", that of
// draft-ietf-quic-qlog-main-schema-02 and the one qvis reads.
const Version = "0.3"

// File is a QlogFile (main schema -02, "QlogFile"): a few header fields and
// the traces, here one per vantage point.
type File struct {
	QlogVersion string `json:"qlog_version"`
	// QlogFormat is the serialization, "JSON" (main schema -02,
	// "qlog_format").
	QlogFormat  string   `json:"qlog_format"`
	Title       string   `json:"title,omitempty"`
	Description string   `json:"description,omitempty"`
	Traces      []*Trace `json:"traces"`
}

// Trace is one endpoint's log (main schema -02, "Trace").
type Trace struct {
	Title        string       `json:"title,omitempty"`
	Description  string       `json:"description,omitempty"`
	VantagePoint VantagePoint `json:"vantage_point"`
	CommonFields CommonFields `json:"common_fields"`
	Events       []Event      `json:"events"`
}

// VantagePoint says where a trace was recorded (main schema -02,
// "VantagePoint"): type "client" or "server".
type VantagePoint struct {
	Name string `json:"name,omitempty"`
	Type string `json:"type"`
}

// CommonFields hold what every event of a trace shares (main schema -02,
// "CommonFields"). With time_format "relative" each event's time is
// milliseconds after reference_time, itself in milliseconds; the simulation
// starts at 0 and has no wall clock, so reference_time is 0.
type CommonFields struct {
	ProtocolType  []string `json:"protocol_type"`
	TimeFormat    string   `json:"time_format"`
	ReferenceTime float64  `json:"reference_time"`
	// GroupID names the connection when the trace has only one (main
	// schema -02, "group_id"); otherwise each event carries its own.
	GroupID string `json:"group_id,omitempty"`
}

// Event is one qlog event (main schema -02, "Event"): its time in
// milliseconds, its "category:event" name and its data.
type Event struct {
	Time float64 `json:"time"`
	Name string  `json:"name"`
	Data any     `json:"data"`
	// GroupID is the connection, set when the trace has several.
	GroupID string `json:"group_id,omitempty"`

	conn int32 // the transport connection, for GroupID
}

// WriteTo writes f as JSON, one event to a line so that two exports can be
// compared with diff. The bytes depend only on f.
func (f *File) WriteTo(w io.Writer) (int64, error) {
	cw := &countingWriter{w: bufio.NewWriterSize(w, 64<<10)}
	head, err := json.Marshal(struct {
		QlogVersion string `json:"qlog_version"`
		QlogFormat  string `json:"qlog_format"`
		Title       string `json:"title,omitempty"`
		Description string `json:"description,omitempty"`
	}{f.QlogVersion, f.QlogFormat, f.Title, f.Description})
	if err != nil {
		return 0, err
	}
	cw.write(head[:len(head)-1])
	cw.write([]byte(`,"traces":[`))
	for i, t := range f.Traces {
		if i > 0 {
			cw.write([]byte(","))
		}
		if err := t.write(cw); err != nil {
			return cw.n, err
		}
	}
	cw.write([]byte("\n]}\n"))
	if cw.err == nil {
		cw.err = cw.w.(*bufio.Writer).Flush()
	}
	return cw.n, cw.err
}

func (t *Trace) write(cw *countingWriter) error {
	head, err := json.Marshal(struct {
		Title        string       `json:"title,omitempty"`
		Description  string       `json:"description,omitempty"`
		VantagePoint VantagePoint `json:"vantage_point"`
		CommonFields CommonFields `json:"common_fields"`
	}{t.Title, t.Description, t.VantagePoint, t.CommonFields})
	if err != nil {
		return err
	}
	cw.write([]byte("\n"))
	cw.write(head[:len(head)-1])
	cw.write([]byte(`,"events":[`))
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for i := range t.Events {
		buf.Reset()
		if err := enc.Encode(&t.Events[i]); err != nil {
			return fmt.Errorf("qlog: event %d (%s) of the %s trace: %w", i, t.Events[i].Name, t.VantagePoint.Type, err)
		}
		if i > 0 {
			cw.write([]byte(","))
		}
		cw.write([]byte("\n"))
		cw.write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	}
	cw.write([]byte("\n]}"))
	return cw.err
}

// countingWriter counts what it writes and keeps the first error.
type countingWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countingWriter) write(p []byte) {
	if c.err != nil {
		return
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.err = err
}
