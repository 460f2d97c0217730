#!/usr/bin/env node
// Browser benchmark of the CIDR planner (not a test): time from a user action to the
// updated DOM, in headless Chromium on the release bundle. Median of --runs (default 20).
// Usage: node scripts/bench-cidr.mjs [dist] [--runs N]
import { serve } from "../tests/e2e/server.mjs";
import { launch, openPage, gotoReady } from "../tests/e2e/browser.mjs";
import { benchArgs, median } from "./bench-lib.mjs";

const { dist, runs } = benchArgs(20);

const server = await serve(dist);
const browser = await launch();
const { page } = await openPage(browser, server.origin);
await gotoReady(page, server.url + "#/cidr");

/** Runs `act` in the page and resolves with the ms until `selector`'s text equals `expect`. */
async function timeUntil(act, selector, expect) {
  return page.evaluate(
    ([act, selector, expect]) =>
      new Promise((resolve) => {
        const t0 = performance.now();
        const check = () => {
          const el = document.querySelector(selector);
          if (el && el.textContent === expect) {
            obs.disconnect();
            resolve(performance.now() - t0);
          }
        };
        const obs = new MutationObserver(check);
        obs.observe(document.body, { subtree: true, childList: true, characterData: true });
        new Function(act)();
      }),
    [act, selector, expect],
  );
}

const setAndClick = (root, prefix) => `
  const set = (id, v) => { const el = document.querySelector('[data-testid=' + id + ']'); el.value = v; el.dispatchEvent(new InputEvent('input')); };
  set('table-root', '${root}'); set('table-prefix', '${prefix}');
  document.querySelector('[data-testid=table-split]').click();`;

const results = [];
await page.getByTestId("tab-subnets").click();
for (const [label, root, prefix, rows] of [
  ["split 10.0.0.0/16 into /24 (256 subnets)", "10.0.0.0/16", "24", "256"],
  ["split 10.0.0.0/8 into /24 (65,536 subnets)", "10.0.0.0/8", "24", "65,536"],
  ["split 10.0.0.0/8 into /28 (1,048,576 subnets)", "10.0.0.0/8", "28", "1,048,576"],
]) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    // Alternate with a one-row table so every run changes the DOM.
    await timeUntil(setAndClick("10.0.0.0/30", "30"), "[data-testid=table-row-count]", "1");
    times.push(await timeUntil(setAndClick(root, prefix), "[data-testid=table-row-count]", rows));
  }
  results.push([label + ", click to rendered table", median(times)]);
}
// Scrolling the million-row table: scroll event to re-rendered window.
{
  const times = [];
  for (let i = 0; i < runs; i++) {
    const frac = (i + 1) / (runs + 1);
    times.push(await page.evaluate((frac) => new Promise((resolve) => {
      const el = document.querySelector("[data-testid=table-viewport]");
      const t0 = performance.now();
      const obs = new MutationObserver(() => { obs.disconnect(); resolve(performance.now() - t0); });
      obs.observe(el, { subtree: true, childList: true, attributes: true });
      el.scrollTop = (el.scrollHeight - el.clientHeight) * frac;
      el.dispatchEvent(new Event("scroll"));
    }), frac));
  }
  results.push(["scroll the 1,048,576-row table, event to re-render", median(times)]);
}
// The VPC plan: change the number of AZs and wait for the table to have 3 rows per AZ.
await page.getByTestId("tab-plan").click();
{
  const times = [];
  for (let i = 0; i < runs; i++) {
    const azs = i % 2 ? 6 : 5;
    times.push(await page.evaluate((azs) => new Promise((resolve) => {
      const t0 = performance.now();
      const obs = new MutationObserver(() => {
        if (document.querySelectorAll("[data-testid=plan-cidr]").length === azs * 3) { obs.disconnect(); resolve(performance.now() - t0); }
      });
      obs.observe(document.body, { subtree: true, childList: true, characterData: true });
      const sel = document.querySelector("[data-testid=plan-azs]");
      sel.value = String(azs);
      sel.dispatchEvent(new Event("change", { bubbles: true }));
    }), azs));
  }
  results.push(["VPC plan (3 tiers), change AZs to re-rendered plan and export", median(times)]);
}
await browser.close();
await server.close();
console.log(`CIDR planner benchmark: median of ${runs} runs, headless Chromium, release bundle`);
for (const [label, ms] of results) console.log(`  ${label.padEnd(70)} ${ms.toFixed(1).padStart(7)} ms`);
