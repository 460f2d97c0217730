#!/usr/bin/env bash
# Serves Stratus on http://127.0.0.1:8080 (PORT to change) with live reload; installs whatever
# is missing first (see scripts/lib.sh). Extra arguments go to `trunk serve`.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$STRATUS_ROOT"
stratus_setup
log "Serving on http://127.0.0.1:${PORT:-8080}/ (Ctrl-C to stop)"
wasm_env trunk serve --offline --address 127.0.0.1 --port "${PORT:-8080}" "$@"
