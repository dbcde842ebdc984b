#!/usr/bin/env bash
# A/A and planted-difference checks of `duibi analyze --compare`: a thin wrapper around
# bench/null.py (see its module doc or --help). Uses target/release/duibi unless --duibi or
# $DUIBI says otherwise; build it first with `cargo build --release`.
#
#   bench/null.sh --tiny                       # fast A/A on a generated corpus (CI)
#   bench/null.sh --tiny --planted             # fast planted-difference check
#   bench/null.sh --corpus ../shared/bench/bench-corpus --splits 10
#   bench/null.sh --corpus DIR --group overseas --planted --json
set -euo pipefail
command -v python3 >/dev/null || { echo "null.sh: needs python3" >&2; exit 2; }
exec python3 "$(dirname "${BASH_SOURCE[0]}")/null.py" "$@"
