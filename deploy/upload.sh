#!/usr/bin/env bash
# Uploads a Stratus build to the site bucket (deploy/stratus-site.json) with the headers
# docs/deploy.md explains: content-hashed files immutable for a year, index.html and the
# service worker revalidated on every visit (no-cache), the copies from static/ for five
# minutes, and every file with its exact content type (.wasm must be application/wasm).
# Usage: deploy/upload.sh BUCKET [DIST]     (DIST: the build folder, dist/ by default)
set -euo pipefail
bucket="${1:?usage: deploy/upload.sh BUCKET [DIST]}"
dist="${2:-dist}"
if [ ! -f "$dist/index.html" ] || [ ! -f "$dist/sw.js" ]; then
  echo "upload: $dist is not a Stratus build (it needs index.html and sw.js; see docs/deploy.md)" >&2
  exit 2
fi

type_of() {
  case "$1" in
    *.html) echo "text/html; charset=utf-8" ;;
    *.js) echo "text/javascript; charset=utf-8" ;;
    *.wasm) echo "application/wasm" ;;
    *.css) echo "text/css; charset=utf-8" ;;
    *.svg) echo "image/svg+xml" ;;
    *.png) echo "image/png" ;;
    *.webmanifest) echo "application/manifest+json" ;;
    *.json) echo "application/json" ;;
    *) echo "application/octet-stream" ;;
  esac
}

# Names the build hashes: the modules (stratus-<module>-<16 hex>.js, …_bg.wasm) and Trunk's
# stylesheet and icon (main-<hash>.css: Trunk writes its 64-bit hash in hex without leading
# zeros, so sometimes fewer than 16 digits).
cache_of() {
  case "$1" in
    index.html | sw.js) echo "no-cache" ;;
    static/*) echo "public, max-age=300" ;;
    *) if [[ "$1" =~ -[0-9a-f]{8,16}(_bg)?\.[a-z]+$ ]]; then
         echo "public, max-age=31536000, immutable"
       else
         echo "public, max-age=300"
       fi ;;
  esac
}

put() {
  aws s3 cp "$dist/$1" "s3://$bucket/$1" --only-show-errors \
    --cache-control "$(cache_of "$1")" --content-type "$(type_of "$1")"
}

# Every other file first, so a new index.html never names a file not yet uploaded; then
# index.html; the service worker last, so it never precaches the previous index.html.
while IFS= read -r file; do
  case "$file" in index.html | sw.js) ;; *) put "$file" ;; esac
done < <(cd "$dist" && find . -type f | sed 's|^\./||' | LC_ALL=C sort)
put index.html
put sw.js
echo "upload: $dist → s3://$bucket/ done; old hashed files stay for pages that still name them."
