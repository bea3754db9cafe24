#!/usr/bin/env bash
# Where gongkai's build time goes on a large corpus.
#
#   bash bench/profile.sh            # N = 10000 plain pages
#   N=1000 DOCS=100 bash bench/profile.sh
#
# 1. Stage timings through the library API (`corpus stages`): load, theme,
#    render (with and without minification), search, write.
# 2. With `perf` installed: a sampled profile of `gongkai build` with call
#    graphs (a frame-pointer build in $WORK/prof-target), written to
#    $WORK/perf.txt: the top functions by self time and by inclusive time.
#
# Settings: N (pages, default 10000), DOCS (documents, default 0), SEED (1),
# WORK (default target/bench), OUT_DIR (where the profiled build writes;
# default $WORK/out-profile; a tmpfs such as /dev/shm separates CPU from disk).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-10000}
DOCS=${DOCS:-0}
SEED=${SEED:-1}
WORK=${WORK:-$(pwd)/target/bench}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
OUT_DIR=${OUT_DIR:-$WORK/out-profile}
SITE=$WORK/profile-n$N-d$DOCS
BIN=${CARGO_TARGET_DIR:-target}/release

cargo build --release --quiet --bin gongkai --example corpus
"$BIN/examples/corpus" gen --out "$SITE" --pages "$N" --docs "$DOCS" --seed "$SEED" --force

echo "## Stages (library API, median of 3)"
"$BIN/examples/corpus" stages --root "$SITE" --runs 3 --out "$OUT_DIR"

if ! command -v perf >/dev/null; then
    echo "(perf not installed: apt-get install linux-perf for the sampled profile)"
    exit 0
fi
echo
echo "## perf (frame pointers, line tables)"
RUSTFLAGS="-C force-frame-pointers=yes" CARGO_PROFILE_RELEASE_DEBUG=line-tables-only \
    CARGO_TARGET_DIR="$WORK/prof-target" cargo build --release --quiet --bin gongkai
rm -rf "$OUT_DIR"
set +o pipefail # `head` closes the pipes early
perf record -q -F 499 -g -o "$WORK/perf.data" \
    "$WORK/prof-target/release/gongkai" build --root "$SITE" --out "$OUT_DIR" 2>&1 | tail -1
{
    echo "### self time"
    perf report -i "$WORK/perf.data" --no-children --sort symbol --stdio -g none 2>/dev/null |
        grep -v '^#' | grep -v '^$' | head -40
    echo
    echo "### inclusive time (children)"
    perf report -i "$WORK/perf.data" --children --sort symbol --stdio -g none 2>/dev/null |
        grep -v '^#' | grep -v '^$' | head -60
} >"$WORK/perf.txt"
cat "$WORK/perf.txt"
