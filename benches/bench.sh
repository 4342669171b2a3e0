#!/usr/bin/env bash
# Benchmark casefile on corpora made by benches/gen_corpus.py, for docs/performance.md.
# Prints two Markdown tables of medians:
#
#   1. first builds, the headline: a build into an empty folder, as on a fresh clone in
#      CI. The output folder, and the spare tree and manifests casefile keeps in the
#      site's cache folder, are deleted before each timed run. Timed with the output on
#      tmpfs (memory: the disk's noise is out) and on disk (BENCH_DIR), with wall time,
#      CPU time (user + system), peak memory and the time per incident;
#   2. rebuilds of the unchanged site on disk (after two warm-up builds, as in CI with
#      a cached output folder or in preview), and `casefile check`.
#
# Optionally, a lower-bound program is timed beside casefile, alternating with it in
# the same rounds, and the ratio casefile / lower bound is printed. The lower bound is
# any Cargo package whose binary is run as `PROGRAM SITE_DIR OUT_DIR`; when it exits
# with an error (content it cannot read: it then skips those files and does less
# work) the run still counts, and the table says how many incidents it rendered.
# Without one, its columns show "-".
#
# usage: benches/bench.sh [small|medium|large|huge ...]   (default: small medium)
# env:   RUNS           timed runs per measurement (default 5)
#        BENCH_DIR      corpora and disk outputs (default target/bench in the repository)
#        TMPFS_DIR      where tmpfs outputs go (default /dev/shm/casefile-bench when
#                       /dev/shm is a tmpfs); `none` times on disk only. A corpus whose
#                       output would not fit in half the free space there is timed on
#                       disk only
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
case "${TMPFS_DIR:-}" in ""|none) ;; *) TMPFS_DIR=$(abs "$TMPFS_DIR") ;; esac
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
BENCH_DIR=${BENCH_DIR:-$PWD/target/bench}
if [ -z "${TMPFS_DIR:-}" ]; then
  if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ]; then
    TMPFS_DIR=/dev/shm/casefile-bench
  else
    TMPFS_DIR=none
  fi
fi
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(small medium)
for size in "${SIZES[@]}"; do
  case "$size" in small|medium|large|huge) ;; *)
    echo "unknown corpus $size (small, medium, large or huge)" >&2; exit 2 ;; esac
done
mkdir -p "$BENCH_DIR"
[ "$TMPFS_DIR" = none ] || mkdir -p "$TMPFS_DIR"

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

# One timed run of casefile: appends "seconds cpu-seconds kilobytes" to file $1.
timed() {
  local into=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$BENCH_DIR/time.txt" "$@" >/dev/null 2>"$BENCH_DIR/stderr.txt" || {
    cat "$BENCH_DIR/stderr.txt" >&2; exit 1; }
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$BENCH_DIR/time.txt" >>"$into"
}
# One timed run of the lower bound; a failing exit (content it could not read) is
# recorded, not fatal. Its last line of output says how many incidents it rendered.
timed_limit() {
  local into=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$BENCH_DIR/time.txt" "$@" >"$BENCH_DIR/limit-out.txt" 2>"$BENCH_DIR/stderr.txt" || true
  [ -s "$BENCH_DIR/time.txt" ] || { cat "$BENCH_DIR/stderr.txt" >&2; exit 1; }
  tail -n 1 "$BENCH_DIR/time.txt" | awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' >>"$into"
  # "6261 incidents, 300 groups, ... -> 7161 pages, ...": the first number.
  tail -n 1 "$BENCH_DIR/limit-out.txt" "$BENCH_DIR/stderr.txt" 2>/dev/null |
    grep -o '^[0-9]* incidents' | head -n 1 | cut -d' ' -f1 >"$BENCH_DIR/limit-read.txt" || true
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# Median of column $2 of file $1, or "-" when the file is empty (no lower bound).
med() { if [ -s "$1" ]; then cut -d' ' -f"$2" "$1" | median; else echo -; fi; }

FIRST_TABLE="$BENCH_DIR/first-table.md"
REBUILD_TABLE="$BENCH_DIR/rebuild-table.md"
{
  echo "| corpus | output on | first build | CPU | memory | per incident | limit | limit CPU | limit memory | limit read | casefile/limit |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
} >"$FIRST_TABLE"
{
  echo "| corpus | pages | rebuild | memory | limit rebuild | casefile/limit | check | check memory | check/rebuild |"
  echo "|---|---|---|---|---|---|---|---|---|"
} >"$REBUILD_TABLE"

for size in "${SIZES[@]}"; do
  site="$BENCH_DIR/$size"
  # The corpus is made again whenever the generator changes.
  stamp="$(sha256sum benches/gen_corpus.py | cut -c1-16) $size"
  if [ ! -f "$site/site.yaml" ] || [ "$(cat "$BENCH_DIR/$size.stamp" 2>/dev/null)" != "$stamp" ]; then
    python3 benches/gen_corpus.py --size "$size" --out "$site" --force >/dev/null
    echo "$stamp" >"$BENCH_DIR/$size.stamp"
  fi
  incidents=$(find "$site/content/incidents" -name '*.md' | wc -l)
  # Where first builds go: tmpfs when the output fits in half its free space (about
  # six times the content, from the figures in docs/performance.md), and disk.
  places=()
  if [ "$TMPFS_DIR" != none ]; then
    need=$(( $(du -sk "$site/content" | cut -f1) * 6 ))
    free=$(df -Pk "$TMPFS_DIR" | awk 'NR == 2 {print $4}')
    if [ $(( need * 2 )) -lt "$free" ]; then places+=(tmpfs); fi
  fi
  places+=(disk)

  for place in "${places[@]}"; do
    case "$place" in tmpfs) base="$TMPFS_DIR" ;; *) base="$BENCH_DIR" ;; esac
    out="$base/out-$size"
    lout="$base/limit-$size"
    # The output folder and what casefile keeps between builds: the spare tree and
    # manifests in the site's cache folder (and, from versions before 0.2, beside the
    # output).
    clean() { rm -rf "$out" "$lout" "$site/.casefile-cache" "$base/.out-$size.casefile-"*; sync; }
    : >"$BENCH_DIR/first.txt"; : >"$BENCH_DIR/limit-first.txt"
    for _ in $(seq "$RUNS"); do
      clean
      timed "$BENCH_DIR/first.txt" "$CASEFILE" build --root "$site" --output "$out"
      if [ -n "$LIMIT" ]; then
        clean
        timed_limit "$BENCH_DIR/limit-first.txt" "$LIMIT" "$site" "$lout"
      fi
    done
    clean
    read_by_limit=$(cat "$BENCH_DIR/limit-read.txt" 2>/dev/null || true)
    awk -v s="$size" -v where="$place" -v n="$incidents" -v lr="${read_by_limit:--}" \
      -v ft="$(med "$BENCH_DIR/first.txt" 1)" -v fc="$(med "$BENCH_DIR/first.txt" 2)" \
      -v fm="$(med "$BENCH_DIR/first.txt" 3)" \
      -v lt="$(med "$BENCH_DIR/limit-first.txt" 1)" -v lc="$(med "$BENCH_DIR/limit-first.txt" 2)" \
      -v lm="$(med "$BENCH_DIR/limit-first.txt" 3)" '
      function sec(t) { return t == "-" ? "-" : sprintf("%.2f s", t) }
      function mib(k) { return k == "-" ? "-" : sprintf("%d MiB", k / 1024) }
      function ratio(a, b) { return (a == "-" || b == "-" || b == 0) ? "-" : sprintf("%.2fx", a / b) }
      BEGIN {
        read = (lt == "-") ? "-" : (lr == "-" || lr == "" ? "?" : sprintf("%d of %d", lr, n))
        printf "| %s | %s | %s | %s | %s | %.0f µs | %s | %s | %s | %s | %s |\n",
          s, where, sec(ft), sec(fc), mib(fm), ft * 1e6 / n, sec(lt), sec(lc), mib(lm),
          read, ratio(ft, lt)
      }' >>"$FIRST_TABLE"
  done

  # Rebuilds of the unchanged site, on disk. Warm-up: the first two builds write every
  # file (output and spare trees); later ones find the files unchanged.
  out="$BENCH_DIR/out-$size"
  lout="$BENCH_DIR/limit-$size"
  rm -rf "$out" "$lout" "$site/.casefile-cache"
  for f in rebuild limit-rebuild check; do : >"$BENCH_DIR/$f.txt"; done
  "$CASEFILE" build --root "$site" --output "$out" 2>/dev/null
  "$CASEFILE" build --root "$site" --output "$out" 2>/dev/null
  [ -z "$LIMIT" ] || "$LIMIT" "$site" "$lout" >/dev/null 2>&1 || true
  for _ in $(seq "$RUNS"); do
    [ -z "$LIMIT" ] || timed_limit "$BENCH_DIR/limit-rebuild.txt" "$LIMIT" "$site" "$lout"
    timed "$BENCH_DIR/rebuild.txt" "$CASEFILE" build --root "$site" --output "$out"
    timed "$BENCH_DIR/check.txt" "$CASEFILE" check --root "$site"
  done
  pages=$(find "$out" -name '*.html' | wc -l)
  awk -v s="$size" -v p="$pages" \
    -v rt="$(med "$BENCH_DIR/rebuild.txt" 1)" -v rm="$(med "$BENCH_DIR/rebuild.txt" 3)" \
    -v lrt="$(med "$BENCH_DIR/limit-rebuild.txt" 1)" \
    -v kt="$(med "$BENCH_DIR/check.txt" 1)" -v km="$(med "$BENCH_DIR/check.txt" 3)" '
    function sec(t) { return t == "-" ? "-" : sprintf("%.2f s", t) }
    function mib(k) { return k == "-" ? "-" : sprintf("%d MiB", k / 1024) }
    function ratio(a, b) { return (a == "-" || b == "-" || b == 0) ? "-" : sprintf("%.2f", a / b) }
    BEGIN {
      printf "| %s | %d | %s | %s | %s | %s | %s | %s | %s |\n",
        s, p, sec(rt), mib(rm), sec(lrt), ratio(rt, lrt), sec(kt), mib(km), ratio(kt, rt)
    }' >>"$REBUILD_TABLE"
done

echo "First builds (into an empty folder; RUNS=$RUNS, medians):"
echo
cat "$FIRST_TABLE"
echo
echo "Rebuilds of the unchanged site, on disk, and check:"
echo
cat "$REBUILD_TABLE"
