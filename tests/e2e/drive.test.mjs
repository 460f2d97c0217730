// End-to-end tests of the drive failure and durability calculator.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useAppServer, openPage, gotoReady, screenshot, sweep, DIST, urlWritten } from "./browser.mjs";

const env = useAppServer(DIST);

const text = (page, id) => page.getByTestId(id).first().innerText();

sweep(env, "#/drive-failure", "drive-failure-full", "the page renders with charts", async (page) => {
  assert.equal(await page.getByTestId("chart-distribution").locator("svg").count(), 1);
  assert.equal(await page.getByTestId("chart-fleet").locator("svg").count(), 1);
});

test("the course's dice demo and fleet figures", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/drive-failure");
  // AFR 2%: p = 5.53e-5 per day, more than twice (1/6)^6 = 2.14e-5.
  assert.equal(await text(page, "drive-per-day"), "5.53e-5");
  const dice = page.locator(".figure", { has: page.getByTestId("drive-dice") });
  assert.match(await dice.innerText(), /2\.58× as likely as rolling six 1s in a row/);
  await dice.locator("summary").click();
  assert.match(await dice.locator("details").innerText(), /\(1\/6\)\^6\s*= 2\.14e-5/);
  // 1,000 drives at 2% expect 20 failures a year, at 4% expect 40.
  assert.equal(await text(page, "fleet-expected"), "20");
  await page.getByTestId("rate").fill("4");
  assert.equal(await text(page, "fleet-expected"), "40");
  // 100 drives at 1%: 63.4% chance of at least one failure.
  await page.getByTestId("rate").fill("1");
  await page.getByTestId("drives").fill("100");
  assert.equal(await text(page, "fleet-any"), "63.4%");
  // Near certainty keeps its precision.
  await page.getByTestId("rate").fill("2");
  await page.getByTestId("drives").fill("1000");
  assert.equal(await text(page, "fleet-any"), "1 − 1.68e-9");
  assert.deepEqual(problems, []);
  await context.close();
});

test("redundancy: Backblaze's published 4+2 result and read errors", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/drive-failure");
  await page.getByTestId("rate").fill("10");
  await page.getByTestId("scheme").selectOption("erasure");
  await page.getByTestId("data").fill("4");
  await page.getByTestId("parity").fill("2");
  await page.getByTestId("ure").selectOption("0");
  assert.equal(await text(page, "red-annual-loss"), "1.50e-7");
  assert.equal(await text(page, "red-nines"), "6 nines");
  assert.equal(await page.getByTestId("red-compare").locator("tbody tr").count(), 5);
  // Read errors on big RAID 5 rebuilds.
  await page.getByTestId("rate").fill("2");
  await page.getByTestId("scheme").selectOption("raid5");
  await page.getByTestId("ure").selectOption("1e-14");
  assert.match(await text(page, "red-ure"), /^99\.9/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("bad input is named and nothing is lost", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/drive-failure");
  for (const [id, value, errors, message] of [
    ["rate", "150", "one-errors", /cannot exceed 100%/],
    ["rate", "", "one-errors", /AFR: enter a number/],
    ["drives", "1e12", "fleet-errors", /more drives than any fleet on Earth/],
    ["drives", "-3", "fleet-errors", /Drives must be from 1/],
    ["rebuild-days", "abc", "red-errors", /Rebuild time: “abc” is not a number/],
  ]) {
    await page.getByTestId(id).fill(value);
    assert.match(await text(page, errors), message, `${id}=${value}`);
    assert.equal(await page.getByTestId(id).inputValue(), value);
    await page.getByTestId("reset").click();
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("the state travels in the link", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/drive-failure");
  await page.getByTestId("rate").fill("3.5");
  await page.getByTestId("scheme").selectOption("replication");
  await urlWritten(page);
  const other = await openPage(env.browser, env.server.origin);
  await gotoReady(other.page, page.url());
  assert.equal(await other.page.getByTestId("rate").inputValue(), "3.5");
  assert.equal(await other.page.getByTestId("scheme").inputValue(), "replication");
  assert.equal(await other.page.getByTestId("set-size").inputValue(), "3");
  await gotoReady(other.page, env.server.url + "#/drive-failure?v=1&s=%7Boops");
  assert.match(await text(other.page, "link-error"), /could not be opened/);
  assert.equal(await text(other.page, "drive-per-day"), "5.53e-5");
  assert.deepEqual(other.problems, []);
  await other.context.close();
  assert.deepEqual(problems, []);
  await context.close();
});

test("MTBF shows its AFR, and AFR its MTBF", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/drive-failure");
  assert.equal(await text(page, "drive-afr"), "2%");
  assert.equal(await text(page, "drive-mtbf"), "433,605 hours");
  await page.getByTestId("rate-kind").selectOption("mtbf");
  await page.getByTestId("rate").fill("1000000");
  // 1 − exp(−8760 / 1,000,000) = 0.8722%.
  assert.equal(await text(page, "drive-afr"), "0.8722%");
  const afr = page.locator(".figure", { has: page.getByTestId("drive-afr") });
  await afr.locator("summary").click();
  assert.match(await afr.locator("details").innerText(), /1 − exp\(−8760 \/ 1000000\)/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("probabilities read in plain words beside their value", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/drive-failure");
  const value = await page.getByTestId("drive-per-day").innerText();
  const plain = await page.getByTestId("drive-per-day-plain").innerText();
  assert.match(value, /e-\d/, "the value keeps its scientific form");
  assert.match(plain, /^\d[\d.]*% ≈ 1 in [\d,]+( (million|billion|trillion))?$/);
  // 1 in N is the inverse of the value, to three significant digits.
  const p = Number(value.replace(/[^0-9e.+-]/g, ""));
  const n = Number(plain.split("1 in ")[1].replace(/,/g, ""));
  assert.ok(Math.abs(n * p - 1) < 0.01, `${n} × ${p}`);
  assert.match(await page.getByTestId("red-annual-loss-plain").innerText(), /≈ 1 in/);
  await screenshot(page, "drive-plain-words");
  assert.deepEqual(problems, []);
  await context.close();
});
