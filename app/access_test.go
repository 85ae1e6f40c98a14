package app

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
	"golang.org/x/net/html"

	"httpsim/sim/hol"
)

// The page as assistive technology reads it: its rendered HTML, parsed.
// go-app writes attributes in any order, so the tests read the tree.

func parseHTML(t *testing.T, s string) *html.Node {
	t.Helper()
	n, err := html.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// elements returns the elements under n for which keep holds, in order.
func elements(n *html.Node, keep func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && keep(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func byID(t *testing.T, root *html.Node, id string) *html.Node {
	t.Helper()
	found := elements(root, func(n *html.Node) bool { v, _ := attr(n, "id"); return v == id })
	if len(found) != 1 {
		t.Fatalf("%d elements with id %q; want 1", len(found), id)
	}
	return found[0]
}

// textOf is the text under n that is not aria-hidden.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		// HTMLString writes a "true" value as a bare attribute.
		if v, ok := attr(n, "aria-hidden"); ok && (v == "" || v == "true") {
			return
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.TrimSpace(b.String())
}

// nameOf is n's accessible name, as far as these tests need it.
func nameOf(n *html.Node) string {
	if v, ok := attr(n, "aria-label"); ok {
		return v
	}
	return textOf(n)
}

// liveTexts returns the text of every live region of the page.
func liveTexts(t *testing.T, p *Page) []string {
	t.Helper()
	var out []string
	for _, n := range elements(parseHTML(t, app.HTMLString(p.Render())), func(n *html.Node) bool {
		role, _ := attr(n, "role")
		live, _ := attr(n, "aria-live")
		return role == "status" || role == "alert" || role == "log" || (live != "" && live != "off")
	}) {
		out = append(out, textOf(n))
	}
	return out
}

// waitLive consumes the tester's dispatches until a live region's text
// contains want, for up to 3 s.
func waitLive(t *testing.T, p *Page, d app.ClientDispatcher, want string) bool {
	t.Helper()
	for end := time.Now().Add(3 * time.Second); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		d.Consume()
		for _, s := range liveTexts(t, p) {
			if strings.Contains(s, want) {
				return true
			}
		}
	}
	return false
}

// drawnAttr is the attribute redraw last set in slot of view i's canvases.
func drawnAttr(p *Page, i, slot int) string {
	if k := i*attrSlots + slot; k < len(p.draw.attrs) {
		return p.draw.attrs[k]
	}
	return ""
}

// The lanes' and the buffers' text alternatives say what they show at the
// scrub time, in both languages, in the page's HTML and as redraw sets
// them: they were the same fixed sentence at every moment.
func TestCanvasLabelsFollowTheScrubTime(t *testing.T) {
	p, d := mountPage(t, "s=page&loss=3&sched=rr&proto=h2,h3&panels=lanes,buffers,ladder,charts")
	p.draw.fixed = [2]float64{500, 300}
	v := p.views[0] // HTTP/2
	// A moment another stream's loss holds bytes back in TCP's buffer.
	at := int64(-1)
	for _, r := range v.rows {
		for _, s := range r.hol {
			if s.cause == holCauseOf("transport") && s.to-s.from > 2000 && at < 0 {
				at = (s.from + s.to) / 2
			}
		}
	}
	if at < 0 {
		t.Fatal("no head-of-line blocking in HTTP/2's run")
	}
	// label is the first view's canvas label in panel as the page renders
	// it, which redraw set on the element too.
	label := func(panel string, slot int) string {
		root := parseHTML(t, app.HTMLString(p.Render()))
		rendered, _ := attr(byID(t, root, "cv-"+panel+"-0"), "aria-label")
		if got := drawnAttr(p, 0, slot); got != rendered {
			t.Errorf("redraw set the %s' label to %q; the page renders %q", panel, got, rendered)
		}
		return rendered
	}
	labels := func() (lanes, buffers string) { return label("lanes", attrLanes), label("buffers", attrBuffers) }
	// The ladder's and the charts' too: what they write on the canvas
	// (the congestion window, the run's end) was nowhere else in text.
	more := func() (ladder, charts string) { return label("ladder", attrLadder), label("charts", attrCharts) }
	p.setTime(p.ctx, at)
	d.Consume()
	lanes, buffers := labels()
	ladder, charts := more()
	when := "At " + formatTime(p.now()) + ":"
	for _, want := range []string{when, " resources done", "packets lost so far.", "held back by another stream's loss."} {
		if !strings.Contains(lanes, want) {
			t.Errorf("lanes' label at %s = %q; want it to contain %q", formatTime(p.now()), lanes, want)
		}
	}
	// The bytes waiting are named by resource, as in the lanes: not
	// "(#5 #7)", stream numbers the reader could not place.
	for _, want := range []string{when + " connection 0: ", " waiting behind a ", " hole (", ".jpg"} {
		if !strings.Contains(buffers, want) {
			t.Errorf("buffers' label at %s = %q; want it to contain %q", formatTime(p.now()), buffers, want)
		}
	}
	for _, want := range []string{when + " ", " packets sent, ", " in flight, ", " lost so far."} {
		if !strings.Contains(ladder, want) || strings.Contains(ladder, "ended") {
			t.Errorf("ladder's label at %s = %q; want it to contain %q, and no end", formatTime(p.now()), ladder, want)
		}
	}
	for _, want := range []string{when + " Congestion window ", " kB, bytes in flight "} {
		if !strings.Contains(charts, want) {
			t.Errorf("charts' label at %s = %q; want it to contain %q", formatTime(p.now()), charts, want)
		}
	}
	p.setTime(p.ctx, p.span)
	d.Consume()
	endLanes, endBuffers := labels()
	endLadder, endCharts := more()
	if want := " in flight, " + strconv.Itoa(len(v.losses)) + " lost so far. This run ended at " + formatTime(v.end) + "."; !strings.HasSuffix(endLadder, want) {
		t.Errorf("ladder's label at the end = %q; want it to end %q", endLadder, want)
	}
	if endCharts == charts {
		t.Errorf("charts' label at the end = %q, as at %s", endCharts, formatTime(at))
	}
	n := len(v.rows)
	if !strings.HasSuffix(endLanes, " "+strconv.Itoa(n)+" of "+strconv.Itoa(n)+" resources done; "+strconv.Itoa(len(v.losses))+" packets lost so far.") {
		t.Errorf("lanes' label at the end = %q; want all %d resources done, none held back", endLanes, n)
	}
	if !strings.HasSuffix(endBuffers, " delivered in order · nothing waiting.") {
		t.Errorf("buffers' label at the end = %q; want nothing stuck", endBuffers)
	}
	p.st.Lang = LangZH
	p.draw.dirty = true
	p.setTime(p.ctx, at)
	d.Consume()
	zhLanes, zhBuffers := labels()
	if zhLadder, zhCharts := more(); !strings.Contains(zhLadder, "个在途") || !strings.Contains(zhCharts, "时：拥塞窗口 ") {
		t.Errorf("ladder's and charts' labels in Chinese = %q, %q; want what they show", zhLadder, zhCharts)
	}
	if strings.Contains(zhLanes+zhBuffers, "。 ") || strings.Contains(zhLanes+zhBuffers, "： ") {
		t.Errorf("Chinese labels with a space after a full stop or colon: %q, %q", zhLanes, zhBuffers)
	}
	for _, want := range []string{formatTime(p.now()) + " 时：", "个资源已完成", "个因其他流的丢包被阻塞。"} {
		if !strings.Contains(zhLanes, want) {
			t.Errorf("lanes' label in Chinese = %q; want it to contain %q", zhLanes, want)
		}
	}
	if !strings.Contains(zhBuffers, "时：连接 0：") || !strings.Contains(zhBuffers, "的空洞阻塞（") || strings.Contains(zhBuffers, "（#") {
		t.Errorf("buffers' label in Chinese = %q; want the bytes stuck", zhBuffers)
	}
}

// A Chinese message drops the space before a Chinese word only after a
// name that ends in one, and never changes the arguments (a file's name).
func TestChineseJoinsNames(t *testing.T) {
	tests := []struct {
		key  string
		args []any
		want string
	}{
		{"ladder.aria", []any{"每 5 秒短轮询"}, "每 5 秒短轮询的时序图："},
		{"ladder.aria", []any{"HTTP/2"}, "HTTP/2 的时序图："},
		{"saved.importerr", []any{"新 场景.json", "文件为空"}, "“新 场景.json”不是 httpsim 能读取的场景文件：文件为空"},
	}
	for _, tt := range tests {
		if got := LangZH.T(tt.key, tt.args...); !strings.HasPrefix(got, tt.want) {
			t.Errorf("T(zh, %s, %q) = %q; want it to start %q", tt.key, tt.args, got, tt.want)
		}
	}
	// A %s at the end, or an empty argument, keeps its space.
	if got := joinHan("%d 项：%s 行 %s ", []any{1, "中", "中"}); got != "%d 项：%s行 %s " {
		t.Errorf("joinHan with a %%s at the end = %q; want its space kept", got)
	}
	if got := joinHan("%s 的", []any{""}); got != "%s 的" {
		t.Errorf("joinHan with an empty name = %q; want the space kept", got)
	}
}

// The reasons a file cannot be imported, in English from the decoder and
// the validator, are put in Chinese on a Chinese page, their JSON paths,
// values and units kept: only the notice's first words were.
func TestDetailInChinese(t *testing.T) {
	// Reasons as the decoder and the validator give them.
	tests := []struct{ doc, want string }{
		{`{"version": 1, "workload": {"kind": "bulk"}, "network": {"rtt": "fast"}}`, `network.rtt："fast" 不是数字；应为时长，例如 "100ms"`},
		{`{"version": 1, "workload": {"kind": "bulk"}, "tcp": {"mss": 5}}`, `tcp.mss：5 超出范围（88 至 65495 bytes）`},
		{`{"version": 1, "workload": {"kind": "bulk"}, "seed": -3}`, `seed：实际为数字 (-3)；应为非负整数`},
		{`{"version": 1, "workload": {"kind": "bulk"}, "network": {"lossx": 1}}`, `network.lossx：未知字段（此处的字段有 `},
		{`{"version": 1, "workload": null}`, `workload：缺失；应为对象，含 "kind": "bulk", "page" or "updates"`},
		{``, `文件为空`},
		{`{"version": 1,`, `第 1 行：文件在 JSON 中途结束`},
		{`{"version" 1}`, `第 1 行第 12 列：不是有效的 JSON：invalid character '1' after object key`},
		{`[1]`, `$：应为 JSON 对象，实际为 array`},
		{"{\"version\": 1,\n \"name\": \"caf\xe9\", \"workload\": {\"kind\": \"bulk\"}}", `第 2 行第 14 列：字节 0xe9 不是 UTF-8 文本；场景文件须为 UTF-8 编码`},
	}
	for _, tt := range tests {
		_, _, _, err := DecodeSaved([]byte(tt.doc))
		if err == nil {
			t.Errorf("DecodeSaved(%s) = nil; want an error", tt.doc)
			continue
		}
		got := LangZH.Detail(err.Error())
		if !strings.HasPrefix(got, tt.want) {
			t.Errorf("Detail(%q) = %q; want it to start %q", err, got, tt.want)
		}
		if en := LangEN.Detail(err.Error()); en != err.Error() {
			t.Errorf("English Detail(%q) = %q; want it unchanged", err, en)
		}
	}
	// Values, names and explanations are kept as typed: only a line's
	// known shape is translated, each line of several.
	for _, tt := range []struct{ in, want string }{
		{`network.a string: unknown field (the fields here are rtt, loss)`, `network.a string：未知字段（此处的字段有 rtt, loss）`},
		{`variants[0] (a list or a string): h1.max_conns: 0 is out of range (1 to 64)`, `variants[0] (a list or a string)：h1.max_conns: 0 超出范围（1 至 64）`},
		{`workload.duration: 25h is out of range (after 0, up to 24h)`, `workload.duration：25h 超出范围（after 0, up to 24h）`},
		{`$.format: want "httpsim-view" (a saved view) or a scenario document`, `$.format：应为 "httpsim-view"（已保存的视图）或场景文档`},
		{`$.format: some reason no shape knows`, `$.format: some reason no shape knows`},
		{"tcp.mss: 5 is out of range (88 to 65495 bytes)\nseed: found a list; want a whole number, 0 or more", "tcp.mss：5 超出范围（88 至 65495 bytes）\nseed：实际为列表；应为非负整数"},
		// The saved-file reader's and the validator's own wordings.
		{`$.rtt: given twice in one object; give it once`, `$.rtt：在同一对象中出现了两次；请只写一次`},
		{`$.state: want an object of settings`, `$.state：应为设置对象`},
		{`$.state.loss: want a string, number or boolean`, `$.state.loss：应为字符串、数字或布尔值`},
		{`line 3, column 2: not valid JSON: more follows the object`, `第 3 行第 2 列：不是有效的 JSON：对象之后还有内容`},
		{`protocols[1]: "h4" is not a protocol (use h1, h2, h3)`, `protocols[1]："h4" 不是协议（可用 h1, h2, h3）`},
		{`protocols: none given (use h1, h2, h3)`, `protocols：未指定（可用 h1, h2, h3）`},
		{`tls.version: "1.4" is not a TLS version (use none, 1.2 or 1.3)`, `tls.version："1.4" 不是 TLS 版本（可用 none, 1.2 or 1.3）`},
		{`title: has a control character (U+0007, character 3); write plain text`, `title：含控制字符（U+0007，第 3 个字符）；请写纯文本`},
		{`version: this file is version 7, newer than this httpsim understands (version 1); please update httpsim to open it`, `version：此文件为第 7 版，比本 httpsim 能读取的版本（第 1 版）新；请更新 httpsim 后再打开`},
		{`network.rtt: found a number (100); want a duration such as "100ms"`, `network.rtt：实际为数字 (100)；应为时长，例如 "100ms"`},
	} {
		if got := LangZH.Detail(tt.in); got != tt.want {
			t.Errorf("Detail(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
	// The notices that give a reason translate it; others keep their
	// arguments (a file name is not translated).
	n := Notice{Key: "saved.importerr", Args: []string{"a to b.json", "the file is empty"}}
	if got, want := LangZH.Notice(n), "“a to b.json”不是 httpsim 能读取的场景文件：文件为空"; got != want {
		t.Errorf("Notice(%v) = %q; want %q", n, got, want)
	}
}

// A settled run is announced once in a polite live region, with each
// protocol's load time, and an error is announced with the summary panel
// off; "Simulating…" is never in a live region (it was read out on every
// slider step).
func TestRunResultsAreAnnounced(t *testing.T) {
	p, d := mountPage(t, "proto=h1,h2&panels=summary,ladder")
	want := "Page load time: HTTP/1.1 " + formatTime(p.views[0].summary.PLT) + ", HTTP/2 " + formatTime(p.views[1].summary.PLT)
	if !waitLive(t, p, d, want) {
		t.Errorf("live regions %q; want one to say %q", liveTexts(t, p), want)
	}
	p.running = true
	for _, s := range liveTexts(t, p) {
		if strings.Contains(s, "Simulating") {
			t.Errorf("a live region says %q while a run is under way", s)
		}
	}
	p.running = false

	// A lesson that is not a page load announces its own headline, as
	// its summary's first row, and the marks' note names its triangles:
	// both said "page load" on every lesson.
	for _, tt := range []struct{ query, said, marks string }{
		{"s=bulk&panels=summary&lang=zh", "完成时间：TCP ", "黑色三角为传输完成"},
		{"s=updates&panels=summary", "Update latency (mean): ", "black triangles the last update"},
		{"s=h2-hol&panels=summary", "Page load time: ", "black triangles page loads"},
	} {
		p, d = mountPage(t, tt.query)
		if !waitLive(t, p, d, tt.said) {
			t.Errorf("%s: live regions %q; want one to say %q", tt.query, liveTexts(t, p), tt.said)
		}
		if html := app.HTMLString(p.Render()); !strings.Contains(html, tt.marks) {
			t.Errorf("%s: the timeline's note does not say %q", tt.query, tt.marks)
		}
	}

	p, d = mountPage(t, "proto=h2&panels=ladder")
	p.show(p.ctx, p.st.Params, runOutput{err: errors.New("no route to the moon")})
	p.scheduleURL(p.ctx)
	if !waitLive(t, p, d, "This setting cannot run: no route to the moon") {
		t.Errorf("with the summary off, live regions %q; want the run's error", liveTexts(t, p))
	}
}

// Only the selected frame's title and time are live: the whole box was,
// and every arrow press re-read every field.
func TestFrameDetailsLiveRegion(t *testing.T) {
	fd := &FrameDetails{Lang: LangEN, Has: true, Title: "HTTP/2 · HEADERS · stream 3", When: "written at 1.0 ms, parsed at 21.0 ms",
		Fields: []frameField{{"cookie", strings.Repeat("session=abcdef; ", 40)}}, Text: "GET / HTTP/1.1"}
	root := parseHTML(t, app.HTMLString(fd.Render()))
	live := elements(root, func(n *html.Node) bool { _, ok := attr(n, "aria-live"); return ok })
	if len(live) == 0 {
		t.Fatal("no live region in the frame details")
	}
	var said strings.Builder
	for _, n := range live {
		if inner := elements(n, func(n *html.Node) bool { return n.Data == "table" || n.Data == "pre" }); len(inner) > 0 {
			t.Errorf("a live region holds a <%s>: %q", inner[0].Data, textOf(n))
		}
		said.WriteString(textOf(n))
	}
	for _, want := range []string{fd.Title, fd.When} {
		if !strings.Contains(said.String(), want) {
			t.Errorf("live text %q; want it to contain %q", said.String(), want)
		}
	}
}

// Scrubbing back keeps the frame selection among the frames written by
// then: with the last frame selected, it stayed there, and "prev" walked
// through frames not yet drawn.
func TestSelectionStaysOnWrittenFrames(t *testing.T) {
	p, _ := mountPage(t, "s=page&proto=h2&panels=frames")
	frames := p.views[0].frames
	p.moveFrame(p.ctx, "cv-frames-0", "end")
	if p.sel != (frameSel{0, len(frames) - 1}) {
		t.Fatalf("after End: selection %v; want the last of %d frames", p.sel, len(frames))
	}
	p.setTime(p.ctx, frames[len(frames)/2].created)
	n := framesUpTo(frames, p.now())
	if n >= len(frames) || p.sel.frame != n-1 {
		t.Errorf("scrubbed back to %d of %d frames written: selection %v; want frame %d", n, len(frames), p.sel, n-1)
	}
	p.moveFrame(p.ctx, "cv-frames-0", "prev")
	if p.sel.frame != n-2 {
		t.Errorf("prev: frame %d; want %d", p.sel.frame, n-2)
	}
	p.setTime(p.ctx, 0)
	if framesUpTo(frames, 0) == 0 && p.sel != (frameSel{-1, -1}) {
		t.Errorf("at 0, with no frame written: selection %v; want none", p.sel)
	}
}

// No two elements share an id: the header-compression panel and the
// HPACK table size control were both "hpack".
func TestPageIDsAreUnique(t *testing.T) {
	p, _ := mountPage(t, "s=page&proto=h1,h2,h3")
	if !p.st.Panels.Has(PanelHPACK) {
		t.Fatal("the default panels lack the header-compression panel")
	}
	seen := map[string]int{}
	for _, n := range elements(parseHTML(t, app.HTMLString(p.Render())), func(n *html.Node) bool { _, ok := attr(n, "id"); return ok }) {
		id, _ := attr(n, "id")
		seen[id]++
	}
	if seen["hpack"] == 0 {
		t.Errorf("no element with id hpack: the control is missing")
	}
	for id, k := range seen {
		if k > 1 {
			t.Errorf("%d elements have id %q", k, id)
		}
	}
}

// The frame strip takes the arrow keys, so it is a slider (an image keeps
// screen readers' arrows for themselves), whose value redraw keeps to the
// selected frame's title as the keys move it.
func TestFrameStripIsASlider(t *testing.T) {
	p, d := mountPage(t, "s=page&proto=h2&panels=frames")
	p.draw.fixed = [2]float64{500, 300}
	cv := byID(t, parseHTML(t, app.HTMLString(p.Render())), "cv-frames-0")
	if role, _ := attr(cv, "role"); role != "slider" {
		t.Errorf("the frame strip's role is %q; want slider", role)
	}
	v := p.views[0]
	for a, want := range map[string]string{"aria-label": LangEN.T("frames.aria", "HTTP/2"), "aria-valuemax": strconv.Itoa(len(v.frames) - 1), "tabindex": "0"} {
		if got, _ := attr(cv, a); got != want {
			t.Errorf("the frame strip has %s=%q; want %q", a, got, want)
		}
	}
	p.setTime(p.ctx, p.span)
	if got := drawnAttr(p, 0, attrFrameText); got != LangEN.T("frames.nosel") {
		t.Errorf("with no frame selected, redraw set aria-valuetext %q; want %q", got, LangEN.T("frames.nosel"))
	}
	p.moveFrame(p.ctx, "cv-frames-0", "end")
	p.moveFrame(p.ctx, "cv-frames-0", "prev")
	d.Consume()
	want := frameTitle(v, &v.frames[p.sel.frame], LangEN)
	if got := drawnAttr(p, 0, attrFrameText); got != want {
		t.Errorf("after the keys, redraw set aria-valuetext %q; want %q", got, want)
	}
	if got := drawnAttr(p, 0, attrFrameNow); got != strconv.Itoa(len(v.frames)-2) {
		t.Errorf("after End and ←, redraw set aria-valuenow %q; want %d", got, len(v.frames)-2)
	}
}

// The play toggle keeps its name whether it is pressed or not (it read
// "Pause, pressed"); the reroll button's name contains its visible text;
// each language button says what language it is in.
func TestControlNames(t *testing.T) {
	p, _ := mountPage(t, "s=page&proto=h2")
	for _, l := range []Lang{LangEN, LangZH} {
		p.st.Lang = l
		for _, playing := range []bool{false, true} {
			p.playing = playing
			root := parseHTML(t, app.HTMLString(p.Render()))
			play := byID(t, root, "play")
			if got := nameOf(play); got != l.T("tl.play") {
				t.Errorf("%s, playing %v: the play button's name is %q; want %q", l.Code(), playing, got, l.T("tl.play"))
			}
			if _, ok := attr(play, "aria-pressed"); !ok {
				t.Errorf("%s: the play button has no aria-pressed", l.Code())
			}
			reroll := byID(t, root, "reroll")
			if name := nameOf(reroll); !strings.Contains(name, l.T("ctl.reroll")) {
				t.Errorf("%s: the reroll button's name %q lacks its visible text %q", l.Code(), name, l.T("ctl.reroll"))
			}
			for code, want := range map[string]string{"en": "en", "zh": "zh-Hans"} {
				if got, _ := attr(byID(t, root, "lang-"+code), "lang"); got != want {
					t.Errorf("%s: button lang-%s has lang %q; want %q", l.Code(), code, got, want)
				}
			}
		}
	}
	p.playing = false
}

// TestLanesStateCountsEveryCause: a row held back by two causes at once,
// which the lanes cross-hatch, is counted under each in the lanes'
// spoken summary, not only under the cause whose span began first.
func TestLanesStateCountsEveryCause(t *testing.T) {
	ms := int64(1e6)
	loss, transport := holCauseOf(hol.CauseLoss), holCauseOf(hol.CauseTransport)
	v := &runView{rows: []laneRow{
		{done: 90 * ms, hol: []holSpan{{from: 10 * ms, to: 60 * ms, cause: loss}, {from: 20 * ms, to: 50 * ms, cause: transport}}},
		{done: 90 * ms, hol: []holSpan{{from: 15 * ms, to: 40 * ms, cause: transport}, {from: 35 * ms, to: 45 * ms, cause: transport}}},
	}}
	tests := []struct {
		at   int64
		want string
	}{
		{5 * ms, "0 of 2 resources done; 0 packets lost so far."},
		{12 * ms, "0 of 2 resources done; 0 packets lost so far. 1 waiting for their own lost bytes."},
		{38 * ms, "0 of 2 resources done; 0 packets lost so far. 1 waiting for their own lost bytes. 2 held back by another stream's loss."},
		{55 * ms, "0 of 2 resources done; 0 packets lost so far. 1 waiting for their own lost bytes."},
	}
	for _, tt := range tests {
		if got := lanesState(v, tt.at, LangEN); got != tt.want {
			t.Errorf("lanesState(%d ms) = %q; want %q", tt.at/ms, got, tt.want)
		}
	}
}
