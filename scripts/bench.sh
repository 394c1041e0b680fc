#!/usr/bin/env bash
# Benchmarks tvault against plain SQLite (docs/performance.md has the method and the figures).
#
#   scripts/bench.sh [--quick] [--sizes 10k,100k,1M] [--month YYYY-MM] [--no-build] [--year]
#
# For each size N it generates N demo testimonies (seed 2026, cached in build/bench-data) and
# runs, each next to its baseline in the same run:
#   1. report of one month and its year to date, vs the same GROUP BY queries run by the Debian
#      `sqlite3` on a plaintext copy of the rows (target <= 1.3x);
#   2. bundle import of the N records, vs `sqlite3 .import` of the same rows as CSV
#      (target <= 1.5x);
#   3. `add --from` of the N records: records/s and the share spent sealing identities;
#   4. peak memory (RSS) of report and bundle import at every size (should stay flat);
#   7. search latency (Store::Search on the imported store) vs plain SQLite FTS4 over the same
#      narratives, five queries from rare to common (bench/search.cc; target <= 1.5x);
# and once, 8. attachments (scripts/bench_attach.sh): attach throughput (MB/s) vs `age -r` of
#      the same file, and the peak RSS of attach, bundle export and import of a 200 MB file
#      next to a 20 MB one (20 MB and 5 MB with --quick);
# and once, 5. secondary suppression and self-audit vs the exact optimum (Google Benchmark).
# --quick runs 10k only and scenario 5 on one-month stacks (CI). Figures are printed, never
# judged: the script fails only when a command fails.
#
# --year adds 6. a year of releases: scripts/bench_year.sh on the demo store (2,000) and the
# 10k store, the twelve monthly releases of one year in order, CPU and wall per release and the
# share published (docs/performance.md, "A year of releases"). It is not part of --quick: the
# demo-size year takes far more than the two minutes CI can spend (docs/performance.md).
#
# Stores use Argon2id at the INTERACTIVE limits (as scripts/demo.sh does) so that the fixed
# cost of unlocking is small next to the work measured; BM_Argon2idModerate gives the default.
# Passphrases are bench-only and reach tvault on file descriptor 3, never in argv.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

sizes="10k,100k,1M"
month="2026-03"
build=1
quick=0
year=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; sizes="10k" ;;
    --sizes) sizes="$2"; shift ;;
    --month) month="$2"; shift ;;
    --no-build) build=0 ;;
    --year) year=1 ;;
    *) echo "usage: scripts/bench.sh [--quick] [--sizes 10k,100k,1M] [--month YYYY-MM] [--no-build] [--year]" >&2
       exit 2 ;;
  esac
  shift
done

bdir="$root/${TVAULT_BUILD_DIR:-build}"
if [ "$build" = 1 ]; then
  scripts/bootstrap.sh bench
  cmake -S . -B "$bdir" -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-RelWithDebInfo}" >/dev/null
  cmake --build "$bdir" -j"$(nproc)" --target tvault tvault_bench tvault_bench_flatten \
    tvault_bench_search
fi
tvault="$bdir/cli/tvault"
micro="$bdir/bench/tvault_bench"
flatten="$bdir/bench/tvault_bench_flatten"
search="$bdir/bench/tvault_bench_search"
data="$bdir/bench-data"
mkdir -p "$data"
chmod 700 "$data"
start_all=$(date +%s)

STORE_PASS="bench store passphrase"
ORG_PASS="bench organisation passphrase"
SIGN_PASS="bench signer passphrase"

# run_timed NAME CMD...: runs CMD with fd 3 as given by the caller, and leaves
# "wall user sys maxrss_kb" in $work/NAME.time and its standard error in $work/NAME.err.
run_timed() {
  local name="$1"
  shift
  if ! /usr/bin/time -f '%e %U %S %M' -o "$work/$name.time" "$@" >"$work/$name.out" \
      2>"$work/$name.err"; then
    echo "bench: $name failed:" >&2
    cat "$work/$name.err" >&2
    exit 1
  fi
}
wall() { awk '{print $1}' "$work/$1.time"; }
cpu() { awk '{printf "%.3f", $2 + $3}' "$work/$1.time"; }
rss_mib() { awk '{printf "%.0f", $4 / 1024}' "$work/$1.time"; }
# stage NAME STAGE: CPU seconds of a --timings stage (summed when it repeats, e.g. per file).
stage() {
  awk -v s="$2" '$1 == "timing:" { n = $0; sub(/^timing: /, "", n); sub(/ cpu=.*/, "", n);
    i = index(n, ": " s); if (n == s || (i > 0 && i == length(n) - length(s) - 1)) {
    split($(NF-1), a, "=");
    t += a[2] } } END { printf "%.3f", t }' "$work/$1.err"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'; }
count_of() {
  case "$1" in
    *k|*K) echo $(( ${1%[kK]} * 1000 )) ;;
    *m|*M) echo $(( ${1%[mM]} * 1000000 )) ;;
    *) echo "$1" ;;
  esac
}

# Keys, made once: the organisation, the monitor's signer, the analyst's signer.
keys="$data/keys"
if [ ! -f "$keys/analyst.key" ]; then
  rm -rf "$keys"
  mkdir -p "$keys"
  "$tvault" keys new-org --out "$keys/org" --kdf interactive --key-passphrase-fd 3 \
    3<<<"$ORG_PASS" >/dev/null
  "$tvault" keys new-signer --out "$keys/monitor" --kdf interactive --key-passphrase-fd 3 \
    3<<<"$SIGN_PASS" >/dev/null
  "$tvault" keys new-signer --out "$keys/analyst" --kdf interactive --key-passphrase-fd 3 \
    3<<<"$SIGN_PASS" >/dev/null
fi
"$tvault" demo-data --facilities > "$data/facilities.jsonl"

# The in-process figures used below (sealing share) and printed in the summary.
work="$data/micro"
mkdir -p "$work"
echo "== in-process (Google Benchmark) =="
"$micro" --benchmark_filter='BM_(Seal|Pseudonym|Parse|Argon)' \
  --benchmark_out="$work/micro.csv" --benchmark_out_format=csv
seal_ns=$(awk -F, '$1 == "\"BM_SealIdentity\"" { print $4 }' "$work/micro.csv")

rows=()
rss_rows=()
add_row() { rows+=("$(printf '%-4s %-6s %-44s %10s %10s %8s %s' "$@")"); }

IFS=, read -r -a size_list <<<"$sizes"
for size in "${size_list[@]}"; do
  n=$(count_of "$size")
  set_dir="$data/$size"
  work="$set_dir/run"
  rm -rf "$work"
  mkdir -p "$set_dir/csv" "$work"
  echo
  echo "== $size: $n testimonies =="
  if [ ! -s "$set_dir/testimonies.jsonl" ]; then
    "$tvault" demo-data --count "$n" --seed 2026 > "$set_dir/testimonies.jsonl.tmp"
    mv "$set_dir/testimonies.jsonl.tmp" "$set_dir/testimonies.jsonl"
  fi
  if [ ! -f "$set_dir/csv/plain.db" ]; then
    "$flatten" "$set_dir/csv" < "$set_dir/testimonies.jsonl"
    (cd "$set_dir/csv" && sqlite3 plain.db < "$root/bench/sql/facts_schema.sql")
  fi

  # 3. add --from: the monitor's store, also the source of the bundle.
  "$tvault" init --store "$work/monitor" --org-key "$keys/org.pub" --monitor bench-monitor \
    --kdf interactive --passphrase-fd 3 3<<<"$STORE_PASS" >/dev/null
  "$tvault" facility add --store "$work/monitor" --from "$data/facilities.jsonl" \
    --passphrase-fd 3 3<<<"$STORE_PASS" >/dev/null
  # add --from takes at most 256 MiB a file (docs/cli.md): a larger input (1M is 1.3 GB) is
  # added in parts of at most 250 MiB, one command and one transaction each, and the figures
  # are their sums (the peak RSS their maximum).
  parts=("$set_dir/testimonies.jsonl")
  if [ "$(stat -c %s "$set_dir/testimonies.jsonl")" -gt $((250 * 1048576)) ]; then
    if [ ! -d "$set_dir/parts" ]; then
      rm -rf "$set_dir/parts.tmp"
      mkdir -p "$set_dir/parts.tmp"
      split -C 250M -d -a 3 "$set_dir/testimonies.jsonl" "$set_dir/parts.tmp/part-"
      mv "$set_dir/parts.tmp" "$set_dir/parts"
    fi
    parts=("$set_dir/parts"/part-*)
  fi
  : >"$work/add.err"
  : >"$work/add.times"
  part_no=0
  for part in "${parts[@]}"; do
    part_no=$((part_no + 1))
    run_timed "add_$part_no" "$tvault" add --store "$work/monitor" --from "$part" \
      --timings --passphrase-fd 3 3<<<"$STORE_PASS"
    cat "$work/add_$part_no.err" >>"$work/add.err"
    cat "$work/add_$part_no.time" >>"$work/add.times"
  done
  awk '{ w += $1; u += $2; s += $3; if ($4 > m) m = $4 } END { print w, u, s, m }' \
    "$work/add.times" >"$work/add.time"
  add_cpu=$(cpu add)
  add_write=$(stage add "validate+seal+write")
  seal_s=$(awk -v n="$n" -v ns="$seal_ns" 'BEGIN { printf "%.3f", n * ns / 1e9 }')
  add_row 3 "$size" "add --from: records/s (wall)" \
    "$(awk -v n="$n" -v w="$(wall add)" 'BEGIN { printf "%.0f", n / w }')" "" "" ""
  add_row 3 "$size" "add --from: CPU s (validate+seal+write s)" "$add_cpu" "$add_write" "" ""
  add_row 3 "$size" "add --from: share of CPU sealing identities" \
    "$(awk -v a="$seal_s" -v b="$add_cpu" 'BEGIN { printf "%.0f%%", 100 * a / b }')" \
    "" "" "(N x BM_SealIdentity)"

  run_timed export "$tvault" bundle export --store "$work/monitor" --sign "$keys/monitor.key" \
    --all -o "$work/bundle.tvb" --passphrase-fd 3 --key-passphrase-fd 3 \
    3<<<"$STORE_PASS"$'\n'"$SIGN_PASS"
  add_row - "$size" "bundle export --all: CPU s, MiB" "$(cpu export)" \
    "$(( $(stat -c %s "$work/bundle.tvb") / 1048576 ))" "" "(no baseline)"

  # 2. bundle import into a new central store, vs sqlite3 .import of the same rows.
  "$tvault" init --store "$work/central" --org-key "$keys/org.pub" --monitor bench-central \
    --kdf interactive --passphrase-fd 3 3<<<"$STORE_PASS" >/dev/null
  "$tvault" facility add --store "$work/central" --from "$data/facilities.jsonl" \
    --passphrase-fd 3 3<<<"$STORE_PASS" >/dev/null
  "$tvault" trust add --store "$work/central" "$keys/monitor.pub" --name bench-monitor \
    --passphrase-fd 3 3<<<"$STORE_PASS" >/dev/null
  run_timed import "$tvault" bundle import --store "$work/central" --org-secret "$keys/org.key" \
    "$work/bundle.tvb" --timings --passphrase-fd 3 --key-passphrase-fd 3 \
    3<<<"$STORE_PASS"$'\n'"$ORG_PASS"
  rm -f "$set_dir/csv/import.db" "$set_dir/csv/import.db-wal" "$set_dir/csv/import.db-shm"
  (cd "$set_dir/csv" && run_timed sqlite_import sqlite3 import.db \
    ".read $root/bench/sql/import_baseline.sql")
  rm -f "$set_dir/csv/import.db"*
  imp_core=$(awk -v a="$(stage import verify)" -v b="$(stage import apply)" \
    'BEGIN { printf "%.3f", a + b }')
  base=$(cpu sqlite_import)
  add_row 2 "$size" "bundle import, end to end (CPU s)" "$(cpu import)" "$base" \
    "$(ratio "$(cpu import)" "$base")" "target <= 1.5x"
  add_row 2 "$size" "bundle import, verify+apply only (CPU s)" "$imp_core" "$base" \
    "$(ratio "$imp_core" "$base")" "target <= 1.5x"
  add_row 2 "$size" "  of which derive pseudonyms (CPU s)" "$(stage import "derive pseudonyms")" \
    "" "" "(no baseline)"
  add_row 2 "$size" "bundle import, end to end (wall s)" "$(wall import)" \
    "$(wall sqlite_import)" "$(ratio "$(wall import)" "$(wall sqlite_import)")" ""

  # 1. report of $month and its year to date, vs GROUP BY on the plaintext copy.
  run_timed report "$tvault" report --store "$work/central" --org-secret "$keys/org.key" \
    --sign "$keys/analyst.key" --month "$month" --out "$work/report" --timings \
    --passphrase-fd 3 --org-passphrase-fd 3 --sign-passphrase-fd 3 \
    3<<<"$STORE_PASS"$'\n'"$ORG_PASS"$'\n'"$SIGN_PASS"
  sed -e "s/@FROM@/${month%-*}-01/g" -e "s/@TO@/$month/g" bench/sql/report_queries.sql \
    > "$work/report_queries.sql"
  (cd "$set_dir/csv" && run_timed sqlite_report sqlite3 -readonly plain.db \
    ".read $work/report_queries.sql")
  base=$(cpu sqlite_report)
  scan=$(stage report "scan+aggregate")
  add_row 1 "$size" "report $month, end to end (CPU s)" "$(cpu report)" "$base" \
    "$(ratio "$(cpu report)" "$base")" "target <= 1.3x"
  add_row 1 "$size" "report, scan+aggregate only (CPU s)" "$scan" "$base" \
    "$(ratio "$scan" "$base")" "target <= 1.3x"
  add_row 1 "$size" "  protect / self-audit (CPU s)" \
    "$(stage report protect)/$(stage report self-audit)" "" "" "(no baseline)"
  add_row 1 "$size" "  open store+keys / render+sign+write (CPU s)" \
    "$(awk -v a="$(stage report "open store")" -v b="$(stage report "unlock keys")" \
      'BEGIN { printf "%.2f", a + b }')/$(awk -v a="$(stage report "render+sign")" \
      -v b="$(stage report "write+log")" 'BEGIN { printf "%.2f", a + b }')" "" "" ""

  # 7. search latency on the central store, vs plain FTS4 over the same narratives.
  search_reps=20
  [ "$quick" = 1 ] && search_reps=5
  "$search" "$work/central" "$set_dir/testimonies.jsonl" "$work" "$search_reps" \
    3<<<"$STORE_PASS" | tee "$work/search.out"
  while read -r label ms join_ms; do
    add_row 7 "$size" "search, $label (CPU ms)" "$ms" "$join_ms" "$(ratio "$ms" "$join_ms")" \
      "target <= 1.5x (vs FTS4 + join)"
  done < <(awk '$1 == "place" || $1 == "two" || $1 == "phrase" || $1 == "prefix" ||
                $1 == "common" { n = NF; print $1, $(n-4), $(n-3) }' "$work/search.out")
  rm -f "$work/search-baseline.db"*

  # 4. peak memory.
  rss_rows+=("$(printf '%-6s report %6s MiB   bundle import %6s MiB   add --from %6s MiB   sqlite3 report %4s MiB, .import %4s MiB' \
    "$size" "$(rss_mib report)" "$(rss_mib import)" "$(rss_mib add)" \
    "$(rss_mib sqlite_report)" "$(rss_mib sqlite_import)")")
  # The stores are large; keep only the inputs (testimonies, CSV, plaintext copy).
  rm -rf "$work/monitor" "$work/central" "$work/report" "$work/bundle.tvb"
done

echo
echo "== 8. attachments: attach vs age -r, peak RSS (scripts/bench_attach.sh) =="
attach_sizes="200,20"
[ "$quick" = 1 ] && attach_sizes="20,5"
scripts/bench_attach.sh --tvault "$tvault" --keys "$keys" --work "$data/attach" \
  --sizes-mb "$attach_sizes" | tee "$data/attach.out"

echo
echo "== 5. secondary suppression and self-audit vs the exact optimum =="
filter='BM_SuppressionVsExact/unity:./months:1/'
[ "$quick" = 1 ] && filter='BM_SuppressionVsExact/unity:0/months:1/seed:[123]/'
"$micro" --benchmark_filter="$filter" --benchmark_counters_tabular=true

echo
echo "== summary (CPU seconds unless said; ratio = tvault / baseline) =="
printf '%-4s %-6s %-44s %10s %10s %8s %s\n' "#" size what tvault baseline ratio note
for r in "${rows[@]}"; do echo "$r"; done
echo
echo "== 4. peak RSS =="
for r in "${rss_rows[@]}"; do echo "$r"; done
if [ "$year" = 1 ]; then
  echo
  echo "== 6. a year of releases (scripts/bench_year.sh) =="
  # A copy of the binary: a build started by someone else during the year cannot change it.
  cp "$tvault" "$data/tvault-year"
  scripts/bench_year.sh --counts 2000,10000 --tvault "$data/tvault-year"
fi
echo
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1); $(date -u +%FT%TZ)"
echo "bench.sh took $(( $(date +%s) - start_all )) s"
