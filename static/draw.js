// draw.js: the one JavaScript helper httpsim's WebAssembly UI calls. Go
// batches a whole frame's drawing commands, for every canvas on the page, into
// one buffer of little-endian float64 values (see app/canvas.go, which owns
// the opcodes) and hands it over in a single call, so a frame costs one
// crossing of the Go/JavaScript boundary however many lines it draws.
//
// It also holds the few browser chores that must run synchronously in an
// event handler (go-app runs Go handlers after the event has returned, too
// late to call preventDefault) or that need a promise: keyboard shortcuts,
// copying to the clipboard, saving and reading files, and yielding to the
// browser between chunks of a simulation.
"use strict";

(() => {
  // Opcodes; keep in step with app/canvas.go.
  const CLEAR = 1;        // clear the whole canvas
  const STROKE_STYLE = 2; // s
  const FILL_STYLE = 3;   // s
  const LINE_WIDTH = 4;   // w
  const FONT = 5;         // s
  const DASH = 6;         // n, d1..dn
  const FILL_RECT = 7;    // x, y, w, h
  const STROKE_RECT = 8;  // x, y, w, h
  const POLYLINE = 9;     // n, x1, y1, ..., xn, yn (stroked)
  const TEXT = 10;        // s, x, y, align, baseline
  const LINES = 11;       // n, then n segments x1, y1, x2, y2 (stroked as one path)
  const TARGET = 12;      // i, w, h: draw on canvas i of the batch
  const HATCH = 13;       // x, y, w, h, spacing, kind
  const FILL_POLY = 14;   // n, x1, y1, ..., xn, yn (filled)
  const FILL_CIRCLE = 15; // x, y, r
  const HALO_TEXT = 16;   // s, x, y, align, baseline

  const ALIGN = ["left", "center", "right"];
  const BASELINE = ["top", "middle", "alphabetic", "bottom"];

  // Sizes the canvas's backing store to its CSS size times the device pixel
  // ratio, so that Go draws in CSS pixels and lines stay sharp. Returns the
  // 2D context with the matching transform.
  function prepare(canvas, w, h) {
    const dpr = window.devicePixelRatio || 1;
    const cw = w > 0 ? w : canvas.clientWidth;
    const ch = h > 0 ? h : canvas.clientHeight;
    const bw = Math.max(1, Math.round(cw * dpr));
    const bh = Math.max(1, Math.round(ch * dpr));
    if (canvas.width !== bw || canvas.height !== bh) {
      canvas.width = bw;
      canvas.height = bh;
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.setLineDash([]);
    ctx.lineWidth = 1;
    return ctx;
  }

  // path traces the k points that follow the count at f[i] (x, y pairs)
  // and returns the index after them.
  function path(ctx, f, i) {
    const k = f[i++];
    ctx.beginPath();
    for (let j = 0; j < k; j++, i += 2) {
      if (j === 0) {
        ctx.moveTo(f[i], f[i + 1]);
      } else {
        ctx.lineTo(f[i], f[i + 1]);
      }
    }
    return i;
  }

  // hatch strokes parallel lines across a rectangle, clipped to it.
  function hatch(ctx, x, y, w, h, s, kind) {
    ctx.save();
    ctx.beginPath();
    ctx.rect(x, y, w, h);
    ctx.clip();
    ctx.beginPath();
    if (kind === 3) {
      for (let yy = y + s / 2; yy < y + h; yy += s) {
        ctx.moveTo(x, yy);
        ctx.lineTo(x + w, yy);
      }
    } else if (kind === 4) {
      for (let xx = x + s / 2; xx < x + w; xx += s) {
        ctx.moveTo(xx, y);
        ctx.lineTo(xx, y + h);
      }
    } else {
      // Diagonals: anchor them on absolute coordinates so that adjacent
      // rectangles continue one pattern.
      const start = Math.floor((x - h) / s) * s;
      if (kind === 0 || kind === 2) {
        for (let xx = start; xx < x + w; xx += s) {
          ctx.moveTo(xx, y + h);
          ctx.lineTo(xx + h, y);
        }
      }
      if (kind === 1 || kind === 2) {
        for (let xx = start; xx < x + w; xx += s) {
          ctx.moveTo(xx, y);
          ctx.lineTo(xx + h, y + h);
        }
      }
    }
    ctx.stroke();
    ctx.restore();
  }

  // run executes the first n bytes of bytes (a Uint8Array holding float64
  // commands). canvases lists the batch's canvases for TARGET; a frame for
  // one canvas may omit TARGET and draw on canvases[0]. strings holds the
  // frame's text operands (colours, fonts, labels) separated by "\n";
  // commands refer to them by index.
  function run(canvases, bytes, n, strings) {
    const f = new Float64Array(bytes.buffer, bytes.byteOffset, n / 8);
    const str = strings === "" ? [] : strings.split("\n");
    let canvas = canvases[0] || null;
    let ctx = canvas ? prepare(canvas, 0, 0) : null;
    let cw = canvas ? canvas.clientWidth : 0;
    let ch = canvas ? canvas.clientHeight : 0;
    let i = 0;
    while (i < f.length) {
      const op = f[i++];
      if (op === TARGET) {
        canvas = canvases[f[i]] || null;
        cw = f[i + 1];
        ch = f[i + 2];
        i += 3;
        ctx = canvas ? prepare(canvas, cw, ch) : null;
        continue;
      }
      if (ctx === null) {
        // No canvas for these commands (a panel was closed meanwhile):
        // skip to the next TARGET.
        while (i < f.length && f[i] !== TARGET) {
          i++;
        }
        continue;
      }
      switch (op) {
        case CLEAR:
          ctx.clearRect(0, 0, cw, ch);
          break;
        case STROKE_STYLE:
          ctx.strokeStyle = str[f[i++]];
          break;
        case FILL_STYLE:
          ctx.fillStyle = str[f[i++]];
          break;
        case LINE_WIDTH:
          ctx.lineWidth = f[i++];
          break;
        case FONT:
          ctx.font = str[f[i++]];
          break;
        case DASH: {
          const k = f[i++];
          ctx.setLineDash(Array.from(f.subarray(i, i + k)));
          i += k;
          break;
        }
        case FILL_RECT:
          ctx.fillRect(f[i], f[i + 1], f[i + 2], f[i + 3]);
          i += 4;
          break;
        case STROKE_RECT:
          ctx.strokeRect(f[i], f[i + 1], f[i + 2], f[i + 3]);
          i += 4;
          break;
        case POLYLINE:
          i = path(ctx, f, i);
          ctx.stroke();
          break;
        case TEXT:
          ctx.textAlign = ALIGN[f[i + 3]];
          ctx.textBaseline = BASELINE[f[i + 4]];
          ctx.fillText(str[f[i]], f[i + 1], f[i + 2]);
          i += 5;
          break;
        case HALO_TEXT:
          ctx.textAlign = ALIGN[f[i + 3]];
          ctx.textBaseline = BASELINE[f[i + 4]];
          // The halo is solid whatever dash and line the frame has set.
          ctx.save();
          ctx.setLineDash([]);
          ctx.strokeStyle = "#ffffff";
          ctx.lineWidth = 4;
          ctx.lineJoin = "round";
          ctx.strokeText(str[f[i]], f[i + 1], f[i + 2]);
          ctx.restore();
          ctx.fillText(str[f[i]], f[i + 1], f[i + 2]);
          i += 5;
          break;
        case LINES: {
          const k = f[i++];
          ctx.beginPath();
          for (let j = 0; j < k; j++, i += 4) {
            ctx.moveTo(f[i], f[i + 1]);
            ctx.lineTo(f[i + 2], f[i + 3]);
          }
          ctx.stroke();
          break;
        }
        case HATCH:
          hatch(ctx, f[i], f[i + 1], f[i + 2], f[i + 3], f[i + 4], f[i + 5]);
          i += 6;
          break;
        case FILL_POLY:
          i = path(ctx, f, i);
          ctx.closePath();
          ctx.fill();
          break;
        case FILL_CIRCLE:
          ctx.beginPath();
          ctx.arc(f[i], f[i + 1], f[i + 2], 0, 2 * Math.PI);
          ctx.fill();
          i += 3;
          break;
        default:
          throw new Error("httpsimDraw: unknown opcode " + op + " at " + (i - 1));
      }
    }
  }

  // httpsimDraw(canvas, bytes, n, strings) draws one frame on one canvas.
  function httpsimDraw(canvas, bytes, n, strings) {
    run([canvas], bytes, n, strings);
  }

  // httpsimDrawBatch(ids, bytes, n, strings) draws one frame on several
  // canvases, named by element id in ids (separated by "\n"); the
  // frame's TARGET commands index ids.
  function httpsimDrawBatch(ids, bytes, n, strings) {
    const canvases = ids === "" ? [] : ids.split("\n").map((id) => document.getElementById(id));
    run(canvases, bytes, n, strings);
  }

  // Keyboard shortcuts. The timeline's keys (space: play or pause; left and
  // right arrows: previous or next event; Home, End) are taken everywhere
  // except where the key means something to the focused element: text
  // fields, buttons and selects, and sliders other than the scrubber.
  // handler(key, target) is Go's; it runs after preventDefault. An element
  // marked data-keys="own" (the frame strip) takes the arrows, Home and End
  // for itself: handler gets its id as target.
  function httpsimKeys(handler) {
    document.addEventListener("keydown", (e) => {
      if (e.altKey || e.ctrlKey || e.metaKey) {
        return;
      }
      const keys = {" ": "play", "ArrowLeft": "prev", "ArrowRight": "next", "Home": "home", "End": "end"};
      let key = keys[e.key];
      if (e.key === "Escape") {
        // Escape closes the share panel from anywhere, its fields too.
        handler("escape", "");
        return;
      }
      if (e.shiftKey && (key === "prev" || key === "next")) {
        key += "loss"; // Shift+arrows: the previous or next loss
      }
      if (!key) {
        return;
      }
      const t = e.target;
      const tag = t && t.tagName ? t.tagName.toLowerCase() : "";
      if (t && t.dataset && t.dataset.keys === "own" && key !== "play" && !key.endsWith("loss")) {
        e.preventDefault();
        handler(key, t.id);
        return;
      }
      if (t && t.id === "scrubber") {
        // The scrubber's arrows step between events, as elsewhere.
      } else if (t && t.getAttribute && t.getAttribute("role") === "region" && key !== "play" && !key.endsWith("loss") && scrolls(t, key)) {
        // A focused table wider or taller than its box (the summary of
        // several runs on a narrow screen, an HPACK table) scrolls with
        // the arrows, Home and End, as the keyboard's only way to see
        // its hidden columns. The browser's Home and End scroll up and
        // down only: a table that scrolls sideways alone goes to its
        // first or last column.
        if ((key === "home" || key === "end") && t.scrollHeight <= t.clientHeight) {
          e.preventDefault();
          t.scrollLeft = key === "home" ? 0 : t.scrollWidth;
        }
        return;
      } else if (tag === "input" || tag === "textarea" || tag === "select" || (t && t.isContentEditable)) {
        return;
      } else if ((tag === "button" || tag === "a" || tag === "summary") && key === "play") {
        return;
      }
      e.preventDefault();
      handler(key, "");
    });
  }

  // scrolls reports whether the scroll region el can move for key: the
  // arrows sideways, Home and End either way.
  function scrolls(el, key) {
    const wide = el.scrollWidth > el.clientWidth;
    const tall = el.scrollHeight > el.clientHeight;
    return key === "prev" || key === "next" ? wide : wide || tall;
  }

  // httpsimFocus(id, op, name) focuses the element with id, or with op the
  // button[data-op=op] whose data-name is name, once Go has rendered it:
  // it looks on each of the next 60 frames (a second at most). A name is
  // compared, not put in a selector, so that it needs no escaping.
  function httpsimFocus(id, op, name) {
    let frames = 0;
    const look = () => {
      const el = op ? Array.from(document.querySelectorAll("button[data-op]")).find((b) => b.dataset.op === op && b.dataset.name === name) : document.getElementById(id);
      if (el && !el.closest("[hidden]")) {
        el.focus();
      } else if (++frames < 60) {
        requestAnimationFrame(look);
      }
    };
    requestAnimationFrame(look);
  }

  // httpsimCopy(text, done) copies text to the clipboard and calls done(ok).
  function httpsimCopy(text, done) {
    const fallback = () => {
      try {
        const ta = document.createElement("textarea");
        ta.value = text;
        ta.setAttribute("readonly", "");
        ta.style.position = "fixed";
        ta.style.opacity = "0";
        document.body.appendChild(ta);
        ta.select();
        const ok = document.execCommand("copy");
        document.body.removeChild(ta);
        done(ok);
      } catch (err) {
        done(false);
      }
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(() => done(true), fallback);
    } else {
      fallback();
    }
  }

  // httpsimDownload(name, data, type) saves data (text, or the bytes of a
  // Uint8Array) as a file called name, of media type type (JSON if none).
  function httpsimDownload(name, data, type) {
    const url = URL.createObjectURL(new Blob([data], {type: type || "application/json"}));
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  // httpsimReadFile(input, done, maxBytes) reads the file chosen in a file
  // input as text and calls done(name, text, error, size). A file over
  // maxBytes is not read: the page says so, in its language, from its size.
  function httpsimReadFile(input, done, maxBytes) {
    const file = input && input.files && input.files[0];
    if (!file) {
      done("", "", "no file chosen", 0);
      return;
    }
    if (file.size > maxBytes) {
      done(file.name, "", "", file.size);
      input.value = "";
      return;
    }
    file.text().then((text) => {
      input.value = "";
      done(file.name, text, "", file.size);
    }, (err) => {
      input.value = "";
      done(file.name, "", String(err), file.size);
    });
  }

  // httpsimYield(fn) calls fn as a new task, after the browser has handled
  // pending input and painted if a frame is due: a MessageChannel message is
  // not clamped like a nested setTimeout, and not held to the display's
  // frame rate like requestAnimationFrame.
  const channel = new MessageChannel();
  const queue = [];
  channel.port1.onmessage = () => {
    const fn = queue.shift();
    if (fn) {
      fn();
    }
  };
  function httpsimYield(fn) {
    queue.push(fn);
    channel.port2.postMessage(0);
  }

  // httpsimStickyPad(el) keeps the page's scroll padding at the height of
  // the sticky element el, so that a control the keyboard focuses is
  // scrolled in below it, not under it (WCAG 2.2 SC 2.4.11). The
  // timeline's height changes with the width and the language as its rows
  // wrap (138 to 254 px), so it is measured, not guessed.
  function httpsimStickyPad(el) {
    if (!el || el.httpsimPadded) {
      return;
    }
    el.httpsimPadded = true;
    const root = document.documentElement;
    const pad = () => {
      root.style.scrollPaddingTop = Math.ceil(el.getBoundingClientRect().height) + 8 + "px";
    };
    pad();
    if (window.ResizeObserver) {
      new ResizeObserver(pad).observe(el);
    }
  }

  window.httpsimDraw = httpsimDraw;
  window.httpsimDrawBatch = httpsimDrawBatch;
  window.httpsimKeys = httpsimKeys;
  window.httpsimFocus = httpsimFocus;
  window.httpsimCopy = httpsimCopy;
  window.httpsimDownload = httpsimDownload;
  window.httpsimReadFile = httpsimReadFile;
  window.httpsimYield = httpsimYield;
  window.httpsimStickyPad = httpsimStickyPad;
})();
