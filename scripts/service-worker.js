// Stratus's service worker: the whole app, offline after one visit (docs/offline.md).
// scripts/build-modules.mjs fills in VERSION (a hash of every file of the build) and FILES
// (every file of the build but this one, relative to it) and writes it as dist/sw.js.
//
// - install: fetch every file into a cache of this version (revalidated, not from the HTTP
//   cache, so index.html is the deployed one);
// - activate: delete this app's caches of other versions, take over open pages;
// - fetch: serve the app's files from the cache, the network only for what it lacks. A
//   navigation to the app's folder gets the cached index.html (routes live in the fragment).
// A new version waits until a page asks it to take over ("stratus:skip-waiting", sent when
// the student accepts the update offer) or until every page of the app has closed.
const VERSION = "__STRATUS_VERSION__";
const FILES = __STRATUS_FILES__;

const SCOPE = new URL("./", self.location.href).pathname;
// Two deployments on one origin (sub-paths) keep their own caches.
const PREFIX = "stratus:" + SCOPE + ":";
const CACHE = PREFIX + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(FILES.map((file) => new Request(new URL(file, self.location.href), { cache: "no-cache" })));
      // An index.html of another version (a deploy caught half-way, a stale edge cache)
      // would name modules this cache lacks: then this version does not install, and the
      // browser tries again at the next visit.
      const index = await (await cache.match(new URL("index.html", self.location.href))).text();
      const missing = FILES.filter((f) => /-[0-9a-f]{8,16}(_bg)?\.(js|wasm|css|svg)$/.test(f) && !index.includes(f));
      if (missing.length) {
        await caches.delete(CACHE);
        throw new Error("index.html is not this version's: it does not name " + missing.join(", "));
      }
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "stratus:skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith(SCOPE)) return;
  event.respondWith(respond(request, url));
});

async function respond(request, url) {
  const path = url.pathname.endsWith("/") ? url.pathname + "index.html" : url.pathname;
  let hit;
  try {
    // Only this version's cache (caches.match with a name never creates one).
    hit = await caches.match(url.origin + path, { cacheName: CACHE, ignoreSearch: true, ignoreVary: true });
  } catch (e) {
    hit = undefined; // storage failing: the network still serves the app
  }
  return hit || fetch(request);
}
