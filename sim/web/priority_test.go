package web

import "testing"

func TestPriorityField(t *testing.T) {
	tests := []struct {
		in          string
		urgency     int
		incremental bool
	}{
		{"u=0", 0, false},
		{"u=4, i", 4, true},
		{"i", 3, true},
		{"u=9, i=?0", 3, false},
		{"", 3, false},
		{"u=2, foo=bar", 2, false},
	}
	for _, tt := range tests {
		u, i := ParsePriority(tt.in)
		if u != tt.urgency || i != tt.incremental {
			t.Errorf("ParsePriority(%q) = %d, %v; want %d, %v", tt.in, u, i, tt.urgency, tt.incremental)
		}
	}
	for _, c := range []struct {
		u   int
		i   bool
		out string
	}{{3, false, ""}, {0, false, "u=0"}, {4, true, "u=4, i"}, {3, true, "i"}} {
		if got := FormatPriority(c.u, c.i); got != c.out {
			t.Errorf("FormatPriority(%d, %v) = %q; want %q", c.u, c.i, got, c.out)
		}
		if u, i := ParsePriority(FormatPriority(c.u, c.i)); u != c.u || i != c.i {
			t.Errorf("round trip of (%d, %v) gave (%d, %v)", c.u, c.i, u, i)
		}
	}
}
