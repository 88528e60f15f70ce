// Register the service worker (examples/web/sw.js), which keeps the pages,
// these modules, the library's WebAssembly and the QR code libraries for
// reloads without the network. `swReady` settles once it controls the page.

export let swReady = Promise.resolve(null);

export function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return swReady;
  const url = new URL("../sw.js", import.meta.url);
  swReady = navigator.serviceWorker.register(url, { scope: new URL("../", import.meta.url).pathname })
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => {
      document.documentElement.dataset.offlineReady = "true";
      return registration;
    })
    .catch((error) => {
      console.warn("service worker not registered:", error);
      return null;
    });
  return swReady;
}
