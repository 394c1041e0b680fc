#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test suite through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
scripts/build.sh
cd "${TVAULT_BUILD_DIR:-build}"
ctest --output-on-failure -j"$(nproc)" --timeout 300
