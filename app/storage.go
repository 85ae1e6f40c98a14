package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hack-pad/hackpadfs"

	"httpsim/sim/link"
	"httpsim/sim/scenario"
)

// Saved scenarios live as JSON files in one folder of a hackpadfs.FS:
// IndexedDB in the browser (storage_js.go), memory in tests. A file holds
// one saved view: its name and the state a URL would carry.
//
// The scenario library is getting a versioned scenario document of its own
// (scenario.Encode and scenario.Decode); until then a saved file is the
// page's state, which is all the page needs to reproduce a view.

// savedDir is the folder of saved scenarios.
const savedDir = "scenarios"

// Format and version of a saved file.
const (
	savedFormat  = "httpsim-view"
	savedVersion = 1
)

// maxNameLen is the longest name a saved scenario may have, in runes.
const maxNameLen = 64

// SavedEntry is one saved scenario as listed: its state, or why it cannot
// be read.
type SavedEntry struct {
	Name string
	// Err is empty for a good entry; otherwise it says what is wrong and
	// the entry can only be deleted.
	Err   string
	State State `json:"-"`
	file  string
}

// Store keeps saved scenarios in a file system.
type Store struct {
	fs hackpadfs.FS
}

// NewStore returns a store on fsys, creating its folder.
func NewStore(fsys hackpadfs.FS) (*Store, error) {
	if err := hackpadfs.MkdirAll(fsys, savedDir, 0o755); err != nil {
		return nil, fmt.Errorf("storage: %w", err)
	}
	return &Store{fs: fsys}, nil
}

// fileName is where a name is stored: escaped so that any name is a valid
// file name.
func fileName(name string) string { return savedDir + "/" + url.PathEscape(name) + ".json" }

// validName reports whether a name can be saved under: a line of text,
// as the list shows it (a NUL or a line break in it was accepted), with no
// direction override (U+202A–U+202E, U+2066–U+2069), which turned the rest
// of the list's line around.
func validName(name string) bool {
	n := utf8.RuneCountInString(name)
	return n >= 1 && n <= maxNameLen && strings.TrimSpace(name) == name && utf8.ValidString(name) &&
		!strings.ContainsFunc(name, scenario.ControlCharacter)
}

// List reads every saved scenario. A file that cannot be read or parsed is
// listed with its error, so that the others stay usable.
func (s *Store) List() ([]SavedEntry, error) {
	entries, err := hackpadfs.ReadDir(s.fs, savedDir)
	if err != nil {
		return nil, fmt.Errorf("storage: %w", err)
	}
	var out []SavedEntry
	for _, e := range entries {
		base := e.Name()
		file := savedDir + "/" + base
		if b, ok := strings.CutSuffix(base, ".old"); ok && !e.IsDir() {
			// A save whose fallback failed twice (writeAtomic) leaves
			// the entry only here: put it back, or read it from here.
			_, err := hackpadfs.Stat(s.fs, savedDir+"/"+b)
			if err == nil {
				// The save that moved it aside completed, but the
				// tab died before it removed this, or the removal
				// failed: the entry is the new file. Kept, this came
				// back as the entry once the user deleted it.
				_ = hackpadfs.Remove(s.fs, file)
				continue
			}
			if !errors.Is(err, fs.ErrNotExist) {
				continue
			}
			base = b
			if hackpadfs.Rename(s.fs, file, savedDir+"/"+b) == nil {
				file = savedDir + "/" + b
			}
		}
		if e.IsDir() || !strings.HasSuffix(base, ".json") {
			continue // including temporary files of a save that failed
		}
		fallback, err := url.PathUnescape(strings.TrimSuffix(base, ".json"))
		if err != nil {
			fallback = base
		}
		data, err := hackpadfs.ReadFile(s.fs, file)
		if err != nil {
			out = append(out, SavedEntry{Name: fallback, Err: err.Error(), file: file})
			continue
		}
		name, st, _, err := DecodeSaved(data)
		if err != nil {
			out = append(out, SavedEntry{Name: fallback, Err: err.Error(), file: file})
			continue
		}
		out = append(out, SavedEntry{Name: name, State: st, file: file})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Save stores st as a new entry called name. A name that an entry already
// has is refused with errNameTaken, that entry kept: only Replace, which
// the user asks for, writes over an entry.
func (s *Store) Save(name string, st State) error { return s.save(name, st, false) }

// Replace stores st under name, replacing the entry of that name if there
// is one. It writes a temporary file and renames it over the old one, so
// that a failed replace leaves the old entry as it was.
func (s *Store) Replace(name string, st State) error { return s.save(name, st, true) }

func (s *Store) save(name string, st State, replace bool) error {
	if !validName(name) {
		return errBadName
	}
	data, err := EncodeSaved(name, st)
	if err != nil {
		return err
	}
	if !replace {
		if err := s.free(name); err != nil {
			return err
		}
	}
	return s.writeAtomic(fileName(name), data)
}

// free reports nil if no entry is called name: errNameTaken if one is, and
// a storage error if that cannot be told. Only a name known to be free may
// be written without the user's say: a Stat that failed otherwise (a flaky
// IndexedDB) could hide an entry.
func (s *Store) free(name string) error {
	_, err := hackpadfs.Stat(s.fs, fileName(name))
	switch {
	case err == nil:
		return errNameTaken
	case errors.Is(err, fs.ErrNotExist):
		return nil
	}
	return fmt.Errorf("storage: %w", err)
}

// errBadName is returned for a name that cannot be saved under.
var errBadName = errors.New("storage: a name has 1 to 64 characters, no space at either end and no control character")

func (s *Store) writeAtomic(file string, data []byte) error {
	tmp := file + ".tmp"
	if err := hackpadfs.WriteFullFile(s.fs, tmp, data, 0o644); err != nil {
		_ = hackpadfs.Remove(s.fs, tmp)
		return fmt.Errorf("storage: %w", err)
	}
	if err := hackpadfs.Rename(s.fs, tmp, file); err != nil {
		// Some file systems will not rename over a file: move the old
		// one aside first, and back if that fails too.
		old := file + ".old"
		if err2 := hackpadfs.Rename(s.fs, file, old); err2 != nil {
			_ = hackpadfs.Remove(s.fs, tmp)
			return fmt.Errorf("storage: %w", err)
		}
		if err := hackpadfs.Rename(s.fs, tmp, file); err != nil {
			_ = hackpadfs.Rename(s.fs, old, file)
			_ = hackpadfs.Remove(s.fs, tmp)
			return fmt.Errorf("storage: %w", err)
		}
		_ = hackpadfs.Remove(s.fs, old)
	}
	return nil
}

// path is the file of a listed entry; for an entry made up from a name
// alone, the file that name is saved under.
func (e SavedEntry) path() string {
	if e.file == "" {
		return fileName(e.Name)
	}
	return e.file
}

// Load reads an entry, with notices for what in it was out of range and
// clamped or ignored (an entry saved by another version, or edited by
// hand). It takes the listed entry, as Delete does: an entry read from
// another file than its name's (put back from NAME.json.old, or whose
// file holds another name) could be listed and not loaded.
func (s *Store) Load(e SavedEntry) (State, []Notice, error) {
	data, err := s.File(e)
	if err != nil {
		return State{}, nil, err
	}
	_, st, notes, err := DecodeSaved(data)
	return st, notes, err
}

// File returns an entry as it is stored, which is what an export writes:
// the state as this page reads it would lose what it clamps or does not
// know (a setting of a later version).
func (s *Store) File(e SavedEntry) ([]byte, error) {
	data, err := hackpadfs.ReadFile(s.fs, e.path())
	if err != nil {
		return nil, fmt.Errorf("storage: %w", err)
	}
	return data, nil
}

// errNameTaken is returned for a save (Save, not Replace) or a rename onto
// the name of another entry, which would lose that entry.
var errNameTaken = errors.New("storage: another entry has that name")

// Rename gives entry old the name new, which no other entry may have. The
// stored name changes with the file's, so it is written anew, then the old
// file removed. Only the name changes (renamed): through ParseState the
// entry came back clamped, its unknown settings dropped and every default
// written in.
func (s *Store) Rename(old SavedEntry, new string) error {
	if !validName(new) {
		return errBadName
	}
	if old.Name == new {
		return nil
	}
	if err := s.free(new); err != nil {
		return err
	}
	data, err := s.File(old)
	if err != nil {
		return err
	}
	if _, _, _, err := DecodeSaved(data); err != nil {
		return err
	}
	if data, err = renamed(data, new); err != nil {
		return err
	}
	if err := s.writeAtomic(fileName(new), data); err != nil {
		return err
	}
	if err := hackpadfs.Remove(s.fs, old.path()); err != nil {
		return fmt.Errorf("storage: %w", err)
	}
	return nil
}

// renamed returns saved file data with name as its name. Every other
// member stays as written, settings this version does not know included;
// only the members' order and spacing may change.
func renamed(data []byte, name string) ([]byte, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	doc["name"], _ = json.Marshal(name)
	b, err := json.MarshalIndent(doc, "", "  ")
	return append(b, '\n'), err
}

// Delete removes an entry. It takes the listed entry, so that an entry
// whose file holds a different name (or none) can be deleted too.
func (s *Store) Delete(e SavedEntry) error {
	if err := hackpadfs.Remove(s.fs, e.path()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("storage: %w", err)
	}
	return nil
}

// savedDoc is a saved file.
type savedDoc struct {
	Format  string            `json:"format"`
	Version int               `json:"version"`
	Name    string            `json:"name"`
	State   map[string]string `json:"state"`
}

// EncodeSaved returns the saved file of st under name: the query parameters
// of its URL, less the language and embedding, which belong to the reader.
func EncodeSaved(name string, st State) ([]byte, error) {
	q := st.Query()
	q.Del(qLang)
	q.Del(qEmbed)
	doc := savedDoc{Format: savedFormat, Version: savedVersion, Name: name, State: map[string]string{}}
	for k, v := range q {
		doc.State[k] = v[0]
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// DecodeSaved reads a saved (or exported) file. Errors name the JSON path
// of what is wrong; values out of range are clamped, with notices, as in a
// URL.
func DecodeSaved(data []byte) (name string, st State, notes []Notice, err error) {
	// Editors on Windows may start a UTF-8 file with a byte-order mark,
	// which JSON does not allow (RFC 8259 §8.1 lets a parser skip it).
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return "", State{}, nil, jsonError(data, err)
	}
	// A file holds one JSON value (RFC 8259 §2): what follows the object
	// would otherwise be dropped without a word. The place is counted in
	// characters, as a syntax error's is.
	off := int(dec.InputOffset())
	for off < len(data) && strings.IndexByte(" \t\r\n", data[off]) >= 0 {
		off++ // JSON's white space (RFC 8259 §2)
	}
	if off < len(data) {
		line, col := scenario.SyntaxErrorAt(data, &json.SyntaxError{Offset: int64(off) + 1})
		return "", State{}, nil, fmt.Errorf("line %d, column %d: not valid JSON: more follows the object", line, col)
	}
	if raw == nil {
		return "", State{}, nil, errors.New("$: want a JSON object")
	}
	if _, ok := raw["format"]; !ok {
		if _, ok := raw["workload"]; ok {
			// Paths as the CLI names them ("workload.size"); scenario's
			// decoder refuses a member given twice too.
			return decodeScenarioDocument(data)
		}
	}
	if dup := scenario.DuplicateKey(data); dup != "" {
		// The last one was taken without a word.
		return "", State{}, nil, fmt.Errorf("$.%s: given twice in one object; give it once", dup)
	}
	var format string
	if err := json.Unmarshal(raw["format"], &format); err != nil || format != savedFormat {
		return "", State{}, nil, fmt.Errorf("$.format: want %q (a saved view) or a scenario document", savedFormat)
	}
	var version json.Number
	if err := json.Unmarshal(raw["version"], &version); err != nil {
		return "", State{}, nil, errors.New("$.version: want a number")
	}
	// 1.0 is the number 1 (RFC 8259 §6 does not tell integers apart).
	if v, err := version.Float64(); err != nil || v != savedVersion {
		return "", State{}, nil, fmt.Errorf("$.version: %s is not a version this page reads (%d)", echo(version.String()), savedVersion)
	}
	if err := json.Unmarshal(raw["name"], &name); err != nil {
		return "", State{}, nil, errors.New("$.name: want a string")
	}
	if utf8.RuneCountInString(name) > maxNameLen && validName(cutName(name)) {
		// Cut, as a scenario document's long title is, rather than the
		// whole file refused for it.
		name = cutName(name)
		notes = addNotice(notes, "notice.import.name", []string{strconv.Itoa(maxNameLen), name})
	}
	if !validName(name) {
		return "", State{}, nil, errors.New("$.name: want 1 to 64 characters, no space at either end and no control character or direction override")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw["state"], &fields); err != nil || fields == nil {
		return "", State{}, nil, errors.New("$.state: want an object of settings")
	}
	q := url.Values{}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v, err := jsonScalar(fields[k])
		if err != nil {
			// The key shortened (echo), as a notice repeats a value:
			// a 400 KB key was repeated whole.
			return "", State{}, nil, fmt.Errorf("$.state.%s: %v", echo(k), err)
		}
		q.Set(k, v)
	}
	// A file, unlike a link, carries no one else's parameters: a key
	// this page does not read ("rtt_ms", "foo") is said, where a link's
	// is left alone unless it is one slip from a key (notice.slip).
	slipped := map[string]bool{}
	for _, s := range misspelledKeys(q) {
		slipped[s[0]] = true
	}
	var unknown []string
	known := queryKeys()
	for _, k := range keys {
		if !slices.Contains(known, k) && !slipped[k] {
			unknown = append(unknown, k)
		}
	}
	if list, more := echoList(unknown); more > 0 {
		notes = addNotice(notes, "notice.import.unknown.more", []string{list, strconv.Itoa(more)})
	} else if list != "" {
		notes = addNotice(notes, "notice.import.unknown", []string{list})
	}
	// The settings' notices (capped by ParseState) after the file's own,
	// as for a scenario file: 20 of them took every place.
	st, parsed := ParseState(q)
	return name, st, append(notes, parsed...), nil
}

// cutName is a name cut to maxNameLen characters, without the spaces the
// cut may leave at its end.
func cutName(name string) string {
	r := []rune(name)
	if len(r) > maxNameLen {
		r = r[:maxNameLen]
	}
	return strings.TrimSpace(string(r))
}

// jsonScalar reads a string, number or boolean as query text.
func jsonScalar(raw json.RawMessage) (string, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return "", err
	}
	switch x := v.(type) {
	case string:
		return x, nil
	case json.Number:
		// As written: ParseState reads a number with an exponent ("rtt":
		// 1e9, as good a JSON number as any, RFC 8259 §6) exactly, and
		// its notices name it as the file spells it.
		return x.String(), nil
	case bool:
		return formatBool(x), nil
	}
	return "", errors.New("want a string, number or boolean")
}

// jsonError turns a decoding error into one that says where: line and
// column for a syntax error.
func jsonError(data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := scenario.SyntaxErrorAt(data, se)
		return fmt.Errorf("line %d, column %d: not valid JSON: %v", line, col, se)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("$: want a JSON object, found %s", te.Value)
	}
	if errors.Is(err, io.EOF) {
		return errors.New("the file is empty")
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("line %d: the file ends in the middle of the JSON", bytes.Count(data, []byte("\n"))+1)
	}
	return err
}

// exportName is the file name an exported scenario gets.
func exportName(name string) string { return fileStem(name) + ".httpsim.json" }

// fileStem is name made safe for a file name: ASCII other than letters,
// digits, '-', '_' and '.' becomes '-'; other characters stay.
func fileStem(name string) string {
	var b strings.Builder
	for _, r := range name {
		if r < 0x80 && !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			r = '-'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// uniqueName returns name, or name with a number, so as not to clash with
// the names listed; the name is shortened to leave the number room within
// maxNameLen.
func uniqueName(name string, entries []SavedEntry) string {
	taken := func(n string) bool {
		return slices.ContainsFunc(entries, func(e SavedEntry) bool { return e.Name == n })
	}
	if !taken(name) {
		return name
	}
	for i := 2; ; i++ {
		suffix := " (" + strconv.Itoa(i) + ")"
		base := []rune(name)
		if room := maxNameLen - utf8.RuneCountInString(suffix); len(base) > room {
			base = []rune(strings.TrimSpace(string(base[:room])))
		}
		if n := string(base) + suffix; !taken(n) {
			return n
		}
	}
}

// sameRuns reports whether scenarios a and b describe the same runs: the
// same documents once unpresented (their names, texts, controls, where they
// open and their variants' labels left out).
func sameRuns(a, b *scenario.Scenario) bool {
	doc := func(s *scenario.Scenario) string {
		c := s.Unpresented()
		b, err := scenario.Encode(&c)
		if err != nil {
			return err.Error()
		}
		return string(b)
	}
	return doc(a) == doc(b)
}

// decodeScenarioDocument imports a scenario document (the simulator's own
// format, docs/scenarios.md): the page takes the settings its controls have
// from it, applied to the built-in scenario of the same name, or to the
// built-in of the same workload. Errors name the document's JSON paths.
func decodeScenarioDocument(data []byte) (name string, st State, notes []Notice, err error) {
	s, err := scenario.Decode(data)
	if err != nil {
		return "", State{}, nil, err
	}
	base := s.Name
	if _, err := scenario.Builtin(base); err != nil {
		base = s.Workload
		if _, err := scenario.Builtin(base); err != nil {
			return "", State{}, nil, fmt.Errorf("workload: the page shows page and bulk workloads; this is %q", echo(string(s.Workload)))
		}
		// Through addNotice, which shortens the file's name (echo): a
		// name of 100,000 characters was repeated whole.
		notes = addNotice(notes, "notice.import.base", []string{s.Name, base})
	}
	if s.H3.QPACKTableCapacity > 0 && s.H3.QPACKBlockedStreams != qpackBlockedStreams {
		// The page sets the blocked streams with the table size.
		notes = addNotice(notes, "notice.import.qpackblocked",
			[]string{strconv.FormatUint(s.H3.QPACKBlockedStreams, 10), strconv.Itoa(qpackBlockedStreams)})
	}
	st = DefaultState()
	var inexact []string
	st.Params, inexact = paramsFrom(s)
	st.Params.Scenario = base
	// A setting the lesson has no control for is not run (Params.Build):
	// it takes the lesson's own value, as ParseState gives it, or the
	// link and the saved entry carried one that every load then ignored
	// with a notice (h2-hol with TLS 1.2 came back with 1.3).
	q := State{Params: st.Params.Clamped()}.Query()
	if e, ok := LibraryLookup(base); ok {
		for _, c := range urlControls {
			if !e.Has(c) {
				q.Del(string(c))
			}
		}
	}
	// ParseState's notices (shortened and capped by it) go after the
	// import's own: up to 20 of them took every place, and the notice
	// that the file's other settings are not used became "1 more".
	ps, settings := ParseState(q)
	st.Params = ps.Params
	if len(inexact) > 0 {
		// The page's names for its controls, none of the file's: a
		// list that addNotice would cut.
		notes = append(notes, Notice{Key: "notice.import.inexact", Args: []string{strings.Join(inexact, ", ")}})
	}
	// The page runs a built-in with the controls' values: whatever else
	// the file sets (its own page, the loss on the way up, limits) is not
	// used, which the page must say rather than show another run.
	// What a notice above told already is left out of the comparison.
	said := *s
	if said.H3.QPACKTableCapacity > 0 {
		said.H3.QPACKBlockedStreams = qpackBlockedStreams
	}
	if len(inexact) > 0 {
		p := st.Params
		said.Network.RTT = p.rtt()
		said.Network.Bandwidth = p.bandwidth()
		if l := &said.Network.Down.Loss; l.Model != link.NoLoss && l.Model != "" {
			l.Rate, l.MeanBurst = p.lossRate(), float64(p.Burst)
		}
	}
	if built, err := st.Params.Build(); err == nil && !sameRuns(built, &said) {
		notes = addNotice(notes, "notice.import.rest", nil)
	}
	name = s.Title.In("en")
	if name == "" {
		name = s.Name
	}
	if !validName(name) {
		if name = cutName(name); !validName(name) {
			name = "scenario"
		}
	}
	return name, st, append(notes, settings...), nil
}
