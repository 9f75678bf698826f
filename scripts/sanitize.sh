#!/usr/bin/env bash
# The whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer, in build-sanitize/
# (without libtorch, whose prebuilt library is not instrumented), beside a throw-away PostgreSQL.
# Any report fails the run: UBSan does not recover, ASan aborts on its first error, and leaks count.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBOEX_WITH_TORCH=OFF -DBOEX_SANITIZE=ON \
  -DBOEX_BUILD_EXAMPLES=OFF >/dev/null
cmake --build build-sanitize -j2
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
bash scripts/with_postgres.sh --fast ctest --test-dir build-sanitize --output-on-failure -j2 "$@"
