package h2

import (
	"reflect"
	"testing"
)

func TestSettingValid(t *testing.T) {
	tests := []struct {
		s    Setting
		code ErrCode // 0 with ok means valid
		ok   bool
	}{
		{Setting{SettingHeaderTableSize, 0xffffffff}, 0, true},
		{Setting{SettingEnablePush, 0}, 0, true},
		{Setting{SettingEnablePush, 1}, 0, true},
		{Setting{SettingEnablePush, 2}, ErrCodeProtocol, false},
		{Setting{SettingMaxConcurrentStreams, 0}, 0, true},
		{Setting{SettingInitialWindowSize, MaxWindowSize}, 0, true},
		{Setting{SettingInitialWindowSize, MaxWindowSize + 1}, ErrCodeFlowControl, false},
		{Setting{SettingMaxFrameSize, DefaultMaxFrameSize - 1}, ErrCodeProtocol, false},
		{Setting{SettingMaxFrameSize, DefaultMaxFrameSize}, 0, true},
		{Setting{SettingMaxFrameSize, MaxFrameSizeLimit}, 0, true},
		{Setting{SettingMaxFrameSize, MaxFrameSizeLimit + 1}, ErrCodeProtocol, false},
		{Setting{SettingMaxHeaderListSize, 0}, 0, true},
		{Setting{SettingEnableConnectProtocol, 1}, 0, true},
		{Setting{SettingEnableConnectProtocol, 2}, ErrCodeProtocol, false},
		{Setting{SettingNoRFC7540Priorities, 1}, 0, true},
		{Setting{SettingNoRFC7540Priorities, 0xffffffff}, ErrCodeProtocol, false},
		{Setting{0x7, 0xffffffff}, 0, true}, // unknown: ignored (§6.5.2)
	}
	for _, tt := range tests {
		err := tt.s.Valid()
		code, conn, _ := ErrorCodeOf(err)
		if (err == nil) != tt.ok || (!tt.ok && (code != tt.code || !conn)) {
			t.Errorf("%v.Valid() = %v; want ok=%v code %v", tt.s, err, tt.ok, tt.code)
		}
	}
}

func TestSettingIDString(t *testing.T) {
	tests := []struct {
		id   SettingID
		want string
	}{
		{SettingHeaderTableSize, "SETTINGS_HEADER_TABLE_SIZE"},
		{SettingEnablePush, "SETTINGS_ENABLE_PUSH"},
		{SettingMaxConcurrentStreams, "SETTINGS_MAX_CONCURRENT_STREAMS"},
		{SettingInitialWindowSize, "SETTINGS_INITIAL_WINDOW_SIZE"},
		{SettingMaxFrameSize, "SETTINGS_MAX_FRAME_SIZE"},
		{SettingMaxHeaderListSize, "SETTINGS_MAX_HEADER_LIST_SIZE"},
		{SettingEnableConnectProtocol, "SETTINGS_ENABLE_CONNECT_PROTOCOL"},
		{SettingNoRFC7540Priorities, "SETTINGS_NO_RFC7540_PRIORITIES"},
		{0x4d44, "SETTINGS_UNKNOWN_0x4d44"},
	}
	for _, tt := range tests {
		if got := tt.id.String(); got != tt.want {
			t.Errorf("SettingID(%#x).String() = %q; want %q", uint16(tt.id), got, tt.want)
		}
	}
}

func TestSettingsApply(t *testing.T) {
	s := DefaultSettings()
	want := Settings{HeaderTableSize: 4096, EnablePush: true, MaxConcurrentStreams: NoLimit,
		InitialWindowSize: 65535, MaxFrameSize: 16384, MaxHeaderListSize: NoLimit}
	if s != want {
		t.Fatalf("DefaultSettings() = %+v; want %+v", s, want)
	}
	frame := []Setting{
		{SettingHeaderTableSize, 0}, {SettingEnablePush, 0}, {SettingMaxConcurrentStreams, 100},
		{SettingInitialWindowSize, 1 << 20}, {SettingMaxFrameSize, 1 << 15}, {SettingMaxHeaderListSize, 8192},
		{SettingEnableConnectProtocol, 1}, {SettingNoRFC7540Priorities, 1}, {0xabcd, 9},
		{SettingMaxConcurrentStreams, 250}, // the last value wins (§6.5)
	}
	for _, st := range frame {
		if err := s.Apply(st); err != nil {
			t.Fatalf("Apply(%v) = %v", st, err)
		}
	}
	want = Settings{HeaderTableSize: 0, EnablePush: false, MaxConcurrentStreams: 250, InitialWindowSize: 1 << 20,
		MaxFrameSize: 1 << 15, MaxHeaderListSize: 8192, EnableConnectProtocol: true, NoRFC7540Priorities: true}
	if s != want {
		t.Errorf("after Apply: %+v; want %+v", s, want)
	}
	if err := s.Apply(Setting{SettingMaxFrameSize, 1}); err == nil || s.MaxFrameSize != 1<<15 {
		t.Errorf("Apply(MAX_FRAME_SIZE=1) = %v, MaxFrameSize %d; want an error and no change", err, s.MaxFrameSize)
	}
	wantChanged := []Setting{
		{SettingHeaderTableSize, 0}, {SettingEnablePush, 0}, {SettingMaxConcurrentStreams, 250},
		{SettingInitialWindowSize, 1 << 20}, {SettingMaxFrameSize, 1 << 15}, {SettingMaxHeaderListSize, 8192},
		{SettingEnableConnectProtocol, 1}, {SettingNoRFC7540Priorities, 1},
	}
	if got := s.Changed(DefaultSettings()); !reflect.DeepEqual(got, wantChanged) {
		t.Errorf("Changed(DefaultSettings()) = %v; want %v", got, wantChanged)
	}
	if got := DefaultSettings().Changed(DefaultSettings()); got != nil {
		t.Errorf("DefaultSettings().Changed(DefaultSettings()) = %v; want nil", got)
	}
	// A frame built from Changed, parsed and applied to the defaults,
	// gives back s.
	f := SettingsFrame{Settings: s.Changed(DefaultSettings())}
	parsed, _, err := ReadFrame(f.Append(nil), DefaultMaxFrameSize)
	if err != nil {
		t.Fatalf("ReadFrame(SETTINGS) = %v", err)
	}
	back := DefaultSettings()
	for _, st := range parsed.(*SettingsFrame).Settings {
		back.Apply(st)
	}
	if back != s {
		t.Errorf("defaults + SETTINGS(Changed) = %+v; want %+v", back, s)
	}
	if v, ok := parsed.(*SettingsFrame).Value(SettingMaxConcurrentStreams); !ok || v != 250 {
		t.Errorf("Value(MAX_CONCURRENT_STREAMS) = %d, %v; want 250, true", v, ok)
	}
	if _, ok := parsed.(*SettingsFrame).Value(0xabcd); ok {
		t.Errorf("Value(0xabcd) ok = true; want false")
	}
}
