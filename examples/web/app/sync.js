// The seam where a device's records leave it. Every sync file is written
// here (nothing else in the pages writes one):
//
// - device lines: a station device's `DeviceBook.journalText` (every line
//   it holds, its own and merged ones); another device takes them with
//   `StationBook.merge` (`DeviceBook.merge`), the order of the files and any
//   lines sent twice do not matter;
// - the device setup: `{base, key_seed}` for a new device of the station
//   (book.js `readSetup` reads it), secret as the station key is;
// - a checkpoint's crossings, as JSON Lines of what it recorded.
//
// What the library still needs for a checkpoint to sync as a device (see the report):
// - a checkpoint device's own journal (`DeviceBook.create(baseText, device, number)`
//   with a base a checkpoint can hold: the kit, not the whole station book),
// - a command that records a crossing judged offline with the kit's keys
//   (today's `check_pass` judges again against the book's keys and pass
//   records, which a checkpoint does not hold).

const stamp = () => new Date().toISOString().replace(/[:.]/g, "-");

/** The file of every device line `station` holds: `{filename, type, text}`. */
export function linesFile(station) {
  return { filename: `lines-${station.device}-${stamp()}.jsonl`, type: "application/jsonl", text: station.journalText() };
}

/** The device setup file of `station`'s station: `{filename, type, text}`. */
export function setupFile(station) {
  return { filename: `device-setup-${stamp()}.json`, type: "application/json", text: station.setupText() };
}

/** A crossing as the checkpoint records it (one line of its store). */
export function crossingRecord({ at, checkpoint, token, verdict, cardChecked }) {
  return {
    at: new Date(at).toISOString(),
    checkpoint,
    serial: verdict.claims?.serial ?? null,
    allowed: verdict.allowed,
    reason: verdict.reason,
    kind: verdict.claims?.kind ?? null,
    holder: verdict.claims?.holder_masked ?? null,
    holder_check: cardChecked ? verdict.holder ?? null : null,
    token,
  };
}

/** The file of crossings for the station: `{filename, type, text}`. */
export function crossingsFile(records, device) {
  return {
    filename: `crossings-${device || "checkpoint"}-${stamp()}.jsonl`,
    type: "application/jsonl",
    text: records.map((r) => JSON.stringify(r)).join("\n") + (records.length ? "\n" : ""),
  };
}
