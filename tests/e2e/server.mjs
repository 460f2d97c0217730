// A tiny static file server for the built bundle, bound to 127.0.0.1 on a free port.
// `prefix` mounts the bundle under a sub-path (e.g. "/stratus/sub/"), as on S3 + CloudFront.
import { createServer } from "node:http";
import { gzipSync } from "node:zlib";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".txt": "text/plain; charset=utf-8",
  ".ico": "image/x-icon",
};

/** `pages` maps extra paths to HTML (e.g. a slide that embeds the app from another origin).
 *  `setRoot(dir)` serves another build from then on (a deploy, for the update offer).
 *  `gzip: true` compresses every response a browser accepts gzip for, as CloudFront does
 *  (for benchmarks on a throttled network, where the bytes on the wire count). */
export async function serve(root, prefix = "/", pages = {}, { gzip = false } = {}) {
  const requests = [];
  let current = root;
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    requests.push(path);
    if (pages[path] !== undefined) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
      return res.end(pages[path]);
    }
    if (!path.startsWith(prefix)) return notFound(res);
    let rel = path.slice(prefix.length);
    if (rel === "" || rel.endsWith("/")) rel += "index.html";
    const file = normalize(join(current, rel));
    if (!file.startsWith(normalize(current) + sep)) return notFound(res);
    try {
      if (!(await stat(file)).isFile()) return notFound(res);
      let body = await readFile(file);
      const headers = {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-store",
      };
      if (gzip && /\bgzip\b/.test(req.headers["accept-encoding"] ?? "")) {
        body = gzipSync(body, { level: 9 });
        headers["content-encoding"] = "gzip";
      }
      res.writeHead(200, headers);
      res.end(req.method === "HEAD" ? undefined : body);
    } catch {
      notFound(res);
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: origin + prefix,
    requests,
    setRoot: (dir) => { current = dir; },
    // Drop keep-alive connections too, or close() waits for the browser to let go.
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

function notFound(res) {
  res.writeHead(404, { "content-type": "text/plain" });
  res.end("not found");
}
