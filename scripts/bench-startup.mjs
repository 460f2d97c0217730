#!/usr/bin/env node
// Startup benchmark: median time from navigation start to `html[data-ready]` over repeated
// loads of the release bundle in headless Chromium, plus the size of the route's wasm
// module. Not a test: it prints numbers for the README.
// Usage: node scripts/bench-startup.mjs [dist] [--runs N] [--route '#/vpc'] [--throttle]
//   (default: home; --throttle: a slow mobile network, see below)
import { existsSync, statSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cpus, totalmem } from "node:os";
import { execFileSync } from "node:child_process";
import { gzipSync } from "node:zlib";
import { serve } from "../tests/e2e/server.mjs";
import { launch } from "../tests/e2e/browser.mjs";
import { benchArgs, median } from "./bench-lib.mjs";

const { dist, runs } = benchArgs(30);
const routeAt = process.argv.indexOf("--route");
const route = routeAt >= 0 ? process.argv[routeAt + 1] : "";
// --throttle: a slow mobile network (1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip,
// Chrome DevTools' "Slow 4G"-like preset) with responses gzipped as CloudFront sends them,
// so the bytes on the wire decide the time.
const throttle = process.argv.includes("--throttle");
const hasWorker = existsSync(join(dist, "sw.js"));

let moduleName = "shell";
const server = await serve(dist, "/", {}, { gzip: throttle });
const browser = await launch();
async function load(context, { keep = false } = {}) {
  const page = await context.newPage();
  if (throttle) {
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8,
    });
  }
  // Record the moment data-ready appears, in the page's own clock (0 = navigation start).
  await page.addInitScript(() => {
    // Observe the document itself: <html> may not exist yet when this script runs.
    new MutationObserver((_, obs) => {
      if (document.documentElement?.hasAttribute("data-ready")) {
        window.__readyAt = performance.now();
        obs.disconnect();
      }
    }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-ready"] });
  });
  await page.goto(server.url + route);
  await page.waitForSelector("html[data-ready]", { timeout: 120_000 });
  const t = await page.evaluate(() => window.__readyAt);
  moduleName = await page.evaluate(() => document.documentElement.getAttribute("data-module"));
  if (keep) {
    // Until the service worker (registered once the page is ready) has cached everything.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 300_000 });
  }
  await page.close();
  return t;
}

const cold = [];
const warm = [];
const cached = [];
// First and repeat visits without the service worker (the browser's HTTP cache only: the
// server sends no-store, so files are refetched; compiled code may be cached), then a
// repeat visit served by the service worker from its cache (docs/offline.md).
await load(await browser.newContext({ serviceWorkers: "block" })); // let the OS cache the files
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext({ serviceWorkers: "block" }); // empty HTTP cache: a first visit
  cold.push(await load(context));
  warm.push(await load(context)); // same context: a repeat visit
  await context.close();
  if (!hasWorker) continue; // a build from before the service worker
  const offline = await browser.newContext({ serviceWorkers: "allow" });
  await load(offline, { keep: true });
  cached.push(await load(offline)); // served by the worker's cache
  await offline.close();
}
await browser.close();
await server.close();

// The route's module, from the table the build wrote into index.html.
const table = JSON.parse(/window\.stratusModules = (\{.*?\});/.exec(readFileSync(join(dist, "index.html"), "utf8"))[1]);
const wasm = table[moduleName].wasm;
const wasmBytes = statSync(join(dist, wasm)).size;
const wasmGzip = gzipSync(readFileSync(join(dist, wasm)), { level: 9 }).length;
let chromium = "unknown";
try { chromium = execFileSync(process.env.CHROMIUM ?? "/usr/bin/chromium", ["--version"], { stdio: ["ignore", "pipe", "ignore"] }).toString().trim(); } catch {}
console.log(`startup benchmark: ${runs} loads of ${route || "#/"} (module ${moduleName}) from 127.0.0.1${throttle ? ", throttled to 1.6 Mbit/s with 150 ms RTT, gzip" : ""}`);
console.log(`  navigation -> data-ready, first visit:  median ${median(cold).toFixed(1)} ms (min ${Math.min(...cold).toFixed(1)}, max ${Math.max(...cold).toFixed(1)})`);
console.log(`  navigation -> data-ready, repeat visit: median ${median(warm).toFixed(1)} ms (min ${Math.min(...warm).toFixed(1)}, max ${Math.max(...warm).toFixed(1)})`);
if (hasWorker) console.log(`  navigation -> data-ready, repeat visit from the service worker: median ${median(cached).toFixed(1)} ms (min ${Math.min(...cached).toFixed(1)}, max ${Math.max(...cached).toFixed(1)})`);
console.log(`  wasm: ${wasm} ${wasmBytes} bytes raw, ${wasmGzip} bytes gzip`);
console.log(`  machine: ${cpus().length} x ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${chromium}`);
