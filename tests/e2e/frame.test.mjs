// End-to-end tests of what every tool page's frame offers: undo and redo (buttons and
// keyboard) and a compact share link that reproduces the page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useAppServer, openPage, gotoReady, screenshot, PHONE } from "./browser.mjs";

const env = useAppServer();
const text = (page, id) => page.getByTestId(id).first().innerText();

test("undo restores a deleted route and a template switch; redo brings them back", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/vpc");
  assert.equal(await page.getByTestId("undo").getAttribute("aria-disabled") === "true", true, "nothing to undo yet");
  assert.equal(await text(page, "vpc-verdict"), "Reachable");
  // Delete the default route: the web server can no longer be reached.
  await page.getByTestId("select-rtb-main").click();
  await page.getByRole("button", { name: "Delete route 1" }).click();
  assert.equal(await text(page, "edit-message"), "Applied.");
  assert.equal(await text(page, "vpc-verdict"), "Not reachable");
  await page.getByTestId("undo").click();
  assert.equal(await text(page, "vpc-verdict"), "Reachable");
  assert.equal(await page.getByTestId("redo").getAttribute("aria-disabled") === "true", false);
  await page.getByTestId("redo").click();
  assert.equal(await text(page, "vpc-verdict"), "Not reachable");
  // Keyboard: Ctrl+Z outside a text field undoes, Ctrl+Shift+Z redoes.
  await page.getByTestId("page-title").click();
  await page.keyboard.press("Control+z");
  assert.equal(await text(page, "vpc-verdict"), "Reachable");
  await page.keyboard.press("Control+Shift+z");
  assert.equal(await text(page, "vpc-verdict"), "Not reachable");
  await page.keyboard.press("Control+z");
  // A template switch is one step too: undo brings the edited design back, not the default.
  await page.waitForTimeout(900);
  await page.getByTestId("template").selectOption("peering");
  assert.equal(await page.getByTestId("to").inputValue(), "i-c");
  await page.getByTestId("undo").click();
  assert.equal(await page.getByTestId("template").inputValue(), "web");
  assert.equal(await text(page, "vpc-verdict"), "Reachable");
  await screenshot(page, "history-vpc");
  assert.deepEqual(problems, []);
  await context.close();
});

test("typing is one undo step, and Reset can be undone", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/lambda");
  const memory = page.getByTestId("memory");
  const before = await memory.inputValue();
  await memory.selectText();
  await memory.pressSequentially("2048", { delay: 50 });
  await page.waitForTimeout(900);
  await page.getByTestId("undo").click();
  assert.equal(await memory.inputValue(), before, "the whole number typed goes back at once");
  await page.getByTestId("redo").click();
  assert.equal(await memory.inputValue(), "2048");
  // Reset right after typing is a step of its own: undo brings the typed value back.
  await memory.selectText();
  await memory.pressSequentially("3008", { delay: 20 });
  await page.getByTestId("reset").click();
  assert.equal(await memory.inputValue(), before);
  await page.getByTestId("undo").click();
  assert.equal(await memory.inputValue(), "3008");
  // Ctrl+Z on a checkbox undoes too (it has no undo of its own).
  await page.getByTestId("free-tier").click();
  await page.getByTestId("free-tier").focus();
  await page.keyboard.press("Control+z");
  assert.equal(await page.getByTestId("free-tier").isChecked(), true);
  assert.deepEqual(problems, []);
  await context.close();
});

test("Copy share link gives a compact link that reproduces an edited VPC design", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin, {
    permissions: ["clipboard-read", "clipboard-write"],
  });
  await gotoReady(page, env.server.url + "#/vpc");
  await page.getByTestId("template").selectOption("three-tier");
  // The template opens with the question it is for: the app tier reaching the database.
  assert.equal(await page.getByTestId("from").inputValue(), "i-app");
  assert.equal(await page.getByTestId("to").inputValue(), "i-db");
  assert.equal(await page.getByTestId("port").inputValue(), "3306");
  assert.equal(await text(page, "vpc-verdict"), "Reachable");
  // Revoke the database group's only inbound rule (MySQL from the app group).
  await page.getByTestId("select-sg-db").click();
  await page.getByRole("button", { name: "Delete rule 1" }).first().click();
  assert.equal(await text(page, "edit-message"), "Applied.");
  assert.equal(await text(page, "vpc-verdict"), "Not reachable");
  await page.waitForFunction(() => location.hash.length > 2000, null, { timeout: 5000 });
  const long = await page.evaluate(() => location.hash);
  await page.getByTestId("share-link").click();
  await page.getByTestId("share-status").filter({ hasText: "Link copied" }).waitFor();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(link, /#\/vpc\?v=1&z=[A-Za-z0-9_-]+$/);
  assert.ok(link.length < long.length / 3, `${link.length} vs ${long.length}`);
  const other = await openPage(env.browser, env.server.origin, { viewport: PHONE });
  await gotoReady(other.page, link);
  assert.equal(await other.page.getByTestId("link-error").count(), 0);
  assert.equal(await other.page.getByTestId("template").inputValue(), "three-tier");
  assert.equal(await other.page.getByTestId("to").inputValue(), "i-db");
  assert.equal(await text(other.page, "vpc-verdict"), "Not reachable", "the revoked rule travelled");
  await other.page.getByTestId("vpc-code-SG_INGRESS_NO_RULE").waitFor();
  await screenshot(other.page, "share-vpc-phone");
  // The browser inflated the link before the page read it (index.html's stratusUnpack):
  // the address now holds its readable form.
  assert.match(await other.page.evaluate(() => location.hash), /^#\/vpc\?v=1&s=%7B/);
  // A damaged compact link says so and loses nothing else.
  await gotoReady(other.page, env.server.url + "#/vpc?v=1&z=AAAA");
  assert.match(await text(other.page, "link-error"), /packed data is damaged/);
  // A compact link opened later in the same tab (the same document: a popstate the
  // router sees only once index.html has inflated the link) opens too.
  await other.page.evaluate((hash) => { location.hash = hash; }, new URL(link).hash);
  await other.page.getByTestId("link-error").waitFor({ state: "detached" });
  assert.equal(await text(other.page, "vpc-verdict"), "Not reachable");
  assert.match(await other.page.evaluate(() => location.hash), /^#\/vpc\?v=1&s=%7B/);
  // The same link opened again after an edit reached the address opens again.
  const opened = await other.page.evaluate(() => location.hash);
  await other.page.getByTestId("port").fill("22");
  await other.page.waitForFunction((h) => location.hash !== h, opened);
  await other.page.evaluate((hash) => { location.hash = hash; }, new URL(link).hash);
  await other.page.waitForFunction(() => document.querySelector('[data-testid="port"]').value === "3306");
  assert.equal(await text(other.page, "vpc-verdict"), "Not reachable");
  // An edit whose address write is still pending does not take the place of a link opened
  // in the tab meanwhile.
  await other.page.getByTestId("port").fill("22");
  await other.page.evaluate((hash) => { location.hash = hash; }, new URL(link).hash);
  await other.page.waitForFunction(() => document.querySelector('[data-testid="port"]').value === "3306");
  assert.equal(await text(other.page, "vpc-verdict"), "Not reachable");
  // The tool's bare address (its header link, typed) is no link: the edit stays, and the
  // address shows it again.
  const linked = await other.page.evaluate(() => location.hash);
  await other.page.getByTestId("port").fill("22");
  await other.page.waitForFunction((h) => location.hash !== h, linked);
  await other.page.evaluate(() => { location.hash = "#/vpc"; });
  await other.page.waitForFunction(() => location.hash.startsWith("#/vpc?"));
  assert.equal(await other.page.getByTestId("port").inputValue(), "22");
  assert.deepEqual(problems, []);
  assert.deepEqual(other.problems, []);
  await other.context.close();
  await context.close();
});

test("switching tools shows the new page from its top", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/vpc");
  await page.evaluate(() => window.scrollTo(0, 1500));
  await page.locator('nav a[href="#/lambda"]').click();
  await page.waitForFunction(() => document.documentElement.dataset.module === "lambda" && document.documentElement.dataset.ready);
  await page.getByTestId("memory").waitFor();
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.scrollY), 0);
  assert.equal(await page.evaluate(() => document.activeElement.id), "main");
  assert.ok(await page.locator('nav a[href="#/lambda"]').isVisible());
  assert.deepEqual(problems, []);
  await context.close();
});
