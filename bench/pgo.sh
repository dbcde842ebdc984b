#!/usr/bin/env bash
# Profile-guided build of duibi (the `dist` profile plus PGO): builds an instrumented
# binary, runs it on a training corpus that is not the benchmark corpus (bench/pgo_corpus.py:
# news and reviews from ../shared/eval), merges the profile with llvm-profdata and builds
# target/pgo/dist/duibi with it. Prints that path last. Needs `rustup component add
# llvm-tools` (llvm-profdata); skips with a message when it or ../shared/eval is absent.
# Outputs are the same as any other build's: PGO changes code layout and inlining only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
EVAL="${EVAL:-$ROOT/../shared/eval}"
SYSROOT="$(rustc --print sysroot)"
PROFDATA="$(ls "$SYSROOT"/lib/rustlib/*/bin/llvm-profdata 2>/dev/null | head -1 || true)"
if [ -z "$PROFDATA" ]; then
  echo "pgo.sh: llvm-profdata not found (rustup component add llvm-tools); nothing built" >&2
  exit 2
fi
if [ ! -d "$EVAL/crosslingual" ]; then
  echo "pgo.sh: $EVAL absent: no training corpus; nothing built" >&2
  exit 2
fi
DATA="$ROOT/target/pgo-data"
TRAIN="$ROOT/target/pgo-train"
rm -rf "$DATA"
mkdir -p "$DATA"
[ -d "$TRAIN/domestic" ] || python3 bench/pgo_corpus.py "$EVAL" "$TRAIN" >&2
echo "== instrumented build (target/pgo-gen)" >&2
RUSTFLAGS="-Cprofile-generate=$DATA" cargo build --profile dist --bin duibi \
  --target-dir target/pgo-gen --quiet
GEN="$ROOT/target/pgo-gen/dist/duibi"
echo "== training runs" >&2
OUT="$ROOT/target/pgo-out"
mkdir -p "$OUT"
for j in 1 2; do
  "$GEN" analyze "$TRAIN" -o "$OUT/train.json" --quiet -j "$j" --tables "$OUT/t" --tables-format parquet
done
"$GEN" analyze corpora/mining-2021 -o "$OUT/sample.json" --quiet
"$PROFDATA" merge -o "$DATA/merged.profdata" "$DATA"/*.profraw
echo "== optimized build (target/pgo)" >&2
RUSTFLAGS="-Cprofile-use=$DATA/merged.profdata" \
  cargo build --profile dist --bin duibi --target-dir target/pgo --quiet
echo "$ROOT/target/pgo/dist/duibi"
