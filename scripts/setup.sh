#!/usr/bin/env bash
# Installs the Debian packages boex builds against, only when one is missing (idempotent).
# nodejs/npm fetch Plotly for `boex report` at configure time; chromium opens reports in the
# report tests; pkg-config checks the installed boex.pc.
set -euo pipefail
packages=(build-essential cmake libeigen3-dev libnlopt-cxx-dev libboost-math-dev libsqlite3-dev
          catch2 libtorch-dev nlohmann-json3-dev libcli11-dev sqlite3 libpqxx-dev postgresql
          nodejs npm chromium pkg-config
          libopenblas0-openmp)  # libtorch on Debian otherwise runs its matrix products on reference BLAS (8x slower)
missing=()
for p in "${packages[@]}"; do
  # A node.js from elsewhere (NodeSource's nodejs bundles npm and conflicts with Debian's npm
  # package) serves as well: the build needs the npm command, not the package.
  if [ "$p" = npm ] && command -v npm >/dev/null; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all packages present"
  exit 0
fi
echo "setup: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
