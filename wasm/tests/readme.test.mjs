// The README's ```js blocks, run in Node against the built package: the
// import specifier "precinct" becomes the Node build's path, nothing else
// changes. (The browser block is ```html and is the browser check's job.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const WASM = join(dirname(fileURLToPath(import.meta.url)), "..");
const README = readFileSync(join(WASM, "..", "README.md"), "utf8");
const PACKAGE = pathToFileURL(join(WASM, "pkg", "node", "precinct_wasm.js")).href;
const blocks = [...README.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]);

test("the README has JavaScript to run", () => {
  assert.ok(blocks.length >= 1);
});

blocks.forEach((code, i) => {
  test(`README js block ${i + 1} runs in Node`, () => {
    const source = code.replaceAll(/from "precinct"/g, `from ${JSON.stringify(PACKAGE)}`);
    const file = join(mkdtempSync(join(tmpdir(), "precinct-readme-")), `block${i + 1}.mjs`);
    writeFileSync(file, source);
    const run = spawnSync(process.execPath, [file], { encoding: "utf8" });
    assert.equal(run.status, 0, `${run.stderr}\n${run.stdout}`);
  });
});
