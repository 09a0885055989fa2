#!/usr/bin/env bash
# Create .venv with Python 3.11 and install the locked dependencies (uv.lock), dev tools included.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3.11}"
if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "需要 Python 3.11 (python3.11 not found; set PYTHON=/path/to/python3.11)" >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    if ! "$PYTHON" -m venv .venv 2>/dev/null; then
        # Debian splits venv out of the interpreter package.
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            apt-get update -qq && apt-get install -y -qq python3.11-venv
            "$PYTHON" -m venv .venv
        else
            echo "python3.11 -m venv failed: install python3.11-venv" >&2
            exit 1
        fi
    fi
fi
if [ ! -x .venv/bin/uv ]; then
    # A .venv made by uv itself has no pip: bootstrap it first.
    .venv/bin/python -m pip --version >/dev/null 2>&1 || .venv/bin/python -m ensurepip --upgrade >/dev/null
    .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
fi
# --inexact keeps uv itself, which is not in the lock.
.venv/bin/uv sync --quiet --frozen --inexact --extra dev --python .venv/bin/python
