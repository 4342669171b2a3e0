#!/usr/bin/env bash
# Time `casefile import acled` on a synthetic ACLED file (benches/gen_import.py), for
# docs/performance.md. Prints a Markdown table of medians (wall time, peak memory):
#
#   - first import: `casefile init` makes a new site, then the import writes every
#     incident and a stub group per actor (--create-groups): a team's migration;
#   - again: the same file imported again, every file unchanged;
#   - revised: a file where 1% of the rows were revised (new fatalities and notes):
#     those files are updated, the others unchanged;
#   - dry run: the revised file with --dry-run, nothing written;
#   - cp -r: copying the imported content/incidents folder, a lower bound for writing
#     that many files on this file system.
#
# usage: benches/import.sh [ROWS]          (default 50000)
# env:   RUNS        timed runs per measurement (default 3)
#        IMPORT_DIR  where the sites are made (default target/bench/import); point it
#                    at a tmpfs to take the disk out of the figures
#        CASEFILE    a casefile binary to time; default: `cargo build --profile dist`
set -euo pipefail
abs() { case "$1" in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
[ -z "${CASEFILE:-}" ] || CASEFILE=$(abs "$CASEFILE")
[ -z "${IMPORT_DIR:-}" ] || IMPORT_DIR=$(abs "$IMPORT_DIR")
cd "$(dirname "$0")/.."
ROWS=${1:-50000}
RUNS=${RUNS:-3}
DIR=${IMPORT_DIR:-$PWD/target/bench/import}
mkdir -p "$DIR"
if [ -z "${CASEFILE:-}" ]; then
  cargo build --profile dist --quiet
  CASEFILE="${CARGO_TARGET_DIR:-$PWD/target}/dist/casefile"
fi
python3 benches/gen_import.py "$DIR/events.csv" "$ROWS"
python3 benches/gen_import.py "$DIR/revised.csv" "$ROWS" --revise 1
SITE="$DIR/site"

# timed NAME CMD...: run CMD, append "seconds KiB" to $DIR/NAME.txt
timed() {
  local name=$1; shift
  /usr/bin/time -f '%e %M' -o "$DIR/time.txt" "$@" > "$DIR/stdout.txt" 2> "$DIR/stderr.txt" || {
    cat "$DIR/stderr.txt" >&2; exit 1; }
  cat "$DIR/time.txt" >> "$DIR/$name.txt"
}
rm -f "$DIR"/{first,again,revised,dry,copy}.txt
for _ in $(seq "$RUNS"); do
  rm -rf "$SITE" "$DIR/copy"
  "$CASEFILE" init "$SITE" > /dev/null
  sync
  timed first "$CASEFILE" import acled "$DIR/events.csv" --create-groups --root "$SITE"
  grep -q "created $ROWS incidents" "$DIR/stdout.txt"
  timed again "$CASEFILE" import acled "$DIR/events.csv" --root "$SITE"
  grep -q "$ROWS unchanged" "$DIR/stdout.txt"
  timed dry "$CASEFILE" import acled "$DIR/revised.csv" --dry-run --root "$SITE"
  timed revised "$CASEFILE" import acled "$DIR/revised.csv" --root "$SITE"
  grep -q "updated [1-9]" "$DIR/stdout.txt"
  sync
  timed copy cp -r "$SITE/content/incidents" "$DIR/copy"
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
row() {
  local t m
  t=$(cut -d' ' -f1 "$DIR/$2.txt" | median)
  m=$(cut -d' ' -f2 "$DIR/$2.txt" | median)
  printf '| %s | %.2f s | %.0f MiB |\n' "$1" "$t" "$(echo "$m / 1024" | bc -l)"
}
echo "$ROWS rows, $RUNS runs, in $DIR ($(df -T "$DIR" | awk 'NR==2 {print $2}'))"
echo
echo "| step | median wall time | median peak memory |"
echo "|---|---|---|"
row "first import (init, then import with --create-groups)" first
row "the same file again (all unchanged)" again
row "a revised file, --dry-run" dry
row "a revised file (1% of rows changed)" revised
row "lower bound: cp -r of content/incidents" copy
