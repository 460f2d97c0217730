#!/usr/bin/env node
// Size report of a built bundle: raw, gzip (level 9) and brotli (quality 11) bytes of every
// file, and the first load of every route: index.html, what it references, and the one wasm
// module (with its JS) that the route starts. The budget applies to the largest; a route
// budget (repeatable) to one module's first load.
// Usage: node scripts/size-report.mjs [dist] [--budget-gzip BYTES] [--route-budget MODULE=BYTES]...
// Exits 1 when any first load, gzipped, exceeds its budget.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

const args = process.argv.slice(2);
const budgetAt = args.indexOf("--budget-gzip");
const budget = budgetAt >= 0 ? Number(args[budgetAt + 1]) : null;
// --route-budget MODULE=BYTES, e.g. cidr=307206.
const routeBudgets = new Map();
args.forEach((a, i) => {
  if (a !== "--route-budget" && !a.startsWith("--route-budget=")) return;
  const value = a === "--route-budget" ? args[i + 1] ?? "" : a.slice("--route-budget=".length);
  const [name, bytes, extra] = value.split("=");
  if (!name || !(Number(bytes) > 0) || extra !== undefined) {
    console.error(`size report: --route-budget wants MODULE=BYTES, got "${value}"`);
    process.exit(2);
  }
  routeBudgets.set(name, Number(bytes));
});
const dist = args.find((a, i) => !a.startsWith("--") && !(i > 0 && args[i - 1].startsWith("--"))) ?? "dist";

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
// Files every visit fetches: index.html and what it references by href/src (styles, icon).
const common = new Set(["index.html"]);
for (const m of index.matchAll(/(?:href|src)="([^"#?]+)"/g)) {
  const ref = m[1].replace(/^.*\//, "");
  if (!ref) continue; // <base href="/"> and the like
  for (const f of files) if (f.name.endsWith(ref)) common.add(f.name);
}
// Plus the one wasm module (and its JS) of the route (src/app/modules.rs), from the table
// scripts/build-modules.mjs wrote into index.html.
const table = /window\.stratusModules = (\{.*?\});/.exec(index);
if (!table) {
  console.error("size report: index.html has no module table — is this a Stratus build (scripts/build-modules.mjs)?");
  process.exit(1);
}
const modules = JSON.parse(table[1]);
// Helper modules (no route; a page loads one on demand) are listed, not part of a first load.
const helpers = JSON.parse(/window\.stratusHelpers = (\{.*?\});/.exec(index)?.[1] ?? "{}");
const helperOf = (name) => Object.keys(helpers).find((m) => helpers[m].js === name || helpers[m].wasm === name);

const pad = (s, n) => String(s).padStart(n);
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const moduleOf = (name) => Object.keys(modules).find((m) => modules[m].js === name || modules[m].wasm === name);
console.log(`Size report for ${dist}/ (bytes)`);
console.log(`${"file".padEnd(48)}${pad("raw", 10)}${pad("gzip", 10)}${pad("brotli", 10)}  loaded`);
for (const f of files) {
  const when = common.has(f.name) ? "always" : moduleOf(f.name) ? `module ${moduleOf(f.name)}` : helperOf(f.name) ? `helper ${helperOf(f.name)}, on demand` : "";
  console.log(`${f.name.padEnd(48)}${pad(f.raw, 10)}${pad(f.gzip, 10)}${pad(f.brotli, 10)}  ${when}`);
}
const sum = (list, key) => list.reduce((s, f) => s + f[key], 0);
let worst = null;
const firstLoads = new Map();
console.log("first load by route (index.html, styles, icon, and the route's module):");
for (const [name, m] of Object.entries(modules)) {
  const list = files.filter((f) => common.has(f.name) || f.name === m.js || f.name === m.wasm);
  if (!list.some((f) => f.name === m.wasm)) {
    console.error(`size report: module ${name}'s ${m.wasm} is missing from ${dist}/`);
    process.exit(1);
  }
  const gz = sum(list, "gzip");
  console.log(
    `first load, ${name.padEnd(9)} ${list.length} files, ${sum(list, "raw")} raw (${kib(sum(list, "raw"))}), ` +
      `${gz} gzip (${kib(gz)}), ${sum(list, "brotli")} brotli (${kib(sum(list, "brotli"))})`,
  );
  if (!worst || gz > worst.gz) worst = { name, gz };
  firstLoads.set(name, gz);
}
let over = false;
for (const [name, limit] of routeBudgets) {
  const gz = firstLoads.get(name);
  if (gz === undefined) {
    console.error(`size report: --route-budget names ${name}, which is no module of this build`);
    over = true;
  } else if (gz > limit) {
    console.error(`size budget exceeded: the ${name} module's first load is ${gz} bytes gzip, its budget ${limit}`);
    over = true;
  } else {
    console.log(`within budget: ${name} is ${gz} <= ${limit} bytes gzip`);
  }
}
if (budget !== null) {
  if (worst.gz > budget) {
    console.error(`size budget exceeded: the ${worst.name} module's first load is ${worst.gz} bytes gzip, budget ${budget}`);
    over = true;
  } else {
    console.log(`within budget: the largest first load (${worst.name}) is ${worst.gz} <= ${budget} bytes gzip`);
  }
}
if (over) process.exit(1);
