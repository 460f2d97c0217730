#!/usr/bin/env node
// Trunk post_build hook (Trunk.toml): builds every wasm module of the app and writes them
// into Trunk's staging directory with content-hashed names, then puts the module table
// into index.html for its loader.
//
// Each `[[bin]]` of Cargo.toml is one module: `stratus` is the shell (home),
// `stratus-<name>` carries one tool or the sandboxes page (src/app/modules.rs). One cargo invocation builds them
// all (the library is compiled once); each is bound with wasm-bindgen (--target web) and, in
// release builds, shrunk with wasm-opt -Oz. The cargo it runs is the one Trunk was started
// with (scripts/lib.sh's wasm_env picks the toolchain route); STRATUS_FEATURES passes cargo
// features (e.g. test-hooks for the e2e crash test). A release build also minifies the JS
// glue, the stylesheet and index.html's inline scripts with esbuild (tests/e2e's packages).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error("build-modules: run by Trunk (TRUNK_STAGING_DIR is not set); see Trunk.toml");
  process.exit(2);
}
const release = process.env.TRUNK_PROFILE === "release";
// esbuild comes with the Node packages scripts/lib.sh installs (tests/e2e/package-lock.json).
const esbuild = release ? createRequire(join(root, "tests", "e2e", "package.json"))("esbuild") : null;
// A classic script keeps its top-level names (they are globals); a module's are its own.
const minifyJs = (code, module = true) => esbuild.transformSync(code, { loader: "js", minify: true, target: "es2022", legalComments: "none", ...(module ? { format: "esm" } : {}) }).code;
const features = process.env.STRATUS_FEATURES ?? "";
// The same wasm features as rustc's default target (and Trunk's former data-wasm-opt-params).
const WASM_OPT = ["-Oz", "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext",
  "--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue"];

const cargoToml = readFileSync(join(root, "Cargo.toml"), "utf8");
const bins = [...cargoToml.matchAll(/^\[\[bin\]\]\s*\nname = "([^"]+)"/gm)].map((m) => m[1]);
const appVersion = cargoToml.match(/^version = "([^"]+)"/m)[1];
const run = (cmd, args, env = process.env) => execFileSync(cmd, args, { cwd: root, stdio: "inherit", env });

const cargoArgs = ["build", "--target", "wasm32-unknown-unknown", "--bins"];
if (release) cargoArgs.push("--release");
if (features) cargoArgs.push("--features", features);
// A release build compiles std with the app (-Zbuild-std) so that a panic is a trap at once
// (-Cpanic=immediate-abort: no panic messages, locations or their formatting linked) and
// std takes its size-optimized paths (optimize_for_size). Every module is ~11% smaller
// (docs/size.md). A trap shows index.html's crash banner, with the wasm stack instead of the
// panic message. It needs std's source: rustup's rust-src component, or Debian's
// rust-web-src on the fallback route (scripts/lib.sh installs either). STRATUS_BUILD_STD=0
// builds with the prebuilt std and keeps panic messages, for debugging a release build.
const cargoEnv = { ...process.env };
if (release && process.env.STRATUS_BUILD_STD !== "0") {
  const rustc = process.env.RUSTC ?? "rustc";
  const sysroot = execFileSync(rustc, ["--print", "sysroot"], { encoding: "utf8" }).trim();
  if (existsSync(join(sysroot, "lib", "rustlib", "src", "rust", "library", "std", "Cargo.toml"))) {
    // -Z flags on a stable toolchain, as the Debian route already does (TOOLCHAIN.md).
    cargoEnv.RUSTC_BOOTSTRAP = "1";
    // Cargo reads the first of these that is set: the flags join that one.
    const abort = ["-Zunstable-options", "-Cpanic=immediate-abort"];
    if (process.env.CARGO_ENCODED_RUSTFLAGS !== undefined) {
      cargoEnv.CARGO_ENCODED_RUSTFLAGS = [process.env.CARGO_ENCODED_RUSTFLAGS, ...abort].filter(Boolean).join("\x1f");
    } else if (process.env.RUSTFLAGS !== undefined) {
      cargoEnv.RUSTFLAGS = [process.env.RUSTFLAGS, ...abort].filter(Boolean).join(" ");
    } else {
      const flags = "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS";
      cargoEnv[flags] = [process.env[flags], ...abort].filter(Boolean).join(" ");
    }
    cargoArgs.push("-Zbuild-std=std,panic_abort", "-Zbuild-std-features=optimize_for_size");
  } else {
    console.warn(`build-modules: std's source is not installed (rustup component add rust-src): building with the prebuilt std, modules ~11% larger`);
  }
}
run("cargo", cargoArgs, cargoEnv);

const targetDir = resolve(root, process.env.CARGO_TARGET_DIR ?? "target");
const out = join(targetDir, "wasm32-unknown-unknown", release ? "release" : "debug");
const modules = {};
// Helper modules (`stratus-helper-<name>`) have no page: a page loads one on demand through
// index.html's stratusHelper(name) (docs/ARCHITECTURE.md, "Helper modules").
const helpers = {};
for (const bin of bins) {
  const helper = bin.startsWith("stratus-helper-");
  const name = bin === "stratus" ? "shell" : bin.replace(/^stratus-(helper-)?/, "");
  const tmp = mkdtempSync(join(tmpdir(), "stratus-bindgen-"));
  run("wasm-bindgen", ["--target", "web", "--no-typescript", "--out-dir", tmp, "--out-name", bin, join(out, `${bin}.wasm`)]);
  const wasmPath = join(tmp, `${bin}_bg.wasm`);
  if (release) run("wasm-opt", [...WASM_OPT, "-o", wasmPath, wasmPath]);
  const glue = readFileSync(join(tmp, `${bin}.js`), "utf8");
  const js = Buffer.from(release ? minifyJs(glue) : glue);
  const wasm = readFileSync(wasmPath);
  const hash = createHash("sha256").update(js).update(wasm).digest("hex").slice(0, 16);
  const files = { js: `${bin}-${hash}.js`, wasm: `${bin}-${hash}_bg.wasm` };
  (helper ? helpers : modules)[name] = files;
  writeFileSync(join(staging, files.js), js);
  copyFileSync(wasmPath, join(staging, files.wasm));
  rmSync(tmp, { recursive: true, force: true });
}

const indexPath = join(staging, "index.html");
let index = readFileSync(indexPath, "utf8");
const marker = "<!-- stratus:modules -->";
if (!index.includes(marker)) {
  console.error(`build-modules: ${indexPath} has no ${marker} for the module table`);
  process.exit(1);
}
// A release build registers the service worker (index.html checks stratusWorker).
const worker = release ? "window.stratusWorker = true;" : "";
// The version goes into crash reports written by index.html (a trap has no panic hook).
// Minified before the table goes in, which stays as written (scripts/size-report.mjs reads it).
if (release) index = minifyPage(index);
index = index.replace(marker, `<script>window.stratusModules = ${JSON.stringify(modules)};window.stratusHelpers = ${JSON.stringify(helpers)};window.stratusVersion = ${JSON.stringify(appVersion)};${worker}</script>`);
writeFileSync(indexPath, index);
console.log(`build-modules: ${Object.keys(modules).length} modules (${Object.keys(modules).join(", ")}), helpers (${Object.keys(helpers).join(", ")})`);

// The service worker (scripts/service-worker.js, docs/offline.md), in release builds:
// precaches every file of this build, so the app works offline after one visit. Its
// version is a hash of every file's name and bytes: any change to the build is a new
// version, offered to open pages.
const walk = (dir) => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? walk(path) : [path];
});
const files = walk(staging).map((p) => relative(staging, p).split(sep).join("/")).filter((f) => f !== "sw.js").sort();
const version = createHash("sha256");
for (const f of files) version.update(f).update("\0").update(readFileSync(join(staging, f))).update("\0");
if (release) {
  const sw = readFileSync(join(root, "scripts", "service-worker.js"), "utf8")
    .replace("__STRATUS_VERSION__", version.digest("hex").slice(0, 16))
    .replace("__STRATUS_FILES__", JSON.stringify(files));
  writeFileSync(join(staging, "sw.js"), sw);
  console.log(`build-modules: sw.js precaches ${files.length} files`);
} else {
  // A debug build (trunk serve) works from the network: its sw.js retires a worker that a
  // release build served from the same address left behind (docs/offline.md).
  writeFileSync(join(staging, "sw.js"), readFileSync(join(root, "scripts", "service-worker-retire.js")));
  console.log("build-modules: debug build, sw.js retires any worker");
}

// A release build's index.html and stylesheet, minified: the page's comments go (but the
// module table's marker), its inline
// scripts and the stylesheet go through esbuild, and the stylesheet's integrity attribute
// (Trunk's SRI hash) is computed again for the new bytes. Markup and text are unchanged.
function minifyPage(html) {
  // Scripts first, set aside, so that a `<!--` inside one is never taken for a comment.
  const scripts = [];
  html = html.replace(/(<script(?: type="module")?>)([\s\S]*?)(<\/script>)/g, (_, open, code, close) => {
    scripts.push(open + minifyJs(code, open.includes("module")).trim() + close);
    return `\u0000${scripts.length - 1}\u0000`;
  });
  html = html.replace(/<!--[\s\S]*?-->/g, (comment) => (comment === marker ? comment : ""));
  html = html.replace(/\u0000(\d+)\u0000/g, (_, i) => scripts[Number(i)]);
  return html.replace(/<link rel="stylesheet" href="([^"]+)" integrity="sha384-[^"]+"\/>/g, (tag, href) => {
    const path = join(staging, href.replace(/^.*\//, ""));
    const css = esbuild.transformSync(readFileSync(path, "utf8"), { loader: "css", minify: true }).code;
    writeFileSync(path, css);
    const integrity = createHash("sha384").update(css).digest("base64");
    return `<link rel="stylesheet" href="${href}" integrity="sha384-${integrity}"/>`;
  });
}
