// The browser check: serve the repository on 127.0.0.1, open the example
// pages in Debian's Chromium (headless, driven by playwright-core) and check
// that a valid token is allowed, a tampered one denied with the reason, an
// expired one denied, and that the dashboard draws its charts. Screenshots go
// to artifacts/browser/ (not committed).
import { createServer } from "node:http";
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import precinct from "../pkg/node/precinct_wasm.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const SHOTS = join(ROOT, "artifacts", "browser");
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };

const server = createServer((req, res) => {
  const path = normalize(join(ROOT, decodeURIComponent(new URL(req.url, "http://x").pathname)));
  try {
    if (!path.startsWith(ROOT) || !statSync(path).isFile()) throw new Error("not a file");
    res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" });
    res.end(readFileSync(path));
  } catch {
    res.writeHead(404).end("not found");
  }
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const base = `http://127.0.0.1:${server.address().port}/examples/web`;

// Tokens from the demo station, made with the Node build.
const book = precinct.Book.demo(2020, true);
const key = new precinct.StationKey(new Uint8Array(32).fill(42));
const at = "2020-03-01T09:00";
const when = Date.parse("2020-03-01T01:00:00Z");
const passes = book.passes();
const valid = passes.find((p) => p.revoked_at === null && Date.parse(p.valid_from) <= when && when < Date.parse(p.valid_until));
const later = "2020-04-20T09:00"; // by then February's passes have expired
const expired = passes.find((p) => p.revoked_at === null && Date.parse(p.valid_until) <= Date.parse("2020-04-20T01:00:00Z"));
const token = book.token(valid.serial, key);
const tampered = token.slice(0, -6) + (token.at(-6) === "A" ? "B" : "A") + token.slice(-5);

mkdirSync(SHOTS, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"],
});
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${base}/checkpoint.html`);
  await page.waitForSelector("body[data-ready=true]");
  await context.setOffline(true); // from here on the page must work without the network

  const check = async (t, name, moment = at) => {
    await page.fill("#token", t);
    await page.fill("#at", moment);
    await page.click("#verify");
    const text = await page.textContent("#verdict");
    await page.screenshot({ path: join(SHOTS, `checkpoint-${name}.png`) });
    return text;
  };
  const allowed = await check(token, "valid");
  assert.match(allowed, /^allowed \(.+, pass \d+\)$/);
  assert.match(await check(tampered, "tampered"), /^denied: bad signature/);
  assert.match(await check(book.token(expired.serial, key), "expired", later), /^denied: expired/);
  await context.setOffline(false);

  await page.goto(`${base}/dashboard.html`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 60000 });
  assert.equal(await page.locator("#resumption svg path[data-series]").count(), 2);
  assert.ok((await page.locator("#passes svg rect").count()) > 10);
  assert.equal(await page.locator("#overdue tr").count(), 2); // the header and the overdue stay
  // The header and a row per contact of C1, as the Node build finds them.
  assert.equal(await page.locator("#contacts tr").count(), 1 + book.closeContacts({ cases: ["C1"] }).length);
  await page.screenshot({ path: join(SHOTS, "dashboard.png"), fullPage: true });
  assert.deepEqual(errors, []);
  console.log(`browser check passed: checkpoint (${allowed}) and dashboard; screenshots in ${SHOTS}`);
} finally {
  await browser.close();
  server.close();
}
