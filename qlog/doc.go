// Package qlog exports a run's trace as qlog, the structured event log that
// qvis (https://qvis.quictools.info) draws sequence diagrams, congestion
// graphs and multiplexing views from.
//
// It writes qlog_version "0.3", the version qvis reads: the JSON form of the
// QlogFile of draft-ietf-quic-qlog-main-schema-02 ("QlogFile", "Trace",
// "VantagePoint", "CommonFields", "Event"), with the event names and data of
// draft-ietf-quic-qlog-quic-events-02 (categories connectivity, transport,
// recovery) and draft-ietf-quic-qlog-h3-events-02 (category http). Each
// mapping cites the section of the draft its names come from.
//
// An HTTP/1.x or HTTP/2 run is written in the dialect qvis's own TCP+TLS+H2
// converter produces, which the drafts do not define: transport:packet_sent
// and packet_received with header.sequence_number, tls:record_created and
// record_parsed, and http2:frame_created and frame_parsed.
//
// The file holds two traces, the client's view and the server's, each built
// only from the events that endpoint observed; what the network did (a
// packet dropped on a link) belongs to neither and is left out. Times are
// milliseconds of simulated time relative to reference_time 0, the start of
// the run: a qlog file of the same run is the same bytes on every machine.
//
// A QUIC packet that came before the keys to read it (RFC 9001 §5.7) is
// logged twice: transport:packet_buffered when it arrived, trigger
// "keys_unavailable", and transport:packet_received when it was read.
//
// The CLI's export and the page's run downloads (app/rundownload.go) use
// it; nothing under sim/ may import it (it uses encoding/json).
package qlog
