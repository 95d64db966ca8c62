# Sourced by ./run and ./run-tests: makes sure .venv exists and holds what
# pyproject.toml asks for. Installs again only when pyproject.toml or setup.py
# changed since the last install.
# shellcheck shell=bash
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$ROOT/.venv"
EXTRAS=${1:-}

python_cmd() {
  for candidate in "${PYTHON:-}" python3 python; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return
    fi
  done
  echo "StretchDesk needs Python 3.11 or newer (python3 --version says:" \
    "$(python3 --version 2>&1 || echo 'not found'))." >&2
  exit 1
}

if [ ! -x "$VENV/bin/python" ]; then
  PY=$(python_cmd)
  echo "Setting up a virtual environment in .venv (first run only)..." >&2
  if ! "$PY" -m venv "$VENV" 2>/tmp/stretchdesk-venv.err; then
    rm -rf "$VENV"
    cat /tmp/stretchdesk-venv.err >&2
    echo "Could not create a virtual environment. On Debian or Ubuntu, install it with:" >&2
    echo "  sudo apt-get install python3-venv" >&2
    exit 1
  fi
fi

hash=$(cat "$ROOT/pyproject.toml" "$ROOT/setup.py" | sha1sum | cut -c1-12)
stamp="$VENV/.installed-$hash${EXTRAS:+-$EXTRAS}"
# An install with the test tools also has everything the app needs.
if [ -z "$EXTRAS" ] && [ -e "$VENV/.installed-$hash-test" ]; then
  stamp="$VENV/.installed-$hash-test"
fi
if [ ! -e "$stamp" ]; then
  echo "Installing StretchDesk and what it needs into .venv..." >&2
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    -e "$ROOT${EXTRAS:+[$EXTRAS]}" >&2
  rm -f "$VENV"/.installed-*
  touch "$stamp"
fi
