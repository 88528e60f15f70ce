// QR codes with two well-kept npm packages, loaded from wasm/node_modules:
// `qrcode` (its browser build, a script defining `QRCode`) draws them and
// `jsqr` (a UMD script defining `jsQR`) reads them from images and camera
// frames. Both are plain scripts, loaded once on demand.

const LIBS = {
  QRCode: new URL("../../../wasm/node_modules/qrcode/build/qrcode.js", import.meta.url),
  jsQR: new URL("../../../wasm/node_modules/jsqr/dist/jsQR.js", import.meta.url),
};
const loaded = new Map();

function script(name) {
  if (!loaded.has(name)) {
    loaded.set(name, new Promise((resolve, reject) => {
      if (globalThis[name]) return resolve(globalThis[name]);
      const tag = document.createElement("script");
      tag.src = LIBS[name];
      tag.onload = () => (globalThis[name] ? resolve(globalThis[name]) : reject(new Error(`${name} did not load`)));
      tag.onerror = () => reject(new Error(`${name} could not be fetched`));
      document.head.append(tag);
    }));
  }
  return loaded.get(name);
}

/** Draw `text` as a QR code on `canvas`. */
export async function drawQr(canvas, text, { scale = 5 } = {}) {
  const QRCode = await script("QRCode");
  await QRCode.toCanvas(canvas, text, { errorCorrectionLevel: "M", margin: 4, scale });
  return canvas;
}

/** The QR code of `text` as a PNG Blob. */
export async function qrPng(text, options) {
  const canvas = await drawQr(document.createElement("canvas"), text, options);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
}

function decodePixels(jsQR, ctx, width, height) {
  const { data } = ctx.getImageData(0, 0, width, height);
  return jsQR(data, width, height, { inversionAttempts: "attemptBoth" });
}

/** The text of the QR code in an image file, or null when none is found. */
export async function readQrFromFile(file) {
  const jsQR = await script("jsQR");
  const bitmap = await createImageBitmap(file);
  // A phone photo is large; a QR code stays readable at 1200 pixels.
  const factor = Math.min(1, 1200 / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * factor));
  const height = Math.max(1, Math.round(bitmap.height * factor));
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, width, height);
  ctx.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return decodePixels(jsQR, ctx, width, height)?.data ?? null;
}

/** Whether this device has a camera to scan with. */
export async function hasCamera() {
  if (!navigator.mediaDevices?.getUserMedia || !navigator.mediaDevices.enumerateDevices) return false;
  try {
    const devices = await navigator.mediaDevices.enumerateDevices();
    return devices.some((d) => d.kind === "videoinput");
  } catch {
    return false;
  }
}

/**
 * Scan with the camera into `video` until a QR code is read; resolves with
 * its text (or null when stopped). Returns `{result, stop}`.
 */
export function scanCamera(video) {
  let stream = null;
  let stopped = false;
  let frame = 0;
  const stop = () => {
    stopped = true;
    cancelAnimationFrame(frame);
    stream?.getTracks().forEach((track) => track.stop());
    video.srcObject = null;
    video.hidden = true;
  };
  const result = (async () => {
    const jsQR = await script("jsQR");
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    if (stopped) { stop(); return null; }
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const canvas = document.createElement("canvas");
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    return new Promise((resolve) => {
      const tick = () => {
        if (stopped) return resolve(null);
        if (video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth) {
          canvas.width = video.videoWidth;
          canvas.height = video.videoHeight;
          ctx.drawImage(video, 0, 0);
          const code = decodePixels(jsQR, ctx, canvas.width, canvas.height);
          if (code?.data) {
            stop();
            return resolve(code.data);
          }
        }
        frame = requestAnimationFrame(tick);
      };
      tick();
    });
  })();
  result.catch(stop);
  return { result, stop };
}
