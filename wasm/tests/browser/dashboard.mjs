// The dashboard in the browser: this device's station book (the console's
// store), then a journal file of the demo town with its charts: axis titles,
// tick labels in local dates, legends, readable names; then in Chinese.
import assert from "node:assert/strict";
import { join } from "node:path";
import { ready, waitText } from "./helpers.mjs";

const svgTexts = (page, selector) => page.$$eval(`${selector} svg text`, (ts) => ts.map((t) => t.textContent));

/** The console's book, read from IndexedDB. */
export async function deviceBook({ page, base }) {
  await page.goto(`${base}/dashboard.html`);
  await ready(page);
  await waitText(page, "#status", /This device's station book: persons 2 · households 1 · passes 1/);
  await waitText(page, '[data-figure="summary.persons"]', /^2\s+persons$/);
  await waitText(page, "#resumption", /^Nothing on record\.$/);
}

/** (d) A journal file: charts with axis labels, legends and local dates; tables with readable names. */
export async function journalFile({ page, base, shots, demo }) {
  await page.goto(`${base}/dashboard.html`);
  await ready(page, "loaded");
  await page.setInputFiles("#journal-file", demo.journalPath);
  await ready(page, "ready", 60000);
  const { persons, households, passes: issued } = demo.counts;
  await waitText(page, "#status", new RegExp(`demo\\.journal: persons ${persons} · households ${households} · passes ${issued} ·`));

  const resumption = await svgTexts(page, "#resumption");
  for (const text of ["day", "share (%)", "enterprises resumed", "workforce on site", "0", "50", "100", "Feb 10"]) {
    assert.ok(resumption.includes(text), `resumption chart lacks ${JSON.stringify(text)}: ${resumption.join("|")}`);
  }
  assert.equal(await page.locator("#resumption svg path[data-series]").count(), 2);

  const passes = await svgTexts(page, "#passes");
  for (const text of ["day", "passes issued", "county movement pass", "worker pass"]) {
    assert.ok(passes.includes(text), `passes chart lacks ${JSON.stringify(text)}: ${passes.join("|")}`);
  }
  assert.ok(passes.some((t) => /^(Feb|Mar|Apr) \d+$/.test(t)), `no local dates on the passes axis: ${passes.join("|")}`);
  const bars = await page.locator("#passes svg rect[data-series]").count();
  assert.ok(bars > 10, `${bars} bars`);

  const services = await svgTexts(page, "#services");
  for (const text of ["services", "household registration", "exit and entry", "vehicles and drivers", "at the window", "online", "video call", "home visit"]) {
    assert.ok(services.includes(text), `services chart lacks ${JSON.stringify(text)}: ${services.join("|")}`);
  }

  // The contacts of the first case, with why each is one, as the Node build finds them.
  const expected = demo.contactsOfC1;
  await waitText(page, "table.contacts", /shared home \(H-RENT-FAMILY\)/);
  assert.equal(await page.locator("table.contacts tbody tr").count(), expected);
  await waitText(page, "table.contacts", /same place, same time/);
  await page.screenshot({ path: join(shots, "dashboard.png"), fullPage: true });
}

/** The language switch: the same charts in Chinese, kept across a reload. */
export async function chinese({ page, shots }) {
  await page.selectOption("#lang", "zh-CN");
  await waitText(page, "h1", /^数据看板$/);
  const resumption = await svgTexts(page, "#resumption");
  for (const text of ["日期", "比例（%）", "企业复工率", "员工到岗率", "2月10日"]) {
    assert.ok(resumption.includes(text), `resumption chart lacks ${JSON.stringify(text)}: ${resumption.join("|")}`);
  }
  await waitText(page, "table.contacts", /同住/);
  await page.screenshot({ path: join(shots, "dashboard-zh.png"), fullPage: true });
  await page.reload();
  await ready(page);
  await waitText(page, "nav.top", /派出所台账/);
  await page.selectOption("#lang", "en");
  await waitText(page, "h1", /^Station dashboard$/);
}
