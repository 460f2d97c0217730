// End-to-end tests of the DynamoDB capacity and cost page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useAppServer, openPage, gotoReady, screenshot, sweep, DIST, urlWritten } from "./browser.mjs";

const env = useAppServer(DIST);
const text = (page, id) => page.getByTestId(id).first().innerText();

sweep(env, "#/dynamodb", "dynamodb-full", "the page renders with both charts", async (page) => {
  assert.equal(await page.getByTestId("chart-utilization").locator("svg").count(), 1);
  assert.equal(await page.getByTestId("chart-traffic").locator("svg").count(), 1);
});

test("the course notes' five worked examples", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/dynamodb");
  // 10 writes/s of 2 KB, 6 of 4.5 KB, 120/min of 2 KB; 16 eventual reads/s of 12 KB, 10 strong of 6 KB.
  const expected = ["20 WCU", "30 WCU", "4 WCU", "24 RCU", "20 RCU"];
  for (const [i, units] of expected.entries()) {
    assert.equal(await text(page, `line-${i + 1}-units`), units);
  }
  assert.equal(await text(page, "total-wcu"), "54 WCU");
  assert.equal(await text(page, "total-rcu"), "44 RCU");
  assert.deepEqual(problems, []);
  await context.close();
});

test("item size, per-request units and the break-even answer", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/dynamodb");
  await page.getByTestId("item").fill('{"pk": {"S": "user#1"}, "n": {"N": "123.45"}, "tags": {"SS": ["a", "bb"]}}');
  // pk: 2 + 6; n: 1 + (ceil(5/2) + 1 = 4); tags: 4 + 3.
  assert.equal(await text(page, "item-size"), "20 bytes");
  assert.equal(await text(page, "attr-bytes-n"), "5");
  assert.match(await text(page, "item-kind"), /DynamoDB JSON/);
  await page.getByTestId("item").fill('{"n": {"N": "12abc"}}');
  assert.match(await text(page, "item-error"), /12abc/);
  await page.getByTestId("item").fill("{ not json");
  assert.match(await text(page, "item-error"), /not valid JSON/);
  await page.getByTestId("item").fill(`{"blob": "${"x".repeat(380000)}"}`);
  assert.match(await text(page, "item-warning"), /90%/);
  await page.getByTestId("item").fill(`{"blob": "${"x".repeat(410000)}"}`);
  assert.match(await text(page, "item-error"), /409,600 bytes/);

  // GetItem of 8 KB: 2 RCU strong, 1 eventual; a Scan's filter does not help.
  await page.getByTestId("sizes").fill("8");
  assert.equal(await text(page, "request-units"), "2 RCU");
  await page.getByTestId("consistency").selectOption("eventual");
  assert.equal(await text(page, "request-units"), "1 RCU");
  await page.getByTestId("op").selectOption("Scan");
  await page.getByTestId("sizes").fill("1");
  await page.getByTestId("items-read").fill("2560");
  assert.equal(await text(page, "request-units"), "320 RCU");
  assert.equal(await text(page, "request-pages"), "3");
  assert.match(await text(page, "request-notes"), /FilterExpression/);
  await page.getByTestId("op").selectOption("BatchWriteItem");
  await page.getByTestId("sizes").fill("26 x 1");
  assert.match(await text(page, "request-errors"), /at most 25 items/);

  // The "2.5×" question, answered for 100 strong 4 KB reads/s at 100% utilization.
  for (let i = 5; i > 1; i--) await page.getByTestId(`line-${i}-remove`).click();
  await page.getByTestId("line-1-kind").selectOption("read");
  await page.getByTestId("line-1-mode").selectOption("strong");
  await page.getByTestId("line-1-rate").fill("100");
  await page.getByTestId("line-1-size").fill("4");
  await page.getByTestId("utilization").fill("100");
  await page.getByTestId("free-tier").uncheck();
  assert.equal(await text(page, "ratio"), "3.46×");
  assert.match(await text(page, "break-even"), /above 28\.9% utilization/);
  assert.equal(await text(page, "od-reads"), "$32.85");
  assert.equal(await text(page, "prov-reads"), "$9.49");
  assert.deepEqual(problems, []);
  await context.close();
});

test("bad workload input is named and kept", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/dynamodb");
  for (const [id, value, message] of [
    ["line-2-rate", "-5", /Line 2: a request rate cannot be negative/],
    ["line-2-rate", "1e30", /beyond any real workload/],
    ["line-2-rate", "", /Line 2, rate: enter a number/],
    ["line-3-size", "401", /400 KB/],
    ["line-3-size", "12abc", /not a size/],
    ["utilization", "0", /1 to 100/],
    ["month-hours", "NaN", /not a number/],
  ]) {
    await page.getByTestId(id).fill(value);
    assert.match(await text(page, "workload-errors"), message, `${id}=${value}`);
    assert.equal(await page.getByTestId(id).inputValue(), value);
    await page.getByTestId("reset").click();
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("a share link reproduces the page", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/dynamodb");
  await page.getByTestId("add-write").click();
  await page.getByTestId("line-6-rate").fill("50");
  await page.getByTestId("line-6-mode").selectOption("transactional");
  await page.getByTestId("op").selectOption("TransactWriteItems");
  await urlWritten(page);
  const other = await openPage(env.browser, env.server.origin);
  await gotoReady(other.page, page.url());
  assert.equal(await other.page.getByTestId("op").inputValue(), "TransactWriteItems");
  assert.equal(await text(other.page, "line-6-units"), "100 WCU");
  assert.equal(await text(other.page, "total-wcu"), await text(page, "total-wcu"));
  assert.equal(await text(other.page, "prov-total"), await text(page, "prov-total"));
  assert.deepEqual(other.problems, []);
  await other.context.close();
  assert.deepEqual(problems, []);
  await context.close();
});

test("numbers are sized by digit pairs around the decimal point", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/dynamodb");
  // Measured on live DynamoDB: 1.5 → 3 bytes, -42 → 3, 0 → 1, 0.15 → 2 (plus 1 byte of name each).
  await page.getByTestId("item").fill('{"a": {"N": "1.5"}, "b": {"N": "-42"}, "c": {"N": "0"}, "d": {"N": "0.15"}, "e": {"NS": ["12345", "1786461547"]}}');
  assert.equal(await text(page, "attr-bytes-a"), "4");
  assert.equal(await text(page, "attr-bytes-b"), "4");
  assert.equal(await text(page, "attr-bytes-c"), "2");
  assert.equal(await text(page, "attr-bytes-d"), "3");
  assert.equal(await text(page, "attr-bytes-e"), "11");
  assert.equal(await text(page, "item-size"), "24 bytes");
  await page.locator("details.math", { has: page.getByTestId("item-numbers") }).locator("summary").click();
  assert.equal(await text(page, "number-0"), "01|50 → 2 pairs + 1 = 3 bytes");
  assert.equal(await text(page, "number-1"), "42 → 1 pair + 1 + 1 (negative) = 3 bytes");
  assert.equal(await text(page, "number-2"), "zero → 1 byte");
  assert.equal(await text(page, "number-4"), "01|23|45 → 3 pairs + 1 = 4 bytes");
  // Numbers inside lists and maps follow the same rule; out of range and duplicates are named.
  await page.getByTestId("item").fill('{"l": [1.5, {"m": -42}]}');
  assert.equal(await text(page, "number-1"), "42 → 1 pair + 1 + 1 (negative) = 3 bytes");
  await page.getByTestId("item").fill('{"n": {"N": "1E+126"}}');
  assert.match(await text(page, "item-error"), /too large/);
  await page.getByTestId("item").fill('{"n": {"NS": ["1", "1.0"]}}');
  assert.match(await text(page, "item-error"), /twice/);
  assert.deepEqual(problems, []);
  await context.close();
});
