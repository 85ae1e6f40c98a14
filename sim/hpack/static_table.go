package hpack

// staticTable is the static table of RFC 7541 Appendix A; staticTable[i-1]
// has index i. Its contents are checked against golang.org/x/net/http2/hpack
// by static_table_test.go.
var staticTable = [...]HeaderField{
	{Name: ":authority"},
	{Name: ":method", Value: "GET"},
	{Name: ":method", Value: "POST"},
	{Name: ":path", Value: "/"},
	{Name: ":path", Value: "/index.html"},
	{Name: ":scheme", Value: "http"},
	{Name: ":scheme", Value: "https"},
	{Name: ":status", Value: "200"},
	{Name: ":status", Value: "204"},
	{Name: ":status", Value: "206"},
	{Name: ":status", Value: "304"},
	{Name: ":status", Value: "400"},
	{Name: ":status", Value: "404"},
	{Name: ":status", Value: "500"},
	{Name: "accept-charset"},
	{Name: "accept-encoding", Value: "gzip, deflate"},
	{Name: "accept-language"},
	{Name: "accept-ranges"},
	{Name: "accept"},
	{Name: "access-control-allow-origin"},
	{Name: "age"},
	{Name: "allow"},
	{Name: "authorization"},
	{Name: "cache-control"},
	{Name: "content-disposition"},
	{Name: "content-encoding"},
	{Name: "content-language"},
	{Name: "content-length"},
	{Name: "content-location"},
	{Name: "content-range"},
	{Name: "content-type"},
	{Name: "cookie"},
	{Name: "date"},
	{Name: "etag"},
	{Name: "expect"},
	{Name: "expires"},
	{Name: "from"},
	{Name: "host"},
	{Name: "if-match"},
	{Name: "if-modified-since"},
	{Name: "if-none-match"},
	{Name: "if-range"},
	{Name: "if-unmodified-since"},
	{Name: "last-modified"},
	{Name: "link"},
	{Name: "location"},
	{Name: "max-forwards"},
	{Name: "proxy-authenticate"},
	{Name: "proxy-authorization"},
	{Name: "range"},
	{Name: "referer"},
	{Name: "refresh"},
	{Name: "retry-after"},
	{Name: "server"},
	{Name: "set-cookie"},
	{Name: "strict-transport-security"},
	{Name: "transfer-encoding"},
	{Name: "user-agent"},
	{Name: "vary"},
	{Name: "via"},
	{Name: "www-authenticate"},
}

// StaticTableLen is the number of entries in the static table; dynamic
// table entries are indexed from StaticTableLen+1 (RFC 7541 §2.3.3).
const StaticTableLen = len(staticTable)

// staticPairs maps each (name, value) of the static table to its index and
// staticNames each name to its lowest index, for the encoder's lookups.
var staticPairs, staticNames = func() (map[pair]uint8, map[string]uint8) {
	pairs := make(map[pair]uint8, len(staticTable))
	names := make(map[string]uint8, len(staticTable))
	for i, f := range staticTable {
		pairs[pair{f.Name, f.Value}] = uint8(i + 1)
		if _, ok := names[f.Name]; !ok {
			names[f.Name] = uint8(i + 1)
		}
	}
	return pairs, names
}()

// StaticTable returns a copy of the static table (RFC 7541 Appendix A) as
// table entries, index 1 first.
func StaticTable() []TableEntry {
	out := make([]TableEntry, len(staticTable))
	for i, f := range staticTable {
		out[i] = TableEntry{Index: i + 1, Name: f.Name, Value: f.Value, Size: EntrySize(f.Name, f.Value)}
	}
	return out
}
