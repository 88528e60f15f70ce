// The service worker of the station's pages: it keeps the application shell
// (the pages, their modules, the library's JavaScript and WebAssembly, the
// QR code libraries) so that a reload without the network still shows the
// pages; the records themselves are in IndexedDB.
//
// Network first (so an update shows at once while online), the cached copy
// when the network fails or is too slow: field devices are often offline or
// on a weak link.

const CACHE = "precinct-shell-v1";
const SHELL = [
  "./console.html",
  "./checkpoint.html",
  "./dashboard.html",
  "./app/style.css",
  "./app/book.js",
  "./app/charts.js",
  "./app/i18n.js",
  "./app/kit.js",
  "./app/qr.js",
  "./app/store.js",
  "./app/sw-register.js",
  "./app/sync.js",
  "./app/ui.js",
  "../../wasm/pkg/web/precinct_wasm.js",
  "../../wasm/pkg/web/precinct_wasm_bg.wasm",
  "../../wasm/node_modules/qrcode/build/qrcode.js",
  "../../wasm/node_modules/jsqr/dist/jsQR.js",
];
const TIMEOUT_MS = 4000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(SHELL.map((path) => new Request(path, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

async function fromNetwork(request) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const response = await fetch(request, { signal: controller.signal });
    if (response.ok && response.type === "basic") {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(request, copy));
    }
    return response;
  } finally {
    clearTimeout(timer);
  }
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    try {
      return await fromNetwork(request);
    } catch (error) {
      const cached = await caches.match(request, { ignoreSearch: true });
      if (cached) return cached;
      throw error;
    }
  })());
});
