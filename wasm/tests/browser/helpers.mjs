// Small helpers of the browser check: wait for visible text, time checks.
import assert from "node:assert/strict";

/** Wait until the text of `selector` matches `pattern`; fail with the last text seen. */
export async function waitText(page, selector, pattern, timeout = 10000) {
  const until = Date.now() + timeout;
  let last = null;
  for (;;) {
    const node = await page.$(selector);
    last = node && (await node.isVisible()) ? (await node.innerText()).trim() : null;
    if (last !== null && pattern.test(last)) return last;
    if (Date.now() > until) break;
    await page.waitForTimeout(50);
  }
  assert.fail(`${selector}: expected visible text matching ${pattern}, found ${JSON.stringify(last)}`);
}

/** The page's readiness flag (set once its records are drawn). */
export async function ready(page, flag = "ready", timeout = 30000) {
  await page.waitForSelector(`body[data-${flag}=true]`, { timeout });
}

/**
 * A time written by the pages (`YYYY-MM-DD HH:MM`) read as China Standard
 * Time: the pages write times in the policy's zone (Asia/Shanghai), not in
 * the browser's (the check runs the browser in New York's zone).
 */
export function shanghai(text) {
  const m = /(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})/.exec(text);
  assert.ok(m, `no time in ${JSON.stringify(text)}`);
  return Date.parse(`${m[1]}T${m[2]}:00+08:00`);
}

/** Assert a displayed time is within `slack` ms of `expected` (ms since the epoch). */
export function nearTime(text, expected, slack = 3 * 60_000) {
  const shown = shanghai(text);
  assert.ok(Math.abs(shown - expected) <= slack,
    `time ${JSON.stringify(text)} is not ${new Date(expected).toISOString()} in Asia/Shanghai (browser zone used?)`);
}
