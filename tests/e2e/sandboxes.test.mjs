// End-to-end tests of sandboxes: autosave to IndexedDB, the list, export and import.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { useAppServer, openPage, gotoReady, screenshot, DESKTOP, PHONE, DIST, settled } from "./browser.mjs";

const env = useAppServer(DIST);
const text = (page, id) => page.getByTestId(id).first().innerText();
const message = (page, re) => page.getByTestId("import-message").filter({ hasText: re }).waitFor();
const saved = (page) => page.waitForFunction(() => document.querySelector('[data-testid="save-status"]')?.innerText.endsWith("Saved"));

test("a calculator edit survives a reload", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/dynamodb");
  assert.match(await text(page, "save-status"), /My sandbox/);
  await page.getByTestId("utilization").fill("55");
  await page.waitForTimeout(1000);
  await saved(page);
  // Open the tool without any state in the URL: it resumes from the sandbox.
  await gotoReady(page, env.server.url + "#/");
  await page.reload();
  await gotoReady(page, env.server.url + "#/dynamodb");
  assert.equal(await page.getByTestId("utilization").inputValue(), "55");
  assert.deepEqual(problems, []);
  await context.close();
});

test("create, rename, duplicate, delete and undo", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/sandboxes");
  await page.getByTestId("new-name").fill("Week 3: VPCs");
  await page.getByTestId("create-sandbox").click();
  assert.equal(await page.getByTestId("sandbox-row").count(), 2);
  const row = (name) => page.getByTestId("sandbox-row").filter({ hasText: name });
  assert.equal(await row("Week 3: VPCs").getByTestId("sandbox-active").count(), 1);
  await row("Week 3: VPCs").getByTestId("rename").click();
  await page.getByTestId("rename-input").fill("Lecture 4");
  await page.getByTestId("rename-save").click();
  await row("Lecture 4").getByTestId("duplicate").click();
  assert.equal(await row("Lecture 4 (copy)").count(), 1);
  await row("Lecture 4 (copy)").getByTestId("delete").click();
  assert.equal(await row("Lecture 4 (copy)").count(), 0);
  await page.getByTestId("undo-delete").click();
  assert.equal(await row("Lecture 4 (copy)").count(), 1);
  await page.getByTestId("new-name").fill("   ");
  await page.getByTestId("create-sandbox").click();
  assert.match(await text(page, "create-error"), /needs a name/);
  await page.waitForTimeout(1000);
  await saved(page);
  await page.reload();
  await gotoReady(page, env.server.url + "#/sandboxes");
  assert.equal(await page.getByTestId("sandbox-row").count(), 3);
  await screenshot(page, "sandboxes-list-desktop");
  assert.deepEqual(problems, []);
  await context.close();
});

test("export, delete, import: identical; bad files are named", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/lambda");
  await page.getByTestId("memory").fill("1024");
  await page.waitForTimeout(900);
  await saved(page);
  await gotoReady(page, env.server.url + "#/sandboxes");
  await page.getByTestId("new-name").fill("Other");
  await page.getByTestId("create-sandbox").click();
  const row = (name) => page.getByTestId("sandbox-row").filter({ hasText: name });
  const [download] = await Promise.all([page.waitForEvent("download"), row("My sandbox").getByTestId("export").click()]);
  assert.equal(download.suggestedFilename(), "stratus-my-sandbox.json");
  const file = join(tmpdir(), `stratus-export-${process.pid}.json`);
  await download.saveAs(file);
  const exported = await readFile(file, "utf8");
  assert.match(exported, /"memory_mb": "1024"/);
  // Importing it while it exists asks first.
  await page.getByTestId("import-file").setInputFiles(file);
  await page.getByTestId("import-conflict").waitFor();
  await page.getByTestId("import-cancel").click();
  await row("My sandbox").getByTestId("delete").click();
  await page.getByTestId("import-file").setInputFiles(file);
  await message(page, /Imported “My sandbox”/);
  const [again] = await Promise.all([page.waitForEvent("download"), row("My sandbox").getByTestId("export").click()]);
  await again.saveAs(file + ".2");
  assert.equal(await readFile(file + ".2", "utf8"), exported, "export → import → export is identical");
  const bad = join(tmpdir(), `stratus-bad-${process.pid}.json`);
  await writeFile(bad, JSON.stringify({ ...JSON.parse(exported), schema: 99 }));
  await page.getByTestId("import-file").setInputFiles(bad);
  await message(page, /newer Stratus \(schema 99/);
  await writeFile(bad, "{ nope");
  await page.getByTestId("import-file").setInputFiles(bad);
  await message(page, /not valid JSON/);
  await screenshot(page, "sandboxes-import");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a corrupt record is reported and skipped; the app still loads", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin, { viewport: PHONE });
  await gotoReady(page, env.server.url + "#/sandboxes");
  await saved(page);
  await page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open("stratus");
    open.onsuccess = () => {
      const tx = open.result.transaction("sandboxes", "readwrite");
      tx.objectStore("sandboxes").put("{ broken", "sb-broken");
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
    open.onerror = () => reject(open.error);
  }));
  await page.reload();
  await gotoReady(page, env.server.url + "#/sandboxes");
  assert.match(await text(page, "storage-notices"), /could not be read and was skipped/);
  assert.equal(await page.getByTestId("sandbox-row").count(), 1);
  await screenshot(page, "sandboxes-phone");
  assert.deepEqual(problems, []);
  await context.close();
});

test("two tabs on one sandbox never overwrite each other silently", async () => {
  const { context, page: a, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(a, env.server.url + "#/lambda");
  await a.waitForTimeout(800);
  await saved(a);
  const b = await context.newPage();
  await gotoReady(b, env.server.url + "#/lambda");
  await a.getByTestId("memory").fill("2048");
  await a.waitForTimeout(1000);
  await saved(a);
  // Tab B hears of the save and asks; it saves nothing meanwhile.
  await b.getByTestId("sandbox-conflict").waitFor();
  await b.getByTestId("memory").fill("256");
  await b.waitForTimeout(1000);
  assert.equal(await b.getByTestId("sandbox-conflict").count(), 1);
  // Leaving for another tool now would drop B's edit: the page asks first.
  await b.locator('nav a[href="#/dynamodb"]').click();
  await b.getByTestId("module-switch").getByRole("alert").waitFor();
  assert.equal(await b.getByTestId("sandbox-conflict").count(), 1);
  await screenshot(b, "module-switch-conflict");
  // B keeps its version (saved, then on to the other tool): now A is asked, and takes B's.
  await b.getByTestId("conflict-mine").click();
  await settled(b);
  assert.match(b.url(), /#\/dynamodb$/);
  await a.getByTestId("sandbox-conflict").waitFor();
  await a.getByTestId("conflict-theirs").click();
  await a.waitForLoadState();
  await gotoReady(a, env.server.url + "#/lambda");
  assert.equal(await a.getByTestId("memory").inputValue(), "256");
  assert.deepEqual(problems, []);
  await context.close();
});

test("without IndexedDB the app works in memory and says so", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await page.addInitScript(() => Object.defineProperty(window, "indexedDB", { value: undefined }));
  await gotoReady(page, env.server.url + "#/dynamodb");
  assert.match(await text(page, "save-status"), /Not saved — This browser offers no IndexedDB/);
  await page.getByTestId("utilization").fill("90");
  assert.match(await text(page, "ratio"), /×/);
  await gotoReady(page, env.server.url + "#/sandboxes");
  assert.match(await text(page, "storage-error"), /Export/);
  assert.equal(await page.getByTestId("sandbox-row").count(), 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a full disk is reported and nothing is lost in the tab", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await page.addInitScript(() => {
    IDBObjectStore.prototype.put = function () {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    };
  });
  await gotoReady(page, env.server.url + "#/lambda");
  await page.getByTestId("memory").fill("3008");
  await page.waitForFunction(() => document.querySelector('[data-testid="save-status"]')?.innerText.includes("Not saved"));
  assert.match(await text(page, "save-status"), /storage for this site is full/);
  assert.equal(await page.getByTestId("memory").inputValue(), "3008");
  await screenshot(page, "sandboxes-quota");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a share link of one tool opens that tool", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/lambda");
  await page.getByTestId("memory").fill("1536");
  await page.waitForTimeout(1000);
  await saved(page);
  await gotoReady(page, env.server.url + "#/sandboxes");
  await page.getByTestId("sandbox-row").first().getByTestId("share").click();
  const link = await text(page, "share-link");
  const other = await openPage(env.browser, env.server.origin);
  await other.page.goto(link);
  await other.page.waitForFunction(() => location.hash.startsWith("#/lambda?"));
  await settled(other.page);
  assert.equal(await other.page.getByTestId("memory").inputValue(), "1536");
  assert.equal(await other.page.getByTestId("link-error").count(), 0);
  assert.deepEqual(other.problems, []);
  await other.context.close();
  assert.deepEqual(problems, []);
  await context.close();
});

test("a share link opens as a preview and is saved only on request", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/dynamodb");
  await page.getByTestId("utilization").fill("55");
  await page.waitForTimeout(1000);
  await saved(page);
  // Two tools: the link opens as a preview (one tool would open that tool).
  await page.locator('nav a[href="#/lambda"]').click();
  await settled(page);
  await page.getByTestId("memory").fill("2048");
  await page.waitForTimeout(1000);
  await saved(page);
  await gotoReady(page, env.server.url + "#/sandboxes");
  await page.getByTestId("sandbox-row").first().getByTestId("share").click();
  const link = await text(page, "share-link");
  assert.match(link, /#\/sandboxes\?z=[A-Za-z0-9_-]+$/);

  const other = await openPage(env.browser, env.server.origin);
  await gotoReady(other.page, link);
  assert.match(await text(other.page, "shared-preview"), /Shared with you: “My sandbox”/);
  // Nothing was saved: the visitor's own list has only their fresh sandbox.
  assert.equal(await other.page.getByTestId("sandbox-row").count(), 1);
  await other.page.getByTestId("preview-open-dynamodb").click();
  await other.page.getByTestId("utilization").waitFor();
  assert.equal(await other.page.getByTestId("utilization").inputValue(), "55");
  await other.page.goBack();
  await settled(other.page);
  await other.page.getByTestId("shared-save").click();
  assert.equal(await other.page.getByTestId("sandbox-row").count(), 2);
  await other.page.getByTestId("shared-preview").waitFor({ state: "detached" });
  // The same link opened again in the tab shows its preview again; Dismiss closes it.
  await other.page.evaluate((hash) => { location.hash = hash; }, new URL(link).hash);
  await other.page.getByTestId("shared-preview").waitFor();
  await other.page.getByTestId("shared-dismiss").click();
  await other.page.getByTestId("shared-preview").waitFor({ state: "detached" });
  assert.equal(await other.page.getByTestId("sandbox-row").count(), 2);
  const damaged = await openPage(env.browser, env.server.origin);
  await gotoReady(damaged.page, link.slice(0, -20));
  assert.match(await text(damaged.page, "shared-error"), /damaged/);
  for (const p of [other, damaged]) {
    assert.deepEqual(p.problems, []);
    await p.context.close();
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("moving to another tool saves first, and work that cannot be saved moves along", async () => {
  // An edit made just before following a link to a tool of another module is saved before
  // the page reloads into that module.
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/dynamodb");
  await page.getByTestId("utilization").fill("61");
  await page.locator('nav a[href="#/lambda"]').click();
  await settled(page);
  await page.locator('nav a[href="#/dynamodb"]').click();
  await settled(page);
  assert.equal(await page.getByTestId("utilization").inputValue(), "61");
  assert.deepEqual(problems, []);
  await context.close();

  // Without IndexedDB the work lives in the tab: it follows the user from tool to tool.
  const mem = await openPage(env.browser, env.server.origin);
  await mem.page.addInitScript(() => Object.defineProperty(window, "indexedDB", { value: undefined }));
  await gotoReady(mem.page, env.server.url + "#/dynamodb");
  await mem.page.getByTestId("utilization").fill("77");
  await mem.page.locator('nav a[href="#/vpc"]').click();
  await settled(mem.page);
  await mem.page.locator('nav a[href="#/dynamodb"]').click();
  await settled(mem.page);
  assert.equal(await mem.page.getByTestId("utilization").inputValue(), "77");
  assert.match(await text(mem.page, "save-status"), /Not saved/);
  assert.deepEqual(mem.problems, []);
  await mem.context.close();
});
