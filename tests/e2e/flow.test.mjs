// End-to-end tests of the serverless flow simulator (#/flow).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { useAppServer, openPage, gotoReady, screenshot, sweep, DIST } from "./browser.mjs";

const env = useAppServer(DIST);
const text = (page, id) => page.getByTestId(id).first().innerText();
const link = (state) => `#/flow?v=1&s=${encodeURIComponent(JSON.stringify(state))}`;

sweep(env, link({ template: "fanout", time_ms: 4300 }), "flow", "the flow page renders its diagram, log and counters", async (page) => {
  assert.equal(await page.getByTestId("flow-diagram").locator("svg").count(), 1);
  assert.ok((await page.getByTestId("log-line").count()) > 5);
});

test("playback: play moves the clock, pause keeps the moment in the link, next event steps", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/flow");
  assert.match(await text(page, "flow-time"), /^0\.0 s of 15\.0 s$/);
  await page.getByTestId("speed").selectOption("60");
  await page.getByTestId("play").click();
  await page.waitForFunction(() => document.querySelector('[data-testid="flow-time"]').textContent.startsWith("15.0 s"));
  assert.match(await text(page, "play"), /Play again/);
  // The labeler ran twice (not for notes/readme.txt, not for its own labels/ output).
  assert.match(await text(page, "counter-function-labeler-invocations"), /^2 invocations$/);
  await page.waitForFunction(() => location.hash.includes("time_ms"));
  // Back to the start, then step event by event.
  await page.getByTestId("scrub").fill("0");
  await page.getByTestId("scrub").dispatchEvent("change");
  // At 0 s the first upload is the log's only moment; "Next event" goes to the next one.
  assert.match(await page.getByTestId("log-line").last().innerText(), /scenario · S3_PUT_OBJECT PutObject s3:\/\/photos\/uploads\/cat\.jpg/);
  await page.getByTestId("step").click();
  assert.match(await text(page, "flow-time"), /^0\.8 s of/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a poison message: the log says why it moved to the DLQ, the counters show it there", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + link({ template: "dlq", time_ms: 150000 }));
  const moved = page.locator('[data-testid="log-line"][data-code="SQS_MOVED_TO_DLQ"]');
  assert.equal(await moved.count(), 1);
  assert.match(await moved.innerText(), /m-2 moved to orders-dlq: receive 4 after maxReceiveCount 3/);
  assert.equal(await text(page, "counter-queue-orders-dlq-visible"), "1 visible");
  assert.equal(await text(page, "counter-function-worker-errors"), "3 errors");
  // The chart draws each queue's messages over the run.
  assert.equal(await page.locator('[data-testid="flow-chart"] polyline').count(), 2);
  // Clicking a resource keeps only its lines.
  await page.locator('[data-testid="flow-diagram"] g[data-node="queue orders-dlq"] rect').click();
  await page.getByTestId("log-show-all").waitFor();
  const lines = await page.getByTestId("log-line").allInnerTexts();
  assert.ok(lines.length > 0 && lines.every((l) => l.includes("orders-dlq")), lines.join("\n"));
  await screenshot(page, "flow-dlq");
  assert.deepEqual(problems, []);
  await context.close();
});

test("injecting a failure changes the run; exports are real files", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + link({ template: "fanout", time_ms: 20000 }));
  assert.equal(await page.getByTestId("counter-function-billing-worker-errors").count(), 0);
  await page.getByTestId("inject-billing-worker").selectOption("fail");
  assert.match(await text(page, "counter-function-billing-worker-errors"), /^\d+ errors$/);
  assert.equal(await page.locator('[data-testid="log-line"][data-code="LAMBDA_ERROR"]').first().isVisible(), true);
  await page.getByTestId("undo").click();
  assert.equal(await page.getByTestId("counter-function-billing-worker-errors").count(), 0);
  const [mmd] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-mermaid").click()]);
  const file = join(tmpdir(), `stratus-flow-${process.pid}.mmd`);
  await mmd.saveAs(file);
  const text_ = await readFile(file, "utf8");
  assert.match(text_, /^architecture-beta\n/);
  assert.match(text_, /topic_orders:R --> L:queue_shipping/);
  const [log] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-log").click()]);
  await log.saveAs(file + ".json");
  const entries = JSON.parse(await readFile(file + ".json", "utf8"));
  assert.ok(entries.length > 20 && entries.every((e) => typeof e.code === "string" && typeof e.text === "string"));
  assert.deepEqual(problems, []);
  await context.close();
});
