#!/usr/bin/env node
// What a wasm module is made of: binds a release build's module as the build does, shrinks
// it with the same wasm-opt flags but keeps function names (-g), and sums twiggy's sizes by
// crate (Stratus by module path). Not part of the tests; numbers for docs/size.md.
// Needs twiggy (cargo install twiggy) and a release wasm32 build of the module's binary,
// built as scripts/build-modules.mjs builds it (std with the app, trapping at a panic;
// without these flags the module is ~11% larger than what ships):
//   RUSTC_BOOTSTRAP=1 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort" \
//   cargo build --release --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort \
//     -Zbuild-std-features=optimize_for_size --bin stratus   # the shell
//   node scripts/size-breakdown.mjs stratus [--depth 2] [--top 40]
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

// std's crates, and primitive types whose methods std defines (`<f64 as Display>::fmt`).
const STD = new Set(["core", "alloc", "std", "str", "char", "f32", "f64", "u8", "u16", "u32", "u64", "usize", "i8", "i16", "i32", "i64", "isize"]);

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const opt = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : fallback; };
const bin = args.find((a, i) => !a.startsWith("--") && !(i > 0 && args[i - 1].startsWith("--"))) ?? "stratus";
const depth = opt("--depth", 2);
const top = opt("--top", 40);
const target = resolve(root, process.env.CARGO_TARGET_DIR ?? "target");
const wasm = join(target, "wasm32-unknown-unknown", "release", `${bin}.wasm`);
const env = { ...process.env, PATH: `${join(root, "scripts", "bin")}:${process.env.HOME}/.cargo/bin:${process.env.PATH}` };
const tmp = mkdtempSync(join(tmpdir(), "stratus-size-"));
try {
  execFileSync("wasm-bindgen", ["--target", "web", "--no-typescript", "--out-dir", tmp, "--out-name", "m", wasm], { env });
  // The build's flags (scripts/build-modules.mjs) plus -g: names kept for the breakdown.
  execFileSync("wasm-opt", ["-Oz", "-g", "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext",
    "--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue", "-o", join(tmp, "o.wasm"), join(tmp, "m_bg.wasm")], { env });
  const csv = execFileSync("twiggy", ["top", "-n", "1000000", "--format", "csv", join(tmp, "o.wasm")], { env, maxBuffer: 1 << 28 }).toString();
  const sums = new Map();
  let total = 0;
  for (const line of csv.split("\n").slice(1)) {
    // Name,ShallowSize,ShallowSizePercent,RetainedSize,RetainedSizePercent (a quoted name
    // doubles its quotes).
    const m = /^("(?:[^"]|"")*"|[^,]*),(\d+),/.exec(line);
    if (!m) continue;
    const name = m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1];
    const bytes = Number(m[2]);
    if (/^custom section|function names" subsection|^"name" section/.test(name)) continue;
    total += bytes;
    sums.set(category(name), (sums.get(category(name)) ?? 0) + bytes);
  }
  const optimized = readFileSync(join(tmp, "o.wasm"));
  console.log(`${bin}: ${total} bytes of code and data (${gzipSync(optimized, { level: 9 }).length} gzip with names)`);
  for (const [name, bytes] of [...sums].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${String(bytes).padStart(9)} ${(100 * bytes / total).toFixed(1).padStart(5)}%  ${name}`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

// The crate a function belongs to: the first path of its name, looking through `<impl X
// for Y>` to X's crate (a component's Yew lifecycle code counts as Yew's).
function category(name) {
  if (name.startsWith("data segment")) return "data segments (strings, tables)";
  if (/^(import|export|elem|table|memory|global|type)\b/.test(name) || /^code\[\d+\]$/.test(name)) return "wasm-bindgen glue, imports and tables";
  const path = /([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?((?:::[a-z_][a-z0-9_]*)*)/.exec(name.replace(/^<+(&(mut )?)?/, ""));
  if (!path) return "other";
  const crate = path[1];
  if (crate === "stratus") return "stratus" + path[2].split("::").slice(0, depth + 1).join("::");
  if (STD.has(crate)) return "Rust std (core, alloc: formatting, collections, strings)";
  if (["serde", "serde_core", "serde_json"].includes(crate)) return "serde + serde_json";
  return crate;
}
