// End-to-end tests of the CIDR and VPC address planner on the release bundle.
import { test } from "node:test";
import assert from "node:assert/strict";
import { serve } from "./server.mjs";
import { useAppServer, openPage, gotoReady, screenshot, DESKTOP, PHONE, DIST, urlWritten } from "./browser.mjs";

const env = useAppServer(DIST);

const TABS = ["explain", "subnets", "lists", "plan", "aws"];
const text = (page, id) => page.getByTestId(id).first().innerText();
// An export written by the export helper module (loaded on demand): its text once the
// helper has answered, not the line shown while it loads.
const exported = async (page, id) => {
  await page.waitForFunction((id) => {
    const v = document.querySelector(`[data-testid="${id}"]`)?.value ?? "";
    return v !== "" && !/^(Building the plan's network|Writing the plan's JSON|Writing the design's code)…$/.test(v);
  }, id);
  return page.getByTestId(id).inputValue();
};

for (const [label, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
  for (const scheme of ["light", "dark"]) {
    test(`every planner tab renders (${label}, ${scheme})`, async () => {
      const { context, page, problems } = await openPage(env.browser, env.server.origin, { viewport, colorScheme: scheme });
      await gotoReady(page, env.server.url + "#/cidr");
      for (const tab of TABS) {
        await page.getByTestId(`tab-${tab}`).click();
        assert.equal(await page.getByTestId(`tab-${tab}`).getAttribute("aria-selected"), "true");
        // The plan tab as it settles: the export helper's link and text, not its loading line.
        if (tab === "plan") await page.getByTestId("plan-open-builder").waitFor();
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${tab} overflows by ${overflow}px`);
        await screenshot(page, `cidr-${tab}-${label}-${scheme}`);
      }
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
}

test("explain: the course notes' numbers, the math, and host bits", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/cidr");
  const input = page.getByTestId("explain-input");
  await input.fill("10.0.0.0/24");
  assert.equal(await text(page, "cidr-total"), "256");
  assert.equal(await text(page, "cidr-usable-aws"), "251");
  assert.equal(await text(page, "cidr-usable-classic"), "254");
  assert.equal(await text(page, "aws-reserved-4"), "10.0.0.255");
  await input.fill("10.0.0.0/28");
  assert.equal(await text(page, "cidr-total"), "16");
  assert.equal(await text(page, "cidr-usable-aws"), "11");
  // Show the math.
  const math = page.locator(".figure", { has: page.getByTestId("cidr-usable-aws") }).locator("details");
  await math.locator("summary").click();
  assert.match(await math.innerText(), /16 − 5\s*= 11/);
  // Host bits are accepted, flagged and normalized.
  await input.fill("10.0.0.5/24");
  assert.equal(await text(page, "cidr-block"), "10.0.0.0/24");
  assert.match(await text(page, "cidr-notices"), /host bits set/);
  await input.fill("169.254.169.254");
  assert.match(await text(page, "special-ranges"), /EC2 instance metadata service/);
  await input.fill("2001:db8::/56");
  assert.equal(await text(page, "cidr-category"), "Documentation");
  assert.deepEqual(problems, []);
  await context.close();
});

test("explain: bad input gets a message naming the problem, and nothing breaks", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/cidr");
  const input = page.getByTestId("explain-input");
  for (const [value, message] of [
    ["garbage", /is not an IP address/],
    ["300.1.1.1", /is 300, but each number must be from 0 to 255/],
    ["10.0.0.0/33", /\/0 to \/32/],
    ["2001:db8::1::2", /more than once/],
    ["010.0.0.1", /leading zero.*octal/],
    ["", /Enter an address/],
  ]) {
    await input.fill(value);
    assert.match(await text(page, "explain-error"), message, value);
    assert.equal(await input.getAttribute("aria-invalid"), "true");
    assert.equal(await input.inputValue(), value, "the input is kept");
  }
  await input.fill("  10.1.0.0/16 ");
  assert.equal(await text(page, "explain-error"), "");
  assert.match(await text(page, "cidr-notices"), /Spaces around the input were ignored/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("subnet table: a /8 into /28s is a million rows, rendered virtually", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/cidr");
  await page.getByTestId("tab-subnets").click();
  // Course notes: a /22 divided into four /24s leaves 251 usable in each.
  assert.equal(await text(page, "table-row-count"), "4");
  const usable = await page.getByTestId("subnet-usable").allInnerTexts();
  assert.deepEqual(usable, ["251", "251", "251", "251"]);

  await page.getByTestId("table-root").fill("10.0.0.0/8");
  await page.getByTestId("table-prefix").fill("28");
  await page.getByTestId("table-split").click();
  assert.equal(await text(page, "table-row-count"), "1,048,576");
  const rendered = await page.locator("[data-testid^=subnet-row-]").count();
  assert.ok(rendered > 5 && rendered < 60, `only visible rows are in the DOM (${rendered})`);
  // Jump to the last address: the last row appears.
  await page.getByTestId("table-jump").fill("10.255.255.250");
  await page.getByTestId("table-jump-go").click();
  await page.getByTestId("subnet-row-1048575").waitFor();
  assert.equal(await page.getByTestId("subnet-row-1048575").getByTestId("subnet-cidr").innerText(), "10.255.255.240/28");
  // Scroll to the middle with the scrollbar.
  await page.getByTestId("table-viewport").evaluate((el) => { el.scrollTop = el.scrollHeight / 2; el.dispatchEvent(new Event("scroll")); });
  await page.waitForTimeout(100);
  const middle = await page.locator("[data-testid^=subnet-row-]").evaluateAll((rows) => rows.map((r) => Number(r.dataset.testid.split("-").pop())));
  assert.ok(middle.some((i) => i > 400_000 && i < 650_000), `middle rows: ${middle.slice(0, 3)}`);
  await screenshot(page, "cidr-subnets-million");
  assert.deepEqual(problems, []);
  await context.close();
});

test("subnet table: divide, join, note and colour; equal parts", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/cidr");
  await page.getByTestId("tab-subnets").click();
  await page.getByTestId("table-root").fill("10.0.0.0/24");
  await page.getByTestId("table-parts").fill("3");
  await page.getByTestId("table-split-parts").click();
  assert.match(await text(page, "table-message"), /3 is not a power of two.*Use 2 or 4 parts/);
  await page.getByTestId("table-parts").fill("2");
  await page.getByTestId("table-split-parts").click();
  assert.equal(await text(page, "table-row-count"), "2");
  const row0 = page.getByTestId("subnet-row-0");
  await row0.getByTestId("subnet-divide").click();
  assert.deepEqual(await page.getByTestId("subnet-cidr").allInnerTexts(), ["10.0.0.0/26", "10.0.0.64/26", "10.0.0.128/25"]);
  await page.getByTestId("subnet-row-2").getByRole("textbox").fill("databases");
  await page.getByTestId("subnet-row-2").getByRole("combobox").selectOption("3");
  assert.match(await page.getByTestId("subnet-row-2").getAttribute("class"), /c3/);
  await page.getByTestId("subnet-row-1").getByTestId("subnet-join").click();
  assert.deepEqual(await page.getByTestId("subnet-cidr").allInnerTexts(), ["10.0.0.0/25", "10.0.0.128/25"]);
  // The note survives a reload through the URL.
  await urlWritten(page);
  await page.reload();
  await page.waitForSelector("html[data-ready]");
  assert.equal(await page.getByTestId("tab-subnets").getAttribute("aria-selected"), "true");
  assert.equal(await page.getByTestId("subnet-row-1").getByRole("textbox").inputValue(), "databases");
  assert.deepEqual(problems, []);
  await context.close();
});

test("ranges and lists: minimal cover, aggregation, named conflicts", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/cidr");
  await page.getByTestId("tab-lists").click();
  await page.getByTestId("range-input").fill("23.128.1.0-23.128.7.255");
  assert.equal(await text(page, "range-count"), "3");
  assert.deepEqual(await page.getByTestId("range-block").allInnerTexts(), ["23.128.1.0/24", "23.128.2.0/23", "23.128.4.0/22"]);
  await page.getByTestId("range-input").fill("10.0.0.9-10.0.0.1");
  assert.match(await text(page, "range-error"), /backwards/);
  await page.getByTestId("list-input").fill("10.0.0.0/16\n10.0.1.0/24\n10.0.2.0/24\n10.0.2.0/24\n192.168.0.0/24\n192.168.1.0/24\nbad/99");
  assert.match(await text(page, "list-errors"), /Line 7/);
  assert.equal(await text(page, "list-conflict-count"), "4 overlapping pairs");
  assert.match(await text(page, "list-conflicts"), /10\.0\.2\.0\/24 \(line 3\) and 10\.0\.2\.0\/24 \(line 4\) are the same block/);
  assert.deepEqual((await text(page, "list-aggregated")).split("\n"), ["10.0.0.0/16", "192.168.0.0/23"]);
  assert.deepEqual(problems, []);
  await context.close();
});

test("VPC plan: tiers across AZs, exports, and errors", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin, { permissions: ["clipboard-read", "clipboard-write"] });
  await gotoReady(page, env.server.url + "#/cidr");
  await page.getByTestId("tab-plan").click();
  // Defaults: 10.0.0.0/16, 3 AZs, public /24, private ≥1000 hosts, data ≥200 hosts.
  assert.equal(await page.getByTestId("plan-cidr").count(), 9);
  assert.equal(await page.getByTestId("plan-row-private-a").getByTestId("plan-cidr").innerText(), "10.0.0.0/22");
  assert.equal(await page.getByTestId("plan-row-private-a").getByTestId("plan-usable").innerText(), "1,019");
  const tf = await exported(page, "export-plan");
  assert.match(tf, /resource "aws_subnet" "subnet_data_c"/);
  // The plan's network: an internet gateway, a NAT gateway with its Elastic IP per AZ.
  assert.match(tf, /resource "aws_internet_gateway" "igw_main"/);
  assert.equal(tf.match(/resource "aws_nat_gateway"/g).length, 3);
  assert.equal(tf.match(/resource "aws_eip"/g).length, 3);
  assert.equal(tf.match(/map_public_ip_on_launch = true/g).length, 3);
  await page.getByTestId("plan-format-cloudformation").click();
  const cfn = JSON.parse(await exported(page, "export-plan"));
  assert.equal(Object.values(cfn.Resources).filter((r) => r.Type === "AWS::EC2::Subnet").length, 9);
  assert.equal(Object.values(cfn.Resources).filter((r) => r.Type === "AWS::EC2::NatGateway").length, 3);
  await page.getByTestId("plan-format-json").click();
  const json = JSON.parse(await exported(page, "export-plan"));
  assert.equal(json.vpc, "10.0.0.0/16");
  assert.equal(json.availability_zones, 3);
  assert.deepEqual(json.subnets.find((s) => s.name === "private-a"), { name: "private-a", tier: "private", az: "a", cidr: "10.0.0.0/22", addresses: 1024, usable_in_aws: 1019 });
  await page.getByTestId("plan-format-csv").click();
  const csv = await exported(page, "export-plan");
  assert.equal(csv.trim().split("\n").length, 10);
  await page.getByTestId("export-plan-copy").click();
  await page.getByText("Copied.").waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), csv);
  await page.getByTestId("plan-azs").selectOption("6");
  assert.equal(await page.getByTestId("plan-cidr").count(), 18);
  await page.getByTestId("plan-vpc").fill("10.0.0.0/22");
  assert.match(await text(page, "plan-errors"), /8 subnets of \/24 need a \/21 or larger, but the VPC is 10\.0\.0\.0\/22/);
  await page.getByTestId("plan-azs").selectOption("3");
  await page.getByTestId("plan-vpc").fill("10.0.0.0/20");
  assert.match(await text(page, "plan-errors"), /The tiers need 6,144 addresses but 10\.0\.0\.0\/20 has 4,096/);
  await page.getByTestId("plan-vpc").fill("10.0.0.0/33");
  assert.match(await text(page, "plan-errors"), /VPC CIDR: .*\/0 to \/32/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("plan → build → check: the plan opens in the VPC builder, ready for reachability questions", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/cidr");
  await page.getByTestId("tab-plan").click();
  // "data" is not public by its name; make it public and back to see the choice work.
  const dataPublic = page.getByTestId("tier-2").getByTestId("tier-public");
  assert.equal(await page.getByTestId("tier-0").getByTestId("tier-public").isChecked(), true);
  assert.equal(await dataPublic.isChecked(), false);
  // A public data tier gets public subnets in the exports: 6 with map_public_ip_on_launch.
  await dataPublic.check();
  await page.getByTestId("plan-format-terraform").click();
  const publicData = await exported(page, "export-plan");
  assert.equal(publicData.match(/map_public_ip_on_launch = true/g).length, 6);
  assert.equal(publicData.match(/resource "aws_nat_gateway"/g).length, 3, "the private tier still needs NAT");
  await dataPublic.uncheck();
  assert.equal((await exported(page, "export-plan")).match(/map_public_ip_on_launch = true/g).length, 3);
  await page.getByTestId("plan-open-builder").click();
  await page.getByTestId("tool-page-vpc").waitFor();
  await page.waitForSelector("html[data-ready]");
  // The private tier's example instance reaches the internet through its AZ's NAT gateway.
  assert.equal(await text(page, "vpc-verdict"), "Reachable");
  assert.match(await page.getByTestId("vpc-hops").innerText(), /NAT gateway\s+nat-a/);
  const d = page.getByTestId("vpc-diagram");
  for (const id of ["subnet-public-a", "subnet-private-c", "subnet-data-b", "igw-main", "nat-a", "nat-c", "i-public", "i-private", "i-data"]) {
    assert.equal(await d.locator(`g[data-id="${id}"]`).count(), 1, id);
  }
  assert.match(await d.locator('g[data-id="subnet-private-c"]').textContent(), /0\.0\.0\.0\/0 → nat-c/);
  // Ask another question: the internet cannot start a connection to the private tier.
  await page.getByTestId("from").selectOption("internet");
  await page.getByTestId("to").selectOption("i-private");
  assert.equal(await text(page, "vpc-verdict"), "Not reachable");
  await page.getByTestId("vpc-code-NAT_OUTBOUND_ONLY").waitFor();
  // The builder exports the design the same way.
  await page.getByTestId("vpc-code").locator("summary").click();
  const tf = await exported(page, "export-vpc-code");
  assert.equal(tf.match(/resource "aws_nat_gateway"/g).length, 3);
  assert.match(tf, /resource "aws_instance" "i_private"/);
  await page.getByTestId("vpc-format-cloudformation").click();
  const cfn = JSON.parse(await exported(page, "export-vpc-code"));
  assert.equal(cfn.AWSTemplateFormatVersion, "2010-09-09");
  assert.equal(Object.values(cfn.Resources).filter((r) => r.Type === "AWS::EC2::Instance").length, 3);
  assert.deepEqual(problems, []);
  await context.close();
});

test("AWS check: violations explained with codes", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/cidr");
  await page.getByTestId("tab-aws").click();
  assert.equal(await page.getByTestId("aws-ok").count(), 1);
  await page.getByTestId("aws-v4").fill("10.0.0.0/16\n192.168.0.0/16");
  await page.getByTestId("aws-subnets").fill("web 10.0.0.0/24\napp 10.0.0.128/25\ntiny 10.0.1.0/29\nfar 10.9.0.0/24");
  for (const code of ["VPC_CIDR_RFC1918_MIX", "SUBNET_OVERLAP", "SUBNET_SIZE", "SUBNET_OUTSIDE_VPC"]) {
    assert.equal(await page.getByTestId(`finding-${code}`).count(), 1, code);
  }
  assert.match(await text(page, "finding-SUBNET_OVERLAP"), /overlaps web \(10\.0\.0\.0\/24\)/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("share links reproduce the planner exactly; broken links are explained", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/cidr");
  await page.getByTestId("explain-input").fill("172.31.5.9/20");
  await page.getByTestId("tab-plan").click();
  await page.getByTestId("plan-azs").selectOption("2");
  await urlWritten(page);
  const link = page.url();
  assert.match(link, /#\/cidr\?v=1&s=/);
  // Open the link in a fresh context: same tab, same inputs, same results.
  const other = await openPage(env.browser, env.server.origin);
  await gotoReady(other.page, link);
  assert.equal(await other.page.getByTestId("tab-plan").getAttribute("aria-selected"), "true");
  assert.equal(await other.page.getByTestId("plan-cidr").count(), 6);
  await other.page.getByTestId("tab-explain").click();
  assert.equal(await other.page.getByTestId("explain-input").inputValue(), "172.31.5.9/20");
  assert.equal(await text(other.page, "cidr-block"), "172.31.0.0/20");
  // A damaged link: a clear message and a working, empty calculator.
  await gotoReady(other.page, env.server.url + "#/cidr?v=1&s=%7Bbroken");
  assert.match(await text(other.page, "link-error"), /could not be opened: the link's data is damaged/);
  assert.equal(await text(other.page, "cidr-total"), "65,536");
  await gotoReady(other.page, env.server.url + "#/cidr?v=99&s=%7B%7D");
  assert.match(await text(other.page, "link-error"), /newer Stratus/);
  assert.deepEqual(other.problems, []);
  await other.context.close();
  assert.deepEqual(problems, []);
  await context.close();
});

test("the planner works in an iframe on another origin", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  // A slide on a second origin (another port) that embeds the planner.
  const src = env.server.url + "#/cidr?v=1&s=%7B%22explain%22:%2210.0.0.0/28%22%7D";
  const host = await serve(DIST, "/", { "/slide.html": `<!doctype html><title>slide</title><link rel="icon" href="data:,"><iframe id="f" src="${src}" width="900" height="700"></iframe>` });
  try {
    await page.goto(host.origin + "/slide.html");
    const frame = page.frameLocator("#f");
    await frame.getByTestId("cidr-usable-aws").waitFor();
    assert.equal(await frame.getByTestId("cidr-usable-aws").innerText(), "11");
  } finally {
    await host.close();
  }
  // The slide's own origin differs by design; everything else must be clean.
  assert.deepEqual(problems.filter((p) => !p.includes("request left the app's origin: " + host.origin)), []);
  await context.close();
});

test("tabs follow the ARIA tabs pattern from the keyboard", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/cidr");
  await page.getByTestId("tab-explain").focus();
  await page.keyboard.press("ArrowRight");
  assert.equal(await page.getByTestId("tab-subnets").getAttribute("aria-selected"), "true");
  assert.equal(await page.evaluate(() => document.activeElement.id), "tab-subnets");
  await page.keyboard.press("End");
  assert.equal(await page.evaluate(() => document.activeElement.id), "tab-aws");
  await page.keyboard.press("ArrowRight");
  assert.equal(await page.evaluate(() => document.activeElement.id), "tab-explain", "wraps around");
  // Only the selected tab is in the tab order.
  assert.deepEqual(await page.locator("[role=tab]").evaluateAll((ts) => ts.map((t) => t.tabIndex)), [0, -1, -1, -1, -1]);
  assert.deepEqual(problems, []);
  await context.close();
});

test("IPv6 subnet sizes: /44 to /64 in steps of 4, one rule for explain and the AWS check", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/cidr");
  const input = page.getByTestId("explain-input");
  await input.fill("2600:1f18:6b4:a00::/60");
  // 2^68 − 5 usable: a /60 is a valid AWS IPv6 subnet.
  assert.equal(await text(page, "cidr-usable-aws"), "295,147,905,179,352,825,851");
  await input.fill("2600:1f18:6b4:a00::/62");
  assert.equal(await text(page, "cidr-usable-aws"), "not a subnet size");
  const note = page.locator(".figure", { has: page.getByTestId("cidr-usable-aws") });
  assert.match(await note.innerText(), /\/44 to \/64 in steps of 4/);
  assert.deepEqual(problems, []);
  await context.close();
});
