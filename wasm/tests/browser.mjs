// The browser check: serve the repository on 127.0.0.1 (the service worker
// needs http), open the station's pages in Debian's Chromium (headless,
// driven by playwright-core) and use them as an officer would:
//
//   console     a new station, a person registered; the library's messages
//               for bad identity numbers as typed; a reload with the network
//               off (service worker + IndexedDB); a pass and its QR code
//   checkpoint  the kit and the pass read from QR code images, the verdict
//               with holder, kind, scope and validity in the policy's zone;
//               started as a device of the station; denials with their
//               reasons; crossings recorded in its chain and exported as its
//               lines; offline again; the console takes those lines, and a
//               pass let through after its revocation is a conflict
//   dashboard   the console's book from IndexedDB, then a journal file with
//               charts (axis titles, local dates, legends, readable names),
//               in English and Chinese
//   sync        two devices of one station in two browser profiles: the
//               desk creates it, a team joins from its device setup file;
//               offline, one passport registered on both; line files
//               exchanged; one conflict on both, resolved on one, synced
//               back; a damaged file refused; device lines on the dashboard
//
// The browser runs in New York's time zone, so times shown in Asia/Shanghai
// prove they come from the policy. Screenshots go to artifacts/browser/
// (not committed). Run: cd wasm && node tests/browser.mjs
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import precinct from "../pkg/node/precinct_wasm.js";
import { serve } from "./browser/serve.mjs";
import * as consolePage from "./browser/console.mjs";
import * as checkpointPage from "./browser/checkpoint.mjs";
import * as dashboardPage from "./browser/dashboard.mjs";
import * as syncPage from "./browser/sync.mjs";
import { cameraScan } from "./browser/camera.mjs";

const started = Date.now();
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const shots = join(ROOT, "artifacts", "browser");
mkdirSync(shots, { recursive: true });
const dir = mkdtempSync(join(tmpdir(), "precinct-browser-"));

// The demo town, made with the Node build: its journal as a file for the
// dashboard, and a kit of its station key with one of its (long expired) passes.
const town = precinct.Book.demo(2020, true);
const demoKey = new precinct.StationKey(new Uint8Array(32).fill(42)); // the demo station's key seed
const journalPath = join(dir, "demo.journal");
writeFileSync(journalPath, town.journalText);
const demo = {
  journalPath,
  kit: { kit: "precinct-checkpoint", v: 1, public_keys: [demoKey.publicKey], holder_key: demoKey.holderKey,
         revoked: town.revocationList(), issued_at: "2020-03-01T09:00:00+08:00", zone: town.policy.zone,
         base: precinct.DeviceBook.create(town.snapshotText(), "desk", 1).baseHash },
  expiredToken: town.token(town.passes().find((p) => p.revoked_at === null).serial, demoKey),
  contactsOfC1: town.closeContacts({ cases: ["C1"] }).length,
  counts: { persons: town.persons().length, households: town.households().length, passes: town.passes().length },
  seq: town.seq,
};

const server = await serve(ROOT);
const base = `${server.origin}/examples/web`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run"],
});

const results = [];
const passed = new Set();
let skipped = 0;
async function run(name, check, page, needs = [], id = name) {
  const t0 = Date.now();
  const missing = needs.filter((n) => !passed.has(n));
  if (missing.length) {
    skipped += 1;
    console.log(`skip ${name} (needs ${missing.join(", ")})`);
    return;
  }
  try {
    await check();
    passed.add(id);
    results.push([name, null]);
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (error) {
    results.push([name, error]);
    console.log(`FAIL ${name}\n     ${String(error.stack ?? error).split("\n").slice(0, 6).join("\n     ")}`);
    await page?.screenshot({ path: join(shots, `failed-${results.length}.png`), fullPage: true }).catch(() => {});
  }
}

try {
  const context = await browser.newContext({ locale: "en-US", timezoneId: "America/New_York", acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const env = { page, context, server, base, shots, dir, demo, files: null };

  // Each check names the checks it builds on; it is skipped when one of them failed.
  const checks = [
    ["register", "console: new station, a person registered", [], () => consolePage.registerPerson(env)],
    ["validation", "console: the library's messages for bad identity numbers (c)", ["register"], () => consolePage.validation(env)],
    ["offline", "console: reload with the network off, records and forms still there (a)", ["register"], () => consolePage.offline(env)],
    ["pass", "console: a pass and its QR code, the checkpoint kit (b)", ["offline"], async () => {
      env.files = await consolePage.issuePass(env);
      demo.consoleToken = env.files.token;
    }],
    ["forms", "console: stay over video, certificate, paper copy; household, team, screening, zero report", ["pass"], () => consolePage.everydayForms(env)],
    ["read", "checkpoint: kit and pass read from QR images, allowed with holder/kind/scope/validity (b)", ["pass"], () => checkpointPage.readPass(env)],
    ["other-kit", "checkpoint: another station's kit, an expired pass, an unknown key", ["read"], () => checkpointPage.otherKit(env)],
    ["device", "checkpoint: started as a device of the station (its own chain); a bad name and a missing officer refused", ["other-kit"], () => checkpointPage.startDevice(env)],
    ["denials", "checkpoint: tampered token, the holder's card and another card", ["device"], () => checkpointPage.denials(env)],
    ["crossings", "checkpoint: crossings recorded in its chain, exported as its lines, another station's kit refused, offline", ["denials"], () => checkpointPage.crossings(env)],
    ["checkpoint-sync", "console: takes the checkpoint's lines; a pass let through after its revocation is a conflict", ["crossings"], () => checkpointPage.syncToStation(env)],
    ["device-book", "dashboard: this device's book from IndexedDB", ["forms"], () => dashboardPage.deviceBook(env)],
    ["journal", "dashboard: a journal file, charts with axis labels and legends (d)", [], () => dashboardPage.journalFile(env)],
    ["chinese", "dashboard: in Chinese, the language kept across a reload", ["journal"], () => dashboardPage.chinese(env)],
  ];
  for (const [id, name, needs, check] of checks) await run(name, check, page, needs, id);
  await context.close();
  // A first load from the demo town, in a browser profile of its own.
  const fresh = await browser.newContext({ locale: "en-US", timezoneId: "America/New_York" });
  await run("console: the demo town as a base, with progress, reopened", () => consolePage.demoTown({ ...env, context: fresh }));
  await fresh.close();
  // Two devices of one station, each in a browser profile of its own.
  const device = async () => {
    const ctx = await browser.newContext({ locale: "en-US", timezoneId: "America/New_York", acceptDownloads: true });
    const p = await ctx.newPage();
    p.setDefaultTimeout(10000);
    p.on("pageerror", (e) => errors.push(e.message));
    return { context: ctx, page: p };
  };
  const sync = { ...env, browser, desk: { ...(await device()), name: "desk" }, team: { ...(await device()), name: "team-1" }, state: {} };
  const syncChecks = [
    ["sync-join", "sync: a station's desk (no. 1) and a team joined from its device setup file (no. 2)", [], () => syncPage.joinStation(sync)],
    ["sync-exchange", "sync: offline, one passport on two devices; line files exchanged; same persons, events, one conflict on both", ["sync-join"], () => syncPage.exchange(sync)],
    ["sync-resolve", "sync: the conflict resolved on the team (merge_persons + resolve_conflict)", ["sync-exchange"], () => syncPage.resolve(sync)],
    ["sync-damaged", "sync: a damaged lines file refused, naming its device and line; nothing taken", ["sync-resolve"], () => syncPage.damaged(sync)],
    ["sync-synced", "sync: synced back; no open conflict, the same persons and events on both, kept across a reload", ["sync-damaged"], () => syncPage.synced(sync)],
    ["sync-dashboard", "dashboard: a device lines file opens on a device of its station, and says why not elsewhere", ["sync-synced"], () => syncPage.dashboardLines(sync)],
  ];
  for (const [id, name, needs, check] of syncChecks) await run(name, check, sync.desk.page, needs, id);
  await sync.desk.context.close();
  await sync.team.context.close();
  // The camera, in a browser whose fake capture device shows the pass's QR code.
  await run("checkpoint: the camera reads the pass's QR code", () => cameraScan(env), null, ["pass"]);
  results.push(["no uncaught errors in the pages", errors.length ? new Error(errors.join("\n")) : null]);
  if (errors.length) console.log(`FAIL uncaught errors in the pages:\n     ${errors.join("\n     ")}`);
} finally {
  await browser.close();
  server.close();
  rmSync(dir, { recursive: true, force: true });
}

const failed = results.filter(([, e]) => e).length;
console.log(`browser: ${results.length - failed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""} (${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${shots})`);
process.exitCode = failed || skipped ? 1 : 0;
