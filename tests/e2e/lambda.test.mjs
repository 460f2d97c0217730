// End-to-end tests of the Lambda cost page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useAppServer, openPage, gotoReady, screenshot, sweep, DIST, urlWritten } from "./browser.mjs";

const env = useAppServer(DIST);
const text = (page, id) => page.getByTestId(id).first().innerText();

sweep(env, "#/lambda", "lambda-full", "the page renders with both charts", async (page) => {
  await page.getByTestId("historic").check();
  assert.equal(await page.getByTestId("chart-memory").locator("svg").count(), 1);
  assert.equal(await page.getByTestId("chart-invocations").locator("svg").count(), 1);
});

test("AWS's pricing example, line by line", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/lambda");
  // 512 MB, 3 million invocations of 1 s: $18.33 compute + $0.40 requests = $18.73.
  assert.equal(await text(page, "now-lambda-compute"), "$18.33");
  assert.equal(await text(page, "now-lambda-requests"), "$0.40");
  assert.equal(await text(page, "now-total"), "$18.73");
  const row = page.locator("tr", { has: page.getByTestId("now-lambda-compute") });
  await row.locator("summary").click();
  assert.match(await row.innerText(), /1100000 GB-s × \$0\.0000166667/);
  // Without the free tier: 1.5M GB-s and 3M requests are all billed.
  await page.getByTestId("free-tier").uncheck();
  assert.equal(await text(page, "now-total"), "$25.60");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the historic model: 2.35 ms billed as 100 ms then, 3 ms now", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/lambda");
  await page.getByTestId("duration").fill("2.35");
  await page.getByTestId("historic").check();
  assert.match(await text(page, "now-billed-ms"), /billed 3 ms/);
  assert.match(await text(page, "then-billed-ms"), /billed 100 ms/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("bad input is named and kept", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/lambda");
  for (const [id, value, message] of [
    ["invocations", "-5", /cannot be negative/],
    ["invocations", "1e30", /beyond any real workload/],
    ["invocations", "", /Invocations: enter a number/],
    ["duration", "NaN", /not a number/],
    ["memory", "64", /64 MB is not allowed/],
    ["memory", "1000.5", /whole megabytes/],
    ["duration", "1000000", /15 minutes/],
  ]) {
    await page.getByTestId(id).fill(value);
    assert.match(await text(page, "lambda-errors"), message, `${id}=${value}`);
    assert.equal(await page.getByTestId(id).inputValue(), value);
    await page.getByTestId("reset").click();
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("per-second traffic and a share link", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/lambda");
  await page.getByTestId("invocations").fill("10");
  await page.getByTestId("per").selectOption("second");
  await page.getByTestId("arch").selectOption("arm");
  await urlWritten(page);
  const other = await openPage(env.browser, env.server.origin);
  await gotoReady(other.page, page.url());
  assert.equal(await other.page.getByTestId("per").inputValue(), "second");
  assert.equal(await other.page.getByTestId("arch").inputValue(), "arm");
  assert.equal(await text(other.page, "now-total"), await text(page, "now-total"));
  assert.deepEqual(other.problems, []);
  await other.context.close();
  assert.deepEqual(problems, []);
  await context.close();
});

test("tiny amounts keep their digits; cost per invocation and per million", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/lambda");
  // One 366 ms invocation at 128 MB, x86, no free tier: 0.125 GB × 0.366 s × $0.0000166667.
  await page.getByTestId("invocations").fill("1");
  await page.getByTestId("duration").fill("366");
  await page.getByTestId("memory").fill("128");
  await page.getByTestId("free-tier").uncheck();
  assert.equal(await text(page, "now-lambda-compute"), "$0.000000763");
  assert.equal(await text(page, "now-lambda-requests"), "$0.0000002");
  assert.equal(await text(page, "now-total"), "$0.000000963");
  // The exact value is in the math.
  const row = page.locator("tr", { has: page.getByTestId("now-lambda-compute") });
  await row.locator("summary").click();
  assert.match(await row.innerText(), /\$0\.000000762501525/);
  // Per invocation at list price, and per million, with the request charge on its own line.
  assert.equal(await text(page, "per-invocation-compute"), "$0.000000763");
  assert.equal(await text(page, "per-invocation-request"), "$0.0000002");
  assert.equal(await text(page, "per-invocation-total"), "$0.000000963");
  assert.equal(await text(page, "per-invocation-compute-million"), "$0.763");
  assert.equal(await text(page, "per-invocation-request-million"), "$0.20");
  assert.equal(await text(page, "per-million-total"), "$0.963");
  assert.deepEqual(problems, []);
  await context.close();
});

test("provisioned concurrency: AWS's example 2 and the break-even utilization", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/lambda");
  // 4,096 MB x86, concurrency 7 for 24 hours, 2M invocations of 280 ms: $10.08 + $21.78 + $0.40.
  await page.getByTestId("invocations").fill("2,000,000");
  await page.getByTestId("duration").fill("280");
  await page.getByTestId("memory").fill("4096");
  await page.getByTestId("provisioned").check();
  await page.getByTestId("pc-concurrency").fill("7");
  await page.getByTestId("pc-hours").fill("24");
  assert.equal(await text(page, "pc-provisioned"), "$10.08");
  assert.equal(await text(page, "pc-provisioned-duration"), "$21.78");
  assert.equal(await text(page, "pc-requests"), "$0.40");
  assert.equal(await text(page, "pc-total"), "$32.26");
  assert.equal(await text(page, "pc-break-even"), "60.0%");
  assert.equal(await text(page, "pc-utilization"), "92.6%");
  assert.equal(await text(page, "pc-verdict"), "provisioned concurrency");
  assert.equal(await page.getByTestId("chart-provisioned").locator("svg").count(), 1);
  await screenshot(page, "lambda-provisioned");
  // Bad settings are named and kept.
  await page.getByTestId("pc-concurrency").fill("2.5");
  assert.match(await text(page, "pc-errors"), /whole number/);
  assert.equal(await page.getByTestId("pc-concurrency").inputValue(), "2.5");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the last edit survives an immediate reload and a closed tab", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/lambda");
  const compute = async (p) => p.getByTestId("now-lambda-compute").innerText();
  const before = await compute(page);
  await page.getByTestId("memory").fill("1536");
  // Once the page shows the new bill (the edit reached the tool), reload at once: well
  // inside the URL write's 250 ms and the sandbox's 400 ms debounce.
  await page.waitForFunction((b) => document.querySelector('[data-testid="now-lambda-compute"]').innerText !== b, before);
  await page.reload();
  await page.waitForSelector("html[data-ready=true]");
  assert.equal(await page.getByTestId("memory").inputValue(), "1536");
  // Edit, then close the tab at once; a new tab of the app opens the sandbox with the edit.
  const shown = await compute(page);
  await page.getByTestId("memory").fill("2048");
  await page.waitForFunction((b) => document.querySelector('[data-testid="now-lambda-compute"]').innerText !== b, shown);
  await page.close({ runBeforeUnload: true });
  const again = await context.newPage();
  await gotoReady(again, env.server.url + "#/lambda");
  assert.equal(await again.getByTestId("memory").inputValue(), "2048");
  assert.deepEqual(problems, []);
  await context.close();
});

test("while an input does not parse, the last bill stays, marked stale", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/lambda");
  const total = await page.getByTestId("now-total").innerText();
  await page.getByTestId("memory").fill("12x");
  await page.getByTestId("lambda-errors").waitFor();
  assert.equal(await page.getByTestId("lambda-stale").count(), 1);
  assert.equal(await page.getByTestId("now-total").innerText(), total, "the last bill is still there");
  await page.getByTestId("memory").fill("1024");
  assert.equal(await page.getByTestId("lambda-stale").count(), 0);
  assert.notEqual(await page.getByTestId("now-total").innerText(), total);
  assert.deepEqual(problems, []);
  await context.close();
});
