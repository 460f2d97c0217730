#!/usr/bin/env node
// Flow page benchmark (not a test): a 50-resource scenario (10 topics fanned out to 20
// queues drained by 20 functions; 600 messages over a minute) opened from a link in headless
// Chromium with the release bundle. Each run moves the time slider to another moment of the
// run, as playback does on every tick: the frame (tokens, counters, charts, the log) is
// recomputed and the diagram re-rendered. Prints the median time from the input event to
// the next painted frame. Usage: node scripts/bench-flow.mjs [dist] [--runs N]
import { execFileSync } from "node:child_process";
import { serve } from "../tests/e2e/server.mjs";
import { launch } from "../tests/e2e/browser.mjs";
import { benchArgs, median } from "./bench-lib.mjs";

const { dist, runs } = benchArgs(40);

const query = execFileSync("cargo", ["run", "-q", "--release", "--example", "bench_flow", "--", "--state"], { encoding: "utf8" }).trim();
const server = await serve(dist);
const browser = await launch();
const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: "block" })).newPage();
const t0 = Date.now();
await page.goto(`${server.url}#/flow?${query}`);
await page.waitForSelector("html[data-ready]");
await page.waitForSelector('[data-testid="flow-diagram"] svg');
const open = Date.now() - t0;
const resources = await page.evaluate(() => document.querySelectorAll('[data-testid="flow-diagram"] g[data-node]').length - 1);

const times = [];
for (let i = 0; i < runs; i++) {
  // Moments spread over the busy minute, 100 ms apart from the previous as in playback.
  const at = 5_000 + ((i * 1_300) % 55_000);
  times.push(await page.evaluate((at) => new Promise((resolve) => {
    const input = document.querySelector('[data-testid="scrub"]');
    const t0 = performance.now();
    input.value = String(at);
    input.dispatchEvent(new InputEvent("input", { bubbles: true }));
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0)));
  }), at));
}
const entries = await page.evaluate(() => document.querySelector('[data-testid="flow-log"]').previousElementSibling.textContent.split(".")[0]);
const tokens = await page.evaluate(() => document.querySelectorAll('[data-testid="flow-diagram"] circle.token').length);
console.log(`Flow page, ${resources} resources, ${runs} frames (last: ${tokens} tokens moving; log: ${entries.trim()})`);
console.log(`open the link (build + run + first render)   ${open} ms`);
console.log(`frame: recompute + render + paint           median ${median(times).toFixed(1)} ms (max ${Math.max(...times).toFixed(1)})`);
await browser.close();
await server.close();
