// The checkpoint page in the browser: the station's kit loaded from its QR
// code image, the console's pass read from its QR code image, the verdict
// with holder, kind, scope and validity; a tampered token, a card that is
// not the holder's, an expired pass of another station kit; the crossings
// kept and exported; all of it again after a reload with the network off.
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
  await page.screenshot({ path: join(shots, "checkpoint-allowed.png"), fullPage: true });
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

/** The crossings kept on this device, exported as a file; the kit and the crossings after a reload without the network. */
export async function crossings({ page, context, server, shots, dir, files }) {
  await waitText(page, "table.crossings", new RegExp(`G60 exit\\s+${files.serial}\\s+allowed`));
  const rows = await page.$$eval("table.crossings tbody tr", (trs) => trs.length);
  assert.equal(rows, 6);
  const [file] = await Promise.all([page.waitForEvent("download"), page.click("#export")]);
  const path = join(dir, "crossings.jsonl");
  await file.saveAs(path);
  const lines = (await readFile(path, "utf8")).trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(lines.length, 6);
  assert.deepEqual(lines.map((l) => [l.serial, l.allowed, l.reason]), [
    [files.serial, true, null], [null, false, "bad_signature"], [files.serial, true, null], [files.serial, false, "holder_mismatch"], [lines[4].serial, false, "expired"], [null, false, "unknown_key"],
  ]);
  assert.ok(lines.every((l) => l.checkpoint === "G60 exit"));

  // Back to the station's kit, then offline: the page, the kit and the crossings are still there.
  await page.setInputFiles("#kit-file", files.kit);
  await waitText(page, "#kit-status", /: 1 station key\(s\), 0 revoked pass\(es\)$/);
  await server.down();
  await context.setOffline(true);
  try {
    await page.reload();
    await ready(page);
    await waitText(page, "#kit-status", /: 1 station key\(s\), 0 revoked pass\(es\)$/);
    await page.setInputFiles("#token-image", files.qr);
    await waitText(page, "#verdict-head", /^allowed$/);
    assert.equal(await page.$$eval("table.crossings tbody tr", (trs) => trs.length), 7);
    await page.screenshot({ path: join(shots, "checkpoint-offline.png"), fullPage: true });
  } finally {
    await context.setOffline(false);
    await server.up();
  }
}
