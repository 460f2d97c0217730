import { test } from "node:test";
import { launch, openPage, gotoReady, PHONE } from "./browser.mjs";
import { serve } from "./server.mjs";
test("shots", async () => {
  const server = await serve(process.env.STRATUS_DIST);
  const browser = await launch();
  for (const [name, opts] of [["desk-dark", { colorScheme: "dark" }], ["phone-light", { viewport: PHONE }]]) {
    const { page, context } = await openPage(browser, undefined, opts);
    const errs = []; page.on("pageerror", (e) => errs.push(e.message));
    await gotoReady(page, server.url + "#/vpc");
    await page.getByTestId("select-sg-web").click();
    await page.getByTestId("inspector-group").waitFor();
    await page.getByTestId("editor-panel").screenshot({ path: `/tmp/shot-${name}-editor.png` });
    await page.getByTestId("create-form").waitFor();
    await page.locator("[data-embed=design]").last().screenshot({ path: `/tmp/shot-${name}-edit.png` });
    console.log("ERRS", name, errs);
    await context.close();
  }
  // loading state: delay the helper's wasm
  const { page, context } = await openPage(browser);
  await page.route(/vpc-editor.*\.wasm/, async (r) => { await new Promise((ok) => setTimeout(ok, 3000)); await r.continue(); });
  await gotoReady(page, server.url + "#/vpc");
  await page.getByTestId("editor-loading").waitFor();
  await page.locator("[data-embed=design]").last().screenshot({ path: `/tmp/shot-loading.png` });
  await context.close();
  await browser.close(); await server.close();
});
