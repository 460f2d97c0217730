// End-to-end tests of the VPC builder, reachability analyzer and diagram.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { useAppServer, openPage, gotoReady, screenshot, sweep, DIST, urlWritten } from "./browser.mjs";

const env = useAppServer(DIST);
const text = (page, id) => page.getByTestId(id).first().innerText();

sweep(env, "#/vpc", "vpc-full", "the page renders with its diagram", async (page) => {
  await page.getByTestId("template").selectOption("three-tier");
  await page.getByTestId("from").selectOption("i-app");
  await page.getByTestId("to").selectOption("i-db");
  await page.getByTestId("port").fill("3306");
  assert.equal(await page.getByTestId("vpc-diagram").locator("svg").count(), 1);
});

test("the web server is reachable, hop by hop and back", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/vpc");
  assert.equal(await text(page, "vpc-verdict"), "Reachable");
  assert.match(await text(page, "hop-1"), /Internet gateway/);
  assert.match(await text(page, "hop-2"), /NACL inbound.*rule 100 ALLOW/s);
  assert.match(await text(page, "hop-3"), /Security group ingress.*sg-web/s);
  assert.match(await text(page, "reply-hop-1"), /NACL outbound \(reply\)/);
  assert.match(await text(page, "reply-hop-2"), /Route table \(reply\).*igw-main/s);
  await page.getByTestId("port").fill("22");
  assert.equal(await text(page, "vpc-verdict"), "Not reachable");
  assert.match(await text(page, "vpc-code-SG_INGRESS_NO_RULE"), /No inbound rule of sg-web allows tcp port 22/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("three tiers: security-group chaining, a highlighted path, a NACL edit and a refused one", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/vpc");
  await page.getByTestId("template").selectOption("three-tier");
  await page.getByTestId("from").selectOption("i-web");
  await page.getByTestId("to").selectOption("i-db");
  await page.getByTestId("port").fill("3306");
  assert.equal(await text(page, "vpc-verdict"), "Not reachable");
  await page.getByTestId("vpc-code-SG_INGRESS_NO_RULE").waitFor();
  await page.getByTestId("from").selectOption("i-app");
  assert.equal(await text(page, "vpc-verdict"), "Reachable");
  assert.equal(await page.locator('[data-testid="vpc-diagram"] g[data-id="i-db"].on-path').count(), 1);
  assert.match(await page.locator('[data-testid="vpc-diagram"] g[data-id="i-db"] > title').textContent(), /Security group ingress: passes/);
  // Deny MySQL at the database subnet's NACL (the VPC's default one).
  await page.getByTestId("select-acl-main").click();
  await page.getByTestId("nacl-rule-number").fill("50");
  await page.getByTestId("nacl-rule-from").fill("3306");
  await page.getByTestId("nacl-rule-add").click();
  assert.equal(await text(page, "edit-message"), "Applied.");
  assert.equal(await text(page, "vpc-verdict"), "Not reachable");
  assert.match(await text(page, "vpc-code-NACL_INBOUND_DENIED"), /rule 50 DENY/);
  // A second rule 50 is refused with the reason, and nothing changes.
  await page.getByTestId("nacl-rule-add").click();
  assert.match(await text(page, "edit-message"), /Refused: .*two inbound rules numbered 50/);
  // The edited design travels in the link.
  await urlWritten(page);
  const other = await openPage(env.browser, env.server.origin);
  await gotoReady(other.page, page.url());
  assert.equal(await text(other.page, "vpc-verdict"), "Not reachable");
  assert.deepEqual(other.problems, []);
  await other.context.close();
  assert.deepEqual(problems, []);
  await context.close();
});

test("the checklist, the inspector from a diagram click, and SVG export", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/vpc");
  assert.equal(await page.locator('[data-testid="checklist"] li.blocked').count(), 0);
  await page.locator('[data-testid="vpc-diagram"] g[data-id="i-web"] rect').click();
  await page.getByTestId("inspector-instance").waitFor();
  await page.getByTestId("toggle-public-ip").click();
  assert.match(await text(page, "check-public-ip"), /✗/);
  assert.equal(await text(page, "vpc-verdict"), "Not reachable");
  await page.getByTestId("vpc-code-NO_PUBLIC_IP").waitFor();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-svg").click()]);
  assert.equal(download.suggestedFilename(), "stratus-vpc.svg");
  const file = join(tmpdir(), `stratus-vpc-${process.pid}.svg`);
  await download.saveAs(file);
  const svg = await readFile(file, "utf8");
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /data-id="i-web"/);
  const [png] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-png").click()]);
  assert.equal(png.suggestedFilename(), "stratus-vpc.png");
  await png.saveAs(file + ".png");
  const head = (await readFile(file + ".png")).subarray(0, 8);
  assert.deepEqual([...head], [137, 80, 78, 71, 13, 10, 26, 10], "a real PNG");
  await page.getByTestId("zoom-in").click();
  assert.deepEqual(problems, []);
  await context.close();
});

test("creating resources: a subnet and an instance, an overlap refused, a delete refused while in use", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/vpc");
  // Every service the analyzer knows is a choice (SNS was once missing).
  for (const id of ["s3", "dynamodb", "sqs", "sns"]) {
    assert.equal(await page.getByTestId("to").locator(`option[value="${id}"]`).count(), 1, id);
  }
  await page.getByTestId("create-kind").selectOption("subnet");
  await page.getByTestId("create-name").fill("public b");
  await page.getByTestId("create-b").selectOption("us-east-1b");
  await page.getByTestId("create-text").fill("10.0.2.0/24");
  await page.getByTestId("create-submit").click();
  assert.equal(await text(page, "edit-message"), "Applied.");
  assert.equal(await page.locator('[data-testid="vpc-diagram"] g[data-id="subnet-1"]').count(), 1);
  await page.getByTestId("create-text").fill("10.0.1.128/25");
  await page.getByTestId("create-submit").click();
  assert.match(await text(page, "edit-message"), /Refused: .*overlaps subnet-public-a/);
  assert.match(await text(page, "edit-error-code"), /^CreateSubnet → InvalidSubnet\.Conflict/);
  await page.getByTestId("create-kind").selectOption("instance");
  await page.getByTestId("create-name").fill("api");
  await page.getByTestId("create-a").selectOption("subnet-1");
  await page.getByTestId("create-b").selectOption("sg-web");
  await page.getByTestId("create-text").fill("10.0.2.20");
  await page.getByTestId("create-submit").click();
  assert.equal(await text(page, "edit-message"), "Applied.");
  await page.getByTestId("from").selectOption("i-web");
  await page.getByTestId("to").selectOption("i-1");
  await page.getByTestId("port").fill("443");
  assert.equal(await text(page, "vpc-verdict"), "Reachable");
  // The web group is still used: deleting it is refused and says by whom.
  await page.getByTestId("select-sg-web").click();
  await page.getByTestId("delete-selected").click();
  assert.match(await text(page, "edit-message"), /Refused: i-web uses sg-web/);
  assert.equal(await text(page, "edit-error-code"), "DeleteSecurityGroup → DependencyViolation (the error AWS answers with)");
  assert.deepEqual(problems, []);
  await context.close();
});

sweep(env, "#/vpc", "vpc-dual-stack", "the dual-stack template renders", async (page) => {
  await page.getByTestId("template").selectOption("dual-stack");
  await page.getByTestId("family").selectOption("v6");
  assert.equal(await page.getByTestId("vpc-verdict").innerText(), "Reachable");
  assert.equal(await page.locator('[data-testid="vpc-diagram"] g[data-id="eni-web-b"]').count(), 1);
});

test("IPv6 step by step: a block, an address, the group's ::/0 rule and the route the reply needs", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/vpc");
  await page.getByTestId("family").selectOption("v6");
  assert.match(await text(page, "vpc-code-NO_IPV6_ADDRESS"), /i-web has no IPv6 address/);
  await page.getByTestId("select-vpc-main").click();
  await page.getByTestId("vpc-ipv6-input").fill("10.1.0.0/16");
  await page.getByTestId("vpc-ipv6-submit").click();
  await page.getByText("is IPv4: enter an IPv6 block").waitFor();
  await page.getByTestId("vpc-ipv6-input").fill("2600:1f18:6b4:a00::/56");
  await page.getByTestId("vpc-ipv6-submit").click();
  assert.equal(await text(page, "edit-message"), "Applied.");
  await page.getByTestId("select-subnet-public-a").click();
  await page.getByTestId("subnet-ipv6-input").fill("2600:1f18:6b4:b00::/64");
  await page.getByTestId("subnet-ipv6-submit").click();
  assert.match(await text(page, "edit-message"), /Refused: .*outside vpc-main's IPv6 block/);
  await page.getByTestId("subnet-ipv6-input").fill("2600:1f18:6b4:a01::/64");
  await page.getByTestId("subnet-ipv6-submit").click();
  assert.equal(await text(page, "edit-message"), "Applied.");
  await page.getByTestId("select-i-web").click();
  await page.getByTestId("ipv6-address-input").fill("2600:1f18:6b4:a01::10");
  await page.getByTestId("ipv6-address-submit").click();
  assert.equal(await text(page, "edit-message"), "Applied.");
  // The default NACL gained rule 101; the group's 0.0.0.0/0 rule does not cover IPv6.
  assert.match(await text(page, "hop-2"), /rule 101 ALLOW all traffic ::\/0/);
  assert.match(await text(page, "vpc-code-SG_INGRESS_NO_RULE"), /does not cover IPv6 clients/);
  await page.getByTestId("select-sg-web").click();
  await page.getByTestId("sg-rule-from").fill("80");
  await page.getByTestId("sg-rule-peer").fill("::/0");
  await page.getByTestId("sg-rule-add").click();
  assert.match(await text(page, "vpc-code-RETURN_NO_ROUTE"), /not public for IPv6/);
  await page.getByTestId("select-rtb-main").click();
  await page.getByTestId("route-dest").fill("::/0");
  await page.getByTestId("route-target").selectOption("igw-main");
  await page.getByTestId("route-add").click();
  assert.equal(await text(page, "vpc-verdict"), "Reachable");
  assert.match(await text(page, "hop-1"), /global IPv6 address: the gateway passes it untranslated/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the egress-only gateway: out and back, never in", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/vpc");
  await page.getByTestId("template").selectOption("dual-stack");
  await page.getByTestId("family").selectOption("v6");
  await page.getByTestId("from").selectOption("i-app");
  await page.getByTestId("to").selectOption("internet");
  await page.getByTestId("port").fill("443");
  assert.equal(await text(page, "vpc-verdict"), "Reachable");
  assert.match(await text(page, "vpc-hops"), /Egress-only internet gateway.*eigw-main/s);
  await page.getByTestId("family").selectOption("v4");
  await page.getByTestId("vpc-code-NO_ROUTE").waitFor();
  await page.getByTestId("family").selectOption("v6");
  await page.getByTestId("select-sg-app").click();
  await page.getByTestId("sg-rule-peer").fill("::/0");
  await page.getByTestId("sg-rule-add").click();
  await page.getByTestId("from").selectOption("internet");
  await page.getByTestId("to").selectOption("i-app");
  assert.match(await text(page, "vpc-code-EGRESS_ONLY_INBOUND"), /never a connection started from the internet/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("Elastic IPs, network interfaces, renaming, and the keyboard in the diagram", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/vpc");
  await page.getByTestId("create-kind").selectOption("eip");
  await page.getByTestId("create-text").fill("10.0.0.99");
  await page.getByTestId("create-submit").click();
  assert.match(await text(page, "edit-message"), /Refused: .*private address/);
  await page.getByTestId("create-text").fill("192.0.2.99");
  await page.getByTestId("create-submit").click();
  assert.equal(await text(page, "edit-message"), "Applied.");
  await page.getByTestId("select-eipalloc-1").click();
  await page.getByTestId("associate-eip-select").selectOption("i-web");
  await page.getByTestId("associate-eip-submit").click();
  assert.match(await text(page, "hop-1"), /translates 192\.0\.2\.99 \(Elastic IP eipalloc-1\)/);
  await page.getByTestId("disassociate-eip").click();
  assert.match(await text(page, "vpc-code-NO_PUBLIC_IP"), /no public IP or Elastic IP/);
  // A second interface, attached to the web server.
  await page.getByTestId("create-kind").selectOption("eni");
  await page.getByTestId("create-name").fill("admin side");
  await page.getByTestId("create-text").fill("10.0.1.50");
  await page.getByTestId("create-submit").click();
  assert.equal(await text(page, "edit-message"), "Applied.");
  await page.getByTestId("select-eni-1").click();
  await page.getByTestId("attach-eni-submit").click();
  assert.match(await text(page, "inspector-eni"), /Attached to i-web/);
  assert.match(await page.locator('[data-testid="vpc-diagram"] g[data-id="eni-1"]').textContent(), /10\.0\.1\.50\s*→ i-web/);
  // Renaming shows in the diagram; a security group's name is fixed.
  await page.getByTestId("select-i-web").click();
  await page.getByTestId("rename-input").fill("front door");
  await page.getByTestId("rename-submit").click();
  assert.match(await page.locator('[data-testid="vpc-diagram"] g[data-id="i-web"]').textContent(), /front door/);
  // Keyboard: Tab reaches shapes, Enter opens one.
  await page.locator('[data-testid="vpc-diagram"] g[data-id="subnet-public-a"]').focus();
  await page.keyboard.press("Enter");
  await page.getByTestId("inspector-subnet").waitFor();
  // The editor takes the focus; back in the diagram, Tab goes from shape to shape.
  assert.equal(await page.getByTestId("editor-panel").evaluate((el) => el === document.activeElement), true);
  await page.locator('[data-testid="vpc-diagram"] g[data-id="subnet-public-a"]').focus();
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("data-id")), "i-web");
  await page.keyboard.press(" ");
  await page.getByTestId("inspector-instance").waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test("any IP protocol: ping needs an ICMP rule, GRE a rule for protocol 47", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/vpc");
  // The web group opens TCP 80 and 443 only: ping is refused, and the port field goes away.
  await page.getByTestId("proto").selectOption("icmp");
  assert.equal(await page.getByTestId("port").count(), 0);
  assert.equal(await text(page, "vpc-verdict"), "Not reachable");
  assert.match(await text(page, "vpc-code-SG_INGRESS_NO_RULE"), /allows icmp echo request from/);
  // An ICMP rule for echo requests (type 8, code 0) lets ping in; the default NACL lets the reply out.
  await page.getByTestId("select-sg-web").click();
  await page.getByTestId("sg-rule-proto").fill("icmp");
  await page.getByTestId("sg-rule-from").fill("8");
  await page.getByTestId("sg-rule-to").fill("0");
  assert.equal(await page.getByTestId("sg-rule-from").getAttribute("aria-label"), "ICMP type (-1 or blank for all)");
  await page.getByTestId("sg-rule-add").click();
  assert.equal(await text(page, "edit-message"), "Applied.");
  assert.equal(await text(page, "vpc-verdict"), "Reachable");
  assert.match(await text(page, "hop-3"), /allow icmp echo request 0\.0\.0\.0\/0/);
  // GRE (47) is a protocol of its own: not admitted by TCP or ICMP rules, admitted by "47".
  await page.getByTestId("proto").selectOption("gre");
  assert.equal(await text(page, "vpc-verdict"), "Not reachable");
  await page.getByTestId("sg-rule-proto").fill("47");
  await page.getByTestId("sg-rule-add").click();
  assert.equal(await text(page, "vpc-verdict"), "Reachable");
  // A protocol AWS does not know is named.
  await page.getByTestId("sg-rule-proto").fill("ipx");
  await page.getByTestId("sg-rule-add").click();
  assert.match(await page.locator('[data-testid="sg-rule-form"] .error').innerText(), /“ipx” is not an IP protocol/);
  // The protocols travel in the link.
  await urlWritten(page);
  const other = await openPage(env.browser, env.server.origin);
  await gotoReady(other.page, page.url());
  assert.equal(await text(other.page, "vpc-verdict"), "Reachable");
  assert.equal(await other.page.getByTestId("proto").inputValue(), "gre");
  assert.deepEqual(other.problems, []);
  await other.context.close();
  await screenshot(page, "vpc-protocols");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the diagram shows where traffic stops: numbered hops, the blocking component, a legend", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/vpc?v=1&s=%7B%22port%22:%2222%22%7D");
  assert.equal(await text(page, "vpc-verdict"), "Not reachable");
  const d = page.getByTestId("vpc-diagram");
  // The internet is a node; the request's hops are numbered badges joined by arrows.
  assert.match(await d.locator("g.internet").textContent(), /Internet/);
  assert.deepEqual(await d.locator("g.badge text").allTextContents(), ["1 IGW", "2 NACL", "3 SG ✗"]);
  assert.equal(await d.locator("g.badge.blocked").count(), 1);
  assert.match(await d.locator("g.badge.blocked > title").textContent(), /Security group ingress i-web: blocked — groups sg-web: no inbound rule allows tcp port 22/);
  assert.ok((await d.locator("path.flow:not(.reply)").count()) >= 2, "arrows between the hops");
  // The deciding component is outlined as blocked; the path's others as on the path.
  assert.match(await d.locator('g[data-id="i-web"]').getAttribute("class"), /\bblocked\b/);
  assert.match(await d.locator('g[data-id="igw-main"]').getAttribute("class"), /\bon-path\b/);
  assert.match(await d.textContent(), /blocked here ✗/);
  // A NACL that blocks is marked on its subnet.
  await page.getByTestId("port").fill("80");
  await page.getByTestId("select-acl-main").click();
  await page.getByTestId("nacl-rule-number").fill("50");
  await page.getByTestId("nacl-rule-from").fill("80");
  await page.getByTestId("nacl-rule-add").click();
  assert.equal(await text(page, "vpc-verdict"), "Not reachable");
  assert.match(await d.locator('g[data-id="subnet-public-a"]').getAttribute("class"), /\bblocked\b/);
  assert.deepEqual(await d.locator("g.badge.blocked text").allTextContents(), ["2 NACL ✗"]);
  // Reachable: the reply is drawn too, dashed.
  await page.getByTestId("undo").click();
  assert.equal(await text(page, "vpc-verdict"), "Reachable");
  assert.ok((await d.locator("path.flow.reply").count()) >= 1);
  assert.ok((await d.locator("g.badge.reply").count()) >= 2);
  assert.equal(await d.locator("g.badge.blocked").count(), 0);
  await screenshot(page, "vpc-path-reachable");
  assert.deepEqual(problems, []);
  await context.close();
});

test("undo restores a deleted route, and the verdict with it", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/vpc");
  assert.equal(await text(page, "vpc-verdict"), "Reachable");
  await page.getByTestId("select-rtb-main").click();
  await page.getByRole("button", { name: "Delete route 1" }).click();
  assert.equal(await text(page, "edit-message"), "Applied.");
  assert.equal(await text(page, "vpc-verdict"), "Not reachable");
  assert.match(await page.locator('[data-testid^="vpc-code-"]').first().getAttribute("data-testid"), /NO_ROUTE/);
  await page.getByTestId("undo").click();
  assert.equal(await text(page, "vpc-verdict"), "Reachable");
  assert.match(await page.getByTestId("inspector-routes").innerText(), /0\.0\.0\.0\/0 → igw-main/);
  await page.keyboard.press("Control+Shift+Z");
  assert.equal(await text(page, "vpc-verdict"), "Not reachable");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a shape opens its editor beside the diagram on wide screens, below it with focus on phones", async () => {
  for (const [viewport, beside] of [[{ width: 1400, height: 900 }, true], [{ width: 390, height: 844 }, false]]) {
    const { context, page, problems } = await openPage(env.browser, env.server.origin, { viewport });
    await gotoReady(page, env.server.url + "#/vpc");
    const shape = page.locator('[data-testid="vpc-diagram"] g[data-id="subnet-public-a"]');
    await shape.focus();
    await page.keyboard.press("Enter");
    const editor = page.getByTestId("editor-panel");
    await page.getByTestId("inspector-subnet").waitFor();
    assert.equal(await editor.evaluate((el) => el.contains(document.activeElement)), true, "the editor has the focus");
    const e = await editor.boundingBox();
    const dg = await page.getByTestId("vpc-diagram").boundingBox();
    if (beside) assert.ok(e.x >= dg.x + dg.width - 1 && Math.abs(e.y - dg.y) < 40, `beside: ${JSON.stringify([e, dg])}`);
    else assert.ok(e.y >= dg.y + dg.height - 1 && e.y < viewport.height && e.y + 20 > 0, `below and in view: ${JSON.stringify([e, dg])}`);
    assert.match(await shape.getAttribute("class"), /\bselected\b/);
    await screenshot(page, beside ? "vpc-editor-beside" : "vpc-editor-phone");
    await page.getByTestId("editor-close").click();
    assert.equal(await editor.count(), 0);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test("zoom: the label tells the truth, fit to width fills the box, presenter mode scales the drawing", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/vpc?v=1&s=%7B%22template%22:%22nat%22%7D");
  const svg = page.locator('[data-testid="vpc-diagram"] svg');
  const width = async () => (await svg.boundingBox()).width;
  assert.equal(await text(page, "zoom-level"), "100%");
  const base = await width();
  const viewBox = Number((await svg.getAttribute("viewBox")).split(" ")[2]);
  assert.ok(Math.abs(base - viewBox) < 2, `100% draws at the drawing's own size (${base} vs ${viewBox})`);
  await page.getByTestId("zoom-in").click();
  assert.equal(await text(page, "zoom-level"), "125%");
  assert.ok(Math.abs((await width()) - base * 1.25) < 2);
  await page.getByTestId("zoom-fit").click();
  // The box's inner width (without its border and the scrollbar's reserved gutter).
  const inner = await page.getByTestId("vpc-diagram").evaluate((el) => el.clientWidth);
  assert.ok(Math.abs((await width()) - inner) < 4, `fit: ${await width()} in ${inner}`);
  assert.notEqual(await text(page, "zoom-level"), "125%");
  await page.getByTestId("zoom-reset").click();
  assert.equal(await text(page, "zoom-level"), "100%");
  // Presenter mode enlarges the text and the drawing alike.
  await page.evaluate(() => document.documentElement.setAttribute("data-presenter", "on"));
  assert.ok(Math.abs((await width()) - base * 1.4) < 3, `presenter: ${await width()} vs ${base * 1.4}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test("labels stay inside their boxes", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/vpc?v=1&s=%7B%22template%22:%22three-tier%22%7D");
  await page.getByTestId("select-i-web").click();
  await page.getByTestId("rename-input").fill("a web server with a very long name indeed, Wide Wide");
  await page.getByTestId("rename-submit").click();
  assert.equal(await text(page, "edit-message"), "Applied.");
  const overflow = await page.locator('[data-testid="vpc-diagram"] g[data-id] > text').evaluateAll((texts) =>
    texts
      .map((t) => {
        const r = t.parentElement.querySelector(":scope > rect").getBBox();
        const b = t.getBBox();
        return b.x + b.width > r.x + r.width + 0.5 ? `${t.textContent} (${b.x + b.width} > ${r.x + r.width})` : null;
      })
      .filter(Boolean),
  );
  assert.deepEqual(overflow, []);
  assert.match(await page.locator('[data-testid="vpc-diagram"] g[data-id="i-web"] > text title').textContent(), /very long name indeed/);
  assert.deepEqual(problems, []);
  await context.close();
});
