package app

import (
	"strings"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// storeRequest asks the page for a storage operation.
type storeRequest struct {
	Op   string // "save", "load", "rename", "delete", "export", "import"
	Name string
	New  string // the new name (rename)
	// Replace asks a save to write over an entry of that name, which
	// the user confirmed; without it a save refuses a taken name.
	Replace bool
	// File and Text are an imported file's name and contents; Err what
	// went wrong reading it. Size is the file's size in bytes (the text is
	// not read from a file over maxImportBytes).
	File, Text, Err string
	Size            int
}

// SavedInfo is a saved scenario as the picker lists it.
type SavedInfo struct {
	Name string
	Err  string
}

// Picker chooses the scenario: a built-in one, with its explanation, or one
// the user saved; and manages the saved ones.
type Picker struct {
	app.Compo

	Lang    Lang
	Current string // the built-in scenario the settings apply to
	Saved   []SavedInfo
	// Store is "loading", "ready", "memory" or "error".
	Store string

	saveName string
	// replacing is the name in the save field that a listed entry has:
	// the picker asks whether to replace that entry before it saves.
	replacing string
	renaming  string // the entry being renamed
	newName   string
}

// Render lists the scenarios.
func (c *Picker) Render() app.UI {
	l := c.Lang
	entry, _ := LibraryLookup(c.Current)
	var builtins []app.UI
	for _, e := range Library() {
		builtins = append(builtins, app.Option().Value(e.Name).Selected(e.Name == c.Current).Text(e.Title[l]))
	}
	parts := []app.UI{
		app.H2().Text(l.T("picker.title")),
		app.Div().Class("hs-control").Body(
			app.Label().For("scenario").Class("hs-control-label").Text(l.T("picker.label")),
			app.Select().ID("scenario").OnChange(c.onPick).Body(builtins...),
		),
		// The title whole: the list cuts a long one off at its width.
		app.H3().ID("lesson-title").Class("hs-lesson-title").Text(entry.Title[l]),
		app.P().ID("explanation").Class("hs-explanation").Text(entry.Explanation[l]),
	}
	parts = append(parts, c.savedSection()...)
	return app.Section().ID("picker").Class("hs-panel").Aria("label", l.T("picker.title")).Body(parts...)
}

func (c *Picker) savedSection() []app.UI {
	l := c.Lang
	out := []app.UI{
		app.H3().Text(l.T("saved.title")),
		app.Div().Class("hs-row").Body(
			app.Label().For("save-name").Class("hs-sr").Text(l.T("saved.name")),
			// Uncontrolled: the page never writes the field while
			// someone types (a render carrying an older value would
			// overwrite the newer keystrokes); onSave clears it.
			app.Input().ID("save-name").Type("text").MaxLength(maxNameLen).Placeholder(l.T("saved.name")).
				OnInput(c.onSaveName).OnKeyUp(c.onSaveKey),
			app.Button().ID("save-button").Type("button").Text(l.T("saved.save")).OnClick(c.onSave),
		),
	}
	if c.replacing != "" {
		// Focus stays where it was (a second Enter or click asks again,
		// never replaces); the alert is read out, and Tab reaches the
		// Replace button next.
		out = append(out, app.Div().ID("save-taken").Class("hs-confirm").Body(
			app.P().Attr("role", "alert").Text(l.T("saved.exists", c.replacing)),
			app.Div().Class("hs-row").Body(
				app.Button().ID("replace-button").Type("button").Text(l.T("saved.replace", c.replacing)).OnClick(c.onReplace),
				app.Button().ID("replace-cancel").Type("button").Text(l.T("saved.cancel")).OnClick(c.onReplaceCancel),
			),
		))
	}
	if c.Store == "memory" {
		out = append(out, app.P().Class("hs-note").Text(l.T("saved.memory")))
	}
	switch {
	case c.Store == "loading":
		out = append(out, app.P().Class("hs-note").Text(l.T("saved.loading")))
	case len(c.Saved) == 0:
		out = append(out, app.P().ID("saved-empty").Class("hs-note").Text(l.T("saved.empty")))
	default:
		var items []app.UI
		for _, s := range c.Saved {
			items = append(items, c.savedItem(s))
		}
		out = append(out, app.Ul().ID("saved-list").Class("hs-saved").Body(items...))
	}
	// The browser's own file button speaks the browser's language, not
	// the page's: "Choose File · No file chosen" on a Chinese page. The
	// input is kept, focusable and named by the heading label, but
	// transparent, and a label in the page's language stands in for its
	// button (a click on it opens the input's file dialog; the input's
	// focus ring is drawn around it).
	out = append(out, app.Div().Class("hs-control").Body(
		app.Label().ID("import-label").For("import-file").Class("hs-control-label").Text(l.T("saved.import")),
		app.Div().Body(
			app.Input().ID("import-file").Class("hs-file").Type("file").Accept(".json,application/json").
				Aria("labelledby", "import-label").OnChange(c.onImport),
			app.Label().For("import-file").Class("hs-file-button").Text(l.T("saved.choose")),
		),
	))
	return out
}

func (c *Picker) savedItem(s SavedInfo) app.UI {
	l := c.Lang
	if c.renaming == s.Name {
		return app.Li().Body(app.Div().Class("hs-row").Body(
			app.Label().For("rename-name").Class("hs-sr").Text(l.T("saved.newname", s.Name)),
			// Its value is set once, to the old name, for the same
			// reason as the save field's.
			app.Input().ID("rename-name").Type("text").MaxLength(maxNameLen).Value(c.renaming).
				OnInput(c.onNewName).OnKeyUp(c.onRenameKey).AutoFocus(true),
			app.Button().ID("rename-button").Type("button").Text(l.T("saved.rename")).OnClick(c.onRenameDone),
			app.Button().Type("button").Text(l.T("share.close")).OnClick(c.onRenameCancel),
		))
	}
	name := app.Span().Class("hs-saved-name").Text(s.Name)
	var buttons []app.UI
	if s.Err == "" {
		buttons = append(buttons,
			c.button("load", s.Name, l.T("saved.load")),
			c.button("rename", s.Name, l.T("saved.rename")),
			c.button("export", s.Name, l.T("saved.export")),
		)
	}
	buttons = append(buttons, c.button("delete", s.Name, l.T("saved.delete")))
	li := app.Li().DataSet("name", s.Name).Body(name, app.Span().Class("hs-saved-buttons").Body(buttons...))
	if s.Err != "" {
		return li.Class("hs-corrupt").Body(
			name,
			app.Span().Class("hs-error").Text(l.T("saved.corrupt", s.Name, l.Detail(s.Err))),
			app.Span().Class("hs-saved-buttons").Body(buttons...),
		)
	}
	return li
}

// button is one operation on a saved entry; the entry's name rides in a
// data attribute, and the label names the entry for screen readers.
func (c *Picker) button(op, name, text string) app.UI {
	return app.Button().Type("button").Class("hs-small").DataSet("op", op).DataSet("name", name).
		Aria("label", text+" "+name).Text(text).OnClick(c.onEntry)
}

func (c *Picker) onPick(ctx app.Context, e app.Event) {
	ctx.NewActionWithValue(actionPick, ctx.JSSrc().Get("value").String())
}

func (c *Picker) onSaveName(ctx app.Context, e app.Event) {
	c.saveName = ctx.JSSrc().Get("value").String()
	c.replacing = "" // the question was about the name as it was
}

func (c *Picker) onSaveKey(ctx app.Context, e app.Event) {
	if e.Get("key").String() == "Enter" {
		c.onSave(ctx, e)
	}
}

func (c *Picker) onRenameKey(ctx app.Context, e app.Event) {
	switch e.Get("key").String() {
	case "Enter":
		c.onRenameDone(ctx, e)
	case "Escape":
		c.onRenameCancel(ctx, e)
	}
}

// onSave saves under the name typed; a name a listed entry has is not
// saved but asked about (replacing).
func (c *Picker) onSave(ctx app.Context, e app.Event) {
	name := strings.TrimSpace(c.saveName)
	for _, s := range c.Saved {
		if s.Name == name {
			c.replacing = name
			return
		}
	}
	c.replacing = ""
	c.sendSave(ctx, storeRequest{Op: "save", Name: name})
}

func (c *Picker) sendSave(ctx app.Context, req storeRequest) {
	ctx.NewActionWithValue(actionStore, req)
	if validName(req.Name) {
		c.saveName = ""
		app.Window().GetElementByID("save-name").Set("value", "")
	}
}

// onReplace saves over the entry, as the user confirmed. The buttons go
// with the question: focus returns to the name field.
func (c *Picker) onReplace(ctx app.Context, e app.Event) {
	c.sendSave(ctx, storeRequest{Op: "save", Name: c.replacing, Replace: true})
	c.onReplaceCancel(ctx, e)
}

// onReplaceCancel keeps the entry and the name typed, to be changed.
func (c *Picker) onReplaceCancel(ctx app.Context, e app.Event) {
	c.replacing = ""
	app.Window().GetElementByID("save-name").Call("focus")
}

func (c *Picker) onEntry(ctx app.Context, e app.Event) {
	op := ctx.JSSrc().Get("dataset").Get("op").String()
	name := ctx.JSSrc().Get("dataset").Get("name").String()
	if op == "rename" {
		c.renaming, c.newName = name, name
		// The field's autofocus works once per document (HTML's
		// "autofocus processed" flag): the second rename's field
		// opened with the focus nowhere.
		focusSoon("rename-name", "", "")
		return
	}
	ctx.NewActionWithValue(actionStore, storeRequest{Op: op, Name: name})
}

func (c *Picker) onNewName(ctx app.Context, e app.Event) {
	c.newName = ctx.JSSrc().Get("value").String()
}

// onRenameDone renames the entry, unless the name is unchanged: that was
// reported as a rename done.
func (c *Picker) onRenameDone(ctx app.Context, e app.Event) {
	name := strings.TrimSpace(c.newName)
	if name == c.renaming {
		c.onRenameCancel(ctx, e)
		return
	}
	ctx.NewActionWithValue(actionStore, storeRequest{Op: "rename", Name: c.renaming, New: name})
	c.endRename(ctx)
}

// onRenameCancel keeps the name (Escape, or the close button).
func (c *Picker) onRenameCancel(ctx app.Context, e app.Event) { c.endRename(ctx) }

// endRename closes the name field and gives the focus back to the entry's
// Rename button (the page moves it to the renamed entry's once the rename
// is done): the field's removal left the focus on the page's body, and a
// keyboard user started again from its top.
func (c *Picker) endRename(ctx app.Context) {
	focusSoon("", "rename", c.renaming)
	c.renaming = ""
}

// focusSoon focuses, once go-app has rendered it, the element with id, or
// (with op) the button for op of the saved entry called name: draw.js's
// httpsimFocus waits a few frames for it. The focus is not set from Go:
// ctx.Defer runs nothing if the element whose event called it is gone by
// then (a field or a button the update removed), and the Go to wait for
// the render cost the wasm 2.5 kB.
func focusSoon(id, op, name string) {
	if app.IsClient {
		app.Window().Call("httpsimFocus", id, op, name)
	}
}

func (c *Picker) onImport(ctx app.Context, e app.Event) {
	if !app.IsClient {
		return
	}
	var done app.Func
	done = app.FuncOf(func(_ app.Value, args []app.Value) any {
		req := storeRequest{Op: "import"}
		if len(args) == 4 {
			req.File, req.Text, req.Err, req.Size = args[0].String(), args[1].String(), args[2].String(), args[3].Int()
		}
		ctx.NewActionWithValue(actionStore, req)
		done.Release()
		return nil
	})
	app.Window().Call("httpsimReadFile", ctx.JSSrc(), done, maxImportBytes)
}
