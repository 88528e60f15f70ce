// Charts as plain SVG: a line chart over days and stacked bars (over days,
// or over categories), each with axis titles, tick labels, a legend and a
// title for screen readers. They draw numbers the library computed.

const NS = "http://www.w3.org/2000/svg";
export const COLOURS = ["#2c6fb0", "#d9822b", "#3a8f3a", "#a2418f", "#7a6a2c", "#c23b3b"];

function el(name, attrs = {}, parent, text) {
  const node = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  parent?.appendChild(node);
  return node;
}

/** Round tick steps (1, 2, 5 × 10^n) from 0 to at least `max`. */
function ticks(max, count = 5) {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  const out = [];
  for (let v = 0; v <= max + step * 1e-9; v += step) out.push(Math.round(v * 1e6) / 1e6);
  if (out.at(-1) < max) out.push(out.at(-1) + step);
  return out;
}

function frame({ title, xTitle, yTitle, width = 640, height = 300, left = 60 }) {
  const svg = el("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img" });
  el("title", {}, svg, title);
  const box = { left, right: width - 16, top: 40, bottom: height - 52, width, height };
  el("text", { class: "axis-title x", x: (box.left + box.right) / 2, y: height - 8, "text-anchor": "middle", "font-size": 12 }, svg, xTitle);
  el("text", { class: "axis-title y", transform: `translate(14 ${(box.top + box.bottom) / 2}) rotate(-90)`, "text-anchor": "middle", "font-size": 12 }, svg, yTitle);
  return { svg, box };
}

function yAxis(svg, box, values, format) {
  const top = values.at(-1);
  const y = (v) => box.bottom - (v / top) * (box.bottom - box.top);
  const g = el("g", { class: "y-axis" }, svg);
  for (const v of values) {
    el("line", { x1: box.left, x2: box.right, y1: y(v), y2: y(v), stroke: v === 0 ? "#888" : "#e6e6e6" }, g);
    el("text", { x: box.left - 6, y: y(v) + 4, "text-anchor": "end", "font-size": 11 }, g, format(v));
  }
  return y;
}

function xLabels(svg, box, labels, x, every) {
  const g = el("g", { class: "x-axis" }, svg);
  el("line", { x1: box.left, x2: box.right, y1: box.bottom, y2: box.bottom, stroke: "#888" }, g);
  labels.forEach((text, i) => {
    if (i % every !== 0) return;
    el("line", { x1: x(i), x2: x(i), y1: box.bottom, y2: box.bottom + 4, stroke: "#888" }, g);
    el("text", { x: x(i), y: box.bottom + 17, "text-anchor": "middle", "font-size": 11 }, g, text);
  });
}

// The legend above the plot, on one line, or two when it does not fit.
function legend(svg, box, series, kind) {
  const g = el("g", { class: "legend" }, svg);
  const widths = series.map((s) => 34 + [...s.label].reduce((w, ch) => w + (ch.charCodeAt(0) > 0xff ? 12 : 6.8), 0));
  const total = widths.reduce((a, b) => a + b, 0);
  let x = total <= box.width - box.left - 16 ? box.left : 12;
  let y = 6;
  series.forEach((s, i) => {
    if (x + widths[i] > box.width - 8 && x > 12) { x = 12; y += 16; }
    const item = el("g", { class: "legend-item", transform: `translate(${x} ${y})` }, g);
    if (kind === "line") el("line", { x1: 0, x2: 18, y1: 6, y2: 6, stroke: s.colour, "stroke-width": 3 }, item);
    else el("rect", { x: 0, y: 0, width: 14, height: 12, fill: s.colour }, item);
    el("text", { x: 22, y: 11, "font-size": 12 }, item, s.label);
    x += widths[i];
  });
}

/**
 * Lines over days: `labels` (one per day, already written for the reader),
 * `series` of `{label, colour, values, key}` with values in [0, yMax].
 */
export function lineChart({ title, xTitle, yTitle, labels, series, yMax = 1, format = (v) => `${Math.round(v * 100)}` }) {
  const { svg, box } = frame({ title, xTitle, yTitle });
  const values = yMax === 1 ? [0, 0.25, 0.5, 0.75, 1] : ticks(yMax);
  const y = yAxis(svg, box, values, format);
  const x = (i) => box.left + (i * (box.right - box.left)) / Math.max(labels.length - 1, 1);
  xLabels(svg, box, labels, x, Math.max(1, Math.ceil(labels.length / 7)));
  for (const s of series) {
    const d = s.values.map((v, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join("");
    el("path", { d, fill: "none", stroke: s.colour, "stroke-width": 2, "data-series": s.key }, svg);
  }
  legend(svg, box, series, "line");
  return svg;
}

/**
 * Stacked bars: one bar per label (days or categories), `series` of
 * `{label, colour, values}` stacked in each bar.
 */
export function stackedBars({ title, xTitle, yTitle, labels, series, every }) {
  const height = 300;
  const { svg, box } = frame({ title, xTitle, yTitle, height });
  const totals = labels.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const values = ticks(Math.max(...totals, 1));
  const y = yAxis(svg, box, values, (v) => String(v));
  const slot = (box.right - box.left) / Math.max(labels.length, 1);
  const x = (i) => box.left + slot * (i + 0.5);
  xLabels(svg, box, labels, x, every ?? Math.max(1, Math.ceil(labels.length / 7)));
  labels.forEach((label, i) => {
    let base = 0;
    for (const s of series) {
      const v = s.values[i] ?? 0;
      if (!v) continue;
      el("rect", { x: x(i) - Math.max(slot * 0.8, 1) / 2, width: Math.max(slot * 0.8, 1), y: y(base + v), height: y(base) - y(base + v),
                   fill: s.colour, "data-label": label, "data-series": s.key ?? s.label }, svg)
        .appendChild(el("title", {}, undefined, `${label} · ${s.label}: ${v}`));
      base += v;
    }
  });
  legend(svg, box, series, "bar");
  return svg;
}

/**
 * Stacked horizontal bars, one per category (`labels`, written for the
 * reader), `series` of `{label, colour, values}` stacked in each bar.
 */
export function horizontalBars({ title, xTitle, yTitle, labels, series }) {
  const rowHeight = 30;
  const height = 40 + 52 + rowHeight * Math.max(labels.length, 1);
  const left = 270;
  const { svg, box } = frame({ title, xTitle, yTitle, height, left });
  const totals = labels.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const values = ticks(Math.max(...totals, 1));
  const top = values.at(-1);
  const x = (v) => box.left + (v / top) * (box.right - box.left);
  const g = el("g", { class: "x-axis" }, svg);
  for (const v of values) {
    el("line", { x1: x(v), x2: x(v), y1: box.top, y2: box.bottom, stroke: v === 0 ? "#888" : "#e6e6e6" }, g);
    el("text", { x: x(v), y: box.bottom + 17, "text-anchor": "middle", "font-size": 11 }, g, String(v));
  }
  labels.forEach((label, i) => {
    const y = box.top + i * rowHeight + 4;
    el("text", { class: "category", x: box.left - 6, y: y + rowHeight / 2, "text-anchor": "end", "font-size": 12 }, svg, label);
    let base = 0;
    for (const s of series) {
      const v = s.values[i] ?? 0;
      if (!v) continue;
      el("rect", { x: x(base), y, width: x(base + v) - x(base), height: rowHeight - 8, fill: s.colour,
                   "data-label": label, "data-series": s.key ?? s.label }, svg)
        .appendChild(el("title", {}, undefined, `${label} · ${s.label}: ${v}`));
      base += v;
    }
  });
  legend(svg, box, series, "bar");
  return svg;
}
