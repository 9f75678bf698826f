#!/usr/bin/env bash
# The main job: set up, build, and run a complete study (Hartmann6, 60 trials) stored in
# studies/quickstart.db. Extra arguments go to the quickstart example (--problem, --budget, --seed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
./build/examples/quickstart "$@"
