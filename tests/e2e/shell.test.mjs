// End-to-end tests of the app shell on the release bundle (dist/), served from 127.0.0.1.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { useAppServer, openPage, gotoReady, screenshot, DESKTOP, PHONE, DIST, ROOT, settled } from "./browser.mjs";

// The registry in the domain core is the source of truth for the tool routes.
// (`TOOLS`, not the `ABOUT` table after it, which repeats the ids.)
const REGISTRY = readFileSync(join(ROOT, "src/core/tools.rs"), "utf8").split("pub const ABOUT")[0].split("pub const TOOLS")[1];
const TOOL_IDS = [...REGISTRY.matchAll(/^\s+id: "([a-z-]+)",$/gm)].map((m) => m[1]);

// Tools whose registry status is Available.
const BUILT = ["cidr", "drive-failure", "lambda", "dynamodb", "sandboxes", "vpc", "iam", "flow", "console"];

const env = useAppServer(DIST);

test("the registry lists the eight planned tools", () => {
  assert.deepEqual(TOOL_IDS, ["cidr", "dynamodb", "lambda", "drive-failure", "vpc", "iam", "flow", "console", "sandboxes"]);
});

const ROUTES = () => [
  { name: "home", hash: "#/", heading: /Learn AWS by trying it/ },
  ...TOOL_IDS.map((id) => ({ name: id, hash: `#/${id}`, heading: /./, testid: `tool-page-${id}` })),
  { name: "not-found", hash: "#/no-such-page", heading: /There is no page at this address/ },
];

for (const [label, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
  for (const scheme of ["light", "dark"]) {
    test(`every route renders cleanly (${label}, ${scheme})`, async () => {
      const { context, page, problems } = await openPage(env.browser, env.server.origin, { viewport, colorScheme: scheme });
      for (const route of ROUTES()) {
        await gotoReady(page, env.server.url + route.hash);
        const h1 = page.locator("main h1");
        await h1.waitFor();
        assert.match(await h1.innerText(), route.heading, route.name);
        if (route.testid) assert.equal(await page.getByTestId(route.testid).count(), 1, route.name);
        // Nothing may overflow sideways, down to phone width.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `${route.name} overflows by ${overflow}px at ${viewport.width}px`);
        assert.ok((await page.title()).endsWith("Stratus") || (await page.title()).startsWith("Stratus"), await page.title());
        await screenshot(page, `${route.name}-${label}-${scheme}`);
      }
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
}

test("index.html picks the module of every route as the router reads it (core::tools::route_of's table)", async () => {
  const source = readFileSync(join(ROOT, "src/core/tools.rs"), "utf8");
  const table = source.split("fn fragment_paths_route_as_the_router_reads_them")[1].split("] {")[0];
  const routes = JSON.parse(/var ROUTES = (\{[^}]*\});/.exec(readFileSync(join(ROOT, "index.html"), "utf8"))[1]);
  const cases = [...table.matchAll(/\("([^"]*)", (Home|NotFound|tool\("([^"]*)"\)|Embed\("([^"]*)"\.into\(\)\))\)/g)].map((m) => {
    const id = m[3] ?? m[4];
    return { path: m[1], module: id !== undefined && Object.hasOwn(routes, id) ? routes[id] : "shell" };
  });
  assert.ok(cases.length >= 15, `read ${cases.length} cases`);
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url);
  for (const { path, module } of cases) {
    for (const hash of [`#${path}`, `#${path}?v=1&s=x`]) {
      assert.equal(await page.evaluate((h) => window.stratusModuleFor(h), hash), module, hash);
    }
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("a path no page has, reached from a tool's page, is the shell's not-found page; a percent-encoded tool id opens the tool", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  for (const [from, to] of [["#/cidr", "#/cidr/extra"], ["#/vpc", "#/no-such-page"], ["#/lambda", "#/embed/lambda/x"]]) {
    await gotoReady(page, env.server.url + from);
    await page.evaluate((to) => { location.hash = to; }, to);
    await settled(page);
    assert.equal(await page.evaluate(() => document.documentElement.getAttribute("data-module")), "shell", to);
    assert.match(await page.locator("main h1").innerText(), /There is no page at this address/, to);
  }
  await gotoReady(page, env.server.url + "#/ci%64r");
  assert.equal(await page.evaluate(() => document.documentElement.getAttribute("data-module")), "cidr");
  assert.equal(await page.getByTestId("tool-page-cidr").count(), 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test("home links every tool, and a card leads to its page", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url);
  const navTargets = await page.locator("nav[aria-label=Tools] a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  assert.deepEqual(navTargets, TOOL_IDS.map((id) => `#/${id}`));
  for (const id of TOOL_IDS) {
    const card = page.getByTestId(`tool-card-${id}`);
    assert.equal(await card.count(), 1, id);
    assert.equal(await card.getByTestId("tool-status").innerText(), BUILT.includes(id) ? "Ready" : "Coming soon", id);
  }
  // Click through a card: the URL fragment changes, the page and current nav item follow.
  await page.getByTestId("tool-card-vpc").getByRole("link").click();
  await page.waitForURL(/#\/vpc$/);
  await settled(page);
  assert.equal(await page.getByTestId("page-title").innerText(), "VPC builder and reachability");
  assert.equal(await page.locator('nav a[aria-current="page"]').innerText(), "VPC");
  assert.equal(await page.title(), "VPC builder and reachability · Stratus");
  // Every tool is built; a coming-soon page would show no figures (tests/web.rs checks that
  // for any tool whose status is ComingSoon).
  assert.doesNotMatch(await page.locator("main").innerText(), /not built yet/);
  // Back button returns home.
  await page.goBack();
  await page.waitForURL((u) => !u.hash.includes("vpc"));
  await settled(page);
  assert.match(await page.locator("main h1").innerText(), /Learn AWS/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("theme toggle cycles system → light → dark → system and is remembered", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin, { colorScheme: "dark" });
  await gotoReady(page, env.server.url);
  const theme = () => page.evaluate(() => document.documentElement.getAttribute("data-theme"));
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const toggle = page.getByTestId("theme-toggle");

  assert.equal(await theme(), null);
  const systemDark = await bg();
  await toggle.click();
  assert.equal(await theme(), "light");
  const light = await bg();
  assert.notEqual(light, systemDark, "light theme must change the background");
  await toggle.click();
  assert.equal(await theme(), "dark");
  assert.equal(await bg(), systemDark, "explicit dark matches the system dark scheme");

  // Remembered across a reload, applied before the app starts.
  await page.reload();
  await page.waitForSelector("html[data-ready]");
  assert.equal(await theme(), "dark");
  assert.equal(await toggle.getAttribute("data-theme-choice"), "dark");
  await toggle.click();
  assert.equal(await theme(), null);
  assert.equal(await page.evaluate(() => localStorage.getItem("stratus.theme")), "system");
  assert.deepEqual(problems, []);
  await context.close();
});

test("presenter mode enlarges type and is remembered", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url + "#/cidr");
  const fontSize = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  const h1Size = () => page.evaluate(() => parseFloat(getComputedStyle(document.querySelector("main h1")).fontSize));
  const toggle = page.getByTestId("presenter-toggle");
  const before = { root: await fontSize(), h1: await h1Size() };
  assert.equal(await toggle.getAttribute("aria-pressed"), "false");
  await toggle.click();
  assert.equal(await toggle.getAttribute("aria-pressed"), "true");
  assert.ok((await fontSize()) >= before.root * 1.3, "root type grows by at least 30%");
  assert.ok((await h1Size()) > before.h1, "headings grow too");
  await screenshot(page, "cidr-desktop-presenter");
  await page.reload();
  await page.waitForSelector("html[data-ready]");
  assert.equal(await page.evaluate(() => document.documentElement.getAttribute("data-presenter")), "on");
  await toggle.click();
  assert.equal(await page.evaluate(() => document.documentElement.getAttribute("data-presenter")), null);
  assert.deepEqual(problems, []);
  await context.close();
});

test("keyboard: skip link, tab order and Enter on a nav link", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url);
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Skip to content");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.id), "main");
  // From the top: skip link, brand, theme, presenter, then the first tool in the nav.
  await page.evaluate(() => document.activeElement.blur());
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.locator(".skip-link").focus();
  for (let i = 0; i < 4; i++) await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("href")), "#/cidr");
  await page.keyboard.press("Enter");
  await page.waitForURL(/#\/cidr$/);
  await settled(page);
  assert.equal(await page.evaluate(() => document.activeElement.id), "main", "focus moves to the new page");
  // Controls are real buttons and work from the keyboard.
  await page.getByTestId("presenter-toggle").focus();
  await page.keyboard.press("Space");
  assert.equal(await page.getByTestId("presenter-toggle").getAttribute("aria-pressed"), "true");
  assert.deepEqual(problems, []);
  await context.close();
});

test("landmarks and labels are in place", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url);
  assert.equal(await page.locator("header.site-header").count(), 1);
  assert.equal(await page.locator("main#main").count(), 1);
  assert.equal(await page.locator("footer").count(), 1);
  assert.equal(await page.getByRole("navigation", { name: "Tools" }).count(), 1);
  assert.equal(await page.locator("html").getAttribute("lang"), "en");
  for (const button of await page.locator("button").all()) {
    const name = (await button.getAttribute("aria-label")) ?? (await button.innerText());
    assert.ok(name.trim().length > 0, "every button has an accessible name");
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("the app makes no request beyond its own files", async () => {
  const { context, page, problems, requests } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url);
  for (const id of TOOL_IDS) {
    await page.locator(`nav a[href="#/${id}"]`).click();
    await page.waitForURL(new RegExp(`#/${id}$`));
    await settled(page);
  }
  await page.waitForTimeout(300);
  assert.ok(requests.length > 0);
  for (const url of requests) assert.ok(url.startsWith(env.server.origin + "/"), url);
  // Loading the app fetches index.html, the stylesheet, the icon and the route's module (JS
  // glue and wasm; each tool and the sandboxes page have their own, the shell serves home), and
  // the helper modules a route draws with (the VPC builder's editor, mounted once the page has
  // drawn itself): nothing else, since routes live in the fragment.
  const distinct = [...new Set(requests.map((u) => new URL(u).pathname.replace(/-[0-9a-f]{8,16}(?=[._])/, "")))].sort();
  const modules = ["", "-cidr", "-console", "-drive", "-dynamodb", "-flow", "-helper-vpc-editor", "-iam", "-lambda", "-sandboxes", "-vpc"].flatMap((m) => [`/stratus${m}.js`, `/stratus${m}_bg.wasm`]);
  assert.deepEqual(distinct, ["/", "/favicon.svg", "/main.css", ...modules].sort());
  assert.deepEqual(problems, []);
  await context.close();
});

test("nothing overflows sideways at 360 px, the narrowest supported width", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin, { viewport: { width: 360, height: 740 } });
  for (const route of ROUTES()) {
    await gotoReady(page, env.server.url + route.hash);
    for (const presenter of [false, true]) {
      await page.evaluate((on) => on ? document.documentElement.setAttribute("data-presenter", "on") : document.documentElement.removeAttribute("data-presenter"), presenter);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${route.name} (presenter ${presenter}) overflows by ${overflow}px at 360px`);
      if (presenter) await screenshot(page, `${route.name}-360-presenter`);
    }
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("the home page's first hour: each step opens its tool on the example", async () => {
  const { context, page, problems } = await openPage(env.browser, env.server.origin);
  await gotoReady(page, env.server.url);
  assert.equal(await page.getByTestId("first-hour").locator("li").count(), 5);
  await page.getByTestId("path-step-3").click();
  await page.waitForFunction(() => document.documentElement.dataset.module === "vpc" && document.documentElement.dataset.ready);
  await page.getByTestId("vpc-verdict").waitFor();
  assert.equal(await page.getByTestId("port").inputValue(), "22");
  assert.equal(await page.getByTestId("vpc-verdict").innerText(), "Not reachable");
  await page.goBack();
  await page.waitForFunction(() => document.documentElement.dataset.module === "shell" && document.documentElement.dataset.ready);
  await page.getByTestId("path-step-1").click();
  await page.waitForFunction(() => document.documentElement.dataset.module === "cidr" && document.documentElement.dataset.ready);
  assert.equal(await page.getByTestId("tab-plan").getAttribute("aria-selected"), "true");
  assert.deepEqual(problems, []);
  await context.close();
});
