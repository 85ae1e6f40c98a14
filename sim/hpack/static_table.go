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

// staticByLen lists, for each name length, the index of the first entry of
// every static name that long: a lookup compares a handful of names of the
// right length instead of hashing (hashing strings is slow in WebAssembly,
// which has no AES instructions for the runtime's hash).
var staticByLen = func() (byLen [maxStaticNameLen + 1][]uint8) {
	for i, f := range staticTable {
		if i > 0 && staticTable[i-1].Name == f.Name {
			continue
		}
		byLen[len(f.Name)] = append(byLen[len(f.Name)], uint8(i+1))
	}
	return byLen
}()

// maxStaticNameLen is the length of the longest static name
// ("access-control-allow-origin").
const maxStaticNameLen = 27

// staticLookup returns the index of the static entry matching name and
// value, and the lowest index of an entry matching name; 0 if none. Entries
// with the same name are adjacent in the static table (RFC 7541 Appendix
// A), and no two entries have the same name and value.
func staticLookup(name, value string) (both, nameOnly int) {
	if len(name) > maxStaticNameLen {
		return 0, 0
	}
	for _, first := range staticByLen[len(name)] {
		if staticTable[first-1].Name != name {
			continue
		}
		for i := int(first); i <= len(staticTable) && staticTable[i-1].Name == name; i++ {
			if staticTable[i-1].Value == value {
				return i, i
			}
		}
		return 0, int(first)
	}
	return 0, 0
}

// StaticTable returns a copy of the static table (RFC 7541 Appendix A) as
// table entries, index 1 first.
func StaticTable() []TableEntry {
	out := make([]TableEntry, len(staticTable))
	for i, f := range staticTable {
		out[i] = TableEntry{Index: i + 1, Name: f.Name, Value: f.Value, Size: EntrySize(f.Name, f.Value)}
	}
	return out
}
