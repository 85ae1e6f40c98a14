package trace

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"httpsim/sim"
)

// The kept events come back in emission order from both All and Events,
// across block boundaries, and a log that does not keep them returns none.
func TestLogKeepsEventsInOrderAcrossBlocks(t *testing.T) {
	for _, n := range []int{0, 1, blockLen - 1, blockLen, blockLen + 1, 3*blockLen + 7} {
		log := NewLog(true)
		for i := range n {
			log.Emit(Event{At: sim.Time(i), Kind: PacketSent, PN: int64(i)})
		}
		if log.Kept() != n || log.Len() != int64(n) {
			t.Fatalf("n=%d: Kept %d, Len %d", n, log.Kept(), log.Len())
		}
		var pns []int64
		for e := range log.All() {
			pns = append(pns, e.PN)
		}
		events := log.Events()
		if len(pns) != n || len(events) != n {
			t.Fatalf("n=%d: All yielded %d, Events returned %d", n, len(pns), len(events))
		}
		for i := range n {
			if pns[i] != int64(i) || events[i].PN != int64(i) {
				t.Fatalf("n=%d: event %d has PN %d (All) / %d (Events)", n, i, pns[i], events[i].PN)
			}
		}
	}
	off := NewLog(false)
	off.Emit(Event{Kind: PacketSent})
	if off.Kept() != 0 || off.Events() != nil || off.Len() != 1 {
		t.Errorf("non-keeping log: Kept %d, Events %v, Len %d; want 0, nil, 1", off.Kept(), off.Events(), off.Len())
	}
}

// Breaking out of All stops it.
func TestLogAllStopsEarly(t *testing.T) {
	log := NewLog(true)
	for i := range 2*blockLen + 1 {
		log.Emit(Event{PN: int64(i)})
	}
	var seen []int64
	for e := range log.All() {
		seen = append(seen, e.PN)
		if len(seen) == blockLen+2 {
			break
		}
	}
	if !slices.Equal(seen[blockLen:], []int64{blockLen, blockLen + 1}) || len(seen) != blockLen+2 {
		t.Errorf("saw %d events ending %v", len(seen), seen[len(seen)-2:])
	}
}

// mixString and mixBytes fold bytes as the original one-byte-at-a-time loop
// did (the trace hashes of saved runs depend on it), for every tail length.
func TestMixMatchesBytewiseFold(t *testing.T) {
	bytewise := func(h uint64, b []byte) uint64 {
		h = mix(h, uint64(len(b)))
		var w uint64
		n := 0
		for _, c := range b {
			w = w<<8 | uint64(c)
			if n++; n == 8 {
				h = mix(h, w)
				w, n = 0, 0
			}
		}
		if n > 0 {
			h = mix(h, w)
		}
		return h
	}
	var b []byte
	for n := range 40 {
		want := bytewise(hashSeed, b)
		if got := mixBytes(hashSeed, b); got != want {
			t.Errorf("mixBytes(%d bytes) = %x; want %x", n, got, want)
		}
		if got := mixString(hashSeed, string(b)); got != want {
			t.Errorf("mixString(%d bytes) = %x; want %x", n, got, want)
		}
		b = append(b, byte(n*37+11))
	}
}

// Every field of an event comes back from Events, All and an observer, so
// the field-by-field copies stay in step with Event; an event without text
// read after one with text has none.
func TestLogCopiesEveryField(t *testing.T) {
	var full Event
	v := reflect.ValueOf(&full).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString(fmt.Sprintf("field %d", i))
		case reflect.Slice:
			f.SetBytes([]byte{byte(i), 1, 2})
		case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			f.SetInt(int64(i + 1))
		case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			f.SetUint(uint64(i + 1))
		default:
			t.Fatalf("field %s: kind %s not filled", v.Type().Field(i).Name, f.Kind())
		}
	}
	numbersOnly := full
	numbersOnly.Name, numbersOnly.Value, numbersOnly.Raw = "", "", nil
	want := []Event{full, numbersOnly, {Kind: PacketSent, Name: "n"}, {Raw: []byte{}}}

	log := NewLog(true)
	var observed []Event
	log.Observe(func(e *Event) { observed = append(observed, *e) })
	for _, e := range want {
		log.Emit(e)
	}
	var all []Event
	for e := range log.All() {
		all = append(all, *e)
	}
	for _, got := range []struct {
		name   string
		events []Event
	}{{"Events", log.Events()}, {"All", all}, {"observer", observed}} {
		if !reflect.DeepEqual(got.events, want) {
			t.Errorf("%s = %+v; want %+v", got.name, got.events, want)
		}
	}
}
