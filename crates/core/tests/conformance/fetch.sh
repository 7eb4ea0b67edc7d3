#!/usr/bin/env bash
# Re-creates the conformance fixtures from their public sources.
#   csv-spectrum 2.0.0 (npm; BSD-2-Clause): CSV edge cases with the expected records as JSON.
#   csv 1.4.0 (crates.io; MIT or Unlicense): the example data the csv crate's docs use.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
(cd "$tmp" && npm pack --silent csv-spectrum@2.0.0 >/dev/null && tar xzf csv-spectrum-2.0.0.tgz)
cp "$tmp"/package/csvs/*.csv "$tmp"/package/json/*.json "$here/csv-spectrum/"
crate_dir="$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/csv-1.4.0 2>/dev/null | head -1)"
if [ -z "$crate_dir" ]; then
  (cd "$tmp" && curl -sSL https://crates.io/api/v1/crates/csv/1.4.0/download | tar xz) && crate_dir="$tmp/csv-1.4.0"
fi
cp "$crate_dir"/examples/data/*.csv "$here/csv-crate/"
rm -rf "$tmp"
echo "fixtures refreshed in $here"
