#!/usr/bin/env bash
# Benchmark casefile on corpora made by benches/gen_corpus.py, for docs/performance.md.
# Prints a Markdown table of medians (wall time, peak memory, pages per second):
#
#   - first build: the headline. The output folder, and the spare tree and manifests
#     casefile keeps beside it, are deleted before each timed run, so every run is a
#     build into an empty folder;
#   - rebuild: a build of the unchanged site over the output of the previous builds,
#     after two warm-up builds, as in CI with a cached output folder or in preview;
#   - check: `casefile check` on the same corpus, and its ratio to the rebuild.
#
# Optionally, a lower-bound program is timed beside casefile in the same rounds, and
# the ratio casefile / lower bound is printed for first builds and for rebuilds. The
# lower bound is any Cargo package whose binary is run as `PROGRAM SITE_DIR OUT_DIR`.
# Without one, its columns show "-".
#
# usage: benches/bench.sh [small|medium|large ...]   (default: small medium)
# env:   RUNS           timed runs per measurement (default 5)
#        BENCH_DIR      corpora and outputs (default target/bench in the repository)
#        CASEFILE       a casefile binary to time; default: `cargo build --profile dist`
#                       and the casefile it builds (in CARGO_TARGET_DIR, or target/)
#        LIMIT_MANIFEST the Cargo.toml of a lower-bound program; built with
#                       `cargo build --release` into BENCH_DIR/limit-target
# Paths in the environment are taken relative to the directory you run the script from.
set -euo pipefail
abs() { case "$1" in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
[ -z "${CASEFILE:-}" ] || CASEFILE=$(abs "$CASEFILE")
[ -z "${LIMIT_MANIFEST:-}" ] || LIMIT_MANIFEST=$(abs "$LIMIT_MANIFEST")
[ -z "${BENCH_DIR:-}" ] || BENCH_DIR=$(abs "$BENCH_DIR")
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
BENCH_DIR=${BENCH_DIR:-$PWD/target/bench}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(small medium)
for size in "${SIZES[@]}"; do
  case "$size" in small|medium|large) ;; *) echo "unknown corpus $size (small, medium or large)" >&2; exit 2 ;; esac
done
mkdir -p "$BENCH_DIR"

if [ -z "${CASEFILE:-}" ]; then
  cargo build --profile dist -q
  CASEFILE=$(abs "${CARGO_TARGET_DIR:-target}")/dist/casefile
fi
LIMIT=
if [ -n "${LIMIT_MANIFEST:-}" ]; then
  # The path of the binary the package builds, from cargo's own report.
  LIMIT=$(CARGO_TARGET_DIR="$BENCH_DIR/limit-target" cargo build --release -q \
      --manifest-path "$LIMIT_MANIFEST" --message-format=json |
    python3 -c 'import json, sys
exe = [m["executable"] for m in map(json.loads, sys.stdin)
       if m.get("reason") == "compiler-artifact" and m.get("executable")]
print(exe[-1] if exe else "")')
  [ -x "$LIMIT" ] || { echo "no binary built from $LIMIT_MANIFEST" >&2; exit 2; }
fi

# One timed run: prints "seconds kilobytes".
timed() {
  /usr/bin/time -f "%e %M" -o "$BENCH_DIR/time.txt" "$@" >/dev/null 2>"$BENCH_DIR/stderr.txt" || {
    cat "$BENCH_DIR/stderr.txt" >&2; exit 1; }
  cat "$BENCH_DIR/time.txt"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# Median of column $2 of file $1, or "-" when the file is empty (no lower bound).
med() { if [ -s "$1" ]; then cut -d' ' -f"$2" "$1" | median; else echo -; fi; }

echo "| corpus | pages | first build | memory | pages/s | limit | limit memory | casefile/limit | rebuild | memory | limit rebuild | casefile/limit | check | check memory | check/rebuild |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for size in "${SIZES[@]}"; do
  site="$BENCH_DIR/$size"
  out="$BENCH_DIR/out-$size"
  lout="$BENCH_DIR/limit-$size"
  # The output folder and what casefile keeps between builds: the spare tree and
  # manifests in the site's cache folder (and, from versions before 0.2, beside the
  # output).
  clean() { rm -rf "$out" "$site/.casefile-cache" "$BENCH_DIR/.out-$size.casefile-"*; }
  # The corpus is made again whenever the generator changes.
  stamp="$(sha256sum benches/gen_corpus.py | cut -c1-16) $size"
  if [ ! -f "$site/site.yaml" ] || [ "$(cat "$BENCH_DIR/$size.stamp" 2>/dev/null)" != "$stamp" ]; then
    python3 benches/gen_corpus.py --size "$size" --out "$site" --force >/dev/null
    echo "$stamp" >"$BENCH_DIR/$size.stamp"
  fi
  for f in first limit-first rebuild limit-rebuild check; do : >"$BENCH_DIR/$f.txt"; done

  # First builds: every timed run starts from an empty output folder.
  for _ in $(seq "$RUNS"); do
    clean
    timed "$CASEFILE" build --root "$site" --output "$out" >>"$BENCH_DIR/first.txt"
    if [ -n "$LIMIT" ]; then
      rm -rf "$lout"
      timed "$LIMIT" "$site" "$lout" >>"$BENCH_DIR/limit-first.txt"
    fi
  done

  # Rebuilds of the unchanged site. Warm-up: the first two builds write every file
  # (output and spare trees); later ones find the files unchanged.
  clean
  rm -rf "$lout"
  "$CASEFILE" build --root "$site" --output "$out" 2>/dev/null
  "$CASEFILE" build --root "$site" --output "$out" 2>/dev/null
  [ -z "$LIMIT" ] || "$LIMIT" "$site" "$lout" >/dev/null 2>&1
  for _ in $(seq "$RUNS"); do
    [ -z "$LIMIT" ] || timed "$LIMIT" "$site" "$lout" >>"$BENCH_DIR/limit-rebuild.txt"
    timed "$CASEFILE" build --root "$site" --output "$out" >>"$BENCH_DIR/rebuild.txt"
    timed "$CASEFILE" check --root "$site" >>"$BENCH_DIR/check.txt"
  done

  pages=$(find "$out" -name '*.html' | wc -l)
  awk -v s="$size" -v p="$pages" \
    -v ft="$(med "$BENCH_DIR/first.txt" 1)" -v fm="$(med "$BENCH_DIR/first.txt" 2)" \
    -v lft="$(med "$BENCH_DIR/limit-first.txt" 1)" -v lfm="$(med "$BENCH_DIR/limit-first.txt" 2)" \
    -v rt="$(med "$BENCH_DIR/rebuild.txt" 1)" -v rm="$(med "$BENCH_DIR/rebuild.txt" 2)" \
    -v lrt="$(med "$BENCH_DIR/limit-rebuild.txt" 1)" \
    -v kt="$(med "$BENCH_DIR/check.txt" 1)" -v km="$(med "$BENCH_DIR/check.txt" 2)" '
    function sec(t) { return t == "-" ? "-" : sprintf("%.2f s", t) }
    function mib(k) { return k == "-" ? "-" : sprintf("%d MiB", k / 1024) }
    function ratio(a, b) { return (a == "-" || b == "-" || b == 0) ? "-" : sprintf("%.2f", a / b) }
    BEGIN {
      printf "| %s | %d | %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
        s, p, sec(ft), mib(fm), (ft > 0 ? p / ft : 0), sec(lft), mib(lfm), ratio(ft, lft),
        sec(rt), mib(rm), sec(lrt), ratio(rt, lrt), sec(kt), mib(km), ratio(kt, rt)
    }'
done
