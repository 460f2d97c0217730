// Launches Debian's Chromium through playwright-core and watches every page for problems:
// console errors, uncaught exceptions, failed requests, HTTP errors and any request that
// leaves the app's own origin.
import { chromium } from "playwright-core";
import { before, after, test } from "node:test";
import { serve } from "./server.mjs";
import { mkdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const SCREENSHOTS = join(ROOT, "artifacts", "screenshots");
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    // Flags that keep Chromium quiet on a machine without internet (../shared/TOOLCHAIN.md).
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // Playwright gives every launch a fresh, empty profile directory of its own.
    ],
  });
}

/**
 * Opens a page in a fresh context and records everything that goes wrong on it. Service
 * workers are blocked unless asked for (`serviceWorkers: "allow"`): every other test sees a
 * first visit served by the network, and offline.test.mjs tests the worker itself.
 */
export async function openPage(browser, origin, { viewport = DESKTOP, colorScheme = "light", permissions = [], serviceWorkers = "block" } = {}) {
  // Reduced motion: screenshots are taken after transitions, not in the middle of one.
  const context = await browser.newContext({ viewport, colorScheme, permissions, reducedMotion: "reduce", serviceWorkers });
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console error: ${msg.text()}`);
  });
  page.on("pageerror", (err) => problems.push(`uncaught exception: ${err.message}`));
  page.on("request", (req) => {
    requests.push(req.url());
    const url = new URL(req.url());
    if (url.protocol !== "data:" && url.protocol !== "blob:" && url.origin !== origin) {
      problems.push(`request left the app's origin: ${req.url()}`);
    }
  });
  // A request cut short because the page moved on (a route of another module reloads the
  // page; gotoReady leaves the old page) is not a failure of the app's files.
  page.on("requestfailed", (req) => {
    if (req.failure()?.errorText !== "net::ERR_ABORTED") problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
  });
  page.on("response", (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return { context, page, problems, requests };
}

/** Navigates and waits until the app marks itself interactive. */
export async function gotoReady(page, url) {
  // A new document every time: on a page that is already open, a change of fragment alone
  // would reach the old module first, which then reloads into the route's module.
  if (page.url() !== "about:blank") await page.goto("about:blank");
  await page.goto(url);
  await page.waitForSelector("html[data-ready]", { timeout: 30_000 });
}

/**
 * Waits until the page shows the route in its fragment: the route's wasm module is the one
 * running (a route of another module reloads the page into it) and it is ready.
 */
export async function settled(page) {
  await page.waitForFunction(
    () => document.documentElement.hasAttribute("data-ready") &&
      document.documentElement.getAttribute("data-module") === window.stratusModuleFor(location.hash),
    null,
    { timeout: 30_000 },
  );
}

/**
 * Waits until the page has written its state into the address. A tool writes it 250 ms after
 * the last change (`URL_WRITE_MS` in src/app/hooks.rs), later on a slow machine, so a fixed
 * wait copies a link one change early: the address must stay the same for a whole second of
 * the page's own time (its timers run in order, so the pending write runs before that ends).
 */
export async function urlWritten(page) {
  await page.evaluate(() => new Promise((resolve) => {
    let last = location.hash, since = performance.now();
    const tick = () => {
      if (location.hash !== last) { last = location.hash; since = performance.now(); }
      if (performance.now() - since >= 1000) resolve(); else setTimeout(tick, 50);
    };
    tick();
  }));
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The bundle directories built by scripts/test.sh. */
export const DIST = process.env.STRATUS_DIST ?? join(ROOT, "dist");
export const DIST_SUBPATH = process.env.STRATUS_DIST_SUBPATH ?? join(ROOT, "dist-subpath");
export const SUBPATH = "/stratus/demo/";

/**
 * Registers before/after hooks that serve `dist` (under `prefix`) and launch the browser,
 * and returns an object whose `server` and `browser` are set once the hooks have run.
 */
export function useAppServer(dist = DIST, prefix = "/") {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await serve(dist, prefix);
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

/**
 * Registers one test per width × theme: opens `route`, runs `check(page)` (the page's own
 * assertions, e.g. that its charts drew), then asserts nothing overflows sideways, takes the
 * screenshot `<name>-<desktop|phone>-<light|dark>` and fails on any console or network problem.
 */
export function sweep(env, route, name, title, check = async () => {}) {
  for (const [label, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
    for (const scheme of ["light", "dark"]) {
      test(`${title} (${label}, ${scheme})`, async () => {
        const { context, page, problems } = await openPage(env.browser, env.server.origin, { viewport, colorScheme: scheme });
        await gotoReady(page, env.server.url + route);
        await check(page);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (overflow > 0) throw new Error(`overflows by ${overflow}px`);
        await screenshot(page, `${name}-${label}-${scheme}`);
        if (problems.length) throw new Error(problems.join("\n"));
        await context.close();
      });
    }
  }
}
