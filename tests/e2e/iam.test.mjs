// End-to-end tests of the IAM policy evaluator page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useAppServer, openPage, gotoReady, screenshot, sweep, DIST, PHONE, urlWritten } from "./browser.mjs";

const env = useAppServer(DIST);
const text = (page, id) => page.getByTestId(id).first().innerText();

sweep(env, "#/iam", "iam-full", "the page renders the default scenario with its decision", async (page) => {
  await page.getByTestId("pick-2").click();
  assert.equal(await text(page, "decision"), "ExplicitDeny");
  await page.getByTestId("trace").locator("summary").click();
});

sweep(env, "#/iam", "iam-scp", "an SCP scenario with three levels and an implicit deny", async (page) => {
  await page.getByTestId("scenario-scp-levels").click();
  assert.equal(await text(page, "decision"), "ImplicitDeny");
});

test("a wide screen shows the policies and the decision side by side", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin, { viewport: { width: 1600, height: 1000 } });
  await gotoReady(page, env.server.url + "#/iam?");
  await page.getByTestId("scenario-boundary").click();
  const policies = await page.locator(".iam-policies").boundingBox();
  const requests = await page.locator(".iam-requests").boundingBox();
  assert.ok(requests.x > policies.x + policies.width - 1, "requests beside the policies");
  assert.ok(await page.getByTestId("decision").isVisible());
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `overflows by ${overflow}px`);
  await screenshot(page, "iam-wide-desktop-light");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the three outcomes of one policy, with the deciding statement marked", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/iam");
  // IAM User Guide: Allow iam:Get* + iam:List*, Deny iam:*Report.
  assert.equal(await text(page, "row-decision-0"), "Allow");
  assert.equal(await text(page, "row-decision-1"), "ImplicitDeny");
  assert.equal(await text(page, "row-decision-2"), "ExplicitDeny");
  assert.equal(await text(page, "decision"), "Allow");
  await page.getByTestId("pick-2").click();
  assert.equal(await text(page, "decision"), "ExplicitDeny");
  assert.match(await text(page, "reason"), /Sid NoReports .* denies iam:GetCredentialReport/);
  // The editor marks the deciding statement and says why the other one applies too.
  assert.match(await text(page, "stmt-identity-0-1"), /Deny: decides/);
  assert.match(await text(page, "stmt-identity-0-0"), /Allow: applies/);
  assert.match(await page.getByTestId("flow-0").innerText(), /Identity-based policies[\s\S]*Deny[\s\S]*decides/i);
  // The implicit deny names the layer that had to allow.
  await page.getByTestId("pick-1").click();
  assert.match(await text(page, "reason"), /^ImplicitDeny: no statement/);
  assert.match(await text(page, "stmt-identity-0-0"), /does not apply: iam:CreatePolicy is not in Action/);
  await page.getByTestId("trace").locator("summary").click();
  assert.match(await text(page, "trace-1"), /Sid NoReports[\s\S]*does not apply/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the course notes' four S3 examples decide as the notes say", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/iam");
  for (const [id, want] of [["1", "Allow"], ["2", "ExplicitDeny"], ["3", "Allow"], ["4", "ExplicitDeny"]]) {
    await page.getByTestId(`scenario-course-s3-${id}`).click();
    assert.equal(await text(page, "row-decision-0"), want, `example ${id} read`);
    assert.equal(await text(page, "row-decision-1"), want, `example ${id} write`);
    assert.match(await text(page, "scenario-source"), new RegExp(`Example ${id}`));
  }
  // Example 3: only the bucket policy allows, naming the role.
  await page.getByTestId("scenario-course-s3-3").click();
  assert.match(await text(page, "reason"), /resource-based policy my_bucket policy/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("MFA, a home folder, PassRole: the caller's keys come from the form", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/iam");
  await page.getByTestId("scenario-mfa").click();
  assert.equal(await text(page, "row-decision-0"), "ExplicitDeny");
  await page.getByTestId("caller-mfa").selectOption("yes");
  assert.equal(await text(page, "row-decision-0"), "Allow");
  assert.match(await text(page, "derived-keys"), /aws:MultiFactorAuthPresent = true/);

  await page.getByTestId("scenario-home-folder").click();
  assert.match(await text(page, "derived-keys"), /aws:username = alice/);
  assert.equal(await text(page, "row-decision-1"), "ImplicitDeny");
  await page.getByTestId("pick-1").click();
  await page.getByTestId("caller-name").fill("bob");
  assert.equal(await text(page, "row-decision-1"), "Allow");

  await page.getByTestId("scenario-pass-role").click();
  assert.equal(await text(page, "row-decision-3"), "ImplicitDeny");
  await page.getByTestId("pick-3").click();
  assert.match(await text(page, "reason"), /trust policy/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a broken policy is named at its line, kept, and blocks the decision until fixed", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/iam");
  const editor = page.getByTestId("policy-identity-0");
  const good = await editor.inputValue();
  const bad = good.replace('"Effect": "Deny"', '"Effect": "deny"');
  await editor.fill(bad);
  assert.match(await text(page, "policy-error-identity-0"), /Statement\[1\]\.Effect: must be Allow or Deny, found "deny"/);
  assert.match(await text(page, "policy-errors"), /identity-based policy ReadIamNoReports/);
  assert.equal(await page.getByTestId("decision").count(), 0);
  assert.equal(await editor.inputValue(), bad);
  await editor.fill("{\n  \"Statement\": [\n");
  assert.match(await text(page, "policy-error-identity-0"), /^line \d+, column \d+/);
  await editor.fill(good);
  assert.equal(await text(page, "decision"), "Allow");
  // A request form with bad values says what is wrong with each.
  await page.getByTestId("req-action").fill("s3 GetObject");
  await page.getByTestId("req-context").fill("aws:SourceIp 1.2.3.4");
  const errs = await text(page, "request-errors");
  assert.match(errs, /service:Operation/);
  assert.match(errs, /Context, line 1/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("test many: rows are added, edited and kept in the link", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/iam");
  await page.getByTestId("scenario-boundary").click();
  assert.equal(await page.getByTestId("scenario-edited").count(), 0);
  await page.getByTestId("add-request").click();
  assert.match(await text(page, "scenario-edited"), /changed since/);
  await page.getByTestId("req-action").fill("cloudwatch:PutMetricData");
  await page.getByTestId("req-resource").fill("*");
  assert.equal(await text(page, "row-decision-4"), "Allow");
  await page.getByTestId("req-action").fill("iam:CreateRole");
  assert.equal(await text(page, "row-decision-4"), "ImplicitDeny");
  assert.match(await text(page, "reason"), /permissions boundary does not/);
  await page.getByTestId("caller-kind").selectOption("role");
  await page.getByTestId("caller-name").fill("app-team-admin");
  assert.match(await text(page, "derived-keys"), /aws:PrincipalType = AssumedRole/);
  // Removing the boundary lets the admin create roles and users.
  await page.getByTestId("pick-3").click();
  assert.equal(await text(page, "decision"), "ImplicitDeny");
  await page.getByTestId("remove-boundary").click();
  assert.equal(await text(page, "decision"), "Allow");
  assert.equal(await text(page, "row-decision-4"), "Allow");
  // The link carries everything.
  await page.waitForFunction(() => location.hash.includes("?"));
  await urlWritten(page);
  const url = page.url();
  const { context: c2, page: p2, problems: pr2 } = await openPage(env.browser, env.server.origin, { viewport: PHONE });
  await gotoReady(p2, url);
  assert.equal(await text(p2, "row-decision-4"), "Allow");
  assert.equal(await text(p2, "row-decision-3"), "Allow");
  assert.equal(await p2.getByTestId("editor-boundary").count(), 0);
  assert.deepEqual(pr2, []);
  await c2.close();
  assert.deepEqual(problems, []);
  await context.close();
});

test("lint findings show beside the policy", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/iam");
  await page.getByTestId("clear").click();
  await page.getByTestId("add-identity").click();
  await page.getByTestId("policy-identity-0").fill('{"Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}');
  const findings = await text(page, "findings-identity-0");
  assert.match(findings, /MISSING_VERSION/);
  assert.match(findings, /Security warning/);
  assert.deepEqual(problems, []);
  await context.close();
});
