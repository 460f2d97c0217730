#!/usr/bin/env node
// VPC page benchmark (not a test): a ~200-resource design opened from a link in headless
// Chromium with the release bundle; each run changes the port, which re-runs the analyzer,
// re-lays out and re-renders the diagram with the new path. Prints the median time from the
// input event to the next painted frame. Usage: node scripts/bench-vpc.mjs [dist] [--runs N]
import { execFileSync } from "node:child_process";
import { serve } from "../tests/e2e/server.mjs";
import { launch } from "../tests/e2e/browser.mjs";
import { benchArgs, median } from "./bench-lib.mjs";

const { dist, runs } = benchArgs(30);

const query = execFileSync("cargo", ["run", "-q", "--release", "--example", "bench_vpc", "--", "--state"], { encoding: "utf8" }).trim();
const server = await serve(dist);
const browser = await launch();
const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: "block" })).newPage();
await page.goto(`${server.url}#/vpc?${query}`);
await page.waitForSelector("html[data-ready]");
await page.waitForSelector('[data-testid="vpc-diagram"] svg');
const resources = await page.evaluate(() => document.querySelectorAll('[data-testid="vpc-diagram"] [data-id]').length);
const times = [];
for (let i = 0; i < runs; i++) {
  times.push(await page.evaluate((port) => new Promise((resolve) => {
    const input = document.querySelector('[data-testid="port"]');
    const t0 = performance.now();
    input.value = String(port);
    input.dispatchEvent(new InputEvent("input", { bubbles: true }));
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - t0)));
  }), 1000 + (i % 40)));
}
console.log(`VPC page, ${resources} shapes in the diagram, ${runs} runs`);
console.log(`edit → analyze + lay out + render + paint   median ${median(times).toFixed(1)} ms (max ${Math.max(...times).toFixed(1)})`);
await browser.close();
await server.close();
