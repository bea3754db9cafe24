#!/usr/bin/env bash
# Writes content/ afresh from the gov.cn pages in tests/fixtures/corpus/govcn
# (their HTML form), with `gongkai import` and nothing else: no hand edits.
# The tests import the pages again and compare, so what is committed here is
# always what the importer makes of them.
#
#   bash examples/govcn-library/import.sh        # uses target/debug/gongkai, building it if needed
#   GONGKAI=path/to/gongkai bash examples/govcn-library/import.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
gongkai="${GONGKAI:-$repo/target/debug/gongkai}"
[ -x "$gongkai" ] || (cd "$repo" && cargo build --quiet)
rm -rf "$here/content"
mkdir "$here/content"
for page in "$repo"/tests/fixtures/corpus/govcn/*.html; do
  id="$(basename "$page" .html)"
  if ! report="$("$gongkai" import "$page" --id "$id" --root "$here" 2>&1)"; then
    echo "$report" >&2
    exit 1
  fi
done
"$gongkai" check --root "$here" 2>&1 | tail -1
