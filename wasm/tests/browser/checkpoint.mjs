// The checkpoint page in the browser: the station's kit loaded from its QR
// code image, the console's pass read from its QR code image, the verdict
// with holder, kind, scope and validity; an expired pass of another station
// kit; the checkpoint started as a device of the station (its own chain); a
// tampered token, a card that is not the holder's; the crossings recorded
// in the chain and exported as its lines; all of it again after a reload
// with the network off; and the station's console taking those lines, with
// a pass let through after the console revoked it surfaced as a conflict.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { HOLDER } from "./console.mjs";
import { nearTime, ready, waitText } from "./helpers.mjs";

const verdictRow = (page, key) => waitText(page, `#verdict dd[data-row="${key}"]`, /./);

/** (b, checkpoint side) The kit and the pass read from their QR code images; the verdict `allowed` with what the pass says. */
export async function readPass({ page, base, shots, files }) {
  await page.goto(`${base}/checkpoint.html`);
  await ready(page);
  await waitText(page, "#kit-status", /^No kit on this device yet/);
  assert.equal(await page.isDisabled("#verify"), true);
  assert.equal(await page.isHidden("#camera"), true, "no camera here: the camera button is hidden");
  await page.fill("#checkpoint-name", "G60 exit");
  await page.dispatchEvent("#checkpoint-name", "change");

  await page.setInputFiles("#kit-file", files.kitQr);
  await waitText(page, "#kit-result", /^Kit loaded\.$/);
  await waitText(page, "#kit-status", /^Kit of \d{4}-\d{2}-\d{2} \d{2}:\d{2}: 1 station key\(s\), 0 revoked pass\(es\)$/);

  await page.setInputFiles("#token-image", files.qr);
  await waitText(page, "#verdict-head", /^allowed$/);
  assert.equal(await page.inputValue("#token"), files.token, "the token read from the image is the console's");
  assert.equal(await verdictRow(page, "checkpoint.holder"), "王**");
  assert.equal(await verdictRow(page, "checkpoint.kind"), "county movement pass");
  assert.equal(await verdictRow(page, "checkpoint.scope"), "Yaozhuang town");
  assert.equal(await verdictRow(page, "checkpoint.serial"), String(files.serial));
  const valid = await verdictRow(page, "checkpoint.valid");
  assert.match(valid, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} to \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  nearTime(valid, files.issuedAt); // Asia/Shanghai, not the browser's New York zone
  // Not yet a device of the station: checked, not recorded.
  await waitText(page, "#check-result", /^Checked, not recorded: start this checkpoint's chain/);
  await page.screenshot({ path: join(shots, "checkpoint-allowed.png"), fullPage: true });
}

/** The checkpoint becomes a device of the station: its chain under the kit's base, a bad name refused with the library's words. */
export async function startDevice({ page, files }) {
  await page.setInputFiles("#kit-file", files.kit);
  await waitText(page, "#kit-status", /: 1 station key\(s\), 0 revoked pass\(es\)$/);
  await waitText(page, "#device-status", /^Load the station's kit, then start this checkpoint's chain/);
  // The kit lists the devices the console knew: their numbers are taken.
  await page.fill("#device-name", "g60-exit");
  await page.fill("#device-number", "1");
  await page.click("#device-start");
  await waitText(page, "#device-result", /^Not a checkpoint kit: Device desk already has this name or number 1 at the station/);
  await page.fill("#device-name", "g60 exit");
  await page.fill("#device-number", "9");
  await page.click("#device-start");
  await waitText(page, "#device-result", /^Invalid value: device `g60 exit` is invalid, expected a device name of 1 to 64 letters/);
  await page.fill("#device-name", "g60-exit");
  await page.click("#device-start");
  await waitText(page, "#device-status", /^Device g60-exit \(number 9\): 0 crossing\(s\) recorded$/);
  assert.equal(await page.isHidden("#device-setup"), true);
  // No officer: the library refuses to record (an event names who made it),
  // and no verdict is shown for a crossing that is not recorded.
  await page.fill("#officer", "");
  await page.setInputFiles("#token-image", files.qr);
  await waitText(page, "#check-result", /^Not recorded, so no verdict is shown: Invalid value: by `` is invalid/);
  assert.equal(await page.isHidden("#verdict"), true);
  await waitText(page, "#device-status", /: 0 crossing\(s\) recorded$/);
  await page.fill("#officer", "officer-zhao");
  await page.dispatchEvent("#officer", "change");
  await page.setInputFiles("#token-image", files.qr);
  await waitText(page, "#device-status", /: 1 crossing\(s\) recorded$/);
}

/** Denials with readable reasons: a tampered token, a card not the holder's; the card of the holder matches. */
export async function denials({ page, shots, files }) {
  const token = files.token;
  const tampered = token.slice(0, -6) + (token.at(-6) === "A" ? "B" : "A") + token.slice(-5);
  await page.fill("#token", tampered);
  await page.click("#verify");
  await waitText(page, "#verdict-head", /^denied: signature does not match: altered or forged$/);
  await page.screenshot({ path: join(shots, "checkpoint-tampered.png"), fullPage: true });

  await page.fill("#token", token);
  await page.fill("#card", HOLDER.number);
  await page.click("#verify");
  await waitText(page, "#verdict-head", /^allowed$/);
  assert.equal(await verdictRow(page, "checkpoint.card.check"), "matches the pass");

  await page.fill("#card", "530627198609038213"); // a valid number, not the holder's
  await page.click("#verify");
  await waitText(page, "#verdict-head", /^denied: issued to another identity card$/);
  await page.screenshot({ path: join(shots, "checkpoint-holder-mismatch.png"), fullPage: true });

  await page.fill("#card", "530627198609038210");
  await waitText(page, "#card-hint", /check character of `530627198609038210` should be `3`, found `0`/);
  await page.fill("#card", "");
}

/** A kit from another station (the demo town's), and one of its passes from 2020: expired. */
export async function otherKit({ page, dir, demo }) {
  const kit = join(dir, "demo-kit.json");
  await writeFile(kit, JSON.stringify(demo.kit));
  await page.setInputFiles("#kit-file", kit);
  await waitText(page, "#kit-status", /: 1 station key\(s\), 1 revoked pass\(es\)$/);
  await page.fill("#token", demo.expiredToken);
  await page.click("#verify");
  await waitText(page, "#verdict-head", /^denied: expired$/);
  // The console's pass is not signed with a key of that kit.
  await page.fill("#token", demo.consoleToken);
  await page.click("#verify");
  await waitText(page, "#verdict-head", /^denied: signed with a key this checkpoint does not hold$/);
}

/** Export this checkpoint's lines (its chain) to `name` in `dir`; returns the path and the lines read. */
async function exportLines(page, dir, name) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.click("#export")]);
  const path = join(dir, name);
  await file.saveAs(path);
  return { path, lines: (await readFile(path, "utf8")).trim().split("\n").map((l) => JSON.parse(l)) };
}

/** The crossings recorded in the chain, exported as its lines; another station's kit refused; all of it after a reload without the network. */
export async function crossings({ page, context, server, shots, dir, files, demo }) {
  await waitText(page, "table.crossings", new RegExp(`G60 exit\\s+${files.serial}\\s+allowed`));
  const rows = await page.$$eval("table.crossings tbody tr", (trs) => trs.length);
  assert.equal(rows, 4);
  const { lines } = await exportLines(page, dir, "checkpoint-lines.jsonl");
  // A device's chain: its header (name, number, the kit's base), then one event per crossing.
  assert.deepEqual([lines[0].dev, lines[0].seq, lines[0].number, lines[0].base], ["g60-exit", 0, 9, files.base]);
  const events = lines.slice(1);
  assert.deepEqual(events.map((l) => [l.seq, l.cmd.type, l.out.verdict.claims?.serial ?? null, l.out.verdict.allowed, l.out.verdict.reason]), [
    [1, "check_pass", files.serial, true, null], [2, "check_pass", null, false, "bad_signature"],
    [3, "check_pass", files.serial, true, null], [4, "check_pass", files.serial, false, "holder_mismatch"],
  ]);
  assert.ok(events.every((l) => l.cmd.checkpoint === "G60 exit" && l.by === "officer-zhao"));

  // A kit of another station book is refused: the chain is under this station's base.
  const other = join(dir, "demo-kit-again.json");
  await writeFile(other, JSON.stringify(demo.kit));
  await page.setInputFiles("#kit-file", other);
  await waitText(page, "#kit-result", /this kit is of another station book than this checkpoint's chain/i);
  await waitText(page, "#kit-status", /: 1 station key\(s\), 0 revoked pass\(es\)$/);
  await server.down();
  await context.setOffline(true);
  try {
    await page.reload();
    await ready(page);
    await waitText(page, "#kit-status", /: 1 station key\(s\), 0 revoked pass\(es\)$/);
    await page.setInputFiles("#token-image", files.qr);
    await waitText(page, "#verdict-head", /^allowed$/);
    await waitText(page, "#device-status", /: 5 crossing\(s\) recorded$/);
    assert.equal(await page.$$eval("table.crossings tbody tr", (trs) => trs.length), 5);
    await page.screenshot({ path: join(shots, "checkpoint-offline.png"), fullPage: true });
  } finally {
    await context.setOffline(false);
    await server.up();
  }
}

/**
 * The station's console takes the checkpoint's lines: the console revokes
 * the pass, the checkpoint (its kit not yet refreshed) lets it through once
 * more; the console imports the checkpoint's lines and shows that crossing
 * as a conflict, naming the revocation.
 */
export async function syncToStation({ page, base, dir, files }) {
  await page.goto(`${base}/console.html`);
  await ready(page);
  await page.fill("#revoke-serial", String(files.serial));
  await page.click("#revoke-form button[type=submit]");
  await waitText(page, "#revoke-form .result", /^Recorded \(desk no\. \d+\)\.$/);

  await page.goto(`${base}/checkpoint.html`);
  await ready(page);
  await page.setInputFiles("#token-image", files.qr);
  await waitText(page, "#verdict-head", /^allowed$/); // the kit predates the revocation
  await waitText(page, "#device-status", /: 6 crossing\(s\) recorded$/);
  const { path } = await exportLines(page, dir, "checkpoint-lines-2.jsonl");

  await page.goto(`${base}/console.html`);
  await ready(page);
  await page.setInputFiles("#sync-import", path);
  await waitText(page, "#sync-result", /^Took 6 new events from g60-exit \(0 lines already held\)\./);
  const shown = await page.$$eval("#conflicts form.conflict", (forms) => forms.map((f) => [
    f.querySelector(".conflict-kind").innerText.trim(), f.querySelector(".conflict-event").innerText.trim(),
    f.querySelector(".conflict-earlier").innerText.trim(), f.querySelector(".conflict-reason").innerText.trim()]));
  await waitText(page, "#sync-result", /\. 1 new conflict\(s\) to decide\./).catch((e) => { throw new Error(`${e.message}\n${JSON.stringify(shown)}`); });
  assert.equal(shown.length, 1, JSON.stringify(shown));
  assert.equal(shown[0][0], "pass checked after it was revoked");
  assert.match(shown[0][1], /g60-exit/);
  assert.match(shown[0][2], /desk/);
  // The crossings are the station's now: all six, as the checkpoint decided them.
  const crossings = await page.evaluate(async () => {
    const { StationBook } = await import("./app/book.js");
    const { openStore } = await import("./app/store.js");
    const book = await StationBook.open(await openStore("station"));
    try { return book.query({ query: "crossings" }).map((c) => c.verdict.allowed); } finally { book.free(); }
  });
  assert.deepEqual(crossings, [true, false, true, false, true, true]);

  // A second tab of the console only says the book is open elsewhere.
  const second = await page.context().newPage();
  try {
    await second.goto(`${base}/console.html`);
    await second.waitForSelector('body[data-ready="other-tab"]');
    await waitText(second, "#open-error", /^This device's book is open in another tab or window of this browser/);
    assert.equal(await second.isHidden("#setup"), true, "no way to start over from the second tab");
  } finally {
    await second.close();
  }
}
