package app

import (
	"errors"
	"slices"
	"strconv"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// File operations block in the browser (IndexedDB answers through promises
// the Go code waits for), so they run off the UI goroutine, in ctx.Async,
// and hand their results back with ctx.Dispatch.

// openStore opens the saved scenarios' file system and lists it.
func (c *Page) openStore(ctx app.Context) {
	if c.store != nil {
		return
	}
	ctx.Async(func() {
		fsys, persistent, err := openFS()
		var store *Store
		if err == nil {
			store, err = NewStore(fsys)
		}
		var list []SavedEntry
		if err == nil {
			list, err = store.List()
		}
		ctx.Dispatch(func(ctx app.Context) {
			if err != nil {
				c.storeState = "error"
				c.setMessage(Notice{Key: "saved.error", Args: []string{err.Error()}}, true)
				return
			}
			c.store, c.saved = store, list
			c.storeState = "ready"
			if !persistent {
				c.storeState = "memory"
			}
		})
	})
}

func (c *Page) setMessage(n Notice, isErr bool) {
	c.message, c.msgErr = n, isErr
}

// onStore runs a storage request from the picker.
func (c *Page) onStore(ctx app.Context, a app.Action) {
	req, ok := a.Value.(storeRequest)
	if !ok {
		return
	}
	store := c.store
	if store == nil {
		c.setMessage(Notice{Key: "saved.error", Args: []string{"not ready"}}, true)
		return
	}
	switch req.Op {
	case "save":
		if !validName(req.Name) {
			c.setMessage(Notice{Key: "saved.badname"}, true)
			return
		}
		// The picker asks before it sends Replace for a name it lists;
		// a name it did not list yet (another tab saved it) is refused
		// by Save and said, the entry kept.
		st, save := c.st, store.Save
		if req.Replace {
			save = store.Replace
		}
		c.storeDo(ctx, func() (Notice, error) {
			if err := save(req.Name, st); err != nil {
				if errors.Is(err, errNameTaken) {
					return Notice{Key: "saved.notsaved", Args: []string{req.Name}}, errNoticed
				}
				return Notice{}, err
			}
			return Notice{Key: "saved.saved", Args: []string{req.Name}}, nil
		}, nil)
	case "load":
		entry := c.savedEntry(req.Name)
		var loaded State
		var notes []Notice
		c.storeDo(ctx, func() (n Notice, err error) {
			loaded, notes, err = store.Load(entry)
			return Notice{Key: "saved.loaded", Args: []string{req.Name}}, err
		}, func(ctx app.Context) {
			// What was out of range is said, as for a URL; so is a scrub
			// time past the end of the run. The notices of the state it
			// replaces go with it.
			c.notices = notes
			c.timeFromURL = loaded.TimeUS != TimeEnd
			c.setState(ctx, loaded)
		})
	case "rename":
		if !validName(req.New) {
			c.setMessage(Notice{Key: "saved.badname"}, true)
			return
		}
		if req.New != req.Name && slices.ContainsFunc(c.saved, func(e SavedEntry) bool { return e.Name == req.New }) {
			// Renaming onto another entry would lose it.
			c.setMessage(Notice{Key: "saved.taken", Args: []string{req.New}}, true)
			return
		}
		entry := c.savedEntry(req.Name)
		c.storeDo(ctx, func() (Notice, error) {
			return Notice{Key: "saved.renamed", Args: []string{req.Name, req.New}}, store.Rename(entry, req.New)
		}, func(app.Context) { focusSoon("", "rename", req.New) })
	case "delete":
		entry, at := SavedEntry{Name: req.Name}, slices.IndexFunc(c.saved, func(e SavedEntry) bool { return e.Name == req.Name })
		if at >= 0 {
			entry = c.saved[at]
		} else {
			at = 0
		}
		c.storeDo(ctx, func() (Notice, error) {
			return Notice{Key: "saved.deleted", Args: []string{req.Name}}, store.Delete(entry)
		}, func(app.Context) {
			// The focused button went with its entry: the focus goes to
			// the entry now in its place (or the last), or to the name
			// field when none is left, not to the page's body.
			if n := len(c.saved); n > 0 {
				focusSoon("", "delete", c.saved[min(at, n-1)].Name)
			} else {
				focusSoon("save-name", "", "")
			}
		})
	case "export":
		entry := c.savedEntry(req.Name)
		var data []byte
		c.storeDo(ctx, func() (n Notice, err error) {
			data, err = store.File(entry)
			return n, err
		}, func(app.Context) {
			if app.IsClient {
				app.Window().Call("httpsimDownload", exportName(req.Name), string(data))
			}
		})
	case "import":
		if req.Err != "" {
			c.setMessage(Notice{Key: "saved.importerr", Args: []string{req.File, req.Err}}, true)
			return
		}
		if size := max(req.Size, len(req.Text)); size > maxImportBytes {
			// Decoding runs on the page's one thread: a file of
			// megabytes froze it for seconds before it was refused.
			// draw.js does not read a file that large; it gives the size.
			c.setMessage(Notice{Key: "saved.toolarge", Args: []string{req.File, strconv.Itoa(size), strconv.Itoa(maxImportBytes)}}, true)
			return
		}
		// Decoding a scenario document validates and builds it: off the
		// UI goroutine, as the file operations. An import never replaces:
		// it takes a name no entry in the store has now (the page's list
		// may be behind it), and Save refuses one that came since.
		var st State
		var notes []Notice
		c.storeDo(ctx, func() (Notice, error) {
			name, s, n, err := DecodeSaved([]byte(req.Text))
			if err != nil {
				return Notice{Key: "saved.importerr", Args: []string{req.File, err.Error()}}, errNoticed
			}
			saved, err := store.List()
			if err != nil {
				return Notice{}, err
			}
			st, notes, name = s, n, uniqueName(name, saved)
			return Notice{Key: "saved.imported", Args: []string{name}}, store.Save(name, st)
		}, func(ctx app.Context) {
			// An earlier file's notices stayed on screen after the next.
			c.notices = notes
			c.setState(ctx, st)
		})
	}
}

// maxImportBytes bounds an imported file.
const maxImportBytes = 512 << 10

// savedEntry is the listed entry called name, whose file the store reads
// (an entry put back from NAME.json.old has that file); a name the list
// does not have yet stands for the file it is saved under.
func (c *Page) savedEntry(name string) SavedEntry {
	if i := slices.IndexFunc(c.saved, func(e SavedEntry) bool { return e.Name == name }); i >= 0 {
		return c.saved[i]
	}
	return SavedEntry{Name: name}
}

// errNoticed is the error of an op whose notice says what went wrong.
var errNoticed = errors.New("see the notice")

// storeDo runs op off the UI goroutine, then lists the store again and
// shows op's message, or its error (op's notice for errNoticed); after
// runs on the UI goroutine if op succeeded.
func (c *Page) storeDo(ctx app.Context, op func() (Notice, error), after func(app.Context)) {
	store := c.store
	ctx.Async(func() {
		note, err := op()
		list, lerr := store.List()
		ctx.Dispatch(func(ctx app.Context) {
			if lerr == nil {
				c.saved = list
			}
			switch {
			case err == errNoticed:
				c.setMessage(note, true)
			case err != nil:
				c.setMessage(Notice{Key: "saved.error", Args: []string{err.Error()}}, true)
			case lerr != nil:
				c.setMessage(Notice{Key: "saved.error", Args: []string{lerr.Error()}}, true)
			default:
				if note.Key != "" {
					c.setMessage(note, false)
				}
				if after != nil {
					after(ctx)
				}
			}
		})
	})
}

// savedInfos is the picker's view of the saved entries.
func savedInfos(entries []SavedEntry) []SavedInfo {
	out := make([]SavedInfo, len(entries))
	for i, e := range entries {
		out[i] = SavedInfo{Name: e.Name, Err: e.Err}
	}
	return out
}
