// draw.js: the one JavaScript helper httpsim's WebAssembly UI calls to paint
// a <canvas>. Go batches a whole frame's drawing commands into one buffer of
// little-endian float64 values (see app/canvas.go, which owns the opcodes) and
// hands it over in a single call, so a frame costs one crossing of the
// Go/JavaScript boundary however many lines it draws.
"use strict";

(() => {
  // Opcodes; keep in step with app/canvas.go.
  const CLEAR = 1;       // clear the whole canvas
  const STROKE_STYLE = 2; // s
  const FILL_STYLE = 3;  // s
  const LINE_WIDTH = 4;  // w
  const FONT = 5;        // s
  const DASH = 6;        // n, d1..dn
  const FILL_RECT = 7;   // x, y, w, h
  const STROKE_RECT = 8; // x, y, w, h
  const POLYLINE = 9;    // n, x1, y1, ..., xn, yn (stroked)
  const TEXT = 10;       // s, x, y, align, baseline
  const LINES = 11;      // n, then n segments x1, y1, x2, y2 (stroked as one path)

  const ALIGN = ["left", "center", "right"];
  const BASELINE = ["top", "middle", "alphabetic", "bottom"];

  // Sizes the canvas's backing store to its CSS size times the device pixel
  // ratio, so that Go draws in CSS pixels and lines stay sharp. Returns the
  // 2D context with the matching transform.
  function prepare(canvas) {
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(canvas.clientWidth * dpr));
    const h = Math.max(1, Math.round(canvas.clientHeight * dpr));
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return ctx;
  }

  // httpsimDraw(canvas, bytes, n, strings) runs the first n bytes of bytes (a
  // Uint8Array holding float64 commands) on canvas. strings holds the frame's
  // text operands (colours, fonts, labels) separated by "\n"; commands refer
  // to them by index.
  function httpsimDraw(canvas, bytes, n, strings) {
    const ctx = prepare(canvas);
    const f = new Float64Array(bytes.buffer, bytes.byteOffset, n / 8);
    const str = strings === "" ? [] : strings.split("\n");
    let i = 0;
    while (i < f.length) {
      const op = f[i++];
      switch (op) {
        case CLEAR:
          ctx.clearRect(0, 0, canvas.clientWidth, canvas.clientHeight);
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
        case POLYLINE: {
          const k = f[i++];
          ctx.beginPath();
          for (let j = 0; j < k; j++, i += 2) {
            if (j === 0) {
              ctx.moveTo(f[i], f[i + 1]);
            } else {
              ctx.lineTo(f[i], f[i + 1]);
            }
          }
          ctx.stroke();
          break;
        }
        case TEXT:
          ctx.textAlign = ALIGN[f[i + 3]];
          ctx.textBaseline = BASELINE[f[i + 4]];
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
        default:
          throw new Error("httpsimDraw: unknown opcode " + op + " at " + (i - 1));
      }
    }
  }

  window.httpsimDraw = httpsimDraw;
})();
