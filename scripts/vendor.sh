#!/usr/bin/env bash
# Refresh the vendored front-end files from the npm registry at the pinned versions.
set -euo pipefail
HTMX=2.0.11
PICO=2.1.1
dest="$(cd "$(dirname "$0")/.." && pwd)/portal/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "htmx.org@$HTMX" "@picocss/pico@$PICO" >/dev/null
mkdir hx pico
tar xzf "htmx.org-$HTMX.tgz" -C hx
tar xzf "picocss-pico-$PICO.tgz" -C pico
cp hx/package/dist/htmx.min.js "$dest/htmx-$HTMX.min.js"
cp hx/package/LICENSE "$dest/htmx-LICENSE.txt"
cp pico/package/css/pico.min.css "$dest/pico-$PICO.min.css"
cp pico/package/LICENSE.md "$dest/pico-LICENSE.md"
echo "Vendored htmx $HTMX and Pico $PICO into $dest"
