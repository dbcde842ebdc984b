#!/usr/bin/env bash
# Scale run: synthetic bilingual corpora of 100k and 1M documents (bench/scale_corpus.py, built
# from the benchmark corpus's sentences with a fixed seed), each analysed through --stdin-jsonl
# and as a directory of .jsonl files. Prints wall time, peak RSS and output sizes per run, and
# the 1M/100k ratios. Not a test: the machine is shared, compare ratios from one run.
#
# Environment:
#   SIZES="100000 1000000"   document counts
#   THREADS=2                --threads for every run
#   EXTRA=""                 extra analyze flags (e.g. "--tables target/scale/tables")
#   BENCH_CORPUS=…           an extracted bench corpus (default: target/bench-corpus/bench-corpus,
#                            extracted from ../shared/bench/bench-corpus.tar.gz when absent)
#   PROFILE=release          cargo profile duibi is built with
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SIZES="${SIZES:-100000 1000000}"
THREADS="${THREADS:-2}"
EXTRA="${EXTRA:-}"
PROFILE="${PROFILE:-release}"
SHARED="${SHARED:-$ROOT/../shared/bench}"
OUT="$ROOT/target/scale"
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "scale.sh: needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 1; }
mkdir -p "$OUT"

CORPUS="${BENCH_CORPUS:-$ROOT/target/bench-corpus/bench-corpus}"
if [ ! -d "$CORPUS/domestic" ]; then
  if [ -f "$SHARED/bench-corpus.tar.gz" ]; then
    mkdir -p "$ROOT/target/bench-corpus"
    tar xzf "$SHARED/bench-corpus.tar.gz" -C "$ROOT/target/bench-corpus"
    CORPUS="$ROOT/target/bench-corpus/bench-corpus"
  else
    echo "scale.sh: no benchmark corpus ($SHARED/bench-corpus.tar.gz absent, BENCH_CORPUS unset); nothing to measure." >&2
    exit 0
  fi
fi

cargo build --profile "$PROFILE" --bin duibi --quiet
DUIBI="$ROOT/target/$PROFILE/duibi"

measure() { # label, then the command; stdin from $IN when set
  local label="$1"; shift
  local log="$OUT/$label.time"
  if [ -n "${IN:-}" ]; then "$TIME" -v "$@" < "$IN" 2> "$log" >/dev/null; else "$TIME" -v "$@" 2> "$log" >/dev/null; fi
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/{print $2}' "$log")
  local report="$OUT/$label.json" size=0
  [ -f "$report" ] && size=$(stat -c %s "$report")
  printf '%-22s %10s %10s MB %10s MB\n' "$label" "$wall" "$((rss / 1024))" "$((size / 1048576))"
  echo -e "$label\t$wall\t$rss\t$size" >> "$OUT/results.tsv"
}

: > "$OUT/results.tsv"
printf '%-22s %10s %13s %13s\n' run wall "peak RSS" report
for n in $SIZES; do
  data="$OUT/corpus-$n.jsonl"; dir="$OUT/corpus-$n"
  if [ ! -f "$data" ]; then
    rm -rf "$dir"
    python3 bench/scale_corpus.py "$CORPUS" "$n" "$data" --dir "$dir" --seed 7 >&2
  fi
  # shellcheck disable=SC2086
  IN="$data" measure "stdin-$n" "$DUIBI" analyze --stdin-jsonl -j "$THREADS" --quiet -o "$OUT/stdin-$n.json" $EXTRA
  # shellcheck disable=SC2086
  IN="" measure "dir-$n" "$DUIBI" analyze "$dir" -j "$THREADS" --quiet -o "$OUT/dir-$n.json" $EXTRA
done
echo "raw figures: $OUT/results.tsv (label, wall, peak RSS KiB, report bytes)"
