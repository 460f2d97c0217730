// End-to-end tests of embed mode: a tool alone in an iframe on another origin.
import { test } from "node:test";
import assert from "node:assert/strict";
import { useAppServer, openPage, gotoReady, screenshot, DIST, urlWritten } from "./browser.mjs";
import { serve } from "./server.mjs";

const env = useAppServer(DIST);

// The embed code, once its link is written (the browser deflates the settings first).
async function embedCode(page) {
  await page.locator('[data-testid="export-embed"][aria-busy="false"]').waitFor();
  return page.getByTestId("export-embed").inputValue();
}

test("a read-only embed renders in an iframe on another origin and reports its height", async () => {
  const src = `${env.server.url}#/embed/dynamodb?v=1&s=%7B%22utilization%22%3A%2255%22%7D&ro=1`;
  const host = await serve(DIST, "/__none__/", {
    "/slide.html": `<!doctype html><title>slide</title><link rel="icon" href="data:,">
      <script>window.heights = []; addEventListener("message", (e) => { if (e.data && e.data.type === "stratus:height") window.heights.push(e.data); });</script>
      <iframe id="f" src="${src}" width="900" height="500"></iframe>`,
  });
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  try {
  await page.goto(host.origin + "/slide.html");
  const frame = page.frameLocator("#f");
  await frame.getByTestId("tool-page-dynamodb").waitFor();
  assert.equal(await frame.locator(".site-header, header.site-header, .site-footer").count(), 0, "no app chrome");
  assert.equal(await frame.getByTestId("utilization").inputValue(), "55");
  assert.equal(await frame.getByTestId("utilization").isDisabled(), true, "read-only");
  assert.equal(await frame.getByTestId("total-wcu").innerText(), "54 WCU");
  await page.waitForFunction(() => window.heights.length > 0 && window.heights.at(-1).height > 1000);
  const last = await page.evaluate(() => window.heights.at(-1));
  assert.equal(last.tool, "dynamodb");
  // The embed neither read nor wrote the viewer's sandboxes.
  const dbs = await frame.locator("html").evaluate(() => indexedDB.databases().then((l) => l.map((d) => d.name)));
  assert.deepEqual(dbs, []);
  await screenshot(page, "embed-slide");
  } finally {
    await host.close();
  }
  // The slide's own origin differs by design; everything else must be clean.
  assert.deepEqual(problems.filter((p) => !p.includes("request left the app's origin: " + host.origin)), []);
  await context.close();
});

test("the embed code button and the demo slide", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/lambda");
  await page.getByTestId("memory").fill("1024");
  await page.waitForTimeout(500);
  await page.getByTestId("embed-open").click();
  const code = await embedCode(page);
  // The settings travel compact (z=, deflated) when that is shorter than s=.
  assert.match(code, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/#\/embed\/lambda\?v=1&amp;[sz]=[^"]+&amp;ro=1" title="Stratus: Lambda cost"/);
  const src = code.match(/src="([^"]+)"/)[1].replaceAll("&amp;", "&");
  const shown = await openPage(env.browser, env.server.origin);
  await gotoReady(shown.page, src);
  assert.equal(await shown.page.getByTestId("memory").inputValue(), "1024");
  assert.deepEqual(shown.problems, []);
  await shown.context.close();
  await page.getByTestId("embed-readonly").uncheck();
  const editable = await embedCode(page);
  assert.doesNotMatch(editable, /ro=1/);
  // Closed, the page edited, opened again: the code carries the page's settings as they are
  // now, and the options as they were set.
  await page.getByTestId("embed-open").click();
  await page.getByTestId("memory").fill("2048");
  await page.waitForTimeout(500);
  await page.getByTestId("embed-open").click();
  await page.waitForFunction((before) => {
    const area = document.querySelector('[data-testid="export-embed"][aria-busy="false"]');
    return area && area.value !== before;
  }, editable);
  const reopened = await embedCode(page);
  assert.doesNotMatch(reopened, /ro=1/);
  const again = await openPage(env.browser, env.server.origin);
  await gotoReady(again.page, reopened.match(/src="([^"]+)"/)[1].replaceAll("&amp;", "&"));
  assert.equal(await again.page.getByTestId("memory").inputValue(), "2048");
  await again.context.close();
  await page.goto(env.server.url + "static/embed-demo.html");
  const frames = page.locator("iframe[data-stratus]");
  assert.equal(await frames.count(), 2);
  await page.frameLocator("iframe[data-stratus] >> nth=0").getByTestId("tool-page-dynamodb").waitFor();
  await page.frameLocator("iframe[data-stratus] >> nth=1").getByTestId("now-total").waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll("iframe[data-stratus]")].every((f) => parseInt(f.style.height) > 700));
  await screenshot(page, "embed-demo");
  assert.deepEqual(problems, []);
  await context.close();
});

test("“Open in Stratus” opens exactly what the embed shows", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  // A read-only embed with settings: the link carries them, without ro=1.
  const state = "v=1&s=%7B%22memory_mb%22%3A%221536%22%7D";
  await gotoReady(page, `${env.server.url}#/embed/lambda?${state}&ro=1`);
  const link = page.getByTestId("embed-open-link");
  await link.focus();
  const roHref = await link.getAttribute("href");
  assert.ok(roHref.startsWith(`${env.server.url}#/lambda?v=1&s=`), roHref);
  assert.match(decodeURIComponent(roHref), /"memory_mb":"1536"/);
  assert.doesNotMatch(roHref, /ro=1/);
  // An interactive embed: settings changed in the embed are in the link when it is used.
  await gotoReady(page, `${env.server.url}#/embed/lambda`);
  await page.getByTestId("memory").fill("2048");
  await urlWritten(page);
  await link.hover();
  await link.focus();
  const href = await link.getAttribute("href");
  assert.match(href, /#\/lambda\?v=1&s=.*2048/);
  const opened = await context.newPage();
  await gotoReady(opened, href);
  assert.equal(await opened.getByTestId("memory").inputValue(), "2048");
  assert.equal(await opened.getByTestId("page-title").innerText(), "Lambda cost");
  assert.deepEqual(problems, []);
  await context.close();
});

test("embed options: dark and presenter from the URL inside a cross-site iframe; the panel closes on Escape and outside clicks", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin, { viewport: { width: 1280, height: 720 } });
  await gotoReady(page, env.server.url + "#/lambda");
  await page.getByTestId("embed-open").click();
  await page.getByTestId("embed-theme").selectOption("dark");
  await page.getByTestId("embed-presenter").check();
  const code = await embedCode(page);
  assert.match(code, /[?;]ro=1&amp;theme=dark&amp;presenter=1"/);
  assert.match(await page.getByTestId("embed-help").getAttribute("href"), /static\/embed-demo\.html$/);
  // Escape closes the panel and gives the focus back to its button.
  await page.getByTestId("embed-theme").focus();
  await page.keyboard.press("Escape");
  assert.equal(await page.getByTestId("embed-panel").count(), 0);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), "embed-open");
  // Escape also works with the focus still on the button that opened it.
  await page.getByTestId("embed-open").press("Enter");
  assert.equal(await page.getByTestId("embed-panel").count(), 1);
  // The options set before closing are still set.
  assert.equal(await page.getByTestId("embed-presenter").isChecked(), true);
  assert.equal(await page.getByTestId("embed-theme").inputValue(), "dark");
  await page.keyboard.press("Escape");
  assert.equal(await page.getByTestId("embed-panel").count(), 0);
  // A click outside closes it too; a click inside does not.
  await page.getByTestId("embed-open").click();
  await page.getByTestId("embed-readonly").click();
  assert.equal(await page.getByTestId("embed-panel").count(), 1);
  await page.getByTestId("page-title").click();
  assert.equal(await page.getByTestId("embed-panel").count(), 0);
  // The embed on a page of another origin (about:blank here): theme and presenter apply.
  const src = code.match(/src="([^"]+)"/)[1].replaceAll("&amp;", "&");
  const slide = await context.newPage();
  await slide.setContent(`<h1>Slide</h1><iframe src="${src}" style="width:1200px;height:600px;border:0"></iframe>`);
  const frame = slide.frameLocator("iframe");
  await frame.getByTestId("tool-page-lambda").waitFor();
  const attrs = await slide.frames()[1].evaluate(() => [document.documentElement.dataset.theme, document.documentElement.dataset.presenter]);
  assert.deepEqual(attrs, ["dark", "on"]);
  await screenshot(slide, "embed-dark-presenter");
  // "Open in Stratus" drops the embed-only options.
  const open = await frame.getByTestId("embed-open-link").getAttribute("href");
  assert.doesNotMatch(open, /theme=|presenter=|ro=/);
  assert.deepEqual(problems, []);
  await context.close();
});

const SECTIONS = {
  cidr: ["tab"],
  dynamodb: ["item", "request", "workload", "cost"],
  lambda: ["inputs", "bill", "provisioned"],
  "drive-failure": ["one-drive", "fleet", "redundancy"],
  vpc: ["analyzer", "diagram", "design", "checklist"],
  iam: ["requests", "policies", "scenarios"],
};

test("section=<id> shows that part alone, without the page header, at slide size", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin, { viewport: { width: 1280, height: 720 } });
  for (const [tool, sections] of Object.entries(SECTIONS)) {
    for (const section of sections) {
      await gotoReady(page, `${env.server.url}#/embed/${tool}?section=${section}&ro=1`);
      await page.reload();
      await page.waitForSelector("html[data-ready]");
      assert.equal(await page.getByTestId("page-title").isVisible(), false, `${tool} ${section}: no header`);
      const shown = page.locator(`[data-embed~="${section}"]`).first();
      assert.equal(await shown.isVisible(), true, `${tool} ${section}: the part is shown`);
      const box = await shown.boundingBox();
      assert.ok(box.y < 100, `${tool} ${section}: the part starts at the top (${box.y})`);
      const others = await page.locator(`[data-embed]:not([data-embed~="${section}"])`).evaluateAll((els) => els.filter((e) => e.offsetParent !== null).length);
      assert.equal(others, 0, `${tool} ${section}: the other parts are hidden`);
    }
  }
  // An unknown section (a typo in a slide) shows the whole tool, not a blank frame.
  await gotoReady(page, `${env.server.url}#/embed/vpc?section=nope&ro=1`);
  await page.reload();
  await page.waitForSelector("html[data-ready]");
  assert.equal(await page.getByTestId("page-title").isVisible(), true);
  assert.equal(await page.getByTestId("vpc-verdict").isVisible(), true);
  // The answer of a lecture's examples fits the slide: the bill, the verdict.
  await gotoReady(page, `${env.server.url}#/embed/lambda?section=bill&ro=1`);
  await page.reload();
  await page.waitForSelector("html[data-ready]");
  const total = await page.getByTestId("now-total").boundingBox();
  assert.ok(total && total.y + total.height < 720, "the bill's total is above the fold");
  await screenshot(page, "embed-section-bill");
  await gotoReady(page, `${env.server.url}#/embed/vpc?section=analyzer&ro=1`);
  await page.reload();
  await page.waitForSelector("html[data-ready]");
  const verdict = await page.getByTestId("vpc-verdict").boundingBox();
  assert.ok(verdict && verdict.y + verdict.height < 720, "the verdict is above the fold");
  await screenshot(page, "embed-section-vpc");
  // The Embed panel offers the parts and writes section= into the code.
  await gotoReady(page, `${env.server.url}#/vpc`);
  await page.getByTestId("embed-open").click();
  await page.getByTestId("embed-section").selectOption("analyzer");
  assert.match(await embedCode(page), /section=analyzer"/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a read-only embed locks the design, not exploration", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  // VPC: the design is locked; the question, the checklist and the diagram are not.
  await gotoReady(page, `${env.server.url}#/embed/vpc?ro=1`);
  assert.equal(await page.getByTestId("template").isDisabled(), true);
  assert.equal(await page.getByTestId("reset").isDisabled(), true);
  assert.equal(await page.getByTestId("from").isDisabled(), false);
  await page.getByTestId("port").fill("22");
  assert.equal(await page.getByTestId("vpc-verdict").innerText(), "Not reachable");
  await page.getByTestId("select-sg-web").click();
  assert.equal(await page.getByTestId("delete-selected").isDisabled(), true);
  // CIDR: the tabs work, the lecturer's inputs do not change.
  await gotoReady(page, `${env.server.url}#/embed/cidr?ro=1`);
  assert.equal(await page.getByTestId("explain-input").isDisabled(), true);
  await page.getByTestId("tab-plan").click();
  assert.equal(await page.getByTestId("tab-plan").getAttribute("aria-selected"), "true");
  // A calculator: inputs locked, "Show the math" opens.
  await gotoReady(page, `${env.server.url}#/embed/lambda?ro=1`);
  assert.equal(await page.getByTestId("memory").isDisabled(), true);
  const math = page.locator("details summary").first();
  await math.click();
  assert.equal(await page.locator("details").first().getAttribute("open"), "");
  // IAM: policies locked, requests to evaluate open.
  await gotoReady(page, `${env.server.url}#/embed/iam?ro=1`);
  assert.equal(await page.getByTestId("clear").isDisabled(), true);
  assert.equal(await page.locator("[data-embed=policies] textarea").first().isDisabled(), true);
  assert.equal(await page.locator("[data-embed=requests] input").first().isDisabled(), false);
  assert.deepEqual(problems, []);
  await context.close();
});
