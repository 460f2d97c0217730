// The app offline after one visit (scripts/service-worker.js, docs/offline.md): the network
// cut after a first visit, every route, a sandbox edit and a share link still work; a new
// deploy is offered and taking it keeps unsaved work; the sub-path build and a cross-origin
// embed register the worker under their own folder without trouble.
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

/** Every route of the build: the loader's table in index.html, plus home and sandboxes. */
function routes(dist) {
  const table = JSON.parse(/var ROUTES = (\{[^}]*\});/.exec(readFileSync(join(dist, "index.html"), "utf8"))[1]);
  return ["#/", "#/sandboxes", ...Object.keys(table).map((r) => `#/${r}`)];
}

/** Waits until the service worker has precached the build and serves this page. */
async function controlled(page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
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
    for (const route of routes(DIST)) {
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

    const cached = await page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith("stratus:")));
    assert.equal(cached.length, 1, cached.join(", "));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    await server.close().catch(() => {});
  }
});

test("a new deploy is offered; reloading takes it and keeps the edit not yet saved", async () => {
  // The next deploy: the same build with a changed index.html and so a new worker version.
  const next = mkdtempSync(join(tmpdir(), "stratus-next-"));
  cpSync(DIST, next, { recursive: true });
  const index = join(next, "index.html");
  writeFileSync(index, readFileSync(index, "utf8").replace("<head>", '<head>\n  <meta name="stratus-test-build" content="next" />'));
  const sw = join(next, "sw.js");
  writeFileSync(sw, readFileSync(sw, "utf8").replace(/const VERSION = "([0-9a-f]+)";/, 'const VERSION = "$1-next";'));

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

    // An edit inside the autosave delay, then Reload at once: the page saves as it leaves.
    await page.getByTestId("utilization").fill("61");
    await Promise.all([page.waitForEvent("load"), page.getByTestId("update-reload").click()]);
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

test("an embed in a cross-origin slide registers quietly and offers no update", async () => {
  const server = await serve(DIST);
  const src = `${server.url}#/embed/lambda?ro=1`;
  const host = await serve(DIST, "/__none__/", {
    "/slide.html": `<!doctype html><title>slide</title><link rel="icon" href="data:,"><iframe id="f" src="${src}" width="900" height="600"></iframe>`,
  });
  const { context, page, problems } = await openPage(browser, server.origin, { serviceWorkers: "allow" });
  try {
    await page.goto(host.origin + "/slide.html");
    const frame = page.frameLocator("#f");
    await frame.getByTestId("tool-page-lambda").waitFor();
    await frame.locator("html[data-ready]").waitFor({ state: "attached" });
    // The frame's own worker, in the frame's folder (partitioned under the slide's site).
    const scope = await frame.locator("html").evaluate(async () => {
      await navigator.serviceWorker.ready;
      return (await navigator.serviceWorker.getRegistration()).scope;
    });
    assert.equal(scope, server.url);
    assert.equal(await frame.getByTestId("update-banner").isVisible(), false);
    assert.deepEqual(problems.filter((p) => !p.includes("request left the app's origin: " + host.origin)), []);
  } finally {
    await context.close();
    await host.close();
    await server.close();
  }
});
