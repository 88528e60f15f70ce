// What every page shares: the header (navigation, language, network
// state), times written in the policy's zone, field checks as they are
// typed, error text next to a form, files to download. No rule of the
// records lives here: checks call the library and show its message.

import { apply, errorText, languageSwitch, onLangChange, t } from "./i18n.js";
import { registerServiceWorker } from "./sw-register.js";

export const $ = (selector, root = document) => root.querySelector(selector);

/** Create an element: `h("td", {className: "x"}, "text", child)`. */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "dataset") Object.assign(node.dataset, v);
    else if (k in node) node[k] = v;
    else node.setAttribute(k, v);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

/** The page's header: links to the three pages, the language switch, online/offline. */
export function pageHeader(active) {
  const nav = h("nav", { className: "top" });
  for (const [page, key] of [["console.html", "nav.console"], ["checkpoint.html", "nav.checkpoint"], ["dashboard.html", "nav.dashboard"]]) {
    const link = h("a", { href: page, dataset: { i18n: key } });
    if (page.startsWith(active)) link.setAttribute("aria-current", "page");
    nav.append(link);
  }
  const net = h("span", { id: "net", className: "net" });
  const showNet = () => {
    net.textContent = t(navigator.onLine ? "net.online" : "net.offline");
    net.classList.toggle("off", !navigator.onLine);
  };
  window.addEventListener("online", showNet);
  window.addEventListener("offline", showNet);
  onLangChange(showNet);
  showNet();
  nav.append(h("span", { className: "spacer" }), net);
  languageSwitch(nav);
  document.body.prepend(nav);
  apply();
  registerServiceWorker();
}

// Times: the library gives ISO 8601 text with the policy zone's offset (or
// UTC in journal lines); they are written in the policy's zone, whatever
// the browser's zone is.
const formatters = new Map();
function partsIn(zone, date) {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
                                           hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formatters.set(zone, f);
  }
  return Object.fromEntries(f.formatToParts(date).map((p) => [p.type, p.value]));
}

/** `2020-02-20 10:00`: the instant in the policy's zone. */
export function formatTime(iso, zone) {
  if (!iso) return "";
  const date = iso instanceof Date ? iso : new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  const p = partsIn(zone, date);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** The value of a datetime-local input for `date` in the policy's zone (the library reads naive times there). */
export function localInputValue(zone, date = new Date()) {
  const p = partsIn(zone, date);
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** Today's date in the policy's zone, `YYYY-MM-DD`. */
export function todayIn(zone, date = new Date()) {
  return localInputValue(zone, date).slice(0, 10);
}

/** A calendar day `YYYY-MM-DD` written for the reader (`Feb 10`, `2月10日`). */
export function formatDay(day, lang, withYear = false) {
  const [y, m, d] = day.split("-").map(Number);
  const options = withYear ? { year: "numeric", month: "short", day: "numeric" } : { month: "short", day: "numeric" };
  return new Intl.DateTimeFormat(lang, { ...options, timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, d)));
}

/**
 * Check `input` as it is typed with `check(value)` (a library call that
 * throws its error); the message goes to the field's hint, `ok(result)`
 * may say what the value means. Empty optional fields are not checked.
 */
export function liveCheck(input, check, { ok, optional = false } = {}) {
  const hint = hintFor(input);
  const run = () => {
    const value = input.value.trim();
    if (!value && (optional || !input.dataset.touched)) {
      setHint(input, hint, "", null);
      return true;
    }
    try {
      const result = check(value);
      setHint(input, hint, ok ? ok(result) : "", null);
      return true;
    } catch (error) {
      setHint(input, hint, errorText(error), error);
      return false;
    }
  };
  input.addEventListener("input", () => { input.dataset.touched = "1"; run(); });
  onLangChange(run);
  input.check = run;
  return run;
}

function hintFor(input) {
  let hint = document.getElementById(`${input.id}-hint`);
  if (!hint) {
    hint = h("small", { className: "hint", id: `${input.id}-hint` });
    input.insertAdjacentElement("afterend", hint);
    input.setAttribute("aria-describedby", hint.id);
  }
  return hint;
}

function setHint(input, hint, text, error) {
  hint.textContent = text;
  hint.classList.toggle("bad", Boolean(error));
  input.setCustomValidity(error ? text : "");
  input.toggleAttribute("aria-invalid", Boolean(error));
}

/** Show the outcome of a form: the library's error (with the field it names, when a field of the form has that name) or a confirmation. */
export function formResult(form, error, message = "") {
  const out = form.querySelector(".result") ?? form.appendChild(h("div", { className: "result", role: "status" }));
  out.classList.toggle("bad", Boolean(error));
  out.textContent = error ? errorText(error) : message;
  for (const field of form.querySelectorAll("[data-field]")) field.classList.remove("bad-field");
  if (error?.field) {
    const named = form.querySelector(`[data-field="${CSS.escape(String(error.field))}"]`);
    named?.classList.add("bad-field");
  }
  return out;
}

/** Offer `content` (text or a Blob) as a file. */
export function download(filename, content, type = "application/json") {
  const blob = content instanceof Blob ? content : new Blob([content], { type });
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A small table: `head` labels, `rows` of cells (text or nodes). */
export function table(head, rows, className = "") {
  const tbl = h("table", { className });
  tbl.append(h("thead", {}, h("tr", {}, ...head.map((x) => h("th", {}, x)))));
  const body = h("tbody");
  for (const row of rows) body.append(h("tr", {}, ...row.map((x) => h("td", {}, x))));
  tbl.append(body);
  return tbl;
}
