// The checkpoint's camera, with Chromium's fake capture device playing a
// video of the pass's QR code (a Y4M file drawn from the `qrcode` package's
// module matrix): the page scans the frames with jsQR and shows the verdict.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import { ready, waitText } from "./helpers.mjs";

const QRCode = createRequire(import.meta.url)("qrcode");

/** A short Y4M video (4:2:0) showing the QR code of `text`, black on white. */
export function qrVideo(path, text, size = 480) {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const n = modules.size;
  const scale = Math.floor(size / (n + 8));
  const offset = Math.floor((size - n * scale) / 2);
  const luma = Buffer.alloc(size * size, 255);
  for (let r = 0; r < n; r += 1) {
    for (let c = 0; c < n; c += 1) {
      if (!modules.get(r, c)) continue;
      for (let y = 0; y < scale; y += 1) luma.fill(0, (offset + r * scale + y) * size + offset + c * scale, (offset + r * scale + y) * size + offset + (c + 1) * scale);
    }
  }
  const chroma = Buffer.alloc((size / 2) * (size / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), luma, chroma]);
  writeFileSync(path, Buffer.concat([Buffer.from(`YUV4MPEG2 W${size} H${size} F10:1 Ip A1:1 C420jpeg\n`), frame, frame]));
  return path;
}

/** The camera button shows where there is a camera, and the scanned pass is allowed. */
export async function cameraScan({ base, dir, files, shots }) {
  const video = qrVideo(join(dir, "pass.y4m"), files.token);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
           "--no-first-run", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
           `--use-file-for-fake-video-capture=${video}`],
  });
  try {
    const context = await browser.newContext({ locale: "en-US", timezoneId: "America/New_York" });
    await context.grantPermissions(["camera"]);
    const page = await context.newPage();
    await page.goto(`${base}/checkpoint.html`);
    await ready(page);
    await page.setInputFiles("#kit-file", files.kit);
    await waitText(page, "#kit-result", /^Kit loaded\.$/);
    await waitText(page, "#camera", /^Use the camera$/);
    await page.click("#camera");
    await waitText(page, "#verdict-head", /^allowed$/);
    await waitText(page, '#verdict dd[data-row="checkpoint.holder"]', /^王\*\*$/);
    await waitText(page, "#camera", /^Use the camera$/); // the camera is stopped once a code is read
    await page.screenshot({ path: join(shots, "checkpoint-camera.png"), fullPage: true });
  } finally {
    await browser.close();
  }
}
