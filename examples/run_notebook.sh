#!/usr/bin/env bash
# Executes examples/compare.ipynb headless and fails when any cell fails.
# Installs nothing: run `pip install -r requirements-ci.txt` first (or set PYTHON to an
# interpreter that has them). The executed notebook is written to
# target/compare.executed.ipynb, its plots to target/compare-*.png.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
mkdir -p target
# Build first so the notebook's own run is quick and a build failure reports as such.
if [ ! -x target/release/duibi ] || [ "${DUIBI_REBUILD:-0}" = 1 ]; then
  cargo build --release --quiet
fi
rm -f target/compare.executed.ipynb target/compare-concepts.png target/compare-sentiment.png
"$PYTHON" -m nbconvert --to notebook --execute \
  --ExecutePreprocessor.timeout=1200 \
  --ExecutePreprocessor.kernel_name=python3 \
  --output-dir target --output compare.executed.ipynb \
  examples/compare.ipynb
for f in target/compare.executed.ipynb target/compare-concepts.png target/compare-sentiment.png; do
  [ -s "$f" ] || { echo "run_notebook: $f missing" >&2; exit 1; }
done
echo "run_notebook: OK (target/compare.executed.ipynb, target/compare-concepts.png, target/compare-sentiment.png)"
