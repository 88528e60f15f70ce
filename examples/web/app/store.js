// A record book kept on this device, in IndexedDB: the `base` (the journal
// text the book starts from: a new station's header line, or the demo
// town's journal), the journal lines written since, one record per line in
// the order they were appended, and an optional cached snapshot with the
// sequence number it covers. Small settings and the device's secrets (the
// station key's seed) go in the same database under `meta`.
//
// The store knows nothing of what a line means: it keeps text. Opening,
// replaying and checking the lines is the library's job (see book.js).

const VERSION = 1;

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new DOMException("transaction aborted", "AbortError"));
  });
}

/** Open (creating when needed) the store `name`. */
export async function openStore(name) {
  const open = indexedDB.open(`precinct-${name}`, VERSION);
  open.onupgradeneeded = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta");
    if (!db.objectStoreNames.contains("lines")) db.createObjectStore("lines", { autoIncrement: true });
  };
  const db = await request(open);
  // Ask the browser not to evict the records under storage pressure (field
  // devices keep them for days between syncs). Refusal is not an error.
  navigator.storage?.persist?.().catch(() => {});
  return new Store(db, name);
}

export class Store {
  constructor(db, name) {
    this.db = db;
    this.name = name;
  }

  async #get(key) {
    const tx = this.db.transaction("meta", "readonly");
    return request(tx.objectStore("meta").get(key));
  }

  async #put(key, value) {
    const tx = this.db.transaction("meta", "readwrite");
    tx.objectStore("meta").put(value, key);
    await done(tx);
  }

  /** The base (text, or its UTF-8 bytes as a Uint8Array), or undefined when the store is new. */
  getBase() { return this.#get("base"); }

  /** Set the base (text or UTF-8 bytes). Lines already kept stay (call `clear` first for a new book). */
  putBase(base) { return this.#put("base", base); }

  /** Append lines (strings) in one transaction, in order; resolves once written. */
  async appendLines(lines) {
    if (!lines.length) return;
    const tx = this.db.transaction("lines", "readwrite");
    const store = tx.objectStore("lines");
    for (const line of lines) store.add(line);
    await done(tx);
  }

  /** Every line, in the order appended. */
  async allLines() {
    const tx = this.db.transaction("lines", "readonly");
    return request(tx.objectStore("lines").getAll());
  }

  /** The last `n` lines, newest last. */
  async lastLines(n) {
    const tx = this.db.transaction("lines", "readonly");
    const out = [];
    await new Promise((resolve, reject) => {
      const cursor = tx.objectStore("lines").openCursor(null, "prev");
      cursor.onsuccess = () => {
        const c = cursor.result;
        if (!c || out.length >= n) return resolve();
        out.push(c.value);
        c.continue();
      };
      cursor.onerror = () => reject(cursor.error);
    });
    return out.reverse();
  }

  /** How many lines are kept. */
  async countLines() {
    const tx = this.db.transaction("lines", "readonly");
    return request(tx.objectStore("lines").count());
  }

  /** Cache a snapshot (text) of the book as of sequence number `seq`. */
  putSnapshot(seq, text) { return this.#put("snapshot", { seq, text }); }

  /** The cached snapshot `{seq, text}`, or null. */
  async getSnapshot() { return (await this.#get("snapshot")) ?? null; }

  /** A small value kept beside the book (settings, the device's key seed). */
  getMeta(key) { return this.#get(`meta:${key}`); }

  putMeta(key, value) { return this.#put(`meta:${key}`, value); }

  /** Forget everything: base, lines, snapshot and meta. */
  async clear() {
    const tx = this.db.transaction(["meta", "lines"], "readwrite");
    tx.objectStore("meta").clear();
    tx.objectStore("lines").clear();
    await done(tx);
  }

  close() { this.db.close(); }
}

/**
 * Hold the store `name` for as long as this page lives (Web Locks): true
 * when this page has it, false when another tab or window of this browser
 * holds it. A page that writes a device's lines must hold its store: two
 * tabs would each record their own next event under one device and
 * sequence number, a chain no device can open again.
 */
export function holdStore(name) {
  if (!navigator.locks) return Promise.resolve(true);
  return new Promise((resolve) => {
    navigator.locks.request(`precinct-${name}`, { ifAvailable: true }, (lock) => {
      resolve(lock !== null);
      // Held until the page goes.
      return lock ? new Promise(() => {}) : undefined;
    });
  });
}

/** Whether a store of that name holds a book (without creating one). */
export async function storeExists(name) {
  if (indexedDB.databases) {
    const all = await indexedDB.databases();
    if (!all.some((d) => d.name === `precinct-${name}`)) return false;
  }
  const store = await openStore(name);
  try {
    return (await store.getBase()) !== undefined;
  } finally {
    store.close();
  }
}
