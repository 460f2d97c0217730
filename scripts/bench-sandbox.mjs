#!/usr/bin/env node
// Sandbox benchmark (not a test): a sandbox of 1,000 resources in IndexedDB, in headless
// Chromium with the release bundle. Prints medians of
//   open     — the `stratus:open` span: open IndexedDB, read and validate every sandbox;
//   autosave — main-thread time of one save after an edit: `stratus:check` (parse the
//              stored copy to compare revisions with other tabs) + `stratus:autosave`
//              (serialize the sandbox and hand it to IndexedDB).
// Usage: node scripts/bench-sandbox.mjs [dist] [--runs N]
import { execFileSync } from "node:child_process";
import { serve } from "../tests/e2e/server.mjs";
import { launch } from "../tests/e2e/browser.mjs";
import { benchArgs, median } from "./bench-lib.mjs";

const { dist, runs } = benchArgs(20);

const fixture = execFileSync("cargo", ["run", "-q", "--release", "--example", "bench_sandbox", "--", "--json", "1000"], { encoding: "utf8", maxBuffer: 64 << 20 });
const id = JSON.parse(fixture).id;
const server = await serve(dist);
const browser = await launch();
const context = await browser.newContext({ serviceWorkers: "block" }); // no precaching during the runs
const page = await context.newPage();
await page.goto(server.url + "#/");
await page.waitForSelector("html[data-ready]");
await page.evaluate(([text, id]) => new Promise((resolve, reject) => {
  const open = indexedDB.open("stratus");
  open.onsuccess = () => {
    const tx = open.result.transaction("sandboxes", "readwrite");
    tx.objectStore("sandboxes").put(text, id);
    tx.oncomplete = () => { open.result.close(); localStorage.setItem("stratus.sandbox", id); resolve(); };
    tx.onerror = () => reject(tx.error);
  };
  open.onerror = () => reject(open.error);
}), [fixture, id]);

const open = [], save = [], check = [];
for (let i = 0; i < runs; i++) {
  await page.goto("about:blank");
  await page.goto(server.url + "#/cidr");
  await page.waitForSelector("html[data-ready]");
  open.push(await page.evaluate(() => performance.getEntriesByName("stratus:open")[0]?.duration));
  await page.getByTestId("explain-input").fill(`172.${16 + (i % 16)}.0.0/16`);
  await page.waitForFunction(() => performance.getEntriesByName("stratus:autosave").length > 0, null, { timeout: 10000 });
  save.push(await page.evaluate(() => performance.getEntriesByName("stratus:autosave").at(-1).duration));
  check.push(await page.evaluate(() => performance.getEntriesByName("stratus:check").at(-1)?.duration ?? 0));
}
console.log(`sandbox of 1,000 resources (${fixture.length.toLocaleString("en")} bytes of JSON), ${runs} runs`);
console.log(`open (IndexedDB open + read + validate)   median ${median(open).toFixed(1)} ms`);
console.log(`autosave: revision check (parse stored)   median ${median(check).toFixed(1)} ms`);
console.log(`autosave: serialize + hand to IndexedDB    median ${median(save).toFixed(1)} ms`);
console.log(`autosave main-thread total                 median ${(median(check) + median(save)).toFixed(1)} ms`);
await browser.close();
await server.close();
