#!/usr/bin/env bash
# Sets up everything the project needs on a fresh machine: Debian packages, the virtualenv with
# the project and its dev tools, and a running PostgreSQL when the machine has one installed.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
while read -r pkg; do
  [[ -z "$pkg" || "$pkg" == \#* ]] && continue
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done < scripts/apt-packages.txt
if ((${#missing[@]})); then
  echo "bootstrap: installing Debian packages: ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [[ ! -x .venv/bin/python ]]; then
  echo "bootstrap: creating .venv (once: 1.5-3 minutes on a 2-core machine with a warm pip cache)"
  python3 -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [[ ! -f "$stamp" ]]; then
  began=$SECONDS
  echo "bootstrap: installing the project and its dev tools into .venv (pyproject.toml changed)"
  .venv/bin/python -m pip install -q --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
  .venv/bin/python -m pip install -q -e '.[dev]' 2>&1 | grep -v '^WARNING: Location' || true
  .venv/bin/python -c 'import exchange, fastapi, sqlalchemy, lxml, locust' 
  rm -f .venv/.installed-*; touch "$stamp"
  echo "bootstrap: .venv ready in $((SECONDS - began)) s"
fi

# xml-crypto (npm), the .NET-style XML-DSig verifier the signing tests run: exactly the
# versions in tests/js/package-lock.json, into tests/js/node_modules, from the npm registry.
lock=tests/js/node_modules/.installed-$(sha256sum tests/js/package-lock.json | cut -c1-16)
if [[ ! -f "$lock" ]]; then
  echo "bootstrap: installing the npm verifiers in tests/js"
  (cd tests/js && npm ci --no-audit --no-fund --loglevel=error)
  touch "$lock"
fi

# PostgreSQL: the test suite needs it; start the local cluster if it is installed but down.
if command -v pg_ctlcluster >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  version=$(ls /etc/postgresql 2>/dev/null | head -n1)
  [[ -n "$version" ]] && pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
fi
