// The app offline after one visit (scripts/service-worker.js, docs/offline.md): the network
// cut after a first visit, every route, a sandbox edit and a share link still work; a new
// deploy is offered (in every tab, until one takes it) and taking it keeps unsaved work; the
// sub-path build keeps its worker in its folder; an embed never offers an update, and where
// the browser refuses a worker (a frame on another site) it works online, quietly.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, openPage, gotoReady, settled, screenshot, SCREENSHOTS, DIST, DIST_SUBPATH, SUBPATH, PHONE } from "./browser.mjs";
import { serve } from "./server.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Every route: the loader's table in index.html's source (a release build's copy is
 *  minified), plus home. */
function routes() {
  const table = JSON.parse(/var ROUTES = (\{[^}]*\});/.exec(readFileSync(new URL("../../index.html", import.meta.url), "utf8"))[1]);
  return ["#/", ...Object.keys(table).map((r) => `#/${r}`)];
}

/** Waits until the service worker has precached the build and serves this page. */
async function controlled(page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
}

/** The next deploy: the same build with a changed index.html, so a new worker version. */
function nextDeploy() {
  const next = mkdtempSync(join(tmpdir(), "stratus-next-"));
  cpSync(DIST, next, { recursive: true });
  const index = join(next, "index.html");
  writeFileSync(index, readFileSync(index, "utf8").replace("<head>", '<head>\n  <meta name="stratus-test-build" content="next" />'));
  const sw = join(next, "sw.js");
  writeFileSync(sw, readFileSync(sw, "utf8").replace(/const VERSION = "([0-9a-f]+)";/, 'const VERSION = "$1-next";'));
  return next;
}

const saved = (page) => page.waitForFunction(() => document.querySelector('[data-testid="save-status"]')?.innerText.endsWith("Saved"));

test("after one visit: reload, every route, a sandbox edit and a share link with no network", async () => {
  const server = await serve(DIST);
  const { context, page, problems } = await openPage(browser, server.origin, { serviceWorkers: "allow" });
  try {
    await gotoReady(page, server.url + "#/dynamodb");
    await controlled(page);
    // No network at all: the browser is offline and the server is gone.
    await context.setOffline(true);
    await server.close();

    await page.reload();
    await page.waitForSelector("html[data-ready]");
    assert.equal(await page.getByTestId("page-title").innerText(), "DynamoDB capacity and cost");
    for (const route of routes()) {
      await gotoReady(page, server.url + route);
      await settled(page);
      assert.ok(await page.locator("main h1").first().isVisible(), `${route} shows its page`);
    }
    // Moving between tools of different modules reloads the page: from the cache now.
    await gotoReady(page, server.url + "#/cidr");
    await page.locator('nav a[href="#/vpc"]').click();
    await page.waitForURL(/#\/vpc$/);
    await settled(page);
    assert.equal(await page.getByTestId("page-title").innerText(), "VPC builder and reachability");

    // Edit and save a sandbox, offline.
    await gotoReady(page, server.url + "#/dynamodb");
    await page.getByTestId("utilization").fill("55");
    await page.waitForTimeout(1000);
    await saved(page);
    await gotoReady(page, server.url + "#/sandboxes");
    await page.getByTestId("sandbox-row").first().getByTestId("share").click();
    const link = await page.getByTestId("share-link").first().innerText();
    await gotoReady(page, server.url + "#/dynamodb");
    assert.equal(await page.getByTestId("utilization").inputValue(), "55");
    await page.getByTestId("utilization").fill("70");
    await page.waitForTimeout(1000);
    await saved(page);

    // The share link made before the change still opens what it held.
    const shared = await context.newPage();
    await shared.goto(link);
    await shared.waitForFunction(() => location.hash.startsWith("#/dynamodb?"));
    await settled(shared);
    assert.equal(await shared.getByTestId("utilization").inputValue(), "55");
    assert.equal(await shared.getByTestId("link-error").count(), 0);
    await screenshot(shared, "offline-share-link");
    await shared.close();

    // A helper module, never loaded before, comes from the cache too: the planner's
    // Terraform is written by the export helper when the plan tab first shows.
    await gotoReady(page, server.url + "#/cidr");
    await page.getByTestId("tab-plan").click();
    await page.waitForFunction(() => /resource "aws_vpc"/.test(document.querySelector('[data-testid="export-plan"]')?.value ?? ""));
    await page.getByTestId("plan-open-builder").waitFor();

    const cached = await page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith("stratus:")));
    assert.equal(cached.length, 1, cached.join(", "));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await server.close().catch(() => {});
  }
});

test("a new deploy is offered; reloading takes it and keeps the edit not yet saved", async () => {
  const next = nextDeploy();

  const server = await serve(DIST);
  const { context, page, problems } = await openPage(browser, server.origin, { serviceWorkers: "allow" });
  try {
    await gotoReady(page, server.url + "#/dynamodb");
    await controlled(page);
    assert.equal(await page.getByTestId("update-banner").isVisible(), false, "a first visit offers nothing");

    server.setRoot(next);
    // Reopening the app checks for a new version; the old one still serves this page.
    await page.reload();
    await page.waitForSelector("html[data-ready]");
    await page.getByTestId("update-banner").waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('meta[name="stratus-test-build"]').count(), 0);
    assert.match(await page.getByTestId("update-banner").innerText(), /A new version of Stratus is ready/);
    // The offer is fixed to the window: a shot of the window, not of the whole page.
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, "update-offer-desktop-light.png") });
    await page.setViewportSize(PHONE);
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: join(SCREENSHOTS, "update-offer-phone-dark.png") });

    // "Later" hides the offer; it comes back with the next reload.
    await page.getByTestId("update-later").click();
    assert.equal(await page.getByTestId("update-banner").isVisible(), false);
    await page.reload();
    await page.waitForSelector("html[data-ready]");
    await page.getByTestId("update-banner").waitFor();

    // A second tab offers it too, until the first takes the new version.
    const other = await context.newPage();
    await other.goto(server.url + "#/lambda");
    await other.waitForSelector("html[data-ready]");
    await other.getByTestId("update-banner").waitFor();

    // An edit inside the autosave delay, then Reload at once: the page saves as it leaves.
    await page.getByTestId("utilization").fill("61");
    await Promise.all([page.waitForEvent("load"), page.getByTestId("update-reload").click()]);
    await other.getByTestId("update-banner").waitFor({ state: "hidden" });
    await other.close();
    await page.waitForSelector("html[data-ready]");
    assert.equal(await page.locator('meta[name="stratus-test-build"]').count(), 1, "the new index.html");
    assert.equal(await page.getByTestId("update-banner").isVisible(), false);
    assert.equal(await page.getByTestId("utilization").inputValue(), "61");
    const cached = await page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith("stratus:")));
    assert.equal(cached.length, 1, "the old version's cache is gone");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await server.close();
    rmSync(next, { recursive: true, force: true });
  }
});

test("the sub-path build keeps its worker in its folder and works offline", async () => {
  const server = await serve(DIST_SUBPATH, SUBPATH);
  const { context, page, problems } = await openPage(browser, server.origin, { serviceWorkers: "allow" });
  try {
    await gotoReady(page, server.url + "#/lambda");
    await controlled(page);
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).scope);
    assert.equal(scope, server.origin + SUBPATH);
    await context.setOffline(true);
    await server.close();
    await gotoReady(page, server.url + "#/iam");
    await settled(page);
    assert.equal(await page.getByTestId("page-title").innerText(), "IAM policy evaluator");
    assert.ok(server.requests.every((p) => p.startsWith(SUBPATH)), server.requests.join(", "));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await server.close().catch(() => {});
  }
});

/** A slide page on `host` framing the app's Lambda embed from `server`. */
const slidePage = (server) => ({
  "/slide.html": `<!doctype html><title>slide</title><link rel="icon" href="data:,"><iframe id="f" src="${server.url}#/embed/lambda?ro=1" width="900" height="600"></iframe>`,
});

test("an embed on a slide of the same site keeps a worker and never offers an update", async () => {
  const next = nextDeploy();
  const server = await serve(DIST);
  const host = await serve(DIST, "/__none__/", slidePage(server)); // 127.0.0.1, another port
  const { context, page, problems } = await openPage(browser, server.origin, { serviceWorkers: "allow" });
  const frame = page.frameLocator("#f");
  const inFrame = (fn) => frame.locator("html").evaluate(fn);
  try {
    await page.goto(host.origin + "/slide.html");
    await frame.getByTestId("tool-page-lambda").waitFor();
    await frame.locator("html[data-ready]").waitFor({ state: "attached" });
    const scope = await inFrame(async () => {
      await navigator.serviceWorker.ready;
      return (await navigator.serviceWorker.getRegistration()).scope;
    });
    assert.equal(scope, server.url);
    // A deploy: the frame finds the new version waiting, and still offers nothing.
    server.setRoot(next);
    await page.reload();
    await frame.locator("html[data-ready]").waitFor({ state: "attached" });
    await inFrame(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      await reg.update();
      for (let i = 0; i < 600 && !reg.waiting; i++) await new Promise((r) => setTimeout(r, 50));
      if (!reg.waiting) throw new Error("the new version did not install");
    });
    assert.equal(await frame.getByTestId("update-banner").isVisible(), false);
    assert.deepEqual(problems.filter((p) => !p.includes("request left the app's origin: " + host.origin)), []);
  } finally {
    await context.close();
    await host.close();
    await server.close();
    rmSync(next, { recursive: true, force: true });
  }
});

test("an embed on a slide of another site works without a worker when the browser refuses one", async () => {
  const server = await serve(DIST);
  const host = await serve(DIST, "/__none__/", slidePage(server));
  // localhost is another site than 127.0.0.1: this Chromium blocks storage in such frames.
  const outside = host.origin.replace("127.0.0.1", "localhost");
  const { context, page, problems } = await openPage(browser, server.origin, { serviceWorkers: "allow" });
  const frame = page.frameLocator("#f");
  try {
    await page.goto(outside + "/slide.html");
    await frame.getByTestId("tool-page-lambda").waitFor();
    await frame.locator("html[data-ready]").waitFor({ state: "attached" });
    await page.waitForTimeout(500); // registration runs once the embed is ready
    const registration = await frame.locator("html").evaluate(() =>
      navigator.serviceWorker.getRegistration().then((r) => (r ? r.scope : "none"), (e) => `refused: ${e.name}`));
    assert.match(registration, /^(refused|none)/, "no worker in a frame whose storage is blocked");
    assert.equal(await frame.getByTestId("update-banner").isVisible(), false);
    assert.deepEqual(problems.filter((p) => !p.includes("request left the app's origin: " + outside)), []);
  } finally {
    await context.close();
    await host.close();
    await server.close();
  }
});
