// Parity with the core's facade: every entry of `facade()` that JavaScript
// has (FACADE in core/src/facade/catalogue.rs) is on the right object under
// its js_name, and every query name is a camelCase method of Book.prototype.
import { test } from "node:test";
import assert from "node:assert/strict";
import precinct from "../pkg/node/precinct_wasm.js";

const { Book, DeviceBook, CheckpointChain, Visits, StationKey } = precinct;
const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

/** Where an entry's `on` lives: statics and prototype members alike. */
const PLACES = {
  Book: [Book, Book.prototype],
  DeviceBook: [DeviceBook, DeviceBook.prototype],
  CheckpointChain: [CheckpointChain, CheckpointChain.prototype],
  Visits: [Visits, Visits.prototype],
  StationKey: [StationKey, StationKey.prototype],
  module: [precinct],
};

test("every facade entry JavaScript has is there, on the right object", () => {
  const entries = precinct.facade();
  assert.ok(entries.length > 30, "the facade lists its methods");
  const missing = entries
    .filter((m) => m.in_javascript)
    .filter((m) => !PLACES[m.on]?.some((where) => m.js_name in where))
    .map((m) => `${m.on}.${m.js_name}`);
  assert.deepEqual(missing, []);
  for (const m of entries) assert.equal(m.js_name, camel(m.name), m.name);
});

test("every query is a camelCase method of Book.prototype", () => {
  const names = Book.queryNames();
  assert.ok(names.length > 40);
  const missing = names.filter((q) => typeof Book.prototype[camel(q)] !== "function");
  assert.deepEqual(missing, []);
  // A device's book answers the same queries from its merged records.
  const onDevice = names.filter((q) => typeof DeviceBook.prototype[camel(q)] !== "function");
  assert.deepEqual(onDevice, []);
});
