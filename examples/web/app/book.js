// The one place the pages hold a record book. Everything a page asks of the
// records goes through `StationBook`: `execute` (validate, record, apply,
// then keep the new line on this device), `merge` (other devices' lines)
// and `query` (any query of the library by name).
//
// The book is the library's multi-device `DeviceBook`: every device of the
// station starts from the same base (the station's book as snapshot text,
// `Book.snapshotText()`), records its own events as its own hash chain and
// takes the other devices' lines by `merge`. Merging, ordering, serial
// blocks, ids and conflicts are the library's; this module only keeps text.
//
// On this device a book is its store (store.js): the base as UTF-8 bytes
// (IndexedDB reads 30 MB of bytes several times faster than the same text),
// every device line this device holds (its own and merged ones, one per
// record, headers included) and, in `meta`, the device's name and number,
// the station's policy and the station key's seed. Reopening hashes the
// base with WebCrypto (native, several times faster than the library in
// WebAssembly) and hands base, hash and lines to `DeviceBook.open`, which
// checks every chain against that hash.

import init, * as precinct from "../../../wasm/pkg/web/precinct_wasm.js";

let loading;

/** The library, once its WebAssembly is loaded (fetched once, then cached by the service worker). */
export function library() {
  loading ??= init().then(() => precinct);
  return loading;
}

/** Let the browser paint (progress text) before a long synchronous call. */
const paint = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

const META = { keySeed: "station-key-seed", device: "device", number: "device-number", policy: "policy" };

const pageError = (name, message) => Object.assign(new Error(message), { name });

/** Split lines text (as `journalText` / `linesSince` give it) into the lines to keep. */
const splitLines = (text) => text.split("\n").filter((line) => line.length);

/** UTF-8 size of texts, in bytes. */
const bytes = (texts) => texts.reduce((sum, text) => sum + new TextEncoder().encode(text).length, 0);

/** A base as kept: UTF-8 bytes (a store written before kept the text). */
const baseBytes = (kept) => (typeof kept === "string" ? new TextEncoder().encode(kept) : new Uint8Array(kept));

/** The SHA-256 of `data` in hex, by WebCrypto. */
async function sha256(data) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The device setup file: what a device hands to a new device of the same
 * station, `{base, key_seed}` as JSON. The base is the same text on every
 * device; the seed lets every device sign passes with the station's key
 * (so the file is as secret as the key).
 */
export function readSetup(text) {
  let setup;
  try {
    setup = JSON.parse(text);
  } catch {
    throw pageError("SetupError", "the file is not JSON");
  }
  if (typeof setup?.base !== "string" || !Array.isArray(setup.key_seed) || setup.key_seed.length !== 32) {
    throw pageError("SetupError", "the file is not a device setup of a station (expected `base` and `key_seed`)");
  }
  return setup;
}

export class StationBook {
  /**
   * @param {object} lib the library
   * @param {import("../../../wasm/pkg/web/precinct_wasm.js").DeviceBook} book
   * @param {import("./store.js").Store | null} store null: a book read from a file, not kept
   */
  constructor(lib, book, store, { keySeed = null, policy, base = null } = {}) {
    this.lib = lib;
    this.book = book;
    this.store = store;
    this.keySeed = keySeed;
    this.policyRecord = policy;
    this.base = base;
    // The frontier of the lines the store holds. New lines are kept as
    // `linesSince(kept)`: normally the frontier before the last command or
    // merge, and if writing to IndexedDB failed once, the next write still
    // takes the lines it missed (a device's chain must not have a gap).
    this.kept = book.frontier;
    /** How the book was opened from the store: `{replay_ms, base_bytes, lines_bytes, lines}`. */
    this.opened = null;
  }

  /** Reopen the book kept in `store`, or null when the store holds none. */
  static async open(store, { onProgress } = {}) {
    const lib = await library();
    const kept = await store.getBase();
    if (kept === undefined) return null;
    const device = await store.getMeta(META.device);
    if (device === undefined) {
      throw pageError("StoreError", "this device's book was kept by an earlier version of the console (one device, no device name); start a new book or join the station");
    }
    onProgress?.({ step: "reading" });
    const lines = await store.allLines();
    const base = baseBytes(kept);
    const hash = await sha256(base);
    onProgress?.({ step: "replaying", count: lines.length });
    await paint();
    // The library checks every device's chain (against the base's hash); a
    // damaged one throws DeviceChainDamaged with its `device` and `seq`,
    // which the page shows.
    const t0 = performance.now();
    const book = lib.DeviceBook.open(base, device, lines.join("\n"), hash);
    const replayMs = performance.now() - t0;
    const station = new StationBook(lib, book, store, {
      keySeed: await store.getMeta(META.keySeed), policy: await store.getMeta(META.policy), base,
    });
    station.opened = { replay_ms: Math.round(replayMs), base_bytes: base.length, lines_bytes: bytes(lines) + lines.length, lines: lines.length };
    return station;
  }

  /**
   * Start a new station in `store` (anything in it is cleared), as its first
   * device: an empty station under a policy preset, or the demo town. The
   * device makes the station's signing key and records its public key in
   * the starting book (`add_station_key`) before that book becomes the base
   * every device shares.
   */
  static async create(store, { start, policy, seed = 2020, small = true, device = "desk", number = 1, by, at = new Date(), onProgress }) {
    const lib = await library();
    onProgress?.({ step: start === "demo" ? "building_demo" : "creating" });
    await paint();
    const starting = start === "demo" ? lib.Book.demo(seed, small) : lib.Book.inMemory(policy || null);
    let base;
    let policyRecord;
    let records;
    const keySeed = Array.from(crypto.getRandomValues(new Uint8Array(32)));
    try {
      const key = new lib.StationKey(new Uint8Array(keySeed));
      starting.execute({ type: "add_station_key", key: key.publicKey, valid_from: at }, by, at);
      key.free();
      base = starting.snapshotText();
      policyRecord = starting.policy;
      records = starting.seq;
    } finally {
      starting.free();
    }
    // The library checks the device's name and number before anything is cleared.
    const book = lib.DeviceBook.create(base, device, Number(number));
    onProgress?.({ step: "saving", count: records });
    await paint();
    await StationBook.#keep(store, book, { base, keySeed, policy: policyRecord });
    onProgress?.({ step: "done" });
    return new StationBook(lib, book, store, { keySeed, policy: policyRecord, base });
  }

  /**
   * Join a station as a further device, from the device setup file another
   * device of the station exported (`setupText()`); `device` and `number`
   * are this device's own (the library refuses a bad name or number; a
   * number another device has is found when their lines meet).
   */
  static async join(store, setupText, device, number, { onProgress } = {}) {
    const lib = await library();
    const setup = readSetup(setupText);
    onProgress?.({ step: "joining" });
    await paint();
    const book = lib.DeviceBook.create(setup.base, device, Number(number));
    // The policy (its zone) is in the base; the DeviceBook does not give it, so
    // the base is read once as a Book and the policy kept beside it.
    const reader = lib.Book.fromSnapshot(JSON.parse(setup.base));
    const policy = reader.policy;
    reader.free();
    await StationBook.#keep(store, book, { base: setup.base, keySeed: setup.key_seed, policy });
    onProgress?.({ step: "done" });
    return new StationBook(lib, book, store, { keySeed: setup.key_seed, policy, base: setup.base });
  }

  static async #keep(store, book, { base, keySeed, policy }) {
    await store.clear();
    await store.putBase(baseBytes(base));
    await store.putMeta(META.keySeed, keySeed);
    await store.putMeta(META.device, book.device);
    await store.putMeta(META.number, book.number);
    await store.putMeta(META.policy, policy);
    await store.appendLines(splitLines(book.journalText));
  }

  /** Validate, record and apply a command; throws the library's error (nothing changes then). */
  async execute(command, by, at = new Date()) {
    const receipt = this.book.execute(command, by, at);
    await this.#keepNewLines();
    return receipt;
  }

  /**
   * Several commands in order; stops at the first refused (throws), keeping
   * those before it. (The DeviceBook has no batch: one command at a time.)
   */
  async executeBatch(entries) {
    const receipts = [];
    for (const { command, by, at } of entries) receipts.push(await this.execute(command, by, at));
    return receipts;
  }

  /**
   * Take another device's lines (the text of its export). The library checks
   * every chain first: a damaged one throws DeviceChainDamaged (`device`,
   * `seq`) and nothing is taken. Returns the library's MergeReport.
   */
  async merge(text) {
    const report = this.book.merge(text);
    await this.#keepNewLines();
    return report;
  }

  // Keep on this device the lines the book holds past what the store holds.
  async #keepNewLines() {
    if (!this.store) return;
    const frontier = this.book.frontier;
    await this.store.appendLines(splitLines(this.book.linesSince(this.kept)));
    this.kept = frontier;
  }

  /** An id no other device issues for the next record of this device: `P-desk-7`. */
  newId(prefix) { return this.book.newId(prefix); }

  /** Throws the library's error when no record `kind` has `id` (a form's field, as typed). */
  checkReference(kind, id) { this.book.checkReference(kind, id); }

  /** The SHA-256 of the station's base: a checkpoint kit carries it. */
  get baseHash() { return this.book.baseHash; }

  /** Every device heard of, with its number: `{desk: 1, "team-1": 2}`. */
  get devices() { return this.book.devices; }

  /** Any query of the library by name: `{query: "persons"}`. */
  query(request) { return this.book.query(request); }

  get policy() { return this.policyRecord; }

  get zone() { return this.policyRecord.zone; }

  /** This device's name and number. */
  get device() { return this.book.device; }

  get number() { return this.book.number; }

  /** Events held, over all devices (the base's records not counted). */
  get events() { return this.book.events; }

  /** The last sequence number held of each device. */
  get frontier() { return this.book.frontier; }

  /** The conflicts still open, and all of them (resolved or not). */
  get conflicts() { return this.book.conflicts; }

  get allConflicts() { return this.book.allConflicts; }

  /** Every device line this device holds: the file another device merges. */
  journalText() { return this.book.journalText; }

  /** The device setup file's text, for a new device of this station. */
  setupText() {
    if (!this.keySeed || this.base === null) throw new Error("this device has no station key");
    const base = typeof this.base === "string" ? this.base : new TextDecoder().decode(this.base);
    return JSON.stringify({ base, key_seed: this.keySeed });
  }

  /** This device's station signing key (its seed leaves the device only in a device setup file). */
  stationKey() {
    if (!this.keySeed) throw new Error("this device has no station key");
    return new this.lib.StationKey(new Uint8Array(this.keySeed));
  }

  /** The signed token of pass `serial`, for its QR code. */
  token(serial) {
    const key = this.stationKey();
    try {
      return this.book.token(serial, key);
    } finally {
      key.free();
    }
  }

  /**
   * The last `n` records this device took in (its own and merged ones),
   * newest first, as `{device, seq, at, by, command}`. Read from the stored
   * lines: the library has no query of the latest events. Header lines
   * (a device's start, no `cmd`) are left out.
   */
  async recent(n) {
    if (!this.store) return [];
    const lines = await this.store.lastLines(n + 64);
    return lines.map((line) => JSON.parse(line)).filter((entry) => entry.cmd)
      .slice(-n).reverse()
      .map((entry) => ({ device: entry.dev, seq: entry.seq, at: entry.at, by: entry.by, command: entry.cmd }));
  }

  free() { this.book.free(); }
}

/** A single-device Book read from a journal file (the dashboard): not kept on this device. */
export class JournalBook {
  constructor(book) { this.book = book; }
  query(request) { return this.book.query(request); }
  get policy() { return this.book.policy; }
  get zone() { return this.book.policy.zone; }
  get seq() { return this.book.seq; }
  free() { this.book.free(); }
}

/** Whether a file's text is device lines (a DeviceBook's export) rather than a Book's journal. */
export function isDeviceLines(text) {
  const first = text.slice(0, text.indexOf("\n") + 1 || text.length).trim();
  try {
    return typeof JSON.parse(first)?.dev === "string";
  } catch {
    return false;
  }
}

/** A journal file's text, to read (the dashboard): not kept on this device. */
export async function openJournalText(text) {
  const lib = await library();
  await paint();
  return new JournalBook(lib.Book.openText(text));
}

/**
 * Device lines from a file, to read (the dashboard): they open only on the
 * base of their station, which is the base this device keeps (`store`).
 * The first header's device is the book's own device.
 */
export async function openDeviceLines(text, store) {
  const lib = await library();
  const base = store && (await store.getBase());
  const policy = store && (await store.getMeta(META.policy));
  if (base === undefined || base === null || policy === undefined) {
    throw pageError("NoBaseError", "device lines open only on a device of their station, which holds the station's base: import them on the station console (Sync), or open them on a device of the station");
  }
  const device = JSON.parse(text.slice(0, text.indexOf("\n") + 1 || text.length)).dev;
  await paint();
  return new StationBook(lib, lib.DeviceBook.open(base, device, text), null, { policy, base });
}
