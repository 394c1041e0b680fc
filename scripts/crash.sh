#!/usr/bin/env bash
# The full crash-safety run: `add --from`, `edit`, `passwd` and `bundle import` SIGKILLed at
# random moments until KILLS runs were killed (default 200), checking the store after each
# (tests/cli/crash_safety_test.cc). usage: scripts/crash.sh [KILLS] [SEED]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
export TVAULT_CRASH_KILLS="${1:-200}"
export TVAULT_CRASH_SEED="${2:-20261125}"
"${TVAULT_BUILD_DIR:-build}/tests/tvault_cli_tests" --gtest_filter='CrashSafety.*'
