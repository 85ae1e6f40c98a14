package qpack

//go:generate go test -run TestStaticTableGenerated -update

// StaticTableLen is the number of entries in the static table (RFC 9204
// Appendix A): valid static indexes are 0..StaticTableLen-1 (§3.1).
const StaticTableLen = len(staticTable)

// pair is a table entry's name and value.
type pair struct{ name, value string }

// staticPairs maps each (name, value) of the static table to its index and
// staticNames each name to its lowest index, for the encoder's lookups.
// (Several names appear more than once, e.g. :status at 24-28 and 63-71.)
var staticPairs, staticNames = func() (map[pair]uint8, map[string]uint8) {
	pairs := make(map[pair]uint8, len(staticTable))
	names := make(map[string]uint8, len(staticTable))
	for i, f := range staticTable {
		pairs[pair{f.Name, f.Value}] = uint8(i)
		if _, ok := names[f.Name]; !ok {
			names[f.Name] = uint8(i)
		}
	}
	return pairs, names
}()

// StaticTable returns a copy of the static table (RFC 9204 Appendix A) as
// table entries, index 0 first.
func StaticTable() []TableEntry {
	out := make([]TableEntry, len(staticTable))
	for i, f := range staticTable {
		out[i] = TableEntry{Index: uint64(i), Name: f.Name, Value: f.Value, Size: EntrySize(f.Name, f.Value)}
	}
	return out
}
