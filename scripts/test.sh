#!/usr/bin/env bash
# Install everything and pass the checks and tests on the embedded default (SQLite).
# Set DATABASE_URL=postgres://… to run the same suite on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy foodsafe
.venv/bin/lint-imports --no-cache  # the layers contract in pyproject.toml
.venv/bin/python manage.py makemigrations --check --dry-run -v 0
.venv/bin/pytest -q -p no:cacheprovider "$@"
