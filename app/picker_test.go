package app

import (
	"slices"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// savedPage mounts a page at loss 4% with that state saved as "four", then
// sets the defaults (loss 2%), which a save would write.
func savedPage(t *testing.T) (*Page, app.ClientDispatcher) {
	t.Helper()
	p, d := mountPage(t, "loss=4")
	waitPage(t, d, func() bool { return p.store != nil })
	d.Post(app.Action{Name: actionStore, Value: storeRequest{Op: "save", Name: "four"}})
	waitPage(t, d, func() bool { return len(p.saved) == 1 })
	d.Post(app.Action{Name: actionParams, Value: DefaultParams()})
	waitPage(t, d, func() bool { return p.ran == DefaultParams() && !p.running })
	return p, d
}

// storedLoss is the loss of the saved entry called name.
func storedLoss(t *testing.T, p *Page, name string) int {
	t.Helper()
	st, _, err := p.store.Load(SavedEntry{Name: name})
	if err != nil {
		t.Fatalf("Load(%q) = %v", name, err)
	}
	return st.Params.LossPermille
}

// Saving under the name of a listed entry asks first: the picker shows the
// question, with Replace and Cancel, and sends nothing; Cancel keeps the
// entry and the name typed, Replace writes over the entry. A save that
// replaced at once lost the entry the user had under that name.
func TestPickerAsksBeforeReplacing(t *testing.T) {
	tests := []struct {
		lang    Lang
		replace bool
		want    int // the entry's loss afterwards, ‰
	}{
		{LangEN, false, 40},
		{LangZH, false, 40},
		{LangEN, true, 20},
		{LangZH, true, 20},
	}
	for _, tt := range tests {
		lang := tt.lang.HTMLLang()
		p, d := savedPage(t)
		var sent []storeRequest
		d.Handle(actionStore, p, func(_ app.Context, a app.Action) { sent = append(sent, a.Value.(storeRequest)) })
		pk := &Picker{Lang: tt.lang, Saved: savedInfos(p.saved), Store: "ready", saveName: "four"}
		pk.onSave(p.ctx, app.Event{})
		d.Consume()
		html := app.HTMLString(pk.Render())
		for _, want := range []string{`role="alert"`, tt.lang.T("saved.exists", "four"), tt.lang.T("saved.replace", "four"), tt.lang.T("saved.cancel")} {
			if !strings.Contains(html, want) {
				t.Errorf("%s: saving onto four shows no %q", lang, want)
			}
		}
		if len(sent) != 0 || storedLoss(t, p, "four") != 40 {
			t.Errorf("%s: saving onto four sent %+v, the entry's loss is %d‰; want nothing sent, 40‰", lang, sent, storedLoss(t, p, "four"))
		}
		if tt.replace {
			p.message = Notice{}
			pk.onReplace(p.ctx, app.Event{})
			waitPage(t, d, func() bool { return p.message.Key != "" })
			if want := []storeRequest{{Op: "save", Name: "four", Replace: true}}; !slices.Equal(sent, want) || p.message.Key != "saved.saved" {
				t.Errorf("%s: Replace sent %+v, said %v; want %+v, saved.saved", lang, sent, p.message, want)
			}
		} else {
			pk.onReplaceCancel(p.ctx, app.Event{})
			d.Consume()
			if len(sent) != 0 || pk.saveName != "four" {
				t.Errorf("%s: Cancel sent %+v, left the name %q; want nothing sent, four kept", lang, sent, pk.saveName)
			}
		}
		if html := app.HTMLString(pk.Render()); strings.Contains(html, `id="save-taken"`) {
			t.Errorf("%s, replace %v: the question is still shown", lang, tt.replace)
		}
		if got := storedLoss(t, p, "four"); got != tt.want || len(p.saved) != 1 {
			t.Errorf("%s, replace %v: four has loss %d‰, %d entries; want %d‰, 1", lang, tt.replace, got, len(p.saved), tt.want)
		}
	}
}

// A save under a name the picker had not listed yet (another tab saved
// it, or the list was behind) is refused by the store and said; an import
// takes a name no entry has in the store, whatever the page listed.
func TestPageKeepsEntriesNotListed(t *testing.T) {
	p, d := savedPage(t)
	p.saved = nil // the list as it was before "four" was saved
	p.message = Notice{}
	pk := &Picker{Lang: LangEN, Store: "ready", saveName: "four"}
	pk.onSave(p.ctx, app.Event{})
	waitPage(t, d, func() bool { return p.message.Key != "" })
	if p.message.Key != "saved.notsaved" || storedLoss(t, p, "four") != 40 {
		t.Errorf("saving onto an entry not listed: message %v, its loss %d‰; want saved.notsaved, 40‰", p.message, storedLoss(t, p, "four"))
	}

	doc, err := EncodeSaved("four", DefaultState())
	if err != nil {
		t.Fatal(err)
	}
	p.saved, p.message = nil, Notice{}
	d.Post(app.Action{Name: actionStore, Value: storeRequest{Op: "import", File: "four.json", Text: string(doc)}})
	waitPage(t, d, func() bool { return p.message.Key != "" })
	if got := names(p.saved); !slices.Equal(got, []string{"four", "four (2)"}) || storedLoss(t, p, "four") != 40 {
		t.Errorf("importing four: entries %v, four's loss %d‰; want four kept at 40‰ and four (2)", got, storedLoss(t, p, "four"))
	}
}

// The picker shows the lesson's title whole above its explanation: the
// list cuts a long one off at its width.
func TestPickerShowsTheTitleWhole(t *testing.T) {
	for _, l := range []Lang{LangEN, LangZH} {
		e, _ := LibraryLookup("h2-hol")
		html := app.HTMLString(&Picker{Lang: l, Current: "h2-hol"})
		if want := `id="lesson-title"`; !strings.Contains(html, want) || !strings.Contains(html, e.Title[l]+"</h3>") {
			t.Errorf("lang %v: the picker lacks the title %q as a heading", l, e.Title[l])
		}
	}
}

// The file import's button speaks the page's language: the browser's own
// ("Choose File") is transparent, and a label stands in for it. The input
// keeps its name from the heading label.
func TestPickerFileButtonInThePagesLanguage(t *testing.T) {
	for _, l := range []Lang{LangEN, LangZH} {
		html := app.HTMLString(&Picker{Lang: l, Store: "ready"})
		// go-app writes a tag's attributes in no fixed order.
		for _, want := range []string{
			`>` + l.T("saved.choose") + `</label>`, `class="hs-file-button"`,
			`id="import-label"`, `aria-labelledby="import-label"`, `class="hs-file"`,
		} {
			if !strings.Contains(html, want) {
				t.Errorf("lang %v: the picker's file import lacks %q", l, want)
			}
		}
	}
}
