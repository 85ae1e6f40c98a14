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

// Content-Length is 1*DIGIT (RFC 9110 §8.6): anything else reads as no
// length. ParseInt took a sign.
func TestResponseContentLength(t *testing.T) {
	tests := []struct {
		value string
		want  int64
	}{
		{"", -1}, {"0", 0}, {"1234", 1234}, {"+5", -1}, {"-5", -1}, {" 5", -1}, {"5 ", -1}, {"0x10", -1},
		{"9223372036854775807", 9223372036854775807}, {"9223372036854775808", -1},
	}
	for _, tt := range tests {
		r := &Response{Status: 200}
		if tt.value != "" {
			r.Header = []Field{{"content-length", tt.value}}
		}
		if got := r.ContentLength(); got != tt.want {
			t.Errorf("ContentLength(%q) = %d; want %d", tt.value, got, tt.want)
		}
	}
}
