// The seam where a device's records leave it. Every sync file is written
// here (nothing else in the pages writes one):
//
// - device lines: a station device's `DeviceBook.journalText` (every line
//   it holds, its own and merged ones); another device takes them with
//   `StationBook.merge` (`DeviceBook.merge`), the order of the files and any
//   lines sent twice do not matter;
// - the device setup: `{base, key_seed}` for a new device of the station
//   (book.js `readSetup` reads it), secret as the station key is;
// - a checkpoint's lines: its `CheckpointChain.journalText`, the crossings
//   it judged offline with the kit, as device lines the station's devices
//   take like any other (`StationBook.merge`).

const stamp = () => new Date().toISOString().replace(/[:.]/g, "-");

/** The file of every device line `station` holds: `{filename, type, text}`. */
export function linesFile(station) {
  return { filename: `lines-${station.device}-${stamp()}.jsonl`, type: "application/jsonl", text: station.journalText() };
}

/** The device setup file of `station`'s station: `{filename, type, text}`. */
export function setupFile(station) {
  return { filename: `device-setup-${stamp()}.json`, type: "application/json", text: station.setupText() };
}

/** The file of a checkpoint's lines (its chain): `{filename, type, text}`. */
export function checkpointFile(chain) {
  return { filename: `lines-${chain.device}-${stamp()}.jsonl`, type: "application/jsonl", text: chain.journalText };
}
