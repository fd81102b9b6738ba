#!/usr/bin/env bash
# Try the tests with dependency versions other than the locked ones, in a fresh
# environment, so that a maintainer sees an upstream change before users do.
#
#   scripts/check-deps.sh latest   the newest release of every dependency
#   scripts/check-deps.sh lowest   the lowest versions pyproject.toml allows
#
# Not part of .ci/run: a new upstream release must never turn CI red on its own.
# docs/development.md says when to run it and what to do with what it finds.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-latest}
work=$(mktemp -d)
chmod 755 "$work"  # tests that run journey as another uid must reach the environment
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
pip="$work/venv/bin/pip"
case "$mode" in
  latest)
    PIP_CONSTRAINT= "$pip" install -q --upgrade --upgrade-strategy eager '.[test]' ;;
  lowest)
    "$pip" install -q uv
    PIP_CONSTRAINT= "$work/venv/bin/uv" pip install -q --python "$work/venv/bin/python" \
      --resolution lowest-direct '.[test]' ;;
  *)
    echo "usage: scripts/check-deps.sh [latest|lowest]" >&2; exit 2 ;;
esac
echo "== $mode versions, where they differ from requirements/lock.txt"
normalise() { tr 'A-Z_' 'a-z-' | sort; }
"$pip" freeze --exclude-editable | grep -v '^journey' | normalise > "$work/now.txt"
grep -E '^[A-Za-z0-9_.-]+==' requirements/lock.txt | normalise > "$work/lock.txt"
if diff "$work/lock.txt" "$work/now.txt" > "$work/diff.txt"; then
  echo "(none: the lock is current)"
else
  grep -E '^[<>]' "$work/diff.txt" || true
fi
echo "== tests"
"$work/venv/bin/pytest" -q -p no:cacheprovider && echo "== $mode: tests pass"
