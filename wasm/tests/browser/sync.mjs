// Two devices of one station in the browser, each in a browser profile of
// its own (separate IndexedDB): the desk creates the station (device `desk`,
// number 1) and exports its device setup; a field team joins from that file
// (device `team-1`, number 2). Offline, both register the same person (one
// passport) and one other person each; they sync by exchanging line files.
// Both must then hold the same records and the same one conflict; it is
// resolved on one device (merge_persons + resolve_conflict) and synced
// back; a damaged file is refused naming the device and line.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ready, waitText } from "./helpers.mjs";

const PASSPORT = { nationality: "USA", number: "X1234567" };

/** Click `selector` and save the download it starts under `name` in `dir`. */
async function save(page, selector, dir, name) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  const path = join(dir, name);
  await file.saveAs(path);
  return path;
}

/** The service worker is active (the page reloads without the network). */
async function swActive(page) {
  const active = await page.evaluate(() => Promise.race([
    navigator.serviceWorker.ready.then((r) => Boolean(r.active)),
    new Promise((resolve) => setTimeout(() => resolve(false), 5000)),
  ]));
  assert.equal(active, true, "no active service worker");
}

/** Register a person with the id left empty (the library issues it); returns the result text. */
async function register(page, { name, passport, resident }, device, seq) {
  if (passport) {
    await page.selectOption("#person-doc", "passport");
    await page.fill("#person-passport", passport.number);
    await page.fill("#person-nationality", passport.nationality);
  } else {
    await page.selectOption("#person-doc", "resident");
    await page.fill("#person-number", resident);
  }
  await page.fill("#person-name", name);
  await page.click("#person-form button[type=submit]");
  return waitText(page, "#person-form .result", new RegExp(`^Recorded \\(${device} no\\. ${seq}\\)\\.$`));
}

/** The person ids the page lists (the "Persons on record" table, opened). */
async function personIds(page) {
  if (!(await page.$eval("#persons-box", (d) => d.open))) await page.click("#persons-box summary");
  await page.waitForSelector("table.persons");
  return page.$$eval("table.persons tbody tr", (rows) => rows.map((r) => r.cells[0].innerText.trim()));
}

/** The open conflicts as shown: `{kind, event, earlier, reason, applied}`. */
async function conflictsShown(page) {
  return page.$$eval("#conflicts form.conflict", (forms) => forms.map((f) => ({
    kind: f.querySelector(".conflict-kind").innerText.trim(),
    event: f.querySelector(".conflict-event").innerText.trim(),
    earlier: f.querySelector(".conflict-earlier").innerText.trim(),
    reason: f.querySelector(".conflict-reason").innerText.trim(),
    applied: f.querySelector(".conflict-applied").innerText.trim(),
  })));
}

/** Import a lines file on `page`; returns the result text once it matches `pattern`. */
async function importLines(page, path, pattern) {
  await page.setInputFiles("#sync-import", path);
  return waitText(page, "#sync-result", pattern);
}

/** (setup) The desk creates the station and exports its device setup; the team joins from it. */
export async function joinStation({ desk, team, base, dir, shots }) {
  await desk.page.goto(`${base}/console.html`);
  await ready(desk.page, "loaded");
  await desk.page.check("#start-empty");
  await desk.page.fill("#setup-device", "desk");
  await desk.page.fill("#setup-number", "1");
  await desk.page.click("#setup-start");
  await ready(desk.page);
  await waitText(desk.page, "#device-name", /^device desk · no\. 1$/);
  const setup = await save(desk.page, "#sync-setup", dir, "device-setup.json");
  const { base: baseText, key_seed: seed } = JSON.parse(await readFile(setup, "utf8"));
  assert.equal(typeof baseText, "string");
  assert.equal(seed.length, 32);

  await team.page.goto(`${base}/console.html`);
  await ready(team.page, "loaded");
  await waitText(team.page, "#join h2", /^Join a station$/);
  // A device number the library refuses is shown at the field; nothing is kept.
  await team.page.setInputFiles("#join-file", setup);
  await team.page.fill("#join-device", "team-1");
  await team.page.fill("#join-number", "0");
  await team.page.click("#join-start");
  await waitText(team.page, "#join .result", /^Invalid value: device number `0` is invalid, expected a number from 1 to 65535/);
  await team.page.fill("#join-number", "2");
  await team.page.click("#join-start");
  await ready(team.page);
  await waitText(team.page, "#device-name", /^device team-1 · no\. 2$/);
  await waitText(team.page, "#sync-held", /^Events held on this device: 0 \(team-1 up to no\. 0\)$/);
  await waitText(team.page, "#status", /^persons 0 · passes 0 · events 0 since the base$/);
  // The same station: the same zone from the base, the same signing key.
  await waitText(team.page, "#zone-note", /^Times in Asia\/Shanghai/);
  await team.page.fill("#officer", "officer-li");
  await team.page.dispatchEvent("#officer", "change");
  await team.page.screenshot({ path: join(shots, "sync-joined.png"), fullPage: true });
  await swActive(desk.page);
  await swActive(team.page);
}

/** Offline, the same passport on both devices and one other person each; lines exchanged as files; one conflict on both. */
export async function exchange({ desk, team, server, dir, shots, state }) {
  await server.down();
  await desk.context.setOffline(true);
  await team.context.setOffline(true);
  try {
    const before = server.requests;
    // Both reopen from IndexedDB without the network.
    for (const { page } of [desk, team]) {
      await page.reload();
      await ready(page);
      await waitText(page, "#net", /^offline/);
    }
    assert.equal(await desk.page.getAttribute("#person-id", "placeholder"), "left empty: P-desk-1");
    await register(desk.page, { name: "JOHN SMITH", passport: PASSPORT }, "desk", 1);
    await register(desk.page, { name: "王小明", resident: "11010519491231002X" }, "desk", 2);
    assert.equal(await team.page.getAttribute("#person-id", "placeholder"), "left empty: P-team-1-1");
    await register(team.page, { name: "SMITH JOHN", passport: PASSPORT }, "team-1", 1);
    await register(team.page, { name: "李秀英", resident: "150102880730303" }, "team-1", 2);
    assert.deepEqual(await personIds(desk.page), ["P-desk-1", "P-desk-2"]);
    assert.deepEqual(await personIds(team.page), ["P-team-1-1", "P-team-1-2"]);

    // desk → team, then team → desk.
    const deskLines = await save(desk.page, "#sync-export", dir, "lines-desk-1.jsonl");
    await importLines(team.page, deskLines, /^Took 2 new events from desk \(\d+ lines already held\)\. 1 new conflict\(s\) to decide\./);
    const teamLines = await save(team.page, "#sync-export", dir, "lines-team-1.jsonl");
    await importLines(desk.page, teamLines, /^Took 2 new events from team-1 \(\d+ lines already held\)\. 1 new conflict\(s\) to decide\./);

    // The same book on both: persons, events (2 + 2: none lost), the one conflict.
    const ids = ["P-desk-1", "P-desk-2", "P-team-1-1", "P-team-1-2"];
    for (const { page, name } of [desk, team]) {
      assert.deepEqual((await personIds(page)).sort(), ids, `${name}: persons`);
      await waitText(page, "#persons-box summary", /^Persons on record \(4\)$/);
      await waitText(page, "#status", /^persons 4 · passes 0 · events 4 since the base$/);
      await waitText(page, "#sync-held", /^Events held on this device: 4 \(desk up to no\. 2 · team-1 up to no\. 2\)$/);
      const shown = await conflictsShown(page);
      assert.equal(shown.length, 1, `${name}: ${JSON.stringify(shown)}`);
      // The team registered the passport after the desk did: its event is the one that cannot stand.
      assert.deepEqual({ ...shown[0], reason: undefined }, {
        kind: "document registered twice", event: "team-1/1", earlier: "desk/1", reason: undefined,
        applied: "yes: its effect is in the records",
      }, name);
      assert.match(shown[0].reason, /P-team-1-1.*USA:X1234567.*P-desk-1/);
    }
    await waitText(desk.page, "#recent", /team-1\s+2\s+.*person registered\s+P-team-1-2 · 李秀英/);
    // Every line, headers included: 2 headers + 2 + 2 events, in the file each device exports now.
    const all = await save(desk.page, "#sync-export", dir, "lines-desk-2.jsonl");
    const lines = (await readFile(all, "utf8")).trim().split("\n").map((l) => JSON.parse(l));
    assert.equal(lines.length, 6);
    assert.deepEqual(lines.filter((l) => l.cmd).map((l) => `${l.dev}/${l.seq}`).sort(), ["desk/1", "desk/2", "team-1/1", "team-1/2"]);
    await desk.page.screenshot({ path: join(shots, "sync-conflict-desk.png"), fullPage: true });
    await team.page.screenshot({ path: join(shots, "sync-conflict-team.png"), fullPage: true });
    assert.equal(server.requests, before, "no request reached the server while it was down");
  } finally {
    await desk.context.setOffline(false);
    await team.context.setOffline(false);
    await server.up();
  }
  state.ids = ["P-desk-1", "P-desk-2", "P-team-1-2"];
}

/** The team decides: the two records are one person; merged, then the conflict resolved (both recorded). */
export async function resolve({ team, dir, state }) {
  const page = team.page;
  // Resolving with no decision written is refused by the library.
  await page.click("#conflicts form.conflict button[type=submit]");
  await waitText(page, "#conflicts form.conflict .result", /^Invalid value: decision `` is invalid/);
  await page.fill("#merge-keep", "P-desk-1");
  await page.fill("#merge-duplicate", "P-team-1-1");
  await page.click("#merge-form button[type=submit]");
  await waitText(page, "#merge-form .result", /^Recorded \(team-1 no\. 3\)\.$/);
  await page.fill("#conflicts form.conflict input.decision", "The same person (passport USA X1234567): P-team-1-1 merged into P-desk-1");
  await page.click("#conflicts form.conflict button[type=submit]");
  await waitText(page, "#sync-result", /^Conflict team-1\/1 resolved \(team-1 no\. 4\)\.$/);
  await waitText(page, "#conflicts", /^No open conflicts\.\s+1 conflict\(s\) resolved\.$/);
  assert.deepEqual(await personIds(page), state.ids);
  state.teamLines = await save(page, "#sync-export", dir, "lines-team-2.jsonl");
}

/** A lines file with one character changed: refused, naming the device and line; the desk's book unchanged (on screen and on reload). */
export async function damaged({ desk, dir, shots, state }) {
  const page = desk.page;
  const text = await readFile(state.teamLines, "utf8");
  const lines = text.split("\n");
  const at = lines.findIndex((l) => l.includes('"dev":"team-1","seq":3,'));
  assert.ok(at >= 0 && lines[at].includes('"duplicate":"P-team-1-1"'), "the merge line is in the team's file");
  lines[at] = lines[at].replace('"duplicate":"P-team-1-1"', '"duplicate":"P-team-1-2"'); // one character
  const path = join(dir, "lines-team-damaged.jsonl");
  await writeFile(path, lines.join("\n"));
  await importLines(page, path, /^Nothing taken: the lines of device team-1 are damaged at no\. 3 \(.*\)\.$/);
  assert.ok(await page.$eval("#sync-result", (n) => n.classList.contains("bad")), "shown as an error");
  await page.screenshot({ path: join(shots, "sync-damaged.png"), fullPage: true });
  const unchanged = async () => {
    await waitText(page, "#sync-held", /^Events held on this device: 4 \(desk up to no\. 2 · team-1 up to no\. 2\)$/);
    await waitText(page, "#persons-box summary", /^Persons on record \(4\)$/);
    assert.equal((await conflictsShown(page)).length, 1);
  };
  await unchanged();
  await page.reload();
  await ready(page);
  await unchanged();
}

/** The good file: the desk takes the merge and the resolution; synced back; the same book, no open conflict, on both (and after a reload). */
export async function synced({ desk, team, dir, shots, state }) {
  await importLines(desk.page, state.teamLines, /^Took 2 new events from team-1 \(\d+ lines already held\)\./);
  const deskLines = await save(desk.page, "#sync-export", dir, "lines-desk-3.jsonl");
  await importLines(team.page, deskLines, /^Nothing new: all \d+ lines were already held\.$/);
  for (const { page, name } of [desk, team]) {
    for (let pass = 0; pass < 2; pass++) {
      await waitText(page, "#conflicts", /^No open conflicts\.\s+1 conflict\(s\) resolved\.$/);
      await waitText(page, "#sync-held", /^Events held on this device: 6 \(desk up to no\. 2 · team-1 up to no\. 4\)$/);
      await waitText(page, "#status", /^persons 3 · passes 0 · events 6 since the base$/);
      assert.deepEqual(await personIds(page), state.ids, name);
      if (pass === 0) {
        // Kept on the device: the same after a reload.
        await page.reload();
        await ready(page);
      }
    }
  }
  await waitText(desk.page, "#recent", /team-1\s+4\s+.*conflict resolved\s+team-1\/1[\s\S]*team-1\s+3\s+.*persons merged/);
  await desk.page.screenshot({ path: join(shots, "sync-resolved.png"), fullPage: true });
}

/** The dashboard opens a device lines file on a device of its station (its base is there), and says why not elsewhere. */
export async function dashboardLines({ desk, team, browser, base, dir, shots }) {
  const file = await save(desk.page, "#sync-export", dir, "lines-desk-4.jsonl");
  await team.page.goto(`${base}/dashboard.html`);
  await ready(team.page);
  await waitText(team.page, "#status", /This device's station book: persons 3 · households 0 · passes 0 · 6 events since the base, from desk, team-1$/);
  await team.page.setInputFiles("#journal-file", file);
  await waitText(team.page, "#status", /lines-desk-4\.jsonl: persons 3 · households 0 · passes 0 · 6 events since the base, from desk, team-1$/);
  await waitText(team.page, '[data-figure="summary.persons"]', /^3\s+persons$/);
  await team.page.screenshot({ path: join(shots, "sync-dashboard-lines.png"), fullPage: true });
  // A browser that holds no book of the station cannot open them, and says so.
  const context = await browser.newContext({ locale: "en-US", timezoneId: "America/New_York" });
  try {
    const page = await context.newPage();
    await page.goto(`${base}/dashboard.html`);
    await ready(page, "loaded");
    await page.setInputFiles("#journal-file", file);
    await waitText(page, "#open-error", /^Cannot open device lines here: device lines open only on a device of their station/);
  } finally {
    await context.close();
  }
}
