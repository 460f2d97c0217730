# Shared set-up for scripts/serve.sh, scripts/test.sh and the benchmarks. Source it; then
# call `stratus_setup [--with-browser]` and run wasm32 builds through `wasm_env CMD...`.
#
# It installs whatever is missing, skipping what is already present at the right version:
#   * the wasm32 target and std's source: `rustup target add`, `rustup component add
#     rust-src` (time-limited, they can hang on our machines); if that fails, Debian's
#     rustc-web with -Zbuild-std (../shared/TOOLCHAIN.md);
#   * trunk 0.21.x and wasm-bindgen-cli (= the version pinned in Cargo.toml), with cargo;
#   * Node packages for the browser tests and wasm-opt (tests/e2e/package-lock.json);
#   * Debian's chromium and chromium-driver (with --with-browser).
# Set STRATUS_WASM_ROUTE=debian to force the fallback route, =rustup to forbid it.

set -euo pipefail

STRATUS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"
# The exact wasm-bindgen pin from Cargo.toml: the CLI must match it.
WASM_BINDGEN_VERSION="$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' "$STRATUS_ROOT/Cargo.toml")"
export PATH="$STRATUS_ROOT/scripts/bin:$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

log() { printf '\n\033[1m==> %s\033[0m\n' "$*" >&2; }

_apt_updated=0
ensure_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  log "Installing Debian packages: ${missing[*]}"
  if [ $_apt_updated -eq 0 ]; then $sudo apt-get update -qq; _apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Picks the wasm32 route and exports STRATUS_WASM_ROUTE (rustup | debian).
ensure_wasm_target() {
  local route="${STRATUS_WASM_ROUTE:-auto}"
  if [ "$route" != "debian" ] && command -v rustup >/dev/null 2>&1; then
    # Release builds compile std from its source (rust-src) to panic by trapping at once,
    # ~11% smaller modules (scripts/build-modules.mjs, docs/size.md).
    local ok=1
    if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
      log "Adding the wasm32 target with rustup (90 s limit)"
      timeout 90 rustup target add wasm32-unknown-unknown || ok=0
    fi
    if [ $ok -eq 1 ] && ! rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
      log "Adding std's source (rust-src) with rustup (90 s limit)"
      timeout 90 rustup component add rust-src || ok=0
    fi
    if [ $ok -eq 1 ]; then
      export STRATUS_WASM_ROUTE=rustup; return 0
    fi
    [ "$route" = "rustup" ] && { echo "rustup could not add wasm32-unknown-unknown or rust-src" >&2; return 1; }
    log "rustup could not add wasm32 or rust-src; falling back to Debian's rustc-web with build-std"
  fi
  ensure_apt rustc-web cargo-web rust-web-src lld-22
  export STRATUS_WASM_ROUTE=debian
}

# Runs a command with the environment of the chosen wasm32 route. On the rustup route this is
# the plain environment, so `cargo` and `trunk` behave as on any developer laptop.
wasm_env() {
  if [ "${STRATUS_WASM_ROUTE:-rustup}" = "debian" ]; then
    PATH="/usr/bin:$PATH" \
    RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 \
    CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-cpu=mvp" \
    CARGO_TARGET_DIR="$STRATUS_ROOT/target/debian" \
      "$@"
  else
    "$@"
  fi
}

ensure_cargo_tool() { # binary crate version
  local bin="$1" crate="$2" version="$3"
  if command -v "$bin" >/dev/null 2>&1 && "$bin" --version 2>/dev/null | grep -qw "$version"; then
    return 0
  fi
  log "Installing $crate $version (one-off, a few minutes)"
  # The crate's own lock file first; some pin a dependency version the registry no longer
  # offers (wasm-bindgen-cli 0.2.130 locks webpki-roots 1.0.11), then resolve afresh.
  cargo install "$crate" --version "=$version" --locked --quiet ||
    { log "Locked install of $crate failed; resolving its dependencies afresh"; \
      cargo install "$crate" --version "=$version" --quiet; }
}

ensure_rust_components() {
  command -v rustup >/dev/null 2>&1 || return 0
  local installed
  installed="$(rustup component list --installed 2>/dev/null || true)"
  for c in rustfmt clippy; do
    echo "$installed" | grep -q "^$c" || timeout 120 rustup component add "$c"
  done
}

ensure_node_packages() {
  command -v npm >/dev/null 2>&1 || ensure_apt nodejs npm
  local dir="$STRATUS_ROOT/tests/e2e" stamp="$STRATUS_ROOT/tests/e2e/node_modules/.stratus-lock"
  if [ -f "$stamp" ] && cmp -s "$dir/package-lock.json" "$stamp"; then return 0; fi
  log "Installing Node packages for the browser tests (npm ci)"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$dir/package-lock.json" "$stamp"
}

stratus_setup() {
  local browser=0
  [ "${1:-}" = "--with-browser" ] && browser=1
  ensure_rust_components
  ensure_wasm_target
  ensure_cargo_tool wasm-bindgen wasm-bindgen-cli "$WASM_BINDGEN_VERSION"
  ensure_cargo_tool trunk trunk "$TRUNK_VERSION"
  ensure_node_packages
  if [ $browser -eq 1 ]; then
    ensure_apt chromium chromium-driver
  fi
  log "Toolchain ready (wasm32 route: $STRATUS_WASM_ROUTE)"
}

# `trunk build` with the route's environment; never downloads tools (--offline): it uses the
# wasm-bindgen-cli on PATH and scripts/bin/wasm-opt.
trunk_build() {
  (cd "$STRATUS_ROOT" && wasm_env trunk build --offline "$@")
}
