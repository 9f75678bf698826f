#!/usr/bin/env bash
# boex as a package: installs the build tree into a fresh prefix, then configures, builds and runs
# examples/downstream against that prefix only (CMake's find_package and pkg-config), and checks
# the installed CLI and the package's files.
#   downstream_test.sh <boex build dir> <boex source dir>
set -euo pipefail
build=$(cd "$1" && pwd)
source=$(cd "$2" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/boex-package.XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"

cmake --install "$build" --prefix "$prefix" >"$work/install.log"
for f in include/boex/core/errors.h include/boex/engine/study.h include/boex/surrogates/exact_gp.h \
         lib/libboex_engine.a lib/libboex_core.a lib/cmake/boex/boexConfig.cmake \
         lib/cmake/boex/boexConfigVersion.cmake lib/cmake/boex/boexTargets.cmake lib/pkgconfig/boex.pc bin/boex; do
  [ -e "$prefix/$f" ] || { echo "FAIL: the install lacks $f"; exit 1; }
done
if [ -e "$build/surrogates/libboex_torch.so" ] && [ ! -e "$prefix/lib/boex/libboex_torch.so" ]; then
  echo "FAIL: the libtorch plugin was built but not installed"; exit 1
fi

# The installed CLI runs on its own (a study in a file of the work directory).
"$prefix/bin/boex" create --storage "sqlite:///$work/cli.db" --study s \
  --space '{"parameters": [{"name": "x", "type": "float", "low": 0, "high": 1}]}' >/dev/null
"$prefix/bin/boex" ask --storage "sqlite:///$work/cli.db" --study s | grep -q '"x"' \
  || { echo "FAIL: the installed boex CLI did not suggest a trial"; exit 1; }

# A torch strategy from the installed CLI loads the installed plugin (beside bin/, so a moved
# prefix works), not the build tree's.
if [ -e "$prefix/lib/boex/libboex_torch.so" ]; then
  "$prefix/bin/boex" create --storage "sqlite:///$work/bnn.db" --study s --strategy bnn-ensemble-logei --n-init 2 \
    --strategy-options '{"surrogate": {"members": 2, "steps": 100}}' \
    --space '{"parameters": [{"name": "x", "type": "float", "low": 0, "high": 1}]}' >/dev/null
  for trial in 1 2; do
    "$prefix/bin/boex" ask --storage "sqlite:///$work/bnn.db" --study s >/dev/null
    "$prefix/bin/boex" tell --storage "sqlite:///$work/bnn.db" --study s --trial $trial --value 0.$trial >/dev/null
  done
  LD_DEBUG=libs "$prefix/bin/boex" ask --storage "sqlite:///$work/bnn.db" --study s >"$work/bnn.out" 2>"$work/bnn.ld"
  grep -q '"x"' "$work/bnn.out" || { echo "FAIL: the installed boex did not suggest with bnn-ensemble-logei"; exit 1; }
  grep -q "calling init: $prefix/bin/../lib/boex/libboex_torch.so" "$work/bnn.ld" \
    || { echo "FAIL: the installed boex did not load the installed plugin:"; grep libboex_torch "$work/bnn.ld"; exit 1; }
fi

# find_package(boex) from the prefix alone: no package registry, no build tree.
cmake -S "$source/examples/downstream" -B "$work/downstream" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF >"$work/configure.log" \
  || { cat "$work/configure.log"; exit 1; }
grep -q "boex_DIR:PATH=$prefix/lib/cmake/boex" "$work/downstream/CMakeCache.txt" \
  || { echo "FAIL: boex was not found in the install prefix"; grep boex_DIR "$work/downstream/CMakeCache.txt"; exit 1; }
cmake --build "$work/downstream" >"$work/build.log" || { cat "$work/build.log"; exit 1; }
"$work/downstream/downstream"

# The same program through pkg-config.
if command -v pkg-config >/dev/null; then
  flags=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs boex)
  # shellcheck disable=SC2086
  c++ -std=c++17 -O1 "$source/examples/downstream/main.cpp" -o "$work/downstream-pc" $flags
  "$work/downstream-pc" | sed 's/^downstream:/downstream (pkg-config):/'
else
  echo "pkg-config not installed: the boex.pc check is skipped"
fi
echo "PASS: downstream project built and ran against $prefix"
