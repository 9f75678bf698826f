#!/usr/bin/env bash
# Set up, build and run the whole test suite through ctest, beside a throw-away PostgreSQL server
# (scripts/with_postgres.sh) so the storage tests run on every backend.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
bash scripts/with_postgres.sh --fast ctest --test-dir build --output-on-failure -j2
