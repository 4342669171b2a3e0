#!/usr/bin/env bash
# Benchmark evidence images, for docs/performance.md: a site with IMAGES images (1,000
# by default, made by examples/media_corpus.rs: 250 incidents, four images each) built
#
#   1. first: into an empty output folder with an empty image cache, as on a fresh
#      clone in CI (the output, casefile's spare tree and the image cache are deleted
#      before each timed run);
#   2. second: the same site again, the cache kept from the build before (the output
#      folder deleted, as in CI with a cached .casefile-cache/ but no output);
#   3. rebuild: again, with the output and the cache kept (as in preview or locally);
#   4. no images: the same site with every `media:` list removed, first build: what
#      the rest of the site costs, so that 2 minus 4 is what the images cost when
#      cached.
#
# Each row is the median of RUNS runs: wall time, CPU time (user + system), peak
# memory, and the images the build says it processed.
#
# usage: benches/media.sh
# env:   RUNS      timed runs per row (default 3)
#        IMAGES    images in the site (default 1000)
#        BENCH_DIR where the site and outputs go (default target/bench in the repository)
#        CASEFILE  a casefile binary to time; default: `cargo build --profile dist`
set -euo pipefail
abs() { case "$1" in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
[ -z "${CASEFILE:-}" ] || CASEFILE=$(abs "$CASEFILE")
[ -z "${BENCH_DIR:-}" ] || BENCH_DIR=$(abs "$BENCH_DIR")
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
IMAGES=${IMAGES:-1000}
BENCH_DIR=${BENCH_DIR:-$PWD/target/bench}
target=${CARGO_TARGET_DIR:-$PWD/target}
if [ -z "${CASEFILE:-}" ]; then
  cargo build --profile dist --quiet
  CASEFILE=$target/dist/casefile
fi
site=$BENCH_DIR/media-$IMAGES
plain=$BENCH_DIR/media-$IMAGES-plain
if [ ! -f "$site/site.yaml" ]; then
  # Built in the profile the benchmarked casefile is built in, sharing its dependencies.
  cargo run --profile dist --quiet --example media_corpus -- "$site" "$IMAGES"
fi
if [ ! -f "$plain/site.yaml" ]; then
  mkdir -p "$plain"
  cp -r "$site/site.yaml" "$site/content" "$plain/"
  # The same incidents and pages without their images: drop each `media:` list.
  find "$plain/content/incidents" -name index.md -exec sed -i '/^media:$/,/^---$/{/^---$/!d}' {} +
  find "$plain/content/incidents" -type f ! -name index.md -delete
fi
out=$BENCH_DIR/media-out
times=$BENCH_DIR/media-times.txt

# run SITE: one timed build of SITE into $out; appends "wall cpu maxrss processed".
run() {
  /usr/bin/time -f "%e %U %S %M" -o "$BENCH_DIR/time.txt" \
    "$CASEFILE" build --root "$1" --output "$out" 2>"$BENCH_DIR/stderr.txt" >/dev/null || {
    cat "$BENCH_DIR/stderr.txt" >&2
    exit 1
  }
  processed=$( (grep -o '[0-9,]* processed' "$BENCH_DIR/stderr.txt" || echo 0) | tr -d , | cut -d' ' -f1)
  awk -v p="${processed:-0}" '{printf "%s %.2f %s %s\n", $1, $2 + $3, $4, p}' \
    "$BENCH_DIR/time.txt" >>"$times"
}

fresh() { rm -rf "$out" "$1/.casefile-cache"; }

median() {
  sort -n -k1,1 "$times" | awk -v n="$(wc -l <"$times")" \
    'NR == int((n + 1) / 2) {printf "| %s | %.2f s | %.2f s | %d MiB | %s |\n", label, $1, $2, $3 / 1024, $4}' \
    label="$1"
}

echo "| build ($IMAGES images, $(nproc) threads) | wall | CPU | peak memory | images processed |"
echo "|---|---:|---:|---:|---:|"
: >"$times"
for _ in $(seq "$RUNS"); do
  fresh "$site"
  run "$site"
done
median "first: empty output, empty cache"
: >"$times"
for _ in $(seq "$RUNS"); do
  rm -rf "$out"
  run "$site"
done
median "second: empty output, cache kept"
: >"$times"
for _ in $(seq "$RUNS"); do
  run "$site"
done
median "rebuild: output and cache kept"
: >"$times"
for _ in $(seq "$RUNS"); do
  fresh "$plain"
  run "$plain"
done
median "the same site without images, first build"
