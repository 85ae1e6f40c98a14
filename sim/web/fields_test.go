package web

import (
	"reflect"
	"testing"
)

// TestDecodeMatchesAddField checks DecodeRequest and DecodeResponse against
// the New*/AddField sequence they stand for, Header's nil-ness included.
func TestDecodeMatchesAddField(t *testing.T) {
	tests := []struct {
		name   string
		fields []Field
	}{
		{"none", nil},
		{"pseudo only", []Field{{":method", "GET"}, {":scheme", "https"}, {":authority", "a"}, {":path", "/"}, {":status", "204"}}},
		{"priority", []Field{{":method", "GET"}, {":path", "/x"}, {"priority", "u=1, i"}, {"accept", "*/*"}}},
		{"more than the room", []Field{
			{":status", "200"}, {"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}, {"e", "5"},
			{"f", "6"}, {"g", "7"}, {"h", "8"}, {"i", "9"}, {"content-length", "10"},
		}},
	}
	for _, tt := range tests {
		field := func(i int) (string, string) { return tt.fields[i].Name, tt.fields[i].Value }

		want := NewDecodedRequest()
		for _, f := range tt.fields {
			want.AddField(f.Name, f.Value)
		}
		if got := DecodeRequest(len(tt.fields), field); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: DecodeRequest = %+v; want %+v", tt.name, got, want)
		}

		wantResp := NewDecodedResponse(42)
		for _, f := range tt.fields {
			wantResp.AddField(f.Name, f.Value)
		}
		if got := DecodeResponse(42, len(tt.fields), field); !reflect.DeepEqual(got, wantResp) {
			t.Errorf("%s: DecodeResponse = %+v; want %+v", tt.name, got, wantResp)
		}
	}
}
