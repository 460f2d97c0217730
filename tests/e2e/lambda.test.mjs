// End-to-end tests of the Lambda cost page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useAppServer, openPage, gotoReady, screenshot, sweep, DIST } from "./browser.mjs";

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
  await page.waitForTimeout(400);
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
