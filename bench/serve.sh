#!/usr/bin/env bash
# How soon `gongkai serve` has a one-file edit rebuilt and the page
# reloadable, on a site of DOCS synthetic documents (default 100).
#
#   bash bench/serve.sh            # 100 documents, 10 edits
#   DOCS=10 EDITS=5 bash bench/serve.sh
#
# Each edit rewrites one sentence of one section file of one document; the
# time is from the write to the end of the long poll that the page's reload
# script waits on (`/__gongkai/wait`), then to the edited page served. The
# server polls the disk every 50 ms, so half of that is waiting to notice.
set -euo pipefail
cd "$(dirname "$0")/.."
DOCS=${DOCS:-100}
EDITS=${EDITS:-10}
WORK=${WORK:-$(pwd)/target/bench}
mkdir -p "$WORK"
SITE=$WORK/serve-d$DOCS
BIN=${CARGO_TARGET_DIR:-target}/release

cargo build --release --quiet --bin gongkai --example corpus
"$BIN/examples/corpus" gen --out "$SITE" --pages 0 --docs "$DOCS" --seed 1 --force >/dev/null
LOG=$WORK/serve.log
"$BIN/gongkai" serve --root "$SITE" --port 0 2>"$LOG" &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
    grep -q "serving http" "$LOG" && break
    sleep 0.1
done
PORT=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$LOG" | head -1)
grep "serving" "$LOG"
DOC=$(ls "$SITE/content" | grep '^plan-' | sed -n "$((DOCS / 2 + 1))p")
FILE=$SITE/content/$DOC/c3-s1.md
PAGE=/$DOC/c3-s1/index.html
version=1
times=()
for i in $(seq 1 "$EDITS"); do
    sleep 0.5 # let the search index of the previous edit finish
    before=$(date +%s%N)
    sed -i "s/加强学生劳动教育。/加强学生劳动教育。$i/" "$FILE"
    curl -s "http://127.0.0.1:$PORT/__gongkai/wait?v=$version" >/dev/null
    signalled=$(date +%s%N)
    curl -s "http://127.0.0.1:$PORT$PAGE" >"$WORK/serve-page.html"
    grep -q "加强学生劳动教育。$i" "$WORK/serve-page.html" || { echo "edit $i not served"; exit 1; }
    served=$(date +%s%N)
    sed -i "s/加强学生劳动教育。$i/加强学生劳动教育。/" "$FILE"
    version=$((version + 2))
    curl -s "http://127.0.0.1:$PORT/__gongkai/wait?v=$((version - 1))" >/dev/null
    times+=("$(((signalled - before) / 1000000)) $(((served - before) / 1000000))")
done
printf '%s\n' "${times[@]}" | sort -n | awk -v docs="$DOCS" '
    { s[NR] = $1; p[NR] = $2 }
    END {
        m = int((NR + 1) / 2)
        printf "%d documents, %d edits: reload signalled after %d ms (median; min %d, max %d), edited page served after %d ms\n", docs, NR, s[m], s[1], s[NR], p[m]
    }'
grep -E "^rebuilt|search index" "$LOG" | tail -4
