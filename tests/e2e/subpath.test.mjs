// The bundle built with --public-url /stratus/demo/ (and the test-only hooks) must work
// under that sub-path, as on S3 + CloudFront, and a forced panic must show the crash banner.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useAppServer, openPage, gotoReady, screenshot, DESKTOP, PHONE, DIST_SUBPATH, SUBPATH } from "./browser.mjs";

const env = useAppServer(DIST_SUBPATH, SUBPATH);

test("the sub-path build loads every file from under its prefix", async () => {
  const { context, page, problems, requests } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url);
  assert.match(await page.locator("main h1").innerText(), /Learn AWS/);
  await page.locator('nav a[href="#/vpc"]').click();
  await page.waitForURL(/\/stratus\/demo\/#\/vpc$/);
  assert.equal(await page.getByTestId("page-title").innerText(), "VPC builder and reachability");
  // Deep link straight to a tool.
  await gotoReady(page, env.server.url + "#/drive-failure");
  assert.equal(await page.getByTestId("page-title").innerText(), "Drive failure and durability");
  for (const url of requests) assert.ok(url.startsWith(env.server.origin + SUBPATH), `outside the sub-path: ${url}`);
  assert.ok(env.server.requests.every((p) => p.startsWith(SUBPATH)), env.server.requests.join(", "));
  assert.deepEqual(problems, []);
  await context.close();
});

for (const [label, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
  test(`a panic replaces the dead page with the crash banner (${label})`, async () => {
    const { context, page, problems } = await openPage(env.browser, env.server.origin, {
      viewport,
      permissions: ["clipboard-read", "clipboard-write"],
    });
    await gotoReady(page, env.server.url);
    // Navigate into the test-only route that panics while rendering.
    await page.evaluate(() => { location.hash = "#/__panic"; });
    const banner = page.locator("#crash-banner");
    await banner.waitFor({ state: "visible" });
    assert.equal(await page.locator("#app").isVisible(), false, "the dead app is hidden");
    // A release build traps at the panic (-Cpanic=immediate-abort, scripts/build-modules.mjs):
    // index.html's trap handler writes the report, with the module and the wasm stack.
    assert.match(await page.getByTestId("crash-summary").innerText(), /^Stratus stopped because of an internal error \(RuntimeError: unreachable\)\.$/);
    assert.equal(await page.evaluate(() => document.activeElement.id), "crash-reload");
    await screenshot(page, `crash-${label}`);

    await page.getByTestId("crash-copy").click();
    await page.locator("#crash-copy-status").filter({ hasText: "Copied." }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(copied, /^Stratus crash report\nversion: \d+\.\d+\.\d+\nmessage: RuntimeError: unreachable\nmodule: stratus-[0-9a-f]{16}_bg\.wasm\n/);
    assert.match(copied, /\nstack:\n  at .*wasm/);
    assert.match(copied, /url: http:\/\/127\.0\.0\.1:\d+\/stratus\/demo\/#\/__panic/);

    // Reload brings the app back (here onto the same panicking route, so go home first).
    await page.evaluate(() => history.replaceState(null, "", location.pathname));
    await page.getByTestId("crash-reload").click();
    await page.waitForSelector("html[data-ready]");
    assert.equal(await page.locator("#crash-banner").isVisible(), false);
    // The panic is logged as a console error and the wasm trap surfaces as an exception:
    // those are the only problems allowed here.
    const unexpected = problems.filter((p) => !/deliberate panic|unreachable|RuntimeError/.test(p));
    assert.deepEqual(unexpected, []);
    await context.close();
  });
}
