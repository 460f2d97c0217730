#!/usr/bin/env node
// Renders the app's install icons (static/icon-*.png, named in static/manifest.webmanifest)
// from static/favicon.svg with the e2e tests' Chromium. The PNGs are committed; run this
// again only when the favicon changes: node scripts/make-icons.mjs
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { launch, ROOT } from "../tests/e2e/browser.mjs";

const svg = readFileSync(join(ROOT, "static", "favicon.svg"), "utf8");
// The cloud alone, for the maskable icon: a full-bleed square whose mark stays inside the
// central 80% circle that platforms may crop to (https://w3c.github.io/manifest/#icon-masks).
const cloud = /<path[^>]*\/>/.exec(svg)[0];
const maskable = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" fill="#1f4fd1"/><g transform="translate(16 16) scale(0.62) translate(-16 -16)">${cloud}</g></svg>`;

const browser = await launch();
for (const [name, size, image] of [
  ["icon-192.png", 192, svg],
  ["icon-512.png", 512, svg],
  ["icon-maskable-512.png", 512, maskable],
]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${image}`);
  await page.screenshot({ path: join(ROOT, "static", name), omitBackground: true });
  await page.close();
  console.log(`static/${name}: ${size}×${size}`);
}
await browser.close();
