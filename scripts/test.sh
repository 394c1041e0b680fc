#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test suite through CTest twice: in the
# normal build (./build) and in the AddressSanitizer + UndefinedBehaviorSanitizer build
# (./build-asan, CMake preset "asan"), where any sanitizer report fails the test it occurs in.
# Between the two, scripts/bench.sh --quick runs the benchmarks at 10k testimonies.
# TVAULT_SKIP_ASAN=1 runs the normal build only (a quick local check; CI never sets it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
start=$(date +%s)
# -Werror here only: a warning in CI fails it. The ASan build (-O0 with sanitizers) is left
# without it, as GCC's sanitizer instrumentation raises false -Wmaybe-uninitialized and
# -Wstringop-* reports that an optimised build does not.
scripts/build.sh -DTVAULT_WERROR=ON
(cd "${TVAULT_BUILD_DIR:-build}" && ctest --output-on-failure -j"$(nproc)" --timeout 300)
echo "test.sh: normal build and tests took $(( $(date +%s) - start )) s"

# The benchmarks at 10k testimonies (docs/performance.md): figures only, they never fail on
# timing, but a command that fails fails the run. TVAULT_SKIP_BENCH=1 leaves them out.
if [ "${TVAULT_SKIP_BENCH:-0}" != "1" ]; then
  start=$(date +%s)
  scripts/bench.sh --quick
  echo "test.sh: quick benchmarks took $(( $(date +%s) - start )) s"
fi

if [ "${TVAULT_SKIP_ASAN:-0}" != "1" ]; then
  start=$(date +%s)
  # -O0 -g1 with assertions on: a third of the compile time of -O2 -g under the sanitizers
  # (the suite's run time is mostly Argon2id and SQLCipher, which are not instrumented), and
  # line numbers in every report.
  CMAKE_BUILD_TYPE=Debug TVAULT_BUILD_DIR=build-asan scripts/build.sh -DTVAULT_SANITIZE=ON \
    -DCMAKE_CXX_FLAGS_DEBUG="-O0 -g1"
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  (cd build-asan && ctest --output-on-failure -j"$(nproc)" --timeout 600)
  echo "test.sh: ASan/UBSan build and tests took $(( $(date +%s) - start )) s"
fi
