package app

// What depends on the scrub time beyond the canvases: the timeline's label,
// the header-compression panel and the selected frame's details. Scrubbing
// updates these components alone, each only when what it shows changed,
// and never re-renders the page.

// refreshTimeDependents updates the mounted components whose content
// depends on the scrub time, each only if its content changed.
func (c *Page) refreshTimeDependents() {
	if c.sum != nil && c.sum.Mounted() {
		// A run started without a page render (setParams): the summary
		// says so, as its data-state tells tests the run has ended.
		if st, status := c.summaryState(), c.summaryStatus(); st != c.sum.State || status != c.sum.Status {
			c.sum.State, c.sum.Status = st, status
			c.sum.Update()
		}
	}
	if c.tl != nil && c.tl.Mounted() {
		p := c.timelineProps()
		if p.Pos != c.tl.Pos || p.TimeText != c.tl.TimeText || p.Playing != c.tl.Playing || p.Has != c.tl.Has ||
			p.Status != c.tl.Status || p.Running != c.tl.Running || p.Views != c.tl.Views || p.Lang != c.tl.Lang || p.Speed != c.tl.Speed || p.Said != c.tl.Said ||
			p.Peak != c.tl.Peak {
			c.tl.Lang, c.tl.Has, c.tl.Playing, c.tl.Running = p.Lang, p.Has, p.Playing, p.Running
			c.tl.Pos, c.tl.TimeText, c.tl.Status, c.tl.Speed, c.tl.Views, c.tl.Said = p.Pos, p.TimeText, p.Status, p.Speed, p.Views, p.Said
			c.tl.Peak = p.Peak
			c.tl.Update()
		}
	}
	if c.hp != nil && c.hp.Mounted() {
		if cols, changed := c.hpackColsCached(); changed || c.hp.Dir != c.st.HPACKDir || c.hp.Lang != c.st.Lang {
			c.hp.Lang, c.hp.Dir, c.hp.Cols = c.st.Lang, c.st.HPACKDir, cols
			c.hp.Update()
		}
	}
	if c.fd != nil && c.fd.Mounted() {
		if d, changed := c.frameDetailsCached(); changed {
			c.fd.Lang, c.fd.Has, c.fd.Title, c.fd.When = d.Lang, d.Has, d.Title, d.When
			c.fd.Fields, c.fd.Text, c.fd.Err = d.Fields, d.Text, d.Err
			c.fd.Update()
		}
	}
}

// hpackKey says what the HPACK panel shows: the run, the language and the
// direction; hpShown holds the rest.
type hpackKey struct {
	gen  uint64
	lang Lang
	dir  string
}

// hpackColsCached returns the HPACK panel's columns at the scrub time,
// recomputing them only when what they show changes: per view (a lesson
// has up to dozens), the connection, its last block decoded by the scrub
// time and the QPACK encoder-stream batches arrived by then (zero for a
// view without tracks).
func (c *Page) hpackColsCached() ([]HPACKCol, bool) {
	k := hpackKey{gen: c.viewGen, lang: c.st.Lang, dir: c.st.HPACKDir}
	t := c.now()
	same := k == c.hpKey && c.hpCols != nil && len(c.hpShown) == len(c.views)
	shown := c.hpShown[:0]
	for i, v := range c.views {
		var s hpackShown
		if trs := v.hpackTracks(c.st.HPACKDir == "resp"); len(trs) > 0 {
			s = hpackShownAt(trs, t, c.sel.of(i))
		}
		same = same && s == c.hpShown[i]
		shown = append(shown, s)
	}
	c.hpShown = shown
	if same {
		return c.hpCols, false
	}
	c.hpKey = k
	c.hpCols = hpackCols(c.views, t, c.st.HPACKDir, c.sel, c.st.Lang)
	return c.hpCols, true
}

// detailsKey says what the frame details show.
type detailsKey struct {
	gen         uint64
	lang        Lang
	view, frame int
	parsed      bool
}

// frameDetailsCached returns the frame details at the scrub time,
// recomputing them only when the selection or its parse state changes.
func (c *Page) frameDetailsCached() (FrameDetails, bool) {
	k := detailsKey{gen: c.viewGen, lang: c.st.Lang, view: c.sel.view, frame: c.sel.frame}
	var v *runView
	if c.sel.view >= 0 && c.sel.view < len(c.views) {
		v = c.views[c.sel.view]
		if c.sel.frame >= 0 && c.sel.frame < len(v.frames) {
			f := &v.frames[c.sel.frame]
			k.parsed = f.parsed >= 0 && f.parsed <= c.now()
		}
	}
	if k == c.fdKey && c.fdProps.Lang == c.st.Lang && (c.fdProps.Has || c.sel.frame < 0) {
		return c.fdProps, false
	}
	c.fdKey = k
	c.fdProps = frameDetailsOf(v, c.sel.frame, c.now(), c.st.Lang)
	return c.fdProps, true
}

// wholeMicro rounds t up to a whole microsecond.
func wholeMicro(t int64) int64 { return (t + 999) / 1000 * 1000 }
