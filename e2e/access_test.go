package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// jsTabbable marks every control the Tab key should reach (enabled,
// rendered, not taken out of the tab order) with data-tab="i" and returns
// how many there are and a short description of each.
const jsTabbable = `(() => {
	const sel = 'a[href], button, input, select, textarea, summary, [tabindex]';
	const out = [];
	for (const e of document.querySelectorAll(sel)) {
		if (e.disabled || e.tabIndex < 0 || e.type === "hidden" || e.getClientRects().length === 0) continue;
		e.dataset.tab = String(out.length);
		out.push(e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.type ? "[" + e.type + "]" : ""));
	}
	return out;
})()`

// jsFocusUnderTimeline describes the focused control if the sticky
// timeline covers more than half of it, and returns "" otherwise.
const jsFocusUnderTimeline = `(() => {
	const a = document.activeElement, tl = document.querySelector(".hs-timeline");
	if (!a || !tl || tl.contains(a) || a === document.body) return "";
	const r = a.getBoundingClientRect(), t = tl.getBoundingClientRect();
	const across = Math.min(r.right, t.right) - Math.max(r.left, t.left);
	const down = Math.min(r.bottom, t.bottom) - Math.max(r.top, t.top);
	if (across <= 0 || down <= r.height / 2) return "";
	return a.tagName.toLowerCase() + (a.id ? "#" + a.id : "") + " (" + Math.round(down) + " of " + Math.round(r.height) + " px)";
})()`

// TestAccessibility checks the page as a keyboard and screen-reader user
// meets it (issue 7, item 8): in Chromium's own accessibility tree every
// focusable node and every picture (the canvases) has a name, and the Tab
// key reaches every control, in English and in Chinese.
func TestAccessibility(t *testing.T) {
	b := startBrowser(t, 3*time.Minute)
	ctx, console := b.ctx, b.console
	for _, lang := range []string{"en", "zh"} {
		openPage(ctx, t, b.srv.URL+"/", "lang="+lang)
		// With the share box open, so that its controls are checked too.
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("embed-button")), waitFor(`document.getElementById("download-qlog") !== null`)); err != nil {
			t.Fatalf("lang=%s: opening the share box: %v", lang, err)
		}

		tree, err := chromedp.Call(ctx, accessibility.GetFullAXTree, accessibility.GetFullAXTreeParams{})
		if err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("share-close")), waitFor(`document.getElementById("share").hidden`)); err != nil {
			t.Fatalf("lang=%s: closing the share box: %v", lang, err)
		}
		focusable, images := 0, 0
		for _, n := range tree.Nodes {
			if n.Ignored || n.Role == nil {
				continue
			}
			role := strings.Trim(string(n.Role.Value), `"`)
			name := ""
			if n.Name != nil {
				name = strings.Trim(string(n.Name.Value), `" `)
			}
			isFocusable := false
			for _, p := range n.Properties {
				isFocusable = isFocusable || p.Name == accessibility.PropertyNameFocusable
			}
			if isFocusable {
				focusable++
			}
			if role == "image" {
				images++
			}
			if (isFocusable || role == "image") && name == "" && role != "RootWebArea" {
				t.Errorf("lang=%s: a %s (focusable %v) has no accessible name", lang, role, isFocusable)
			}
		}
		// Twelve canvases for the three protocols of the default
		// comparison: ladder, lanes, buffers and charts (the frame strips
		// are sliders).
		if focusable < 30 || images < 12 {
			t.Errorf("lang=%s: %d focusable nodes and %d images in the accessibility tree; want the whole page (≥ 30, ≥ 12)", lang, focusable, images)
		}

		// The skip link takes the keyboard to the views: the next Tab goes
		// on from there (it stayed on the link and went to the header).
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.querySelector(".hs-skip").focus()`), chromedp.KeyEvent(kb.Enter),
			waitFor(`document.activeElement?.id === "views"`)); err != nil {
			t.Errorf("lang=%s: the skip link did not move focus to the views: %v", lang, err)
		}

		controls := eval[[]string](ctx, t, jsTabbable)
		reached := map[string]bool{}
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.activeElement?.blur(); window.focus()`)); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < len(controls)+5; i++ {
			if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
				t.Fatal(err)
			}
			if at := eval[string](ctx, t, `document.activeElement?.dataset?.tab ?? ""`); at != "" {
				reached[at] = true
			}
		}
		for i, c := range controls {
			if !reached[fmt.Sprint(i)] {
				t.Errorf("lang=%s: Tab never reached %s", lang, c)
			}
		}
		// Going back with Shift+Tab scrolls up, and the browser brings
		// each control in at the top of the window, where the sticky
		// timeline is: a control mostly under it had focus unseen (WCAG
		// 2.2 SC 2.4.11, Focus Not Obscured).
		for i := 0; i < len(controls)+5; i++ {
			if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift))); err != nil {
				t.Fatal(err)
			}
			if hidden := eval[string](ctx, t, jsFocusUnderTimeline); hidden != "" {
				t.Errorf("lang=%s: Shift+Tab focused %s under the sticky timeline", lang, hidden)
			}
		}
		if len(controls) < 25 {
			t.Errorf("lang=%s: only %d controls to tab through: %q", lang, len(controls), controls)
		}
	}
	// The scroll padding follows the timeline's height, which wraps to
	// 182 px at 950 px wide (160 px were kept free for it there).
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(950, 900),
		chromedp.Poll[chromedp.Void](`parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop) >= document.querySelector(".hs-timeline").getBoundingClientRect().height`,
			chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Errorf("at 950 px wide, the scroll padding (%s) is less than the timeline's height (%v px): %v",
			eval[string](ctx, t, `getComputedStyle(document.documentElement).scrollPaddingTop`),
			eval[float64](ctx, t, `document.querySelector(".hs-timeline").getBoundingClientRect().height`), err)
	}
	checkConsole(t, console.finish())
}

// The share panel and the rename field are used with the keyboard: opening
// the panel takes the focus into it, Escape closes it and gives the focus
// back to its button (closing it left the focus on the page's body); a
// rename confirmed unchanged is no rename, and Escape cancels one, the
// focus back on the entry's Rename button.
func TestKeyboardPanels(t *testing.T) {
	b := startBrowser(t, 3*time.Minute)
	ctx := b.ctx
	openPage(ctx, t, b.srv.URL+"/", "panels=summary,ladder")
	focused := func(what, pred string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](pred, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			t.Errorf("%s: focus on %q; want %s", what, eval[string](ctx, t, `document.activeElement?.id || document.activeElement?.tagName`), pred)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("embed-button").focus()`), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	focused("the share panel opened", `document.activeElement?.id === "share-url"`)
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	focused("Escape in the share panel", `document.getElementById("share").hidden && document.activeElement?.id === "embed-button"`)
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter), waitFor(`document.activeElement?.id === "share-url"`),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("share-close").focus()`), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	focused("the share panel's Close button", `document.getElementById("share").hidden && document.activeElement?.id === "embed-button"`)
	// Copy link opens the panel too, and gets the focus back.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("copy-link").focus()`), chromedp.KeyEvent(kb.Enter),
		waitFor(`!document.getElementById("share").hidden`), chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	focused("Escape in the share panel Copy link opened", `document.getElementById("share").hidden && document.activeElement?.id === "copy-link"`)
	// Embed, pressed while Copy link's panel is open, closes it and keeps
	// the focus.
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter), waitFor(`!document.getElementById("share").hidden`),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("embed-button").focus()`), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	focused("Embed closing the panel Copy link opened", `document.getElementById("share").hidden && document.activeElement?.id === "embed-button"`)

	const name = "keyboard lesson"
	rename := fmt.Sprintf(`document.querySelector('#saved-list li[data-name=%q] button[data-op="rename"]')`, name)
	if err := chromedp.Do(ctx, waitFor(`document.getElementById("save-name") !== null && !document.body.innerText.includes("Reading saved")`),
		chromedp.SendKeys(chromedp.ID("save-name"), name), chromedp.Click(chromedp.ID("save-button")), waitFor(rename+` !== null`),
		chromedp.Evaluate[chromedp.Void](rename+`.focus()`), chromedp.KeyEvent(kb.Enter), waitFor(`document.activeElement?.id === "rename-name"`),
		chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	focused("a rename confirmed unchanged", rename+` === document.activeElement`)
	if said := eval[string](ctx, t, `document.body.innerText`); strings.Contains(said, "Renamed") {
		t.Errorf("a rename confirmed unchanged was reported as done")
	}
	// A second rename's field takes the focus too (autofocus works once
	// per document).
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	focused("a second rename", `document.activeElement?.id === "rename-name"`)
	if err := chromedp.Do(ctx, chromedp.KeyEvent("x"), chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	focused("Escape in the rename field", rename+` === document.activeElement && document.getElementById("rename-name") === null`)
	// Deleting an entry takes its button away: the focus goes to the
	// entry now in its place, here the one before the last, and, the
	// only one deleted, to the name field, not to the page's body.
	const second = name + " 2"
	const lastDelete = `Array.from(document.querySelectorAll('#saved-list li')).at(-1).querySelector('button[data-op="delete"]')`
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("save-name"), second), chromedp.Click(chromedp.ID("save-button")),
		waitFor(`document.querySelectorAll('#saved-list li').length === 2`),
		chromedp.Evaluate[chromedp.Void](lastDelete+`.focus()`), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	focused("deleting the last-listed of two saved entries", `document.querySelectorAll('#saved-list li').length === 1 && document.activeElement === `+lastDelete)
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	focused("deleting the only saved entry", `document.activeElement?.id === "save-name"`)

	// Dismissing the last of two notices moves the focus to the one left;
	// dismissing that one, to the notices' place, from which Tab goes on.
	if err := chromedp.Do(ctx, navigateUntil(b.srv.URL+"/?loss=abc&rtt=0&panels=summary", jsSummaryDone),
		waitFor(`document.querySelectorAll(".hs-notices li").length === 2`),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("notice-dismiss-1").focus()`), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	focused("dismissing the last of two notices", `document.querySelectorAll(".hs-notices li").length === 1 && document.activeElement?.id === "notice-dismiss-0"`)
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	focused("dismissing the only notice", `document.querySelector(".hs-notices") === null && document.activeElement?.id === "notices"`)
	if outline := eval[string](ctx, t, `getComputedStyle(document.getElementById("notices")).outlineStyle`); outline != "none" {
		t.Errorf("the empty notices' place, focused, has a %s outline: a stray bar across the page", outline)
	}

	// On a narrow screen the summary of three runs is wider than its
	// panel: focused, its region scrolls with the arrows and End, and the
	// time stays where it was.
	const region = `document.querySelector("#panel-summary [role=region]")`
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 640), navigateUntil(b.srv.URL+"/?panels=summary", jsSummaryDone),
		waitFor(region+`.scrollWidth > `+region+`.clientWidth`)); err != nil {
		t.Fatalf("a summary wider than a 320-pixel screen: %v", err)
	}
	label := eval[string](ctx, t, jsTimeLabel)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](region+`.focus()`), chromedp.KeyEvent(kb.ArrowRight)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, waitFor(region+`.scrollLeft > 0`)); err != nil {
		t.Errorf("→ on the focused summary: scrollLeft %v; want it scrolled", eval[float64](ctx, t, region+`.scrollLeft`))
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.End)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, waitFor(region+`.scrollLeft + `+region+`.clientWidth >= `+region+`.scrollWidth - 1`)); err != nil {
		t.Errorf("End on the focused summary: scrollLeft %v; want it scrolled to the end", eval[float64](ctx, t, region+`.scrollLeft`))
	}
	if got := eval[string](ctx, t, jsTimeLabel); got != label {
		t.Errorf("the arrows on the focused summary moved the time: %q; want %q", got, label)
	}
	checkConsole(t, b.console.finish())
}
