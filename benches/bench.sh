#!/usr/bin/env bash
# Benchmark casefile against the lower-bound program of ../shared/bench/limit on corpora
# made by ../shared/bench/gen.py. Prints a Markdown table of medians (wall time, peak
# memory, pages per second), the casefile/limit ratio, and `casefile check` on the same
# corpus (time, memory, check/build ratio), for docs/performance.md.
#
# usage: benches/bench.sh [small|medium|large ...]   (default: small medium)
# env:   RUNS (default 5), BENCH_DIR (default target/bench), SHARED (default ../shared)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
SHARED=${SHARED:-../shared}
BENCH_DIR=${BENCH_DIR:-target/bench}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(small medium)
mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)

corpus_args() {
  case "$1" in
    small) echo "--incidents 1000 --groups 50 --weapons 100" ;;
    medium) echo "--incidents 10000 --groups 300 --weapons 600" ;;
    large) echo "--incidents 50000 --groups 1000 --weapons 2000" ;;
    *) echo "unknown corpus $1" >&2; exit 2 ;;
  esac
}

cargo build --release -q
CARGO_TARGET_DIR="$BENCH_DIR/limit-target" cargo build --release -q --manifest-path "$SHARED/bench/limit/Cargo.toml"
CASEFILE=$PWD/target/release/casefile
LIMIT=$BENCH_DIR/limit-target/release/casefile-limit

# One timed run: prints "seconds kilobytes".
timed() {
  /usr/bin/time -f "%e %M" -o "$BENCH_DIR/time.txt" "$@" >/dev/null 2>"$BENCH_DIR/stderr.txt" || {
    cat "$BENCH_DIR/stderr.txt" >&2; exit 1; }
  cat "$BENCH_DIR/time.txt"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "| corpus | pages | limit time | limit memory | casefile time | casefile memory | pages/s | casefile/limit | check time | check memory | check/build |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for size in "${SIZES[@]}"; do
  site="$BENCH_DIR/$size"
  [ -f "$site/site.yaml" ] || python3 "$SHARED/bench/gen.py" $(corpus_args "$size") --flavor casefile --out "$site" >/dev/null 2>&1
  rm -rf "$BENCH_DIR/out-$size" "$BENCH_DIR/.out-$size.casefile-spare" "$BENCH_DIR/limit-$size"
  # Warm-up: first builds create every file; the timed runs are rebuilds, as in CI
  # caches and live preview, for both programs.
  "$CASEFILE" build --root "$site" --output "$BENCH_DIR/out-$size" 2>/dev/null
  "$CASEFILE" build --root "$site" --output "$BENCH_DIR/out-$size" 2>/dev/null
  "$LIMIT" "$site" "$BENCH_DIR/limit-$size" >/dev/null 2>&1
  : >"$BENCH_DIR/l.txt"; : >"$BENCH_DIR/c.txt"; : >"$BENCH_DIR/k.txt"
  for _ in $(seq "$RUNS"); do
    timed "$LIMIT" "$site" "$BENCH_DIR/limit-$size" >>"$BENCH_DIR/l.txt"
    timed "$CASEFILE" build --root "$site" --output "$BENCH_DIR/out-$size" >>"$BENCH_DIR/c.txt"
    timed "$CASEFILE" check --root "$site" >>"$BENCH_DIR/k.txt"
  done
  pages=$(find "$BENCH_DIR/out-$size" -name '*.html' | wc -l)
  lt=$(cut -d' ' -f1 "$BENCH_DIR/l.txt" | median); lm=$(cut -d' ' -f2 "$BENCH_DIR/l.txt" | median)
  ct=$(cut -d' ' -f1 "$BENCH_DIR/c.txt" | median); cm=$(cut -d' ' -f2 "$BENCH_DIR/c.txt" | median)
  kt=$(cut -d' ' -f1 "$BENCH_DIR/k.txt" | median); km=$(cut -d' ' -f2 "$BENCH_DIR/k.txt" | median)
  awk -v s="$size" -v p="$pages" -v lt="$lt" -v lm="$lm" -v ct="$ct" -v cm="$cm" -v kt="$kt" -v km="$km" 'BEGIN {
    printf "| %s | %d | %.2f s | %d MiB | %.2f s | %d MiB | %d | %.2f | %.2f s | %d MiB | %.2f |\n", s, p, lt, lm/1024, ct, cm/1024, p/ct, ct/lt, kt, km/1024, kt/ct }'
done
