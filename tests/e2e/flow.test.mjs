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
  // The base drawing and the live layer over it.
  assert.equal(await page.getByTestId("flow-diagram").locator("svg.flow-diagram").count(), 2);
  assert.equal(await page.getByTestId("flow-diagram").locator("svg.flow-live").count(), 1);
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

test("build from an empty account: create, wire, script and run; a refusal names the problem and keeps what was typed", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + link({ template: "empty" }));
  const create = async (kind, name) => {
    await page.getByTestId("flow-create-kind").selectOption(kind);
    await page.getByTestId("flow-create-name").fill(name);
    await page.getByTestId("flow-create-submit").click();
    await page.waitForFunction((n) => document.querySelector('[data-testid="flow-edit-message"]')?.textContent.includes(n), name);
  };
  await create("queue", "orders");
  await create("queue", "orders-dlq");
  await create("function", "worker");
  assert.equal(await text(page, "flow-edit-message"), "Created function worker.");
  // A queue name with a space is refused with SQS's rule; the name stays in the field.
  assert.equal(await page.getByTestId("flow-create-name").inputValue(), "", "emptied once created");
  await page.getByTestId("flow-create-kind").selectOption("queue");
  await page.getByTestId("flow-create-name").fill("new orders");
  await page.getByTestId("flow-create-submit").click();
  assert.match(await text(page, "flow-edit-message"), /Refused: Queue new orders: .*contains “ ”/);
  assert.equal(await text(page, "flow-edit-operation"), "CreateQueue was refused; nothing changed.");
  assert.equal(await page.getByTestId("flow-create-name").inputValue(), "new orders");

  // The function: a refused memory size, then a failing step for the poison message.
  await page.getByTestId("build-pick-function-worker").click();
  await page.getByTestId("function-memory").fill("64");
  await page.getByTestId("function-save").click();
  assert.match(await text(page, "flow-edit-message"), /MemorySize is 64 MB; it must be from 128 to 10240/);
  assert.equal(await page.getByTestId("function-memory").inputValue(), "64");
  await page.getByTestId("function-memory").fill("256");
  await page.getByTestId("function-save").click();
  assert.equal(await text(page, "flow-edit-message"), "Updated function worker.");
  await page.getByTestId("step-kind").selectOption("fail");
  await page.getByTestId("step-when").selectOption("field");
  await page.getByTestId("step-value").fill("poison");
  await page.getByTestId("step-text").fill("cannot parse {{Records.0.messageId}}");
  await page.getByTestId("step-submit").click();
  assert.match(await text(page, "step-1"), /Fail when Records\.0\.body is “poison” with Error/);

  // The queue: its DLQ after 3 receives, and the function polling it one message at a time.
  await page.getByTestId("build-pick-queue-orders").click();
  await page.getByTestId("queue-dlq").selectOption("orders-dlq");
  await page.getByTestId("queue-save").click();
  assert.equal(await text(page, "flow-edit-message"), "Set the attributes of queue orders.");
  await page.getByTestId("mapping-new-submit").click();
  assert.equal(await text(page, "flow-edit-message"), "Mapped queue orders to function worker. Granted role worker-role sqs:DeleteMessage, sqs:GetQueueAttributes, sqs:ReceiveMessage on queue orders.");
  await page.getByTestId("mapping-0-batch").fill("1");
  await page.getByTestId("mapping-0-save").click();
  assert.equal(await text(page, "flow-edit-message"), "Updated the mapping of orders to worker.");
  // Lambda's check: a function may not run longer than the queue hides a message.
  await page.getByTestId("build-pick-function-worker").click();
  await page.getByTestId("function-timeout").fill("60");
  await page.getByTestId("function-save").click();
  assert.match(await text(page, "flow-edit-message"), /Note: queue orders hides a received message for 30 s but worker may run for 60 s/);
  // … but a mapping created or updated now is refused, as Lambda does.
  await page.getByTestId("build-pick-queue-orders").click();
  await page.getByTestId("mapping-0-save").click();
  assert.match(await text(page, "flow-edit-message"), /Refused: Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds/);
  assert.equal(await text(page, "flow-edit-operation"), "UpdateEventSourceMapping was refused; nothing changed.");
  await page.getByTestId("undo").click();

  // The script: the poison message at 1 s, and a run long enough for three receives.
  await page.getByTestId("build-pick-scenario").click();
  await page.getByTestId("action-target").selectOption("orders");
  await page.getByTestId("action-text").fill("poison");
  await page.getByTestId("action-at").fill("1");
  await page.getByTestId("action-submit").click();
  assert.equal(await text(page, "flow-edit-message"), "Added at 1 s: SendMessage to orders: “poison”.");
  await page.getByTestId("run-length").fill("150");
  await page.getByTestId("run-save").click();
  assert.match(await text(page, "flow-time"), /of 150\.0 s$/);
  // The diagram draws the wiring made here.
  for (const kind of ["mapping", "redrive", "action"]) {
    assert.equal(await page.locator(`[data-testid="flow-diagram"] path.edge.${kind}`).count(), 1, kind);
  }
  await page.getByTestId("scrub").fill("150000");
  await page.getByTestId("scrub").dispatchEvent("change");
  assert.equal(await text(page, "counter-queue-orders-dlq-visible"), "1 visible");
  assert.equal(await text(page, "counter-queue-orders-dlq-moved-in"), "1 moved in");
  // The DLQ picked: its lines include the move (the whole log has more than 150 lines by now).
  await page.getByTestId("build-pick-queue-orders-dlq").click();
  const moved = page.locator('[data-testid="log-line"][data-code="SQS_MOVED_TO_DLQ"]');
  assert.match(await moved.innerText(), /receive 4 after maxReceiveCount 3/);
  // Its time shows that moment in the diagram, the redrive edge picked out.
  await moved.getByTestId("log-show").click();
  assert.match(await text(page, "flow-time"), /^9\d\.\d s of 150\.0 s$/);
  assert.equal(await page.locator('[data-testid="flow-diagram"] path.lit.redrive').count(), 1);
  assert.equal(await page.locator('li.log-line.lit[aria-current="true"]').count(), 1);
  await screenshot(page, "flow-build");

  // The link holds the built scenario: a new tab shows the same run.
  await page.waitForFunction(() => location.hash.includes("time_ms"));
  const url = page.url();
  const second = await context.newPage();
  await gotoReady(second, url);
  assert.equal(await second.getByTestId("counter-queue-orders-dlq-visible").first().innerText(), "1 visible");
  assert.match(await second.getByTestId("flow-description").innerText(), /^Edited\. Started from: Nothing yet/);

  // Deleting the DLQ (still picked) takes its redrive policy; undo brings both back.
  assert.equal(await page.getByTestId("build-pick-queue-orders-dlq").getAttribute("aria-pressed"), "true");
  await page.getByTestId("delete-resource").click();
  assert.equal(await text(page, "flow-edit-message"), "Deleted queue orders-dlq, and with it what named it (AWS would leave that in place, failing): 1 redrive policy.");
  assert.equal(await page.locator('[data-testid="flow-diagram"] path.edge.redrive').count(), 0);
  await page.getByTestId("undo").click();
  assert.equal(await page.locator('[data-testid="flow-diagram"] path.edge.redrive').count(), 1);

  // The JSON editor names the line of a mistake and keeps the text.
  await page.getByTestId("flow-json-toggle").click();
  await page.getByTestId("flow-json").fill('{\n  "queues": 3\n}');
  await page.getByTestId("flow-json-apply").click();
  assert.match(await page.locator('.json-editor [data-testid="form-error"]').innerText(), /^Line 2, column \d+: invalid type: integer `3`, expected a sequence/);
  assert.equal(await page.getByTestId("flow-json").inputValue(), '{\n  "queues": 3\n}');
  assert.deepEqual(problems, []);
  await context.close();
});

test("an SNS filter policy made on the page decides what a subscriber gets", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + link({ template: "fanout", time_ms: 0 }));
  await page.getByTestId("build-pick-topic-orders").click();
  // billing is subscribed already; unsubscribe it, then subscribe it with a numeric filter.
  const subs = await page.locator('[data-testid^="subscription-"][data-testid$="-remove"]').count();
  assert.ok(subs >= 3);
  await page.getByTestId("subscription-0-remove").click();
  assert.match(await text(page, "flow-edit-message"), /^Unsubscribed queue billing from topic orders\.$/);
  await page.getByTestId("subscribe-endpoint").selectOption("queue billing");
  await page.getByTestId("subscribe-policy").fill('{"type": "order"}');
  await page.getByTestId("subscribe-submit").click();
  // SNS's rule: a policy's values are in arrays.
  assert.match(await text(page, "flow-edit-message"), /Refused: Subscription of billing to orders: /);
  await page.getByTestId("subscribe-policy").fill('{"type": ["refund"]}');
  await page.getByTestId("subscribe-submit").click();
  assert.equal(await text(page, "flow-edit-message"), "Subscribed queue billing to topic orders. Granted sns.amazonaws.com sqs:SendMessage in the policy of queue billing.");
  await page.getByTestId("scrub").fill("20000");
  await page.getByTestId("scrub").dispatchEvent("change");
  assert.equal(await page.locator('[data-testid="log-line"][data-code="SNS_FILTERED_OUT"]').filter({ hasText: "billing" }).count() > 0, true);
  await screenshot(page, "flow-build-topic");
  assert.deepEqual(problems, []);
  await context.close();
});

sweep(env, link({ template: "stream", time_ms: 30000 }), "flow-stream", "a table's stream blocked by a bad record, with the table viewer", async (page) => {
  assert.equal(await page.locator('[data-testid="flow-diagram"] g[data-node="table orders"]').count(), 1);
  assert.equal(await page.locator('[data-testid="flow-diagram"] path.edge.stream').count(), 1);
  // By 30 s the seven orders are written; o-bad blocks the three behind it.
  assert.match(await text(page, "flow-table-orders-totals"), /^7 items · 0 reads \(0 RRU\) · 7 writes \(7 WRU\)$/);
  assert.equal(await page.locator('[data-testid="flow-table-orders-items"] tbody tr').count(), 7);
  const retry = page.locator('[data-testid="log-line"][data-code="STREAM_RETRY"]').first();
  assert.match(await retry.innerText(), /the shard is blocked: 3 later records wait behind/);
  assert.match(await text(page, "counter-table-orders-stream-retries"), /stream retries$/);
  assert.equal(await text(page, "counter-queue-email-enqueued"), "3 enqueued");
});

test("DynamoDB built on the page: a table, a conditional write that fails the run, the viewer, a stream mapping", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + link({ template: "empty" }));
  const said = async (pattern) => {
    await page.waitForFunction((p) => new RegExp(p).test(document.querySelector('[data-testid="flow-edit-message"]')?.textContent ?? ""), pattern.source);
    return text(page, "flow-edit-message");
  };
  await page.getByTestId("flow-create-kind").selectOption("table");
  await page.getByTestId("flow-create-name").fill("orders");
  await page.getByTestId("flow-create-pk").fill("id");
  await page.getByTestId("flow-create-submit").click();
  assert.equal(await said(/Created table/), "Created table orders (partition key id (S), on-demand).");
  await page.getByTestId("flow-create-kind").selectOption("function");
  await page.getByTestId("flow-create-name").fill("writer");
  await page.getByTestId("flow-create-submit").click();
  await said(/Created function writer/);
  // A put only if the order is new.
  await page.getByTestId("build-pick-function-writer").click();
  await page.getByTestId("step-kind").selectOption("dynamodb");
  await page.getByTestId("step-ddb-item").fill('{"id": "{{order}}"');
  await page.getByTestId("step-submit").click();
  assert.match(await said(/Refused/), /Item is not a valid item/);
  assert.equal(await page.getByTestId("step-ddb-item").inputValue(), '{"id": "{{order}}"', "the text stays");
  await page.getByTestId("step-ddb-item").fill('{"id": "{{order}}", "qty": 2}');
  await page.getByTestId("step-ddb-condition").fill("attribute_not_exists(id)");
  await page.getByTestId("step-submit").click();
  assert.match(await said(/Added a step/), /PutItem orders \{"id": "\{\{order\}\}", "qty": 2\} if attribute_not_exists\(id\)/);
  // The script invokes it twice with the same order.
  await page.getByTestId("build-pick-scenario").click();
  await page.getByTestId("action-kind").selectOption("invoke");
  await page.getByTestId("action-text").fill('{"order": "o-1"}');
  await page.getByTestId("action-count").fill("2");
  await page.getByTestId("action-every").fill("2");
  await page.getByTestId("action-submit").click();
  await said(/Added 2 actions/);
  const error = page.locator('[data-testid="log-line"][data-code="LAMBDA_ERROR"]');
  await page.getByTestId("scrub").fill("10000");
  await page.getByTestId("scrub").dispatchEvent("change");
  assert.equal(await error.count(), 1);
  assert.match(await error.innerText(), /failed: ConditionalCheckFailedException: The conditional request failed/);
  assert.match(await text(page, "flow-table-orders-totals"), /^1 item · 0 reads \(0 RRU\) · 1 write, 1 refused by its condition \(2 WRU\)$/);
  assert.match(await text(page, "flow-table-orders-calls"), /PutItem ConditionalCheckFailedException: 1 WRU/);
  assert.equal(await page.locator('[data-testid="flow-table-orders-items"] td').first().innerText(), "o-1");
  // The table's stream, and a mapping whose settings AWS would refuse.
  await page.getByTestId("build-pick-table-orders").click();
  await page.getByTestId("table-stream").selectOption("NEW_IMAGE");
  await page.getByTestId("table-save").click();
  assert.match(await said(/Updated table/), /stream NEW_IMAGE/);
  await page.getByTestId("stream-new-submit").click();
  assert.equal(await said(/Mapped the stream/), "Mapped the stream of table orders to function writer. Granted role writer-role dynamodb:ListStreams on *; role writer-role dynamodb:DescribeStream, dynamodb:GetRecords, dynamodb:GetShardIterator on the stream of table orders.");
  await page.getByTestId("stream-0-age").fill("10");
  await page.getByTestId("stream-0-save").click();
  assert.match(await said(/Refused/), /MaximumRecordAgeInSeconds must be -1/);
  assert.equal(await text(page, "flow-edit-operation"), "UpdateEventSourceMapping was refused; nothing changed.");
  await screenshot(page, "flow-dynamodb-build");
  assert.deepEqual(problems, []);
  await context.close();
});

sweep(env, link({ template: "api", time_ms: 40000 }), "flow-api", "the course's API → Lambda → DynamoDB app: its answers and the request list", async (page) => {
  assert.equal(await page.locator('[data-testid="flow-diagram"] g[data-node="api orders-api"]').count(), 1);
  assert.equal(await page.locator('[data-testid="flow-diagram"] path.edge.integration').count(), 3);
  const statuses = await page.locator('[data-testid="flow-api-calls"] tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.status));
  // Newest first.
  assert.deepEqual(statuses, ["504", "403", "404", "200", "409", "201"]);
  assert.equal(await text(page, "flow-api-summary"), "6 requests sent by 40.0 s, 6 answered. Newest first.");
  assert.equal(await text(page, "counter-api-orders-api-4xx"), "3 4xx");
  const late = page.locator('[data-testid="log-line"][data-code="APIGW_LATE_RESULT"]');
  assert.equal(await late.count(), 1);
});

test("the API console sends one request at the playhead and shows its response", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + link({ template: "api", time_ms: 10000 }));
  await page.getByTestId("console-method").selectOption("GET");
  await page.getByTestId("console-path").fill("/orders/o-1");
  await page.getByTestId("console-send").click();
  await page.waitForFunction(() => document.querySelector('[data-testid="flow-edit-message"]')?.textContent.startsWith("Added at 10 s"));
  assert.match(await text(page, "flow-edit-message"), /GET \/orders\/o-1 to API orders-api/);
  await page.getByTestId("scrub").fill("11000");
  await page.getByTestId("scrub").dispatchEvent("change");
  const row = page.locator('[data-testid="flow-api-calls"] tbody tr').first();
  assert.equal(await row.getAttribute("data-status"), "200");
  assert.match(await row.innerText(), /GET \/orders\/o-1\s+200\s+10 ms\s+\{"id":"o-1","total":20\}/);
  // The load at 50 s meets the stage's 20 a second (burst 40).
  await page.getByTestId("scrub").fill("52000");
  await page.getByTestId("scrub").dispatchEvent("change");
  const statuses = await page.locator('[data-testid="flow-api-calls"] tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.status));
  assert.ok(statuses.includes("429") && statuses.includes("200"), statuses.join(","));
  // A route on the page: the editor adds it through PutRestApi.
  await page.getByTestId("build-pick-api-orders-api").click();
  await page.getByTestId("route-method").selectOption("DELETE");
  await page.getByTestId("route-path").fill("/orders/{id}/{x+}/y");
  await page.getByTestId("route-submit").click();
  assert.match(await text(page, "flow-edit-message"), /Refused: .*greedy/);
  await screenshot(page, "flow-api-console");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the cost of a run, line by line, and scaled to a month", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + link({ template: "orders", time_ms: 20000 }));
  assert.equal(await text(page, "flow-cost-scale"), "this run, 20 s");
  const lines = await page.getByTestId("flow-cost-lines").innerText();
  assert.match(lines, /Lambda\s+requests/);
  assert.match(lines, /DynamoDB\s+orders: write request units/);
  assert.match(lines, /SQS\s+standard queue requests/);
  const run = await text(page, "flow-cost-total");
  await page.getByTestId("flow-cost-month").check();
  assert.equal(await text(page, "flow-cost-scale"), "this run lasts 20 s; at this rate for 730 h: × 131,400");
  assert.notEqual(await text(page, "flow-cost-total"), run);
  // Each line shows its math.
  await page.locator('[data-testid="flow-cost-line-0"] summary').click();
  assert.match(await page.getByTestId("flow-cost-line-0").innerText(), /invocations: 525,600 × \$0\.2 per 1,000,000/);
  await screenshot(page, "flow-cost");
  assert.deepEqual(problems, []);
  await context.close();
});

sweep(env, link({ template: "denied", time_ms: 10000 }), "flow-iam", "the lab: a missing permission denied with AWS's message, its reason and a link to the IAM page", async (page) => {
  assert.equal(await text(page, "flow-denial-0-decision"), "ImplicitDeny");
  assert.equal(await text(page, "flow-denial-0-action"), "dynamodb:GetItem");
  assert.match(await text(page, "flow-denial-0-message"), /^AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role\/get-order-role\/get-order is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:111122223333:table\/orders because no identity-based policy allows the dynamodb:GetItem action$/);
  assert.match(await text(page, "flow-denial-0-reason"), /^Why: /);
  assert.match(await page.getByTestId("flow-denial-0-iam").getAttribute("href"), /^#\/iam\?v=1&s=/);
  assert.match(await text(page, "counter-table-orders-denied"), /^\d+ denied$/);
});

test("a denial opens on the IAM page, and fixing the role's policy under Permissions ends the denials", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + link({ template: "denied", time_ms: 10000 }));
  // Fix the role: the policy grants Query where GetItem is needed.
  await page.getByTestId("iam-identity-get-order-role").locator("summary").click();
  const policy = page.getByTestId("iam-policy-get-order-role-0");
  const fixed = (await policy.inputValue()).replace("dynamodb:Query", "dynamodb:GetItem");
  await policy.fill(fixed);
  await page.getByTestId("iam-policy-get-order-role-0-save").click();
  await page.waitForFunction(() => /Put policy get-order-access on get-order-role/.test(document.querySelector('[data-testid="flow-iam-message"]')?.textContent ?? ""));
  assert.equal(await page.getByTestId("flow-denials").count(), 0, "no call is denied any more");
  // A broken policy is refused with the parser's message, and the text stays.
  await policy.fill('{"Version": "2012-10-17", "Statement": [');
  await page.getByTestId("iam-policy-get-order-role-0-save").click();
  await page.waitForFunction(() => /Refused/.test(document.querySelector('[data-testid="flow-iam-message"]')?.textContent ?? ""));
  assert.match(await text(page, "flow-iam-message"), /get-order-access/);
  assert.equal(await policy.inputValue(), '{"Version": "2012-10-17", "Statement": [');
  // Back to the lab; its first denial opens on the IAM page with the same decision.
  await gotoReady(page, env.server.url + link({ template: "denied", time_ms: 10000 }));
  const href = await page.getByTestId("flow-denial-0-iam").getAttribute("href");
  await gotoReady(page, env.server.url + href);
  await page.getByTestId("decision").waitFor();
  assert.equal(await text(page, "decision"), "ImplicitDeny");
  await screenshot(page, "flow-denial-on-iam");
  assert.deepEqual(problems, []);
  await context.close();
});

sweep(env, link({ template: "checkout", time_ms: 10000 }), "flow-transactions", "transactions and batches: a cancelled checkout changes nothing, UnprocessedItems from a 1 WCU table", async (page) => {
  for (const t of ["stock", "orders", "clicks"]) {
    assert.equal(await page.locator(`[data-testid="flow-diagram"] g[data-node="table ${t}"]`).count(), 1, t);
    assert.equal(await page.locator(`[data-testid="flow-diagram"] path.edge.action[data-to="table ${t}"]`).count(), 1, t);
  }
  // Two orders committed at 2 WRU each; the two cancelled checkouts still paid their prepare phase.
  assert.equal(await text(page, "flow-table-orders-totals"), "2 items · 1 read (2 RRU) · 2 writes (6 WRU)");
  assert.match(await text(page, "flow-table-orders-calls"), /TransactWriteItems TransactionCanceledException: 1 WRU — .*the prepare phase only/);
  assert.equal(await text(page, "counter-table-orders-cancelled-transactions"), "2 cancelled transactions");
  // The repeated o-1 (at 2 s) failed on the order, not on the stock; each table's line says which entry.
  const cancelled = page.locator('[data-testid="log-line"][data-code="DYNAMODB_TRANSACTION_CANCELED"]', { hasText: "[None, ConditionalCheckFailed]" });
  assert.equal(await cancelled.count(), 2);
  assert.match(await cancelled.filter({ hasText: "table orders" }).innerText(), /In this table: entry 2 ConditionalCheckFailed/);
  assert.match(await cancelled.filter({ hasText: "table stock" }).innerText(), /In this table: nothing failed, yet nothing was changed/);
  // 25 clicks against 1 WCU a second: 7 written by 6 s, 18 returned.
  assert.equal(await text(page, "flow-table-clicks-totals"), "7 items · 0 reads (0 RCU) · 1 write (7 WCU)");
  assert.match(await text(page, "flow-table-clicks-calls"), /BatchWriteItem left in UnprocessedItems: nothing consumed/);
  assert.equal(await text(page, "counter-table-clicks-partial-batches"), "1 partial batch");
  const left = page.locator('[data-testid="log-line"][data-code="DYNAMODB_UNPROCESSED"]');
  assert.match(await left.innerText(), /BatchWriteItem left 18 requests unprocessed/);
});

test("a transaction written on the page from the example, and a malformed one refused with its text kept", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + link({ template: "empty" }));
  const said = async (pattern) => {
    await page.waitForFunction((p) => new RegExp(p).test(document.querySelector('[data-testid="flow-edit-message"]')?.textContent ?? ""), pattern.source);
    return text(page, "flow-edit-message");
  };
  await page.getByTestId("flow-create-kind").selectOption("table");
  await page.getByTestId("flow-create-name").fill("orders");
  await page.getByTestId("flow-create-pk").fill("id");
  await page.getByTestId("flow-create-submit").click();
  await said(/Created table/);
  await page.getByTestId("build-pick-scenario").click();
  await page.getByTestId("action-kind").selectOption("dynamodb");
  await page.getByTestId("action-ddb-operation").selectOption("TransactWriteItems");
  assert.equal(await page.getByTestId("action-ddb-table").count(), 0, "each action names its own table");
  await page.getByTestId("action-ddb-item").fill('[{"Put": {"TableName": "orders"}}]');
  await page.getByTestId("action-submit").click();
  assert.match(await said(/Refused/), /Put: the Item is missing/);
  assert.equal(await page.getByTestId("action-ddb-item").inputValue(), '[{"Put": {"TableName": "orders"}}]', "the text stays");
  await page.getByTestId("action-ddb-use-example").click();
  assert.match(await page.getByTestId("action-ddb-item").inputValue(), /^\[\{"Put": \{"TableName": "orders"/);
  await page.getByTestId("action-submit").click();
  assert.match(await said(/Added at/), /TransactWriteItems orders: 1 put, 1 update/);
  await page.getByTestId("scrub").fill("1000");
  await page.getByTestId("scrub").dispatchEvent("change");
  assert.equal(await text(page, "flow-table-orders-totals"), "2 items · 0 reads (0 RRU) · 1 write (4 WRU)");
  await screenshot(page, "flow-transaction-build");
  assert.deepEqual(problems, []);
  await context.close();
});
