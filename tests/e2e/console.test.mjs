// End-to-end tests of the aws console page (#/console): typing, history, completion, the
// instance shell and the metadata service, at both widths and in both themes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useAppServer, openPage, gotoReady, screenshot, sweep, DIST, PHONE } from "./browser.mjs";

const env = useAppServer(DIST);
const text = (page, id) => page.getByTestId(id).first().innerText();

/** Types a line into the console and presses Enter; returns the new entry's output. */
async function run(page, line) {
  const before = await page.getByTestId("console-entry").count();
  const input = page.getByTestId("console-input");
  await input.fill(line);
  await input.press("Enter");
  await page.getByTestId("console-entry").nth(before).waitFor();
  const entry = page.getByTestId("console-entry").nth(before);
  const out = entry.getByTestId("console-stdout");
  const err = entry.getByTestId("console-stderr");
  return {
    stdout: (await out.count()) ? await out.innerText() : "",
    stderr: (await err.count()) ? await err.innerText() : "",
  };
}

/** Follows the navigation link `label` to another tool's module and waits until it runs. */
async function openTool(page, label, module) {
  await page.locator('nav[aria-label="Tools"] a', { hasText: label }).click();
  await page.waitForFunction((m) => document.documentElement.dataset.module === m && document.documentElement.dataset.ready === "true", module);
}

sweep(env, "#/console", "console", "a session: identity, a launch, a table", async (page) => {
  assert.match((await run(page, "aws sts get-caller-identity --query Arn --output text")).stdout, /arn:aws:iam::111122223333:user\/student/);
  await run(page, "aws ec2 run-instances --image-id ami-0a3c3a20c09d6f377 --instance-type t3.micro --subnet-id subnet-public-a --query 'Instances[0].InstanceId' --output text");
  await run(page, "aws ec2 wait instance-running --filters Name=instance-state-name,Values=pending,running");
  const table = (await run(page, "aws ec2 describe-instances --query 'Reservations[].Instances[].[InstanceId,State.Name]' --output table")).stdout;
  assert.match(table, /\|\s+DescribeInstances\s+\|/);
  assert.equal(await page.getByTestId("console-instance").count(), 2);
  assert.equal(await page.getByTestId("console-instance-state").nth(1).innerText(), "running (16)");
});

test("history, completion and a share link that replays the session", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/console");
  const input = page.getByTestId("console-input");
  await input.fill("aws ec2 describe-i");
  await input.press("Tab");
  assert.match(await page.getByTestId("console-hint").innerText(), /describe-images\s+describe-instance-types\s+describe-instances/);
  assert.equal(await input.inputValue(), "aws ec2 describe-i");
  await input.fill("aws ec2 describe-instances --out");
  await input.press("Tab");
  assert.equal(await input.inputValue(), "aws ec2 describe-instances --output ");
  await input.fill("");
  await run(page, "echo first");
  await run(page, "echo second");
  await input.press("ArrowUp");
  assert.equal(await input.inputValue(), "echo second");
  await input.press("ArrowUp");
  assert.equal(await input.inputValue(), "echo first");
  await input.press("ArrowDown");
  await input.press("ArrowDown");
  assert.equal(await input.inputValue(), "");
  // A failing call: the CLI's message and exit code.
  const bad = await run(page, "aws ec2 describe-instances --instance-ids i-0123456789abcdef0");
  assert.equal(bad.stderr.trim(), "An error occurred (InvalidInstanceID.NotFound) when calling the DescribeInstances operation: The instance ID 'i-0123456789abcdef0' does not exist");
  assert.equal(await page.getByTestId("console-exit").last().innerText(), "exit code 254");
  // The URL holds the lines (written after a pause in typing: wait for the last one);
  // opening it elsewhere replays them.
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes("i-0123456789abcdef0"));
  const url = page.url();
  const other = await context.newPage();
  await other.goto(url);
  await other.getByTestId("console-entry").nth(2).waitFor();
  assert.equal(await other.getByTestId("console-command").nth(1).innerText(), "echo second");
  assert.equal(await other.getByTestId("console-clock").innerText(), await page.getByTestId("console-clock").innerText());
  assert.deepEqual(problems, []);
  await context.close();
});

test("connect to an instance and read its metadata with IMDSv2 (phone, dark)", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin, { viewport: PHONE, colorScheme: "dark" });
  await gotoReady(page, env.server.url + "#/console");
  const id = (await run(page, "aws ec2 run-instances --image-id ami-0a3c3a20c09d6f377 --instance-type t3.micro --subnet-id subnet-public-a --query 'Instances[0].InstanceId' --output text")).stdout.trim();
  assert.match(id, /^i-0[0-9a-f]{16}$/);
  const closed = await run(page, `aws ec2-instance-connect ssh --instance-id ${id}`);
  assert.match(closed.stderr, /port 22: Connection timed out/);
  await run(page, "aws ec2 authorize-security-group-ingress --group-id sg-default-main --protocol tcp --port 22 --cidr 0.0.0.0/0");
  assert.match((await run(page, `aws ec2-instance-connect ssh --instance-id ${id}`)).stdout, /Connected to/);
  assert.match(await page.getByTestId("console-prompt").innerText(), /^\[ec2-user@ip-10-0-1-4 ~\]\$$/);
  const v1 = await run(page, "curl -s -w ' %{http_code}' http://169.254.169.254/latest/meta-data/instance-id");
  assert.match(v1.stdout, /401$/);
  const v2 = await run(page, 'TOKEN=$(curl -s -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 21600") && curl -s -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/instance-id');
  assert.equal(v2.stdout, id);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `overflows by ${overflow}px`);
  await screenshot(page, "console-instance-phone-dark");
  assert.deepEqual(problems, []);
  await context.close();
});

sweep(env, "#/console", "console-serverless", "an upload typed in the console invokes the bucket's function", async (page) => {
  assert.equal(await page.getByTestId("console-events-empty").count(), 1);
  assert.match(await page.getByTestId("console-resources").innerText(), /bucket photos\s+0 objects/);
  await run(page, "echo meow > cat.jpg");
  const up = await run(page, "aws s3 cp cat.jpg s3://photos/uploads/");
  assert.equal(up.stdout.trim(), "upload: cat.jpg to s3://photos/uploads/cat.jpg");
  // The labeler ran (850 ms) before the next line and stored its labels.
  const ls = await run(page, "aws s3 ls s3://photos --recursive");
  assert.match(ls.stdout, /labels\/uploads\/cat\.jpg\.json/);
  assert.match(await page.getByTestId("console-resources").innerText(), /function labeler\s+1 invocation/);
  const codes = await page.getByTestId("console-event").evaluateAll((els) => els.map((e) => e.dataset.code));
  assert.ok(codes.includes("LAMBDA_START") && codes.includes("S3_PUT_OBJECT"), codes.join(" "));
  const q = await run(page, "aws sqs create-queue --queue-name jobs --query QueueUrl --output text");
  assert.equal(q.stdout.trim(), "https://sqs.us-east-1.amazonaws.com/111122223333/jobs");
  await run(page, "aws sqs send-message --queue-url https://sqs.us-east-1.amazonaws.com/111122223333/jobs --message-body hello");
  assert.match(await page.getByTestId("console-resources").innerText(), /queue jobs\s+1 visible · 0 in flight · 0 delayed/);
});

test("a presigned URL downloads the object until it expires (phone)", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin, { viewport: PHONE });
  await gotoReady(page, env.server.url + "#/console");
  await page.getByTestId("console-serverless").selectOption("photo");
  await run(page, "echo meow > cat.txt");
  await run(page, "aws s3 cp cat.txt s3://photos/uploads/cat.txt");
  const url = (await run(page, "aws s3 presign s3://photos/uploads/cat.txt --expires-in 60")).stdout.trim();
  assert.match(url, /^https:\/\/photos\.s3\.amazonaws\.com\/uploads\/cat\.txt\?X-Amz-Algorithm=AWS4-HMAC-SHA256&.*&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=[0-9a-f]{64}$/);
  assert.equal((await run(page, `curl -s '${url}'`)).stdout.trim(), "meow");
  await run(page, "sleep 61");
  const late = (await run(page, `curl -s '${url}'`)).stdout;
  assert.match(late, /<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
  // The long URL wraps inside the terminal: nothing overflows sideways.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `overflows by ${overflow}px`);
  await screenshot(page, "console-presign-phone");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the VPC builder and the flow page open the console on their own resources", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/vpc");
  await page.getByTestId("template").selectOption("nat");
  await page.getByTestId("vpc-open-console").click();
  await page.waitForFunction(() => document.documentElement.dataset.module === "console" && document.documentElement.dataset.ready === "true");
  assert.match(await page.getByTestId("console-template").innerText(), /The VPC builder's design/);
  const subnets = await run(page, "aws ec2 describe-subnets --query 'Subnets[].SubnetId' --output text");
  assert.match(subnets.stdout, /subnet-private-a/);
  await gotoReady(page, env.server.url + "#/flow");
  await page.getByTestId("flow-template").selectOption("dlq");
  await page.getByTestId("flow-open-console").click();
  await page.waitForFunction(() => document.documentElement.dataset.module === "console" && document.documentElement.dataset.ready === "true");
  await page.getByTestId("console-input").waitFor();
  const queues = await run(page, "aws sqs list-queues --output text");
  assert.match(queues.stdout, /orders-dlq/);
  // In the sandbox the flow page's resources are the account's: the console starts on them.
  assert.match(await page.getByTestId("console-serverless").locator("option:checked").innerText(), /The sandbox account's resources/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("in a sandbox the console and the VPC builder act on one network", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/console");
  const id = (await run(page, "aws ec2 run-instances --image-id ami-0a3c3a20c09d6f377 --instance-type t3.micro --subnet-id subnet-public-a --query 'Instances[0].InstanceId' --output text")).stdout.trim();
  await page.getByTestId("console-shared").waitFor();
  // The URL now holds the session with the network as it is (the Back button returns to it).
  await page.waitForFunction(() => location.hash.includes("s="));
  // The instance launched here is in the VPC builder's design.
  await openTool(page, "VPC", "vpc");
  await page.locator(`[data-testid="vpc-diagram"] g[data-id="${id}"]`).waitFor();
  assert.equal(await page.getByTestId("to").locator(`option[value="${id}"]`).count(), 1);
  // A subnet made in the VPC builder is in the console's account, with a note of the change.
  await page.getByTestId("create-kind").selectOption("subnet");
  await page.getByTestId("create-name").fill("public b");
  await page.getByTestId("create-b").selectOption("us-east-1b");
  await page.getByTestId("create-text").fill("10.0.2.0/24");
  await page.getByTestId("create-submit").click();
  assert.equal(await text(page, "edit-message"), "Applied.");
  assert.equal(await page.getByTestId("vpc-open-console").getAttribute("href"), "#/console");
  // Back to the console's own earlier URL: it resumes from the sandbox, not from the older
  // network that URL holds.
  await page.goBack();
  await page.waitForFunction(() => document.documentElement.dataset.module === "console" && document.documentElement.dataset.ready === "true");
  assert.match(await page.getByTestId("console-note").innerText(), /The account's network changed in the VPC builder: added subnet-\d+/);
  assert.equal(await page.getByTestId("console-command").first().innerText(), "aws ec2 run-instances --image-id ami-0a3c3a20c09d6f377 --instance-type t3.micro --subnet-id subnet-public-a --query 'Instances[0].InstanceId' --output text");
  const cidrs = await run(page, "aws ec2 describe-subnets --query 'Subnets[].CidrBlock' --output text");
  assert.match(cidrs.stdout, /10\.0\.2\.0\/24/);
  // The console's machine kept its state through the VPC builder's edit: still booting (an
  // instance new to the console would be a running machine), then running.
  const state = page.locator(`[data-testid="console-instance"][data-instance="${id}"] [data-testid="console-instance-state"]`);
  assert.equal(await state.innerText(), "pending (0)");
  await run(page, "sleep 60");
  assert.equal(await state.innerText(), "running (16)");
  await screenshot(page, "console-shared-network");
  assert.deepEqual(problems, []);
  await context.close();
});

test("in a sandbox the console and the flow page act on one set of serverless resources", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/flow");
  await page.getByTestId("flow-template").selectOption("dlq");
  assert.equal(await page.getByTestId("flow-open-console").getAttribute("href"), "#/console");
  // Saved (the URL first, then the sandbox as the page switches modules), the template's
  // resources are the account's: the console starts on them, not on its own default.
  await page.waitForFunction(() => location.hash.includes("s="));
  await openTool(page, "Console", "console");
  await page.getByTestId("console-input").waitFor();
  assert.match(await page.getByTestId("console-serverless").locator("option:checked").innerText(), /The sandbox account's resources/);
  assert.match((await run(page, "aws sqs list-queues --output text")).stdout, /orders-dlq/);
  await run(page, "aws sqs create-queue --queue-name jobs");
  await run(page, "aws sqs send-message --queue-url https://sqs.us-east-1.amazonaws.com/111122223333/jobs --message-body hello");
  await page.getByTestId("console-shared-serverless").waitFor();
  // The queue made here is in the flow page's diagram, under the dlq scenario's script.
  await openTool(page, "Flow", "flow");
  await page.locator('[data-testid="flow-diagram"] g[data-node="queue jobs"]').waitFor();
  assert.equal(await page.getByTestId("flow-template").inputValue(), "dlq");
  await page.getByTestId("flow-shared").waitFor();
  await screenshot(page, "flow-shared-serverless");
  // A bucket made on the flow page reaches the console, whose queue keeps its message.
  await page.getByTestId("flow-create-kind").selectOption("bucket");
  await page.getByTestId("flow-create-name").fill("reports-2026");
  await page.getByTestId("flow-create-submit").click();
  await page.waitForFunction(() => document.querySelector('[data-testid="flow-edit-message"]')?.textContent.includes("reports-2026"));
  await openTool(page, "Console", "console");
  assert.match(await page.getByTestId("console-note").innerText(), /The account's serverless resources changed on the flow page or the IAM page: added bucket reports-2026/);
  assert.match((await run(page, "aws s3 ls")).stdout, /reports-2026/);
  const body = await run(page, "aws sqs receive-message --queue-url https://sqs.us-east-1.amazonaws.com/111122223333/jobs --query 'Messages[0].Body' --output text");
  assert.equal(body.stdout.trim(), "hello");
  await screenshot(page, "console-shared-serverless");
  // Deleting the dead-letter queue leaves orders naming it: that cannot be made again, so
  // the sandbox keeps what was last shared, and the page says why.
  await run(page, "aws sqs delete-queue --queue-url https://sqs.us-east-1.amazonaws.com/111122223333/orders-dlq");
  assert.match(await page.getByTestId("console-not-shared").innerText(), /cannot be shared with the flow page.*orders-dlq/s);
  assert.deepEqual(problems, []);
  await context.close();
});

test("in a sandbox the IAM page evaluates as the account's roles and saves a fix the flow page and the console use", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/flow");
  await page.getByTestId("flow-template").selectOption("denied");
  await page.getByTestId("flow-denials").waitFor();
  await page.waitForFunction(() => location.hash.includes("s="));
  await openTool(page, "IAM", "iam");
  await page.getByTestId("iam-account").waitFor();
  await page.getByTestId("iam-account-identity").selectOption("get-order-role");
  await page.getByTestId("iam-account-load-identity").click();
  // The request as the lab's function makes it: denied by the role's policy as saved.
  await page.getByTestId("req-action").fill("dynamodb:GetItem");
  await page.getByTestId("req-resource").fill("arn:aws:dynamodb:us-east-1:111122223333:table/orders");
  assert.equal(await page.getByTestId("caller-name").inputValue(), "get-order-role");
  await page.waitForFunction(() => document.querySelector('[data-testid="decision"]')?.textContent.includes("Implicit"));
  const editor = page.getByTestId("policy-identity-0");
  await editor.fill((await editor.inputValue()).replace("dynamodb:Query", "dynamodb:GetItem"));
  await page.waitForFunction(() => document.querySelector('[data-testid="decision"]')?.textContent.includes("Allow"));
  await page.getByTestId("iam-account-save-identity").click();
  assert.match(await page.getByTestId("iam-account-note").innerText(), /Saved to the role get-order-role in the sandbox account/);
  await screenshot(page, "iam-sandbox-account");
  // The console reads the role as saved …
  await openTool(page, "Console", "console");
  await page.getByTestId("console-input").waitFor();
  const action = await run(page, "aws iam get-role-policy --role-name get-order-role --policy-name get-order-access --query 'PolicyDocument.Statement[0].Action' --output text");
  assert.equal(action.stdout.trim(), "dynamodb:GetItem");
  // … and the flow page's lab runs without a denial.
  await openTool(page, "Flow", "flow");
  await page.getByTestId("flow-diagram").waitFor();
  assert.equal(await page.getByTestId("flow-denials").count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the VPC builder's Reset puts its template's network in the account the console shares", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/console");
  const id = (await run(page, "aws ec2 run-instances --image-id ami-0a3c3a20c09d6f377 --instance-type t3.micro --subnet-id subnet-public-a --query 'Instances[0].InstanceId' --output text")).stdout.trim();
  await page.getByTestId("console-shared").waitFor();
  await openTool(page, "VPC", "vpc");
  await page.locator(`[data-testid="vpc-diagram"] g[data-id="${id}"]`).waitFor();
  await page.getByTestId("reset").click();
  await page.locator(`[data-testid="vpc-diagram"] g[data-id="${id}"]`).waitFor({ state: "detached" });
  // Back in the console, the session goes on from the template's network (it used to put
  // its own network back, undoing the Reset).
  await openTool(page, "Console", "console");
  assert.match(await page.getByTestId("console-note").innerText(), new RegExp(`The account's network changed in the VPC builder: removed ${id}`));
  const ids = await run(page, "aws ec2 describe-instances --query 'Reservations[].Instances[].InstanceId' --output text");
  assert.doesNotMatch(ids.stdout, new RegExp(id));
  // And the VPC builder still shows the template's network, not the console's.
  await openTool(page, "VPC", "vpc");
  await page.getByTestId("vpc-diagram").waitFor();
  assert.equal(await page.locator(`[data-testid="vpc-diagram"] g[data-id="${id}"]`).count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the console drawer on the VPC page runs on the design shown (keyboard: Escape closes)", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/vpc");
  await page.getByTestId("template").selectOption("nat");
  await page.getByTestId("console-drawer-open").click();
  // It opens once the browser has deflated the design into the console's link.
  await page.locator("[data-testid=console-drawer-open][aria-expanded=true]").waitFor();
  assert.match(await page.getByTestId("console-drawer-frame").getAttribute("src"), /^#\/embed\/console\?v=1&z=[A-Za-z0-9_-]+&section=terminal$/);
  const frame = page.frameLocator("[data-testid=console-drawer-frame]");
  const input = frame.getByTestId("console-input");
  await input.waitFor();
  await input.fill("aws ec2 describe-subnets --query 'Subnets[].SubnetId' --output text");
  await input.press("Enter");
  await frame.getByTestId("console-stdout").first().waitFor();
  assert.match(await frame.getByTestId("console-stdout").first().innerText(), /subnet-private-a/);
  await screenshot(page, "console-drawer-vpc-desktop-light");
  await page.getByTestId("console-drawer-close").focus();
  await page.keyboard.press("Escape");
  assert.equal(await page.getByTestId("console-drawer").count(), 0);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), "console-drawer-open");
  assert.deepEqual(problems, []);
  await context.close();
});
