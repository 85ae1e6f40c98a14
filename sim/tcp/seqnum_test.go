package tcp

import "testing"

func TestSeqWrap(t *testing.T) {
	tests := []struct {
		a, b Seq
		less bool
		sub  int64
	}{
		{1, 2, true, -1},
		{0xffffffff, 0, true, -1},
		{0xfffffff0, 0x10, true, -0x20},
		{0x10, 0xfffffff0, false, 0x20},
		{5, 5, false, 0},
	}
	for _, tt := range tests {
		if got := tt.a.LessThan(tt.b); got != tt.less {
			t.Errorf("%#x.LessThan(%#x) = %v; want %v", tt.a, tt.b, got, tt.less)
		}
		if got := tt.a.Sub(tt.b); got != tt.sub {
			t.Errorf("%#x.Sub(%#x) = %d; want %d", tt.a, tt.b, got, tt.sub)
		}
	}
	if got := Seq(0xfffffff0).Add(0x20); got != 0x10 {
		t.Errorf("Add across 2^32 = %#x; want 0x10", got)
	}
	if !Seq(3).InWindow(0xfffffffe, 10) || Seq(20).InWindow(0xfffffffe, 10) {
		t.Error("InWindow across 2^32 is wrong")
	}
}
