#!/usr/bin/env bash
# Full build, no-op build and one-edit build of a generated library, with
# wall time and peak RSS of each (`/usr/bin/time -v`).
#
#   bash bench/library.sh            # 1,000 documents
#   DOCS=10000 bash bench/library.sh
#
# The edit rewrites one sentence of one section file of the middle
# document, as bench/serve.sh does; the build after it is timed, then the
# build right after that (the edited file is then "racily clean": read
# again), then one more 2 s later (nothing to read again).
# BIN=folder runs the gongkai binary in it instead of building one.
set -euo pipefail
DOCS=${DOCS:-1000}
WORK=${WORK:-/tmp/gongkai-library}
SITE=$WORK/lib$DOCS
OUT=${OUT:-$WORK/out$DOCS}
if [ -z "${BIN:-}" ]; then
    BIN=${CARGO_TARGET_DIR:-target}/release
    cargo build --release --quiet --bin gongkai --example corpus
fi
mkdir -p "$WORK"
if [ ! -d "$SITE/content" ]; then
    "${CORPUS:-$BIN/examples/corpus}" gen --out "$SITE" --pages 0 --docs "$DOCS" --seed 1 --force >/dev/null
fi
rm -rf "$OUT" "$SITE/.gongkai-cache"
DOC=$(ls "$SITE/content" | grep '^plan-' | sed -n "$((DOCS / 2 + 1))p")
FILE=$SITE/content/$DOC/c3-s1.md
run() {
    local what=$1
    shift
    /usr/bin/time -f "%e %M" -o "$WORK/time" "$BIN/gongkai" build --root "$SITE" --out "$OUT" "$@" >"$WORK/build.log" 2>&1
    read -r wall kb <"$WORK/time"
    printf "%-34s %7.2f s %8.0f MiB  %s\n" "$what" "$wall" "$((kb / 1024))" "$(grep -o "up to date\|[0-9]* written again" "$WORK/build.log" || grep -o "built [0-9]* pages" "$WORK/build.log")"
}
run "full"
run "again, nothing changed"
sed -i "s/加强学生劳动教育。/加强学生劳动教育。1/" "$FILE"
run "one sentence of one document"
run "again right after"
sleep 2.1
run "again, 2 s later"
sed -i "s/加强学生劳动教育。1/加强学生劳动教育。/" "$FILE"
