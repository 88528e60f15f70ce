// The record book's shared scenarios (tests/book_scenarios.json), run through
// the Node package exactly as the Rust and Python runners run them: each query
// step calls the query's own camelCase method with the rest of its object.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import precinct from "../pkg/node/precinct_wasm.js";

const { Book } = precinct;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const read = (name) => JSON.parse(readFileSync(join(ROOT, "tests", name), "utf8"));
const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

/** What a step gives: `{value}` or `{code}` of the error it throws. */
function attempt(f) {
  try {
    return { value: f() };
  } catch (e) {
    assert.equal(typeof e.code, "string", `an error without a code: ${e}`);
    return { code: e.code, message: e.message };
  }
}

/** Run one query step: the named method, or `query` for a name the book lacks. */
function ask(book, { query, ...request }) {
  const method = Book.prototype[camel(query)];
  return typeof method === "function" ? method.call(book, request) : book.query({ query, ...request });
}

for (const scenario of read("book_scenarios.json").scenarios) {
  test(scenario.name, () => {
    const book = Book.inMemory(scenario.policy);
    scenario.steps.forEach((step, i) => {
      const where = `${scenario.name}, step ${i + 1}`;
      const got = step.query
        ? attempt(() => ask(book, step.query))
        : attempt(() => book.execute(step.command, step.by, step.at));
      if (step.error !== undefined) {
        assert.equal(got.code, step.error, `${where}: expected the error ${step.error}, got ${JSON.stringify(got)}`);
      } else if (step.query) {
        assert.equal(got.code, undefined, `${where}: ${got.message}`);
        assert.deepEqual(got.value, step.answer, where);
      } else {
        assert.equal(got.code, undefined, `${where}: ${got.message}`);
        assert.deepEqual({ seq: got.value.seq, outcome: got.value.outcome }, step.receipt, where);
      }
    });
  });
}

test("the demo town: seq and head of each recorded run", (t) => {
  const path = join(ROOT, "tests", "demo_town.json");
  if (!existsSync(path)) return t.skip("tests/demo_town.json is absent: no recorded demo runs to compare");
  const data = JSON.parse(readFileSync(path, "utf8"));
  for (const run of data.towns) {
    if (run.size !== "small") continue; // The whole town takes minutes in WebAssembly.
    const book = Book.demo(run.seed, run.size === "small");
    assert.deepEqual([book.seq, book.head], [run.seq, run.head], `seed ${run.seed}, ${run.size}`);
  }
});
