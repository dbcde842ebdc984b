#!/usr/bin/env bash
# Times `duibi analyze` (default settings, everything on) against the rust-limit floor and
# the Python baseline on the benchmark corpus, alternating A B A B in one run, and prints
# MB/s, peak RSS and the ratios (median, min–max over rounds). See bench/README.md.
#
# Environment:
#   ROUNDS=3        rounds of duibi / rust-limit (1 and 2 threads each)
#   PY_ROUNDS=1     rounds of the Python baseline (≈60 s per 1-process run); 0 skips it
#   SHARED=…        the shared bench directory (default: ../shared/bench beside the repo)
#   BENCH_CORPUS=…  an extracted bench-corpus (default: target/bench-corpus/bench-corpus,
#                   extracted from $SHARED/bench-corpus.tar.gz when absent)
#   SKIP_4X=1       skip the 4× corpus memory run
#   PROFILE=dist    cargo profile duibi is built with (dist: fat LTO, the build for large
#                   corpora; release: what the tests use; pgo: dist with profile-guided
#                   optimization, built by bench/pgo.sh from a training corpus that is not
#                   the benchmark corpus)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
ROUNDS="${ROUNDS:-3}"
PY_ROUNDS="${PY_ROUNDS:-1}"
SHARED="${SHARED:-$ROOT/../shared/bench}"
OUT="$ROOT/target/bench-compare"
mkdir -p "$OUT"
DATA="$OUT/times.tsv"
: > "$DATA"
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "compare.sh: needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 1; }

PROFILE="${PROFILE:-dist}"
if [ "$PROFILE" = pgo ]; then
  echo "== building duibi (dist + profile-guided: bench/pgo.sh)"
  DUIBI="$(bash "$ROOT/bench/pgo.sh")"
else
  echo "== building duibi (profile $PROFILE)"
  cargo build --profile "$PROFILE" --bin duibi --quiet
  DUIBI="$ROOT/target/$PROFILE/duibi"
fi

# ---- corpus -------------------------------------------------------------------------
CORPUS="${BENCH_CORPUS:-$ROOT/target/bench-corpus/bench-corpus}"
if [ ! -d "$CORPUS/domestic" ]; then
  if [ -f "$SHARED/bench-corpus.tar.gz" ]; then
    echo "== extracting the benchmark corpus into target/bench-corpus"
    mkdir -p "$ROOT/target/bench-corpus"
    tar xzf "$SHARED/bench-corpus.tar.gz" -C "$ROOT/target/bench-corpus"
    CORPUS="$ROOT/target/bench-corpus/bench-corpus"
  else
    echo "compare.sh: no benchmark corpus ($SHARED/bench-corpus.tar.gz absent, BENCH_CORPUS unset); nothing to measure." >&2
    exit 0
  fi
fi
BYTES=$(cat "$CORPUS"/domestic/* "$CORPUS"/overseas/* | wc -c)
echo "== corpus: $CORPUS ($BYTES bytes)"

# ---- rust-limit ---------------------------------------------------------------------
RL=""
if [ -f "$SHARED/baseline/rust-limit/Cargo.toml" ]; then
  echo "== building rust-limit into target/rust-limit"
  cargo build --release --quiet --manifest-path "$SHARED/baseline/rust-limit/Cargo.toml" \
    --target-dir "$ROOT/target/rust-limit"
  RL="$ROOT/target/rust-limit/release/rust_limit"
else
  echo "== $SHARED/baseline/rust-limit absent: skipping the rust-limit baseline"
fi

# ---- Python baseline ----------------------------------------------------------------
PY=""
PYSCRIPT="$SHARED/baseline/python/py_pipeline.py"
if [ "$PY_ROUNDS" -gt 0 ] && [ -f "$PYSCRIPT" ]; then
  if python3 -c 'import jieba, langid, vaderSentiment' 2>/dev/null; then
    PY=python3
  else
    VENV="$ROOT/target/bench-venv"
    if [ ! -x "$VENV/bin/python" ]; then
      echo "== installing the Python baseline's packages into target/bench-venv"
      python3 -m venv "$VENV"
      "$VENV/bin/pip" install --quiet jieba==0.42.1 langid==1.1.6 vaderSentiment==3.3.2
    fi
    PY="$VENV/bin/python"
  fi
else
  echo "== Python baseline skipped (PY_ROUNDS=0 or $PYSCRIPT absent)"
fi

# run LABEL ROUND CMD… : appends "LABEL ROUND seconds peak_kB" to $DATA
run() {
  local label=$1 round=$2; shift 2
  local tf="$OUT/time.$$"
  if ! "$TIME" -f "%e %M" -o "$tf" "$@" > "$OUT/$label.stdout" 2> "$OUT/$label.stderr"; then
    echo "compare.sh: $label failed; see $OUT/$label.stderr" >&2
    exit 1
  fi
  local t rss
  read -r t rss < <(tail -n 1 "$tf")
  rm -f "$tf"
  printf '%s\t%s\t%s\t%s\n' "$label" "$round" "$t" "$rss" >> "$DATA"
  printf '   %-12s round %s: %6.2f s  %7d kB\n' "$label" "$round" "$t" "$rss"
}

duibi_run() { # THREADS DIR OUTFILE
  "$DUIBI" analyze "$2" -o "$3" --quiet -j "$1"
}

echo "== warm-up (page cache)"
cat "$CORPUS"/domestic/* "$CORPUS"/overseas/* > /dev/null
duibi_run 2 "$CORPUS" "$OUT/warm.json" > /dev/null 2>&1 || true

echo "== $ROUNDS rounds, alternating duibi / rust-limit"
for r in $(seq 1 "$ROUNDS"); do
  run duibi_1t "$r" "$DUIBI" analyze "$CORPUS" -o "$OUT/duibi1.json" --quiet -j 1
  [ -n "$RL" ] && run rl_1t "$r" "$RL" cut 1 "$CORPUS/domestic" "$CORPUS/overseas"
  run duibi_2t "$r" "$DUIBI" analyze "$CORPUS" -o "$OUT/duibi2.json" --quiet -j 2
  [ -n "$RL" ] && run rl_2t "$r" "$RL" cut 2 "$CORPUS/domestic" "$CORPUS/overseas"
done
cmp -s "$OUT/duibi1.json" "$OUT/duibi2.json" || echo "   WARNING: 1- and 2-thread reports differ"

if [ -n "$PY" ]; then
  echo "== $PY_ROUNDS round(s), alternating Python baseline / duibi 1 thread"
  for r in $(seq 1 "$PY_ROUNDS"); do
    run py_1p "$r" env OPENBLAS_NUM_THREADS=1 "$PY" "$PYSCRIPT" --procs 1 --out "$OUT/py1.json" "$CORPUS"
    run duibi_1t_py "$r" "$DUIBI" analyze "$CORPUS" -o "$OUT/duibi1.json" --quiet -j 1
  done
  run py_2p 1 env OPENBLAS_NUM_THREADS=1 "$PY" "$PYSCRIPT" --procs 2 --out "$OUT/py2.json" "$CORPUS"
fi

echo "== start-up: a two-file corpus (dictionary, lexicons, glossary loaded)"
TINY="$OUT/tiny"
mkdir -p "$TINY/a" "$TINY/b"
printf '比特币矿工迁往海外。\n' > "$TINY/a/one.txt"
printf 'Bitcoin miners moved abroad.\n' > "$TINY/b/one.txt"
for r in 1 2 3 4 5; do
  run startup "$r" "$DUIBI" analyze "$TINY" -o "$OUT/tiny.json" --quiet
done

if [ "${SKIP_4X:-0}" != 1 ]; then
  echo "== memory: the corpus repeated 4× (hard links under different names)"
  BIG="$OUT/corpus4x"
  if [ ! -d "$BIG/domestic" ]; then
    rm -rf "$BIG"
    python3 "$ROOT/bench/repeat_corpus.py" "$CORPUS" "$BIG" 4
  fi
  run duibi_4x_2t 1 "$DUIBI" analyze "$BIG" -o "$OUT/duibi4x.json" --quiet -j 2
fi

python3 "$ROOT/bench/summarize.py" "$DATA" "$BYTES"
