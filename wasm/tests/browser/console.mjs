// The station console in the browser: a new station (its first device,
// `desk`, number 1, a DeviceBook), a person registered, the library's
// messages for bad identity numbers as they are typed, a reload with the
// network off (service worker + IndexedDB), a pass and its QR code (its
// serial from device 1's block), the checkpoint kit. Two devices syncing
// are in sync.mjs.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { nearTime, ready, waitText } from "./helpers.mjs";

export const HOLDER = { id: "P-0001", name: "王小明", number: "11010519491231002X" };

/** (setup) A new empty station; a person registered; the recent records list it. */
export async function registerPerson({ page, base, shots }) {
  await page.goto(`${base}/console.html`);
  await ready(page, "loaded");
  await waitText(page, "#setup h2", /Start this device's record book/);
  await page.check("#start-empty");
  await page.click("#setup-start");
  await ready(page);
  // The device's name and number in the header. The station's key went into
  // the base (the starting book every device shares), so no record is on
  // this device yet: its lines hold only its header.
  await waitText(page, "#device-name", /^device desk · no\. 1$/);
  await waitText(page, "#recent", /^No records yet\.$/);
  await waitText(page, "#status", /^persons 0 · passes 0 · events 0 since the base$/);
  await page.fill("#person-id", HOLDER.id);
  await page.fill("#person-name", HOLDER.name);
  await page.fill("#person-number", HOLDER.number);
  // What the number says, from the library's residentId.
  await waitText(page, "#person-number-hint", /born 1949-12-31, female, region 110105/);
  await page.click("#person-form button[type=submit]");
  await waitText(page, "#person-form .result", /^Recorded \(desk no\. 1\)\.$/);
  await waitText(page, "#recent", /person registered\s+P-0001 · 王小明/);
  await waitText(page, "#status", /^persons 1 · passes 0/);
  await page.screenshot({ path: join(shots, "console.png"), fullPage: true });
}

/** (c) The library's own messages for bad identity numbers, as they are typed and on submit. */
export async function validation({ page, shots }) {
  // 18 digits whose check character is wrong.
  await page.fill("#person-number", "110105194912310021");
  await waitText(page, "#person-number-hint", /^Invalid identity document: check character of `110105194912310021` should be `X`, found `1`$/);
  assert.equal(await page.getAttribute("#person-number", "aria-invalid"), "");
  // Too short.
  await page.fill("#person-number", "1101051949");
  await waitText(page, "#person-number-hint", /resident id `1101051949` has 10 characters, expected 18 \(or 15 for a legacy number\)/);
  // A bad mobile number, through validateDocument("mobile").
  await page.fill("#person-phone", "1380013800");
  await waitText(page, "#person-phone-hint", /mobile number `1380013800` has 10 characters, expected 11 digits/);
  await page.screenshot({ path: join(shots, "console-validation.png"), fullPage: true });
  await page.fill("#person-phone", "");
  // Submitted anyway: book.execute refuses it and the form shows why; nothing is recorded.
  await page.fill("#person-id", "P-0009");
  await page.fill("#person-name", "赵六");
  await page.click("#person-form button[type=submit]");
  await waitText(page, "#person-form .result", /^Invalid identity document: resident id `1101051949` has 10 characters/);
  await waitText(page, "#status", /^persons 1 /);
  // A refusal with a field: the pass form without a scope.
  await page.fill("#pass-holder", HOLDER.id);
  await page.fill("#pass-scope", "");
  await page.click("#pass-form button[type=submit]");
  await waitText(page, "#pass-form .result", /^Invalid value: scope `` is invalid, expected where the pass is good for/);
  assert.ok(await page.$eval("#pass-scope", (n) => n.classList.contains("bad-field")), "the scope field is marked");
  await page.fill("#person-number", "");
  // Every other field as typed: names, passports, a holder not on record; the words a submit gives.
  await page.fill("#person-name", "  ");
  await waitText(page, "#person-name-hint", /^Invalid value: name `` is invalid, expected a person's full name/);
  await page.fill("#person-name", "");
  await page.selectOption("#person-doc", "passport");
  await page.fill("#person-nationality", "D1");
  await waitText(page, "#person-nationality-hint", /^Invalid identity document: nationality `D1`: expected the issuing state's ICAO code/);
  await page.fill("#person-passport", "C01-X00");
  await waitText(page, "#person-passport-hint", /^Invalid identity document: passport number `C01-X00`: expected 1 to 20 letters and digits$/);
  await page.fill("#person-nationality", "");
  await page.fill("#person-passport", "");
  await page.selectOption("#person-doc", "resident");
  await page.fill("#pass-holder", "P-0404");
  await waitText(page, "#pass-holder-hint", /^Not on record: unknown person `P-0404`$/);
  await page.fill("#pass-holder", HOLDER.id);
  await waitText(page, "#pass-holder-hint", /^$/);
  await page.fill("#revoke-serial", "seven");
  await waitText(page, "#revoke-serial-hint", /^Invalid value: pass serial `seven` is invalid, expected a serial number/);
  await page.fill("#revoke-serial", "");
}

/** (a) Reload with the network off: the service worker serves the pages, IndexedDB the records; a new record still goes in. */
export async function offline({ page, context, server, shots }) {
  // The service worker is active (it has kept the shell) before the network goes.
  const active = await page.evaluate(() => Promise.race([
    navigator.serviceWorker.ready.then((r) => Boolean(r.active)),
    new Promise((resolve) => setTimeout(() => resolve(false), 5000)),
  ]));
  assert.equal(active, true, "no active service worker");
  await server.down();
  await context.setOffline(true);
  try {
    const before = server.requests;
    await page.reload();
    await ready(page);
    await waitText(page, "#net", /^offline/);
    await waitText(page, "#recent", /person registered\s+P-0001 · 王小明/);
    await waitText(page, "#status", /^persons 1 · passes 0 · events 1 since the base$/);
    // The page still works: another person, recorded on this device.
    await page.fill("#person-id", "P-0002");
    await page.fill("#person-name", "李秀英");
    await page.fill("#person-number", "150102880730303"); // a legacy 15-digit number, upgraded by the library
    await waitText(page, "#person-number-hint", /born 1988-07-30, male/);
    await page.click("#person-form button[type=submit]");
    await waitText(page, "#person-form .result", /^Recorded \(desk no\. 2\)\.$/);
    await waitText(page, "#status", /^persons 2 /);
    await page.screenshot({ path: join(shots, "console-offline.png"), fullPage: true });
    assert.equal(server.requests, before, "no request reached the server while it was down");
  } finally {
    await context.setOffline(false);
    await server.up();
  }
  // Reopened from IndexedDB again, online: both records are there.
  await page.reload();
  await ready(page);
  await waitText(page, "#recent", /P-0002 · 李秀英[\s\S]*P-0001 · 王小明/);
}

/** (b, console side) A pass, its QR code saved as an image, and the checkpoint kit (file and QR image). */
export async function issuePass({ page, base, shots, dir }) {
  await page.goto(`${base}/console.html`);
  await ready(page);
  await page.fill("#pass-holder", HOLDER.id);
  await page.selectOption("#pass-kind", "county");
  await page.fill("#pass-scope", "Yaozhuang town");
  const issuedAt = Date.now();
  await page.click("#pass-form button[type=submit]");
  await waitText(page, "#pass-form .result", /^Recorded \(desk no\. 3\)\.$/);
  // Device number 1 issues serials from its own block, 1 * 2**32 on.
  const serial = 2 ** 32;
  await waitText(page, "#pass-caption", new RegExp(`^Pass ${serial}: print or show this QR code$`));
  await waitText(page, "#pass-holder-masked", /^王\*\*$/);
  const valid = await waitText(page, "#pass-valid", /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} to \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  nearTime(valid, issuedAt); // in Asia/Shanghai, though the browser runs in New York's zone
  const token = (await page.textContent("#pass-token")).trim();
  assert.match(token, /^PC1\./);
  const size = await page.$eval("#pass-qr", (c) => [c.width, c.height]);
  assert.ok(size[0] > 100 && size[0] === size[1], `QR canvas ${size}`);
  await page.screenshot({ path: join(shots, "console-pass.png"), fullPage: true });

  const save = async (selector, name) => {
    const [file] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
    const path = join(dir, name);
    await file.saveAs(path);
    return path;
  };
  const qr = await save("#pass-qr-save", "pass-1.png");
  await page.click("#kit summary");
  const kit = await save("#kit-download", "checkpoint-kit.json");
  await page.waitForFunction(() => document.querySelector("#kit-qr-save").href.startsWith("data:image/png"));
  const kitQr = await save("#kit-qr-save", "checkpoint-kit.png");
  // The kit carries the station's base hash: a checkpoint's chain is under it.
  const baseHash = JSON.parse(await readFile(kit, "utf8")).base;
  assert.match(baseHash, /^[0-9a-f]{64}$/);
  return { qr, kit, kitQr, token, issuedAt, serial, base: baseHash };
}

/** The everyday forms: a stay registered over video, its certificate and paper copy; a rental household, a team, a screening visit, a zero report. */
export async function everydayForms({ page, shots }) {
  const submit = async (form, pattern) => {
    await page.click(`${form} button[type=submit]`);
    return waitText(page, `${form} .result`, pattern);
  };
  // A foreign national's stay, recorded and registered over video in one go (add_stay + register_stay).
  await page.fill("#stay-id", "S-0001");
  await page.fill("#stay-name", "ANNA MARIA ERIKSSON");
  await page.fill("#stay-nationality", "SWE");
  await page.fill("#stay-passport", "L898902C3");
  await page.fill("#stay-address", "6 Xicun Lane");
  await page.fill("#stay-host", "李秀英");
  // The arrival field starts at the current time in the policy's zone; an hour before, to be plausible.
  const arrival = await page.inputValue("#stay-arrival");
  nearTime(arrival.replace("T", " "), Date.now());
  await page.fill("#stay-arrival", new Date(Date.parse(`${arrival}:00+08:00`) - 3600e3 + 8 * 3600e3).toISOString().slice(0, 16));
  await submit("#stay-form", /^Recorded \(desk no\. 5\)\.$/);
  await waitText(page, "#recent", /stay registered\s+S-0001[\s\S]*foreign national's stay recorded\s+S-0001/);
  // The certificate, its photo, then the paper copy handed over.
  await page.fill("#certificate-stay", "S-0001");
  await submit("#certificate-form", /^Recorded \(desk no\. 6\)\.$/);
  // Certificate serials also come from the device's own block (device 1: 65536 on).
  await waitText(page, "table.certificates", /^[^\n]*\n65536\s+S-0001\s+.*paper copy held at the station/);
  await page.click("#certificate-photo");
  await waitText(page, "#certificate-form .result", /^Recorded \(desk no\. 7\)\.$/);
  await page.fill("#certificate-to", "李秀英 (host)");
  await page.click("#certificate-deliver");
  await waitText(page, "#certificate-form .result", /^Recorded \(desk no\. 8\)\.$/);
  await waitText(page, "table.certificates", /paper copy delivered to 李秀英 \(host\), \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  // Delivering it twice is refused by the library.
  await page.click("#certificate-deliver");
  await waitText(page, "#certificate-form .result", /^Not possible in its current state: /);

  // A rental household with its landlord, a three-person team, their visit, the landlord's zero report.
  await page.fill("#household-id", "H-0001");
  await page.fill("#household-village", "Yaozhuang");
  await page.fill("#household-group", "3");
  await page.fill("#household-address", "18 Yaozhuang Old Street");
  await page.fill("#household-landlord", HOLDER.id);
  await submit("#household-form", /^Recorded \(desk no\. 9\)\.$/);
  await page.fill("#team-id", "Team 1");
  await page.fill("#team-officer", "officer-zhang");
  await page.fill("#team-cadre", "cadre-wang");
  await page.fill("#team-party", "officer-zhang");
  await submit("#team-form", /^Invalid value: screening team `Team 1` is invalid, expected one officer, one cadre and one party member/);
  await page.fill("#team-party", "member-li");
  await submit("#team-form", /^Recorded \(desk no\. 10\)\.$/);
  await page.fill("#screening-household", "H-0001");
  await page.selectOption("#screening-team", "Team 1");
  await page.fill("#screening-note", "3 tenants, all well");
  await submit("#screening-form", /^Recorded \(desk no\. 11\)\.$/);
  await page.fill("#report-household", "H-0001");
  await submit("#report-form", /^Recorded \(desk no\. 12\)\.$/);
  await waitText(page, "#recent", /landlord's daily report\s+H-0001/);
  await page.fill("#report-household", "H-0404");
  await submit("#report-form", /^Not on record: unknown household `H-0404`$/);
  await page.screenshot({ path: join(shots, "console-forms.png"), fullPage: true });
}

/** A first load from the demo town with its progress shown, then reopened from IndexedDB. */
export async function demoTown({ context, base, shots, demo }) {
  const page = await context.newPage();
  // Collect what the progress line says as the page writes it.
  await page.addInitScript(() => {
    window.progressSeen = [];
    new MutationObserver(() => {
      const text = document.querySelector("#progress-text")?.textContent;
      if (text && window.progressSeen.at(-1) !== text) window.progressSeen.push(text);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  await page.goto(`${base}/console.html`);
  await ready(page, "loaded");
  await page.check("#start-demo");
  await page.click("#setup-start");
  await ready(page, "ready", 60000);
  const { persons } = demo.counts;
  await waitText(page, "#status", new RegExp(`^persons ${persons} · passes 120 · events 0 since the base$`));
  const created = await page.evaluate(() => window.progressSeen);
  // The base: the demo town's records and the station key added to them.
  assert.deepEqual(created, ["Building the demo town…", `Saving ${demo.seq + 1} records on this device…`, "Ready"]);
  await page.reload();
  await ready(page, "ready", 60000);
  const reopened = await page.evaluate(() => window.progressSeen);
  assert.deepEqual(reopened, ["Reading the records kept on this device…", "Replaying 1 records and checking the journal…"]);
  // How long the first open of the demo town from IndexedDB took (printed, not asserted).
  const open = await page.evaluate(() => window.precinctOpen);
  console.log(`     console-open-ms: ${open.open_ms} (DeviceBook.open ${open.replay_ms} ms); base ${open.base_bytes} bytes; lines ${open.lines_bytes} bytes (${open.lines} lines)`);
  await waitText(page, "#status", new RegExp(`^persons ${persons} · passes 120 · events 0 since the base$`));
  await page.screenshot({ path: join(shots, "console-demo.png") });
  await page.close();
}
