#!/usr/bin/env bash
# The library of "Search download per query" (BENCHMARKS.md): the seed
# document copied N times (jian-education-plan-0000 …), each copy with its
# own 发文字号 (集政办发〔Y〕S号) and 索引号, Y = 2019 + k mod 5, and the
# seed's text and dates unchanged, so that every query matches in every
# copy: a worst case for spread.
#   bash bench/search-library.sh N OUT
set -euo pipefail
n=${1:?copies}
out=${2:?output folder}
repo=$(cd "$(dirname "$0")/.." && pwd)
[ -e "$out" ] && { echo "$out exists" >&2; exit 1; }
mkdir -p "$out/content"
cp "$repo/site.yaml" "$out/"
cp -r "$repo/themes" "$out/"
cp "$repo/content/glossary.yaml" "$out/content/"
# The registry names the seed as a document of the portal; here it is a
# plain reference.
grep -v -E '^\s*(document_id|part):' "$repo/content/references.yaml" > "$out/content/references.yaml"
for ((k = 0; k < n; k++)); do
  id=$(printf 'jian-education-plan-%04d' "$k")
  y=$((2019 + k % 5))
  s=$((k / 5 + 1))
  idx=$(printf '11220582013590556F/%d-%05d' "$y" $((100 + k)))
  cp -r "$repo/content/jian-education-plan" "$out/content/$id"
  find "$out/content/$id" -type f \( -name '*.md' -o -name '*.yaml' -o -name 'source.txt' \) -print0 |
    xargs -0 sed -i -e "s|集政办发〔2023〕1号|集政办发〔$y〕${s}号|g" \
      -e "s|11220582013590556F/2023-00100|$idx|g"
done
echo "$n copies in $out"
