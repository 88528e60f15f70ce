// A static server of the repository on 127.0.0.1 for the browser check. It
// can be taken down and brought back on the same port (the same origin, so
// the service worker and IndexedDB stay), which is what "the network is off"
// means for the pages: nothing answers.
import { createServer } from "node:http";
import { readFileSync, statSync } from "node:fs";
import { extname, join, normalize } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".wasm": "application/wasm", ".json": "application/json", ".png": "image/png",
  ".svg": "image/svg+xml",
};

export async function serve(root) {
  let requests = 0;
  const handler = (req, res) => {
    requests += 1;
    const path = normalize(join(root, decodeURIComponent(new URL(req.url, "http://x").pathname)));
    try {
      if (!path.startsWith(root) || !statSync(path).isFile()) throw new Error("not a file");
      res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream", "cache-control": "no-cache" });
      res.end(readFileSync(path));
    } catch {
      res.writeHead(404).end("not found");
    }
  };
  let server = createServer(handler);
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const port = server.address().port;
  return {
    origin: `http://127.0.0.1:${port}`,
    get requests() { return requests; },
    /** Stop answering: close the socket and every open connection. */
    async down() {
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
    },
    /** Answer again on the same port. */
    async up() {
      server = createServer(handler);
      await new Promise((ok, fail) => server.once("error", fail).listen(port, "127.0.0.1", ok));
    },
    close() {
      server.closeAllConnections?.();
      server.close();
    },
  };
}
