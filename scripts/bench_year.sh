#!/usr/bin/env bash
# A year of releases (docs/performance.md, "A year of releases"): for each store size, the
# twelve monthly releases of one year made in order on one store, as an analyst makes them, with
# the CPU (user+sys) and wall time of each release and the share of it that stayed published.
#
#   scripts/bench_year.sh [--counts 2000,10000] [--year 2025] [--no-build] [--tvault BINARY]
#
# --tvault runs a copy of the binary (no build): the protection code changes often, and a build
# started by someone else during the run would otherwise change the binary between releases.
# Each store holds N demo testimonies of the year (`demo-data --until YYYY-12`, seed 2026: the
# same records as scripts/demo.sh for N = 2000), and receives them as a network does: before the
# release of month M, the testimonies recorded (interviewed) up to the 7th of month M+1 have
# reached the analyst; later ones wait for a later release (release basis, docs/methodology.md
# section 5). A release that tvault refuses (a non-zero exit) is shown with its exit code and
# the year goes on: its testimonies are counted by the next release.
#
# Targets (issue 15): December at most 2x January; the whole demo year (2,000) under 2 minutes
# of CPU. Figures are printed, never judged: the script fails only when setting up fails.
# Passphrases are bench-only and reach tvault on file descriptor 3, never in argv.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

counts="2000,10000"
year="2025"
build=1
tvault_bin=""
while [ $# -gt 0 ]; do
  case "$1" in
    --counts) counts="$2"; shift ;;
    --year) year="$2"; shift ;;
    --no-build) build=0 ;;
    --tvault) tvault_bin="$2"; build=0; shift ;;
    *) echo "usage: scripts/bench_year.sh [--counts 2000,10000] [--year YYYY] [--no-build] [--tvault BINARY]" >&2
       exit 2 ;;
  esac
  shift
done
case "$year" in
  [12][0-9][0-9][0-9]) ;;
  *) echo "bench_year: --year must be YYYY" >&2; exit 2 ;;
esac

bdir="$root/${TVAULT_BUILD_DIR:-build}"
if [ "$build" = 1 ]; then
  scripts/build.sh >/dev/null
fi
tvault="${tvault_bin:-$bdir/cli/tvault}"
data="$bdir/bench-data/year"
mkdir -p "$data"
chmod 700 "$data"
start_all=$(date +%s)

STORE_PASS="bench store passphrase"
ORG_PASS="bench organisation passphrase"
SIGN_PASS="bench signer passphrase"

keys="$data/keys"
if [ ! -f "$keys/analyst.key" ]; then
  rm -rf "$keys"
  mkdir -p "$keys"
  "$tvault" keys new-org --out "$keys/org" --kdf interactive --key-passphrase-fd 3 \
    3<<<"$ORG_PASS" >/dev/null
  "$tvault" keys new-signer --out "$keys/analyst" --kdf interactive --key-passphrase-fd 3 \
    3<<<"$SIGN_PASS" >/dev/null
fi
"$tvault" demo-data --facilities > "$data/facilities.jsonl"

# next_month YYYY-MM: the month after.
next_month() {
  local y=${1%-*} m=$((10#${1#*-} + 1))
  if [ "$m" = 13 ]; then y=$((y + 1)); m=1; fi
  printf '%04d-%02d' "$y" "$m"
}

summary=()
IFS=, read -r -a count_list <<<"$counts"
for n in "${count_list[@]}"; do
  set_dir="$data/$n"
  work="$set_dir/run"
  rm -rf "$work"
  mkdir -p "$work"
  if [ ! -s "$set_dir/testimonies-$year.jsonl" ]; then
    "$tvault" demo-data --count "$n" --seed 2026 --until "$year-12" \
      > "$set_dir/testimonies-$year.jsonl.tmp"
    mv "$set_dir/testimonies-$year.jsonl.tmp" "$set_dir/testimonies-$year.jsonl"
  fi
  "$tvault" init --store "$work/vault" --org-key "$keys/org.pub" --monitor bench-central \
    --kdf interactive --passphrase-fd 3 3<<<"$STORE_PASS" >/dev/null
  "$tvault" facility add --store "$work/vault" --from "$data/facilities.jsonl" \
    --passphrase-fd 3 3<<<"$STORE_PASS" >/dev/null

  echo
  echo "== $n testimonies: the twelve releases of $year =="
  printf '%-7s %7s %6s %8s %8s %7s %7s %8s %8s %8s %8s  %s\n' month arrived exit "CPU s" \
    "wall s" counted "cells" "cells%" "nz%" "testim%" "people%" "protect/audit/verify CPU s"
  arrived=0
  prev_cutoff="0000"
  total_cpu=0
  total_wall=0
  jan_cpu=""
  dec_cpu=""
  for mm in 01 02 03 04 05 06 07 08 09 10 11 12; do
    month="$year-$mm"
    # What has reached the analyst when the release of $month is made (early next month).
    cutoff="$(next_month "$month")-08"
    awk -v lo="$prev_cutoff" -v hi="$cutoff" 'match($0, /"recorded_at":"[^"]*"/) {
      t = substr($0, RSTART + 15, RLENGTH - 16); if (t >= lo && t < hi) print }' \
      "$set_dir/testimonies-$year.jsonl" > "$work/arrivals.jsonl"
    prev_cutoff="$cutoff"
    batch=$(wc -l < "$work/arrivals.jsonl")
    if [ "$batch" -gt 0 ]; then
      "$tvault" add --store "$work/vault" --from "$work/arrivals.jsonl" \
        --passphrase-fd 3 3<<<"$STORE_PASS" >/dev/null
    fi
    arrived=$((arrived + batch))
    rc=0
    /usr/bin/time -f '%e %U %S %M' -o "$work/$month.time" \
      "$tvault" report --store "$work/vault" --org-secret "$keys/org.key" \
      --sign "$keys/analyst.key" --month "$month" --out "$work/report-$month" --timings \
      --passphrase-fd 3 --org-passphrase-fd 3 --sign-passphrase-fd 3 \
      3<<<"$STORE_PASS"$'\n'"$ORG_PASS"$'\n'"$SIGN_PASS" \
      >"$work/$month.out" 2>"$work/$month.err" || rc=$?
    read -r wall user sys _ < <(tail -n 1 "$work/$month.time")
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }')
    stages=$(awk '$1 == "timing:" { n = $0; sub(/^timing: /, "", n); sub(/ cpu=.*/, "", n);
      split($(NF-1), a, "="); t[n] += a[2] }
      END { printf "%.1f/%.1f/%.1f", t["protect"], t["self-audit"], t["render+verify+record"] }' \
      "$work/$month.err")
    total_cpu=$(awk -v a="$total_cpu" -v b="$cpu" 'BEGIN { printf "%.1f", a + b }')
    total_wall=$(awk -v a="$total_wall" -v b="$wall" 'BEGIN { printf "%.1f", a + b }')
    [ "$mm" = 01 ] && jan_cpu=$cpu
    [ "$mm" = 12 ] && dec_cpu=$cpu
    # The share published, from the ledger entry of this release (none when it was refused).
    share="-       -        -        -        -"
    if [ "$rc" = 0 ]; then
      share=$("$tvault" ledger list --store "$work/vault" --year "$year" --json \
        --passphrase-fd 3 3<<<"$STORE_PASS" | jq -r --arg m "$month" \
        'select(.month == $m and .kind == "monthly") |
         def pct(a; b): if b == 0 then "-" else ((1000 * a / b | round) / 10 | tostring) end;
         "\(.cells) \(pct(.cells_published; .cells)) \(pct(.nonzero_cells_published; .nonzero_cells)) \(pct(.testimonies_published; .testimonies)) \(pct(.people_published; .people)) \(.testimonies)"')
    fi
    read -r cells cells_pct nz_pct t_pct p_pct counted <<<"$share"
    printf '%-7s %7s %6s %8s %8s %7s %7s %8s %8s %8s %8s  %s\n' "$month" "$arrived" "$rc" \
      "$cpu" "$wall" "${counted:--}" "$cells" "$cells_pct" "$nz_pct" "$t_pct" "$p_pct" "$stages"
    if [ "$rc" != 0 ]; then
      grep -v '^timing:' "$work/$month.err" | head -n 3 | sed 's/^/        /'
    fi
  done
  ratio=$(awk -v d="$dec_cpu" -v j="$jan_cpu" 'BEGIN { if (j > 0) printf "%.1fx", d / j; else print "-" }')
  echo "(counted: testimonies counted first by the release; cells%: of its month and year-to-date"
  echo " cells, those published; nz%: of its non-zero cells; testim%/people%: of what its own"
  echo " month tables count, what lies in published cells)"
  echo
  echo "ledger of the $n store:"
  "$tvault" ledger list --store "$work/vault" --year "$year" --passphrase-fd 3 3<<<"$STORE_PASS"
  last=$(ls -d "$work"/report-"$year"-* 2>/dev/null | tail -n 1 || true)
  if [ -n "$last" ]; then
    earlier=()
    for d in "$work"/report-"$year"-*; do [ "$d" != "$last" ] && earlier+=("$d"); done
    vrc=0
    /usr/bin/time -f '%e %U %S' -o "$work/verify.time" "$tvault" verify "$last" \
      --signer "$keys/analyst.pub" ${earlier[@]:+--previous "${earlier[@]}"} \
      >"$work/verify.out" 2>&1 || vrc=$?
    read -r vwall vuser vsys < <(tail -n 1 "$work/verify.time")
    echo "verify $(basename "$last") --previous (${#earlier[@]} earlier): exit $vrc," \
      "CPU $(awk -v u="$vuser" -v s="$vsys" 'BEGIN { printf "%.1f", u + s }') s, wall $vwall s"
  fi
  summary+=("$(printf '%-6s year CPU %7s s  wall %7s s  December/January CPU %s' "$n" \
    "$total_cpu" "$total_wall" "$ratio")")
  rm -rf "$work/vault"
done

echo
echo "== summary (targets: December <= 2x January; the 2,000 year under 120 s CPU) =="
for r in "${summary[@]}"; do echo "$r"; done
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1); load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ)"
echo "bench_year.sh took $(( $(date +%s) - start_all )) s"
