package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/hack-pad/hackpadfs"
	"github.com/hack-pad/hackpadfs/mem"

	"httpsim/sim/scenario"
)

func newMemStore(t *testing.T) (*Store, hackpadfs.FS) {
	t.Helper()
	fsys, err := mem.NewFS()
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewStore(fsys)
	if err != nil {
		t.Fatal(err)
	}
	return s, fsys
}

func names(entries []SavedEntry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, e.Name)
	}
	return out
}

func TestStoreLifecycle(t *testing.T) {
	s, _ := newMemStore(t)
	a := DefaultState()
	b := DefaultState()
	b.Params = ParamsFrom(scenario.Bulk())
	b.Params.LossPermille, b.TimeUS, b.Panels = 55, 1234, PanelLadder
	b.Params = b.Params.Clamped()
	for name, st := range map[string]State{"lecture 3 / HoL": a, "拥塞窗口": b} {
		if err := s.Save(name, st); err != nil {
			t.Fatalf("Save(%q) = %v", name, err)
		}
	}
	list, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := names(list), []string{"lecture 3 / HoL", "拥塞窗口"}; !slices.Equal(got, want) {
		t.Errorf("List() = %v; want %v", got, want)
	}
	got, _, err := s.Load(SavedEntry{Name: "拥塞窗口"})
	if err != nil || got != b {
		t.Errorf("Load = %+v, %v; want %+v", got, err, b)
	}
	// Replacing writes over the entry (TestStoreSaveTakenName).
	b.TimeUS = 99
	if err := s.Replace("拥塞窗口", b); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := s.Load(SavedEntry{Name: "拥塞窗口"}); got.TimeUS != 99 {
		t.Errorf("after Replace, TimeUS = %d; want 99", got.TimeUS)
	}
	if err := s.Rename(SavedEntry{Name: "拥塞窗口"}, "cwnd"); err != nil {
		t.Fatal(err)
	}
	list, _ = s.List()
	if got, want := names(list), []string{"cwnd", "lecture 3 / HoL"}; !slices.Equal(got, want) {
		t.Errorf("after Rename, List() = %v; want %v", got, want)
	}
	if got, _, _ := s.Load(SavedEntry{Name: "cwnd"}); got != b {
		t.Errorf("renamed entry = %+v; want %+v", got, b)
	}
	// Renaming onto another entry would lose it: refused, both kept.
	if err := s.Rename(SavedEntry{Name: "cwnd"}, "lecture 3 / HoL"); !errors.Is(err, errNameTaken) {
		t.Errorf("Rename onto an existing name = %v; want errNameTaken", err)
	}
	if got, _, _ := s.Load(SavedEntry{Name: "lecture 3 / HoL"}); got != a {
		t.Errorf("after a refused rename, the other entry = %+v; want %+v", got, a)
	}
	if err := s.Delete(list[1]); err != nil {
		t.Fatal(err)
	}
	list, _ = s.List()
	if got := names(list); !slices.Equal(got, []string{"cwnd"}) {
		t.Errorf("after Delete, List() = %v; want [cwnd]", got)
	}
	for _, bad := range []string{"", " padded", strings.Repeat("x", 65), "nul\x00in it", "two\nlines", "tab\tbed", "ab\u202ecd", "x\u2067y", "line\u2028separator"} {
		if err := s.Save(bad, a); !errors.Is(err, errBadName) {
			t.Errorf("Save(%q) = %v; want errBadName", bad, err)
		}
	}
}

// TestStoreSaveTakenName checks that Save refuses a name an entry has,
// keeping that entry, and that Replace writes over it; both save a new
// name. A save that replaced at once lost the entry the user had under
// that name.
func TestStoreSaveTakenName(t *testing.T) {
	old, next := DefaultState(), DefaultState()
	old.Params.LossPermille, next.Params.LossPermille = 10, 30
	tests := []struct {
		op      string
		name    string // "x" is taken
		wantErr error
		want    State // the entry called name afterwards
	}{
		{"Save", "x", errNameTaken, old},
		{"Save", "y", nil, next},
		{"Replace", "x", nil, next},
		{"Replace", "y", nil, next},
	}
	for _, tt := range tests {
		s, _ := newMemStore(t)
		if err := s.Save("x", old); err != nil {
			t.Fatal(err)
		}
		save := s.Save
		if tt.op == "Replace" {
			save = s.Replace
		}
		if err := save(tt.name, next); !errors.Is(err, tt.wantErr) {
			t.Errorf("%s(%q) onto x = %v; want %v", tt.op, tt.name, err, tt.wantErr)
		}
		if got, _, err := s.Load(SavedEntry{Name: tt.name}); err != nil || got.Params.LossPermille != tt.want.Params.LossPermille {
			t.Errorf("%s(%q): then Load = loss %d‰, %v; want %d‰", tt.op, tt.name, got.Params.LossPermille, err, tt.want.Params.LossPermille)
		}
		list, _ := s.List()
		want := []string{"x"}
		if tt.name != "x" {
			want = append(want, tt.name)
		}
		if got := names(list); !slices.Equal(got, want) {
			t.Errorf("%s(%q): List() = %v; want %v", tt.op, tt.name, got, want)
		}
	}
}

// TestStoreCorruptEntry checks that a file that cannot be read shows up
// with its error while the other entries stay usable, and can be deleted.
func TestStoreCorruptEntry(t *testing.T) {
	s, fsys := newMemStore(t)
	if err := s.Save("good", DefaultState()); err != nil {
		t.Fatal(err)
	}
	bad := map[string]string{
		"scenarios/broken.json":   `{"format": "httpsim-view", "version": 1, "name": "broken", "state": {`,
		"scenarios/wrong.json":    `{"format": "httpsim-view", "version": 9, "name": "wrong", "state": {}}`,
		"scenarios/left.json.tmp": `half a sa`,
	}
	for f, data := range bad {
		if err := hackpadfs.WriteFullFile(fsys, f, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	list, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := names(list), []string{"broken", "good", "wrong"}; !slices.Equal(got, want) {
		t.Fatalf("List() = %v; want %v (the temporary file left out)", got, want)
	}
	for _, e := range list {
		if (e.Err != "") != (e.Name != "good") {
			t.Errorf("entry %q: Err = %q", e.Name, e.Err)
		}
	}
	if !strings.Contains(list[0].Err, "line 1") || !strings.Contains(list[2].Err, "$.version") {
		t.Errorf("errors %q, %q; want a position and a JSON path", list[0].Err, list[2].Err)
	}
	if _, _, err := s.Load(SavedEntry{Name: "good"}); err != nil {
		t.Errorf("Load(good) beside corrupt entries = %v", err)
	}
	if err := s.Delete(list[0]); err != nil {
		t.Errorf("Delete(corrupt) = %v", err)
	}
	// An entry edited by hand (or saved by another version) with a value
	// out of range loads clamped, and says so.
	odd := `{"format": "httpsim-view", "version": 1, "name": "odd", "state": {"s": "page", "loss": "99"}}`
	if err := hackpadfs.WriteFullFile(fsys, fileName("odd"), []byte(odd), 0o644); err != nil {
		t.Fatal(err)
	}
	if st, notes, err := s.Load(SavedEntry{Name: "odd"}); err != nil || len(notes) == 0 || st.Params.LossPermille != 200 {
		t.Errorf("Load(loss 99%%) = loss %d‰, notices %v, %v; want 200‰ with a notice", st.Params.LossPermille, notes, err)
	}
}

// failingFS fails every rename, as a full disk or a quota would fail the
// last step of a save.
type failingFS struct {
	hackpadfs.FS
}

var errFull = errors.New("quota exceeded")

func (f failingFS) Rename(oldname, newname string) error { return errFull }

func (f failingFS) OpenFile(name string, flag int, perm hackpadfs.FileMode) (hackpadfs.File, error) {
	return hackpadfs.OpenFile(f.FS, name, flag, perm)
}

func (f failingFS) Remove(name string) error { return hackpadfs.Remove(f.FS, name) }

func (f failingFS) Mkdir(name string, perm hackpadfs.FileMode) error {
	return hackpadfs.Mkdir(f.FS, name, perm)
}

func (f failingFS) Stat(name string) (hackpadfs.FileInfo, error) { return hackpadfs.Stat(f.FS, name) }

// statFailsFS cannot tell whether a file exists (an IndexedDB that failed
// to answer); everything else works.
type statFailsFS struct{ failingFS }

func (f statFailsFS) Stat(name string) (hackpadfs.FileInfo, error) { return nil, errFull }

func (f statFailsFS) Rename(oldname, newname string) error {
	return hackpadfs.Rename(f.FS, oldname, newname)
}

// A save that cannot tell whether the name is taken does not write: it
// wrote over the entry it could not see.
func TestStoreSaveNeedsToKnowTheNameIsFree(t *testing.T) {
	s, fsys := newMemStore(t)
	old := DefaultState()
	if err := s.Save("x", old); err != nil {
		t.Fatal(err)
	}
	next := old
	next.Params.LossPermille = 7
	if err := (&Store{fs: statFailsFS{failingFS{fsys}}}).Save("x", next); !errors.Is(err, errFull) {
		t.Errorf("Save when Stat fails = %v; want %v", err, errFull)
	}
	if got, _, err := s.Load(SavedEntry{Name: "x"}); err != nil || got != old {
		t.Errorf("after a Save that could not check the name, Load = %+v, %v; want the old entry", got, err)
	}
	// Rename checks the new name the same way.
	if err := s.Save("y", next); err != nil {
		t.Fatal(err)
	}
	if err := (&Store{fs: statFailsFS{failingFS{fsys}}}).Rename(SavedEntry{Name: "y"}, "x"); !errors.Is(err, errFull) {
		t.Errorf("Rename when Stat fails = %v; want %v", err, errFull)
	}
	if got, _, err := s.Load(SavedEntry{Name: "x"}); err != nil || got != old {
		t.Errorf("after a Rename that could not check the name, Load = %+v, %v; want the old entry", got, err)
	}
}

// TestStoreFailedSaveKeepsOld checks that a save that fails leaves the
// entry it would have replaced as it was, and no temporary file behind.
func TestStoreFailedSaveKeepsOld(t *testing.T) {
	s, fsys := newMemStore(t)
	old := DefaultState()
	if err := s.Save("x", old); err != nil {
		t.Fatal(err)
	}
	broken := &Store{fs: failingFS{fsys}}
	next := old
	next.Params.LossPermille = 7
	if err := broken.Replace("x", next); !errors.Is(err, errFull) {
		t.Fatalf("Replace on a failing file system = %v; want %v", err, errFull)
	}
	if got, _, err := s.Load(SavedEntry{Name: "x"}); err != nil || got != old {
		t.Errorf("after a failed save, Load = %+v, %v; want the old entry", got, err)
	}
	entries, _ := hackpadfs.ReadDir(fsys, savedDir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("a failed save left %s", e.Name())
		}
	}
}

func TestDecodeSavedErrors(t *testing.T) {
	tests := []struct {
		data, want string
	}{
		{``, "empty"},
		{`[1, 2]`, "$: want a JSON object"},
		{`{"format": "other"}`, "$.format"},
		{`{"format": "httpsim-view", "version": true}`, "$.version"},
		{`{"format": "httpsim-view", "version": 1, "name": 5}`, "$.name"},
		{`{"format": "httpsim-view", "version": 1, "name": "n", "state": []}`, "$.state"},
		{`{"format": "httpsim-view", "version": 1, "name": "n", "state": {"loss": [1]}}`, "$.state.loss"},
		{"{\n  \"format\": \"httpsim-view\",\n  \"version\": 1,\n  oops\n}", "line 4"},
		{`{"version": 1, "workload": {"kind": "page"}, "network": {"rtt": "fast"}}`, "network.rtt"},
		// One JSON value to a file: what follows was dropped in silence.
		{`{"format": "httpsim-view", "version": 1, "name": "n", "state": {"loss": "3"}} garbage`, "line 1, column 79: not valid JSON"},
		{"{\"format\": \"httpsim-view\", \"version\": 1, \"name\": \"n\", \"state\": {}}\n\n}", "line 3, column 1"},
		// Where a valid value follows, and in characters, not bytes.
		{`{"format": "httpsim-view", "version": 1, "name": "n", "state": {}} 42`, "line 1, column 68: not valid JSON"},
		{`{"format": "httpsim-view", "version": 1, "name": "实验室的视图", "state": {}} x`, "line 1, column 73: not valid JSON"},
	}
	for _, tt := range tests {
		_, _, _, err := DecodeSaved([]byte(tt.data))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("DecodeSaved(%q) = %v; want an error mentioning %q", tt.data, err, tt.want)
		}
	}
	// Values out of range are clamped, with notices.
	_, st, notes, err := DecodeSaved([]byte(`{"format": "httpsim-view", "version": 1, "name": "n", "state": {"loss": 90, "pipe": true}}`))
	if err != nil || st.Params.LossPermille != MaxLossPermille || !st.Params.Pipelining || len(notes) != 1 {
		t.Errorf("DecodeSaved(out of range) = %+v, %v, %v; want loss clamped with one notice", st.Params, notes, err)
	}
	// A number with an exponent is a number (RFC 8259 §6), read exactly
	// (a seed past 2^53 through a float64 changed), clamped as any, and
	// named in notices as the file writes it.
	exps := []struct {
		state  string
		check  func(Params) bool
		notice string
	}{
		{`"rtt": 1e9`, func(p Params) bool { return p.RTTMillis == MaxRTTMillis }, "rtt=1e9 is out of range"},
		{`"loss": 2.5E0`, func(p Params) bool { return p.LossPermille == 25 }, ""},
		{`"seed": 9007199254740993e0`, func(p Params) bool { return p.Seed == 9007199254740993 }, ""},
		{`"rtt": 1e400`, func(p Params) bool { return p.RTTMillis == MaxRTTMillis }, "rtt=1e400 is out of range"},
		{`"rtt": 1e-400`, func(p Params) bool { return p.RTTMillis == MinRTTMillis }, "rtt=1e-400 is out of range"},
		{`"seed": 1e30`, func(p Params) bool { return p.Seed == math.MaxUint64 }, "seed=1e30 is out of range"},
		// As they imported through a float64 before: a whole seed with
		// zeros after its point, a zero at a huge exponent, a tiny RTT.
		{`"seed": 1.00e1`, func(p Params) bool { return p.Seed == 10 }, ""},
		{`"loss": 0e5000`, func(p Params) bool { return p.LossPermille == 0 }, ""},
		{`"rtt": 1e-1001`, func(p Params) bool { return p.RTTMillis == MinRTTMillis }, "rtt=1e-1001 is out of range"},
	}
	for _, tt := range exps {
		_, st, notes, err := DecodeSaved([]byte(`{"format": "httpsim-view", "version": 1, "name": "n", "state": {` + tt.state + `}}`))
		said := ""
		for _, n := range notes {
			said += LangEN.Notice(n)
		}
		if err != nil || !tt.check(st.Params) || (tt.notice == "") != (len(notes) == 0) || !strings.Contains(said, tt.notice) {
			t.Errorf("DecodeSaved(%s) = %+v, notices %q, %v; want it read exactly, with a notice saying %q", tt.state, st.Params, said, err, tt.notice)
		}
	}
}

func TestImportScenarioDocument(t *testing.T) {
	s, _ := scenario.Builtin("h2-hol")
	s.Network.RTT = 2 * s.Network.RTT
	doc, err := scenario.Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	name, st, notes, err := DecodeSaved(doc)
	if err != nil {
		t.Fatalf("DecodeSaved(scenario document) = %v", err)
	}
	if st.Params.Scenario != "h2-hol" || st.Params.RTTMillis != int(s.Network.RTT.Milliseconds()) || name == "" || len(notes) != 0 {
		t.Errorf("imported %q %+v, notices %v; want h2-hol with the doubled RTT", name, st.Params, notes)
	}
	// A document of the user's own applies to the built-in of its
	// workload, and its own page is not run: both said.
	s.Name = "mine"
	doc, _ = scenario.Encode(s)
	_, st, notes, err = DecodeSaved(doc)
	if err != nil || st.Params.Scenario != "page" || len(notes) != 2 || notes[0].Key != "notice.import.base" || notes[1].Key != "notice.import.rest" {
		t.Errorf("imported own document: %+v, %v, %v; want the page built-in, and notices that it is and that the file's page is not run", st.Params, notes, err)
	}
	// Under a built-in's name, a document of its own was swapped for the
	// built-in in silence.
	s.Name = "page"
	doc, _ = scenario.Encode(s)
	if _, _, notes, _ = DecodeSaved(doc); len(notes) != 1 || notes[0].Key != "notice.import.rest" {
		t.Errorf("a page of its own named page: notices %v; want one that the file's page is not run", notes)
	}
	// Where a file opens changes nothing in its runs: one written before
	// opens_at, or opening elsewhere, is the built-in's with no notice.
	for _, o := range []scenario.OpensAt{{}, {Kind: scenario.OpensAtTime, At: 600 * time.Millisecond}} {
		s, _ = scenario.Builtin("h2-hol")
		s.OpensAt = o
		doc, _ = scenario.Encode(s)
		if _, st, notes, _ = DecodeSaved(doc); st.Params.Scenario != "h2-hol" || len(notes) != 0 {
			t.Errorf("h2-hol opening at %+v: %s, notices %v; want h2-hol and none", o, st.Params.Scenario, notes)
		}
	}
	// What the controls cannot take exactly is said: 1.9 ms is cut to 1.
	s, _ = scenario.Builtin("h2-hol")
	s.Network.RTT = 1900 * time.Microsecond
	doc, _ = scenario.Encode(s)
	if _, st, notes, _ = DecodeSaved(doc); st.Params.RTTMillis != 1 || len(notes) != 1 || LangEN.Notice(notes[0]) != "The page's controls cannot take this file's rtt exactly; the nearest values they allow are used." {
		t.Errorf("rtt 1.9ms: %d ms, notices %v; want 1 ms and a notice naming rtt", st.Params.RTTMillis, notes)
	}
}

func TestEncodeSavedRoundTrip(t *testing.T) {
	st := DefaultState()
	st.Params.Seed, st.TimeUS, st.Lang, st.Embed = 1<<60, 4242, LangZH, true
	b, err := EncodeSaved("a name", st)
	if err != nil {
		t.Fatal(err)
	}
	name, got, notes, err := DecodeSaved(b)
	want := st
	want.Lang, want.Embed = LangEN, false // the reader's own
	if err != nil || name != "a name" || got != want || len(notes) != 0 {
		t.Errorf("DecodeSaved(EncodeSaved(st)) = %q, %+v, %v, %v; want %+v", name, got, notes, err, want)
	}
	if exportName("HoL / 队头") != "HoL---队头.httpsim.json" {
		t.Errorf("exportName = %q", exportName("HoL / 队头"))
	}
	if got := uniqueName("a", []SavedEntry{{Name: "a"}, {Name: "a (2)"}}); got != "a (3)" {
		t.Errorf("uniqueName = %q; want a (3)", got)
	}
	// A name of the longest length makes room for its number, so that the
	// import can be saved.
	long := strings.Repeat("拥", maxNameLen)
	if got := uniqueName(long, []SavedEntry{{Name: long}}); !validName(got) || !strings.HasSuffix(got, " (2)") {
		t.Errorf("uniqueName(64 characters) = %q (%d characters); want a valid name ending in (2)", got, utf8.RuneCountInString(got))
	}
}

// A scenario file with a QPACK dynamic table opens with the QPACK control
// set to it, and builds the same table again.
func TestImportQPACKTable(t *testing.T) {
	s := scenario.Page()
	s.Protocols = []string{"h3"}
	s.H3.QPACKTableCapacity, s.H3.QPACKBlockedStreams = 1024, 16
	doc, err := scenario.Encode(s)
	if err != nil {
		t.Fatal(err)
	}
	_, st, notes, err := DecodeSaved(doc)
	if err != nil || st.Params.QPACKTable != 1024 || len(notes) != 0 {
		t.Fatalf("imported %+v, %v, %v; want the QPACK table of 1024 and no notice", st.Params, notes, err)
	}
	// Other blocked streams than the page's: said, not silently changed.
	s.H3.QPACKBlockedStreams = 0
	doc, _ = scenario.Encode(s)
	if _, _, notes, _ := DecodeSaved(doc); len(notes) != 1 || notes[0].Key != "notice.import.qpackblocked" || LangEN.Notice(notes[0]) != "The file allows 0 QPACK blocked streams; the page allows 16 with a dynamic table." {
		t.Errorf("importing 0 blocked streams: notices %v; want one saying the page allows 16", notes)
	}
	back, err := st.Params.Build()
	if err != nil || back.H3.QPACKTableCapacity != 1024 || back.H3.QPACKBlockedStreams != qpackBlockedStreams {
		t.Errorf("rebuilt QPACK %d / %d, %v; want 1024 / %d", back.H3.QPACKTableCapacity, back.H3.QPACKBlockedStreams, err, qpackBlockedStreams)
	}
}

// Rename changes the name and nothing else, and export writes the file as
// it is stored: both went through ParseState, which dropped what it did not
// know and wrote back what it clamped and every default.
func TestStoreRenameKeepsFile(t *testing.T) {
	s, fsys := newMemStore(t)
	const stored = `{"format":"httpsim-view","version":1,"name":"x", "state":{"s":"h4-lesson","loss":"3","jitter":"5ms","rtt":"5000","name":"x"}}
`
	if err := hackpadfs.WriteFullFile(fsys, fileName("x"), []byte(stored), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := s.File(SavedEntry{Name: "x"}); err != nil || string(got) != stored {
		t.Errorf("File(x) = %q, %v; want the stored file as it is", got, err)
	}
	if err := s.Rename(SavedEntry{Name: "x"}, "新 \"y\""); err != nil {
		t.Fatalf("Rename = %v", err)
	}
	// Only the name changed; the members' order and spacing may.
	want := `{"format":"httpsim-view","name":"新 \"y\"","state":{"s":"h4-lesson","loss":"3","jitter":"5ms","rtt":"5000","name":"x"},"version":1}`
	got, err := hackpadfs.ReadFile(fsys, fileName(`新 "y"`))
	var compact bytes.Buffer
	if err == nil {
		err = json.Compact(&compact, got)
	}
	if err != nil || compact.String() != want {
		t.Errorf("after Rename, the file = %q, %v; want %s", got, err, want)
	}
	if list, _ := s.List(); !slices.Equal(names(list), []string{`新 "y"`}) {
		t.Errorf("after Rename, List() = %v; want the new name alone", names(list))
	}
}

// A save whose fallback failed twice (tmp → file failed, file → old
// worked, then tmp → file and old → file failed) left the entry only in
// x.json.old: it was not listed and could not be loaded.
func TestStoreRestoresOldFile(t *testing.T) {
	s, fsys := newMemStore(t)
	old := DefaultState()
	old.Params.LossPermille = 7
	if err := s.Save("x", old); err != nil {
		t.Fatal(err)
	}
	broken := &Store{fs: renameFS{failingFS{fsys}, func(_, to string) bool { return strings.HasSuffix(to, ".old") }}}
	if err := broken.Replace("x", DefaultState()); err == nil {
		t.Fatal("Replace with every rename but file → old failing = nil; want an error")
	}
	if _, err := hackpadfs.Stat(fsys, fileName("x")); err == nil {
		t.Fatal("the entry's file is still there: the test did not reach the double failure")
	}
	list, err := s.List()
	if err != nil || !slices.Equal(names(list), []string{"x"}) || list[0].Err != "" {
		t.Fatalf("List() = %v, %v; want the entry x", list, err)
	}
	if got, _, err := s.Load(SavedEntry{Name: "x"}); err != nil || got != old {
		t.Errorf("Load(x) = %+v, %v; want the entry as it was", got, err)
	}
}

// renameFS passes the renames ok allows to its file system.
type renameFS struct {
	failingFS
	ok func(from, to string) bool
}

func (f renameFS) Rename(from, to string) error {
	if f.ok(from, to) {
		return hackpadfs.Rename(f.FS, from, to)
	}
	return errFull
}

// A scenario file's setting for a control the lesson lacks is not run: the
// imported state takes the lesson's own, so that its link and saved entry
// read back as the same state, with no notice.
func TestImportKeepsLessonSettings(t *testing.T) {
	tests := []struct {
		name   string
		change func(*scenario.Scenario)
	}{
		{"h2-hol", func(s *scenario.Scenario) { s.TLS.Version = "1.2" }},
		{"h2-hol", func(s *scenario.Scenario) { s.H1.MaxConns = 2 }},
		{"page", func(s *scenario.Scenario) { s.H2.Push = true }},
		{"bulk", func(s *scenario.Scenario) { s.Bulk.Size = 5_000_000 }},
	}
	for _, tt := range tests {
		s, err := scenario.Builtin(tt.name)
		if err != nil {
			t.Fatal(err)
		}
		lesson := LessonParams(s)
		tt.change(s)
		doc, err := scenario.Encode(s)
		if err != nil {
			t.Fatal(err)
		}
		_, st, _, err := DecodeSaved(doc)
		if err != nil {
			t.Fatalf("DecodeSaved(%s changed) = %v", tt.name, err)
		}
		if got, notes := ParseState(st.Query()); got != st || len(notes) != 0 {
			t.Errorf("%s changed: its link reads %v, notices %v; want %v, none", tt.name, got.Params, notes, st.Params)
		}
		if st.Params.TLS != lesson.TLS || st.Params.H1Conns != lesson.H1Conns || st.Params.Push != lesson.Push || st.Params.SizeKB != lesson.SizeKB {
			t.Errorf("%s changed: imported %v; want the lesson's %v", tt.name, st.Params, lesson)
		}
	}
}

// A UTF-8 byte-order mark, which some editors write, is skipped.
func TestDecodeSavedByteOrderMark(t *testing.T) {
	b, err := EncodeSaved("bom", DefaultState())
	if err != nil {
		t.Fatal(err)
	}
	if name, st, _, err := DecodeSaved(append([]byte("\ufeff"), b...)); err != nil || name != "bom" || st != DefaultState() {
		t.Errorf("DecodeSaved(BOM + file) = %q, %v; want the file read", name, err)
	}
}

// A member given twice was taken last without a word; a saved view's path
// starts at $, a scenario document's is the CLI's. Errors are whole.
func TestDecodeSavedRefusesRepeats(t *testing.T) {
	tests := []struct{ data, want string }{
		{`{"format": "httpsim-view", "version": 1, "name": "a", "name": "b", "state": {}}`, "$.name: given twice in one object; give it once"},
		{`{"format": "httpsim-view", "version": 1, "name": "n", "state": {"loss": "1", "loss": "2"}}`, "$.state.loss: given twice in one object; give it once"},
		{`{"version": 1, "workload": {"kind": "bulk", "size": "1MB", "size": "2MB"}}`, "workload.size: given twice in one object; give it once"},
		{`{"format": "httpsim-view", "version": 1, "name": "a\u202eb", "state": {}}`, "$.name: want 1 to 64 characters, no space at either end and no control character or direction override"},
	}
	for _, tt := range tests {
		if _, _, _, err := DecodeSaved([]byte(tt.data)); err == nil || err.Error() != tt.want {
			t.Errorf("DecodeSaved(%s) = %v; want %q", tt.data, err, tt.want)
		}
	}
}

// A save that completed but left NAME.json.old beside NAME.json (its
// removal failed, or the tab died before it) brought the older version
// back as the entry once the user deleted it.
func TestStoreDeletedEntryStaysDeleted(t *testing.T) {
	tests := []struct {
		name  string
		leave func(t *testing.T, fsys hackpadfs.FS)
	}{
		{"removal of .old failed", func(t *testing.T, fsys hackpadfs.FS) {
			// tmp → file fails over an existing file, as on some file
			// systems; x.json → x.json.old and tmp → x.json then work.
			b := &Store{fs: oldStaysFS{failingFS{fsys}}}
			if err := b.Replace("x", DefaultState()); err != nil {
				t.Fatal(err)
			}
		}},
		{"tab died before the removal", func(t *testing.T, fsys hackpadfs.FS) {
			data, err := hackpadfs.ReadFile(fsys, fileName("x"))
			if err != nil {
				t.Fatal(err)
			}
			if err := hackpadfs.WriteFullFile(fsys, fileName("x")+".old", data, 0o644); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		s, fsys := newMemStore(t)
		old := DefaultState()
		old.Params.LossPermille = 7
		if err := s.Save("x", old); err != nil {
			t.Fatal(err)
		}
		tt.leave(t, fsys)
		list, err := s.List()
		if err != nil || !slices.Equal(names(list), []string{"x"}) {
			t.Fatalf("%s: List() = %v, %v; want the entry x", tt.name, names(list), err)
		}
		if err := s.Delete(list[0]); err != nil {
			t.Fatalf("%s: Delete(x) = %v", tt.name, err)
		}
		if list, err := s.List(); err != nil || len(list) != 0 {
			t.Errorf("%s: List() after Delete(x) = %v, %v; want no entry", tt.name, names(list), err)
		}
	}
}

// oldStaysFS renames but over an existing file, and cannot remove a
// NAME.json.old.
type oldStaysFS struct{ failingFS }

func (f oldStaysFS) Rename(from, to string) error {
	if _, err := hackpadfs.Stat(f.FS, to); err == nil {
		return errFull
	}
	return hackpadfs.Rename(f.FS, from, to)
}

func (f oldStaysFS) Remove(name string) error {
	if strings.HasSuffix(name, ".old") {
		return errFull
	}
	return hackpadfs.Remove(f.FS, name)
}

// An entry listed from NAME.json.old, which could not be renamed back, is
// loaded, exported and renamed from that file: they looked for NAME.json.
func TestStoreUsesTheListedFile(t *testing.T) {
	s, fsys := newMemStore(t)
	old := DefaultState()
	old.Params.LossPermille = 7
	if err := s.Save("x", old); err != nil {
		t.Fatal(err)
	}
	if err := hackpadfs.Rename(fsys, fileName("x"), fileName("x")+".old"); err != nil {
		t.Fatal(err)
	}
	// Renames from a temporary file work, others fail: x.json.old stays.
	b := &Store{fs: renameFS{failingFS{fsys}, func(from, _ string) bool { return strings.HasSuffix(from, ".tmp") }}}
	list, err := b.List()
	if err != nil || !slices.Equal(names(list), []string{"x"}) || list[0].Err != "" {
		t.Fatalf("List() = %v, %v; want the entry x", list, err)
	}
	if got, _, err := b.Load(list[0]); err != nil || got != old {
		t.Errorf("Load(x from x.json.old) = %+v, %v; want the entry", got.Params, err)
	}
	if data, err := b.File(list[0]); err != nil || !strings.Contains(string(data), `"x"`) {
		t.Errorf("File(x from x.json.old) = %q, %v; want the entry's file", data, err)
	}
	if err := b.Rename(list[0], "y"); err != nil {
		t.Fatalf("Rename(x from x.json.old, y) = %v; want nil", err)
	}
	list, err = b.List()
	if err != nil || !slices.Equal(names(list), []string{"y"}) {
		t.Fatalf("List() after the rename = %v, %v; want the entry y alone", names(list), err)
	}
	if got, _, err := b.Load(list[0]); err != nil || got != old {
		t.Errorf("Load(y) = %+v, %v; want the entry", got.Params, err)
	}
}

// An import's error and notices repeat at most a shortened key or value
// of the file (up to maxImportBytes): a 400 KB key, version, field name
// or rtt was repeated whole, and so was a name of 100,000 characters.
func TestImportMessagesAreShort(t *testing.T) {
	big := strings.Repeat("k", 400000)
	view := `{"format": "httpsim-view", "version": 1, "name": "n", "state": `
	tests := []struct {
		name, data string
		want       string // in the error, "" for none
	}{
		{"a key of the state", view + `{"` + big + `": [1]}}`, "$.state." + strings.Repeat("k", maxEcho) + "…: "},
		{"a key given twice", view + `{"` + big + `": 1, "` + big + `": 2}}`, "$.state." + strings.Repeat("k", maxEcho) + "…: given twice"},
		{"the version", `{"format": "httpsim-view", "version": 1` + strings.Repeat("0", 400000) + `, "name": "n", "state": {}}`, "$.version: 1" + strings.Repeat("0", maxEcho-1) + "… is not"},
		{"a scenario's unknown field", `{"version": 1, "workload": {"kind": "page"}, "` + big + `": 1}`, strings.Repeat("k", 40) + "…: unknown field"},
		{"a scenario's rtt", `{"version": 1, "workload": {"kind": "page"}, "network": {"rtt": "` + big + `"}}`, `network.rtt: "` + strings.Repeat("k", 40) + `…" is not a number`},
		{"a scenario's name", `{"version": 1, "name": "` + strings.Repeat("n", 100000) + `", "workload": {"kind": "page"}}`, ""},
	}
	for _, tt := range tests {
		_, _, notes, err := DecodeSaved([]byte(tt.data))
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		for _, n := range notes {
			msg += "\n" + LangEN.Notice(n)
		}
		if tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) || len(msg) > 2000 {
			t.Errorf("DecodeSaved(%s) = %.300q (%d bytes); want a short error with %q", tt.name, msg, len(msg), tt.want)
		}
	}
}

// A saved file is read as leniently as it can be, and says what it did
// not use: version 1.0 is 1; a name over 64 characters is cut, as a
// scenario document's title is; a setting the page does not read is
// named (a link's would be left alone: it may carry other sites' keys),
// and one a slip from a key gets the slip's notice instead.
func TestDecodeSavedSaysWhatItDidNotUse(t *testing.T) {
	long := strings.Repeat("名", 70)
	doc := `{"format": "httpsim-view", "version": 1.0, "name": "` + long + `", "state": {"loss": "3", "rtt_ms": 3, "foo": "x", "los": "4"}}`
	name, st, notes, err := DecodeSaved([]byte(doc))
	if err != nil {
		t.Fatalf("DecodeSaved = %v; want the file read", err)
	}
	if want := strings.Repeat("名", 64); name != want {
		t.Errorf("name = %q (%d characters); want the first 64", name, utf8.RuneCountInString(name))
	}
	if st.Params.LossPermille != 30 {
		t.Errorf("loss = %d‰; want 30", st.Params.LossPermille)
	}
	var keys []string
	for _, n := range notes {
		keys = append(keys, n.Key+" "+strings.Join(n.Args, "|"))
	}
	for _, want := range []string{"notice.import.name 64|" + name, "notice.slip los|loss", "notice.import.unknown foo, rtt_ms"} {
		if !slices.Contains(keys, want) {
			t.Errorf("notices %q; want %q among them", keys, want)
		}
	}
	if _, _, _, err := DecodeSaved([]byte(`{"format": "httpsim-view", "version": 1.5, "name": "n", "state": {}}`)); err == nil {
		t.Error("DecodeSaved of version 1.5 read it; want it refused")
	}
}
