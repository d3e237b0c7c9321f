#!/usr/bin/env bash
# The whole test suite: lint, types, tests on SQLite and PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/pytest "$@"
