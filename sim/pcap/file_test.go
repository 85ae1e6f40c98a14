package pcap

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"testing"

	"httpsim/sim"
)

func TestAppendFileHeader(t *testing.T) {
	got := hex.EncodeToString(AppendFileHeader(nil, LinkTypeRaw))
	// Little-endian: magic a1b23c4d, version 2.4, two reserved words,
	// snap length 262144 (0x40000), link type 101.
	want := "4d3cb2a1" + "0200" + "0400" + "00000000" + "00000000" + "00000400" + "65000000"
	if got != want {
		t.Errorf("AppendFileHeader(nil, 101) = %s; want %s", got, want)
	}
}

func TestAppendRecord(t *testing.T) {
	tests := []struct {
		at   sim.Time
		pkt  []byte
		want string
	}{
		{0, nil, "00000000" + "00000000" + "00000000" + "00000000"},
		// 1.5 s and 7 ns: seconds, then nanoseconds in the fraction.
		{1_500_000_007, []byte{0x45, 0}, "01000000" + "0765cd1d" + "02000000" + "02000000" + "4500"},
	}
	for _, tt := range tests {
		if got := hex.EncodeToString(AppendRecord(nil, tt.at, tt.pkt)); got != tt.want {
			t.Errorf("AppendRecord(%d, %x) = %s; want %s", tt.at, tt.pkt, got, tt.want)
		}
	}
}

// twoRecords is a file of two packets.
func twoRecords() []byte {
	b := AppendFileHeader(nil, LinkTypeRaw)
	b = AppendRecord(b, 1_000, []byte("first"))
	return AppendRecord(b, 2_000_000_001, []byte("second!"))
}

func TestReadRoundTrip(t *testing.T) {
	f, err := Read(twoRecords())
	if err != nil {
		t.Fatal(err)
	}
	if !f.Nanoseconds || f.BigEndian || f.Major != 2 || f.Minor != 4 || f.SnapLen != SnapLen || f.LinkType != LinkTypeRaw {
		t.Errorf("Read header = %+v; want nanoseconds, little-endian, 2.4, %d, %d", f, SnapLen, LinkTypeRaw)
	}
	want := []Record{{1_000, 5, []byte("first")}, {2_000_000_001, 7, []byte("second!")}}
	if len(f.Records) != len(want) {
		t.Fatalf("Read = %d records; want %d", len(f.Records), len(want))
	}
	for i, r := range f.Records {
		if r.At != want[i].At || r.OrigLen != want[i].OrigLen || !bytes.Equal(r.Data, want[i].Data) {
			t.Errorf("Read record %d = %+v; want %+v", i, r, want[i])
		}
	}
}

// Every truncation of a valid file either ends at a record boundary (and
// reads that many records) or fails with ErrTruncated.
func TestReadTruncated(t *testing.T) {
	b := twoRecords()
	bounds := map[int]int{FileHeaderLen: 0, FileHeaderLen + RecordHeaderLen + 5: 1, len(b): 2}
	for n := 0; n <= len(b); n++ {
		f, err := Read(b[:n])
		want, whole := bounds[n]
		switch {
		case whole && (err != nil || len(f.Records) != want):
			t.Errorf("Read(%d of %d bytes) = %v; want %d records", n, len(b), err, want)
		case !whole && !errors.Is(err, ErrTruncated):
			t.Errorf("Read(%d of %d bytes) = %v; want ErrTruncated", n, len(b), err)
		}
	}
}

func TestReadOtherFiles(t *testing.T) {
	// A big-endian file with microsecond timestamps, as old tools write.
	be := binary.BigEndian
	b := be.AppendUint32(nil, MagicMicroseconds)
	b = be.AppendUint16(b, 2)
	b = be.AppendUint16(b, 4)
	b = be.AppendUint32(b, 0)
	b = be.AppendUint32(b, 0)
	b = be.AppendUint32(b, 65535)
	b = be.AppendUint32(b, 1)
	b = be.AppendUint32(b, 3)   // seconds
	b = be.AppendUint32(b, 250) // microseconds
	b = be.AppendUint32(b, 2)
	b = be.AppendUint32(b, 60)
	b = append(b, 0xab, 0xcd)
	f, err := Read(b)
	if err != nil || f.Nanoseconds || !f.BigEndian || f.LinkType != 1 || len(f.Records) != 1 {
		t.Fatalf("Read(big-endian µs) = %+v, %v", f, err)
	}
	if r := f.Records[0]; r.At != 3_000_250_000 || r.OrigLen != 60 || len(r.Data) != 2 {
		t.Errorf("Read(big-endian µs) record = %+v; want at 3.00025 s, 2 of 60 bytes", r)
	}

	tests := []struct {
		name string
		b    []byte
		want error
	}{
		{"bad magic", append([]byte{1, 2, 3, 4}, make([]byte, 20)...), ErrMagic},
		{"longer than snap length", recordClaiming(SnapLen+1, SnapLen+1), ErrRecordLen},
		{"more than the original", recordClaiming(5, 4), ErrRecordLen},
	}
	for _, tt := range tests {
		if _, err := Read(tt.b); !errors.Is(err, tt.want) {
			t.Errorf("Read(%s) = %v; want %v", tt.name, err, tt.want)
		}
	}
}

// recordClaiming is a file of one record header saying incl bytes of orig.
func recordClaiming(incl, orig uint32) []byte {
	le := binary.LittleEndian
	b := AppendFileHeader(nil, LinkTypeRaw)
	b = le.AppendUint64(b, 0)
	b = le.AppendUint32(b, incl)
	b = le.AppendUint32(b, orig)
	return append(b, make([]byte, incl)...)
}

func FuzzRead(f *testing.F) {
	f.Add(twoRecords())
	f.Add(AppendFileHeader(nil, LinkTypeRaw))
	f.Add(recordClaiming(5, 4))
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := Read(b)
		if err != nil {
			return
		}
		// What was read accounts for every byte of the file.
		n := FileHeaderLen
		for _, r := range file.Records {
			if len(r.Data) > r.OrigLen || uint32(len(r.Data)) > file.SnapLen {
				t.Fatalf("record of %d bytes of %d, snap length %d", len(r.Data), r.OrigLen, file.SnapLen)
			}
			n += RecordHeaderLen + len(r.Data)
		}
		if n != len(b) {
			t.Fatalf("Read accounted for %d of %d bytes", n, len(b))
		}
	})
}
