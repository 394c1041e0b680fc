#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan; ./build-fuzz) and runs each one for a fixed
# budget, starting from its seed corpus in tests/fuzz/corpus/<target>/. New inputs go to
# build-fuzz/corpus/<target>/, crash inputs to build-fuzz/crashes/. Prints executions per target
# and exits non-zero when any target crashed.
#   usage: scripts/fuzz.sh [SECONDS_PER_TARGET (default 60)] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
budget="${1:-60}"
shift || true
scripts/bootstrap.sh fuzz
build=build-fuzz
cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTVAULT_FUZZ=ON -DTVAULT_BUILD_TESTS=OFF >/dev/null
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in tests/fuzz/fuzz_*.cc; do t=$(basename "$f" .cc); targets+=("${t#fuzz_}"); done
fi
cmake --build "$build" -j"$(nproc)" --target "${targets[@]/#/fuzz_}"
mkdir -p "$build/crashes"
failed=0
for t in "${targets[@]}"; do
  mkdir -p "$build/corpus/$t"
  log="$build/fuzz-$t.log"
  set +e
  "$build/tests/fuzz/fuzz_$t" -max_total_time="$budget" -timeout=20 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$build/crashes/$t-" \
    "$build/corpus/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo "?")
  if [ $rc -eq 0 ]; then
    echo "fuzz $t: ${budget}s, $execs executions, coverage $cov edges, no crash"
  else
    echo "fuzz $t: CRASH (exit $rc) after $execs executions; see $log and $build/crashes/"
    failed=1
  fi
done
exit $failed
