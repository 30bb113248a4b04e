#!/bin/sh
# gongkai developer entry point.
#   ./dev.sh start   set everything up and serve the platform on http://127.0.0.1:8000
#   ./dev.sh test    run the linter, the import contract, the migration check and the whole test suite
# Both create .venv and install what they need first. DATABASE_URL selects PostgreSQL.
set -eu
cd "$(dirname "$0")"

find_python() {
    for candidate in python3.11 python3.12 python3.13 python3 python; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    echo "gongkai needs Python 3.11 or newer; none was found on PATH." >&2
    return 1
}

setup() {
    if [ ! -x .venv/bin/python ]; then
        python=$(find_python)
        echo "==> Creating the virtual environment .venv with $python"
        "$python" -m venv .venv
    fi
    stamp=.venv/.gongkai-installed
    digest=$(cat pyproject.toml | .venv/bin/python -c 'import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
        echo "==> Installing gongkai and its pinned dependencies"
        .venv/bin/python -m pip install --quiet --upgrade pip
        .venv/bin/python -m pip install --quiet -e '.[dev]'
        echo "$digest" >"$stamp"
    fi
}

command=${1:-}
case "$command" in
start)
    setup
    echo "==> Preparing the database"
    .venv/bin/gongkai migrate --noinput
    .venv/bin/gongkai collectstatic --noinput >/dev/null
    echo "==> Loading the demo organisations, administrator and library"
    .venv/bin/gongkai demo
    .venv/bin/gongkai compliance_build_lm --if-missing
    echo "==> Serving the platform"
    exec .venv/bin/gongkai serve
    ;;
test)
    setup
    shift
    echo "==> Lint (ruff)"
    .venv/bin/ruff check .
    echo "==> Layers (import contract, docs/architecture.md)"
    .venv/bin/lint-imports --no-cache
    echo "==> Migrations are up to date"
    .venv/bin/gongkai makemigrations --check --dry-run --settings=config.test_settings
    echo "==> Tests (database: ${DATABASE_URL:-embedded SQLite})"
    exec .venv/bin/pytest "$@"
    ;;
*)
    echo "usage: ./dev.sh start | ./dev.sh test [pytest arguments]" >&2
    exit 2
    ;;
esac
