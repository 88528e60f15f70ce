// The checkpoint kit: what a checkpoint device holds to check passes
// offline, made by the station console and loaded on the checkpoint as a
// JSON file or a QR code image.
//
//   {"kit": "precinct-checkpoint", "v": 1,
//    "public_keys": [...],  // the station's public keys; the first is the one
//                           // this console signs with
//    "holder_key": "...",   // the holder key of that first key (checks the
//                           // identity card shown; secret to checkpoints)
//    "revoked": [serials],  // the revocation list
//    "issued_at": "...",    // when the kit was made (UTC)
//    "zone": "Asia/Shanghai",  // the policy's zone, to write times in
//    "base": "..."}         // the SHA-256 of the station's base: the
//                           // checkpoint's CheckpointChain is under it, so
//                           // its crossings merge into the station's books
//    "devices": {"desk": 1}  // the devices the console had heard of, with
//                           // their numbers: a checkpoint takes others
//
// The kit carries only what the library gives and takes: the
// `station_keys` and `revocation_list` queries, `StationKey.holderKey`,
// `DeviceBook.baseHash`, and `verifyToken`, which takes one public key at a
// time.

export function makeKit(station, at = new Date()) {
  const own = station.stationKey();
  const keys = station.query({ query: "station_keys" }).map((k) => k.key);
  return {
    kit: "precinct-checkpoint",
    v: 1,
    public_keys: [own.publicKey, ...keys.filter((k) => k !== own.publicKey)],
    holder_key: own.holderKey,
    revoked: station.query({ query: "revocation_list" }),
    issued_at: new Date(at).toISOString(),
    zone: station.zone,
    base: station.baseHash,
    devices: station.devices,
  };
}

/**
 * Read a kit's text; its keys, revocation list and time are read by the
 * library (verifyToken throws the library's error for a bad one).
 */
export function readKit(lib, text) {
  let kit;
  try {
    kit = JSON.parse(text);
  } catch {
    throw Object.assign(new Error("the file is not JSON"), { name: "KitError" });
  }
  if (kit?.kit !== "precinct-checkpoint" || !Array.isArray(kit.public_keys) || !kit.public_keys.length || typeof kit.base !== "string") {
    throw Object.assign(new Error("the file is not a checkpoint kit of this station"), { name: "KitError" });
  }
  for (const key of kit.public_keys) lib.verifyToken("", key, kit.issued_at ?? new Date(), kit.revoked ?? []);
  return kit;
}

/**
 * Verify `token` with the kit: the library's `verifyToken` under each of
 * the kit's keys until one is the key that signed it (any answer other than
 * `unknown_key`). The identity card shown is checked under the first key,
 * whose holder key the kit carries.
 */
export function verifyWithKit(lib, kit, token, at, card) {
  let verdict = null;
  for (const [i, key] of kit.public_keys.entries()) {
    const withCard = card && i === 0 && kit.holder_key;
    verdict = withCard
      ? lib.verifyToken(token, key, at, kit.revoked ?? [], card, null, kit.holder_key)
      : lib.verifyToken(token, key, at, kit.revoked ?? []);
    if (verdict.reason !== "unknown_key") return { verdict, cardChecked: Boolean(withCard) };
  }
  return { verdict, cardChecked: false };
}
