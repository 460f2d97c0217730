#!/usr/bin/env node
// Size report of a built bundle: raw, gzip (level 9) and brotli (quality 11) bytes of every
// file, and of the first load (index.html plus every file it references).
// Usage: node scripts/size-report.mjs [dist] [--budget-gzip BYTES]
// Exits 1 when the first load, gzipped, exceeds the budget.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

const args = process.argv.slice(2);
const budgetAt = args.indexOf("--budget-gzip");
const budget = budgetAt >= 0 ? Number(args[budgetAt + 1]) : null;
const dist = args.find((a, i) => !a.startsWith("--") && i !== budgetAt + 1) ?? "dist";

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

function sizes(path) {
  const data = readFileSync(path);
  return {
    raw: data.length,
    gzip: gzipSync(data, { level: 9 }).length,
    brotli: brotliCompressSync(data, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
    }).length,
  };
}

const files = walk(dist).sort().map((path) => ({ name: relative(dist, path), ...sizes(path) }));
const index = readFileSync(join(dist, "index.html"), "utf8");
// Files the page fetches at start-up: referenced by href/src or by the loader's import/init.
const referenced = new Set(["index.html"]);
for (const m of index.matchAll(/(?:href|src)="([^"#?]+)"|'([^']+\.(?:js|wasm))'/g)) {
  const ref = (m[1] ?? m[2]).replace(/^.*\//, "");
  if (!ref) continue; // <base href="/"> and the like
  for (const f of files) if (f.name.endsWith(ref)) referenced.add(f.name);
}

const pad = (s, n) => String(s).padStart(n);
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`Size report for ${dist}/ (bytes)`);
console.log(`${"file".padEnd(48)}${pad("raw", 10)}${pad("gzip", 10)}${pad("brotli", 10)}  first load`);
for (const f of files) {
  console.log(`${f.name.padEnd(48)}${pad(f.raw, 10)}${pad(f.gzip, 10)}${pad(f.brotli, 10)}  ${referenced.has(f.name) ? "yes" : ""}`);
}
const first = files.filter((f) => referenced.has(f.name));
const total = (key) => first.reduce((sum, f) => sum + f[key], 0);
console.log(
  `first load: ${first.length} files, ${total("raw")} raw (${kib(total("raw"))}), ` +
    `${total("gzip")} gzip (${kib(total("gzip"))}), ${total("brotli")} brotli (${kib(total("brotli"))})`,
);
if (!first.some((f) => f.name.endsWith(".wasm"))) {
  console.error("size report: no .wasm file is referenced by index.html — is this a Trunk bundle?");
  process.exit(1);
}
if (budget !== null) {
  if (total("gzip") > budget) {
    console.error(`size budget exceeded: first load is ${total("gzip")} bytes gzip, budget ${budget}`);
    process.exit(1);
  }
  console.log(`within budget: ${total("gzip")} <= ${budget} bytes gzip`);
}
