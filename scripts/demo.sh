#!/usr/bin/env bash
# The main job on demo data: installs what is missing, builds, creates an organisation key and
# an encrypted store in ./demo, and publishes a year of fictional testimonies as a network does:
# twelve monthly releases in order, each recorded in the store's publication ledger, then the
# auditor's check of the last release against all the earlier ones.
#
# The demo year is 2025 (DEMO_YEAR): the generator writes incidents in the twelve months ending
# with `--until`, and tvault refuses incident dates after today, so a whole calendar year of
# demo data exists only for a year that has ended. Testimonies reach the analyst as they do in a
# network, late: before the release of month M, the store receives those interviewed up to the
# 7th of month M+1, and a testimony interviewed later is counted by a later release (the release
# basis, docs/methodology.md section 5). Those interviewed after the December release wait for
# the annual revision (`report --revision`; DEMO_REVISION=1 makes it here).
#
# Passphrases come from --passphrase-fd (here: files readable only by you, then removed), as a
# script must; a person at a terminal is prompted instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
scripts/build.sh
tvault="$PWD/${TVAULT_BUILD_DIR:-build}/cli/tvault"
# 300 testimonies a year (about 25 a month) is the size of a real network. DEMO_COUNT=2000 is
# the demo store of docs/performance.md, "A year of releases": on the current protection code
# its year takes far longer, and its June release has run out of the solver's time limit on a
# busy 2-core machine (exit 9), so it is not the default until that is fixed.
count="${DEMO_COUNT:-300}"
year="${DEMO_YEAR:-2025}"
revision="${DEMO_REVISION:-0}"

rm -rf demo
mkdir -m 700 demo
cd demo
umask 077
# Demo passphrases only. A real store's passphrase is typed at the no-echo prompt.
printf 'demo organisation passphrase\n' > .org-pass
printf 'demo store passphrase\n' > .store-pass
printf 'demo analyst passphrase\n' > .sign-pass
# report reads three passphrases in order (store, org key, signing key); one descriptor
# carries them.
cat .store-pass .org-pass .sign-pass > .report-pass
# testimonies.jsonl and arrivals.jsonl hold fictional identities in plaintext: removed on exit.
trap 'rm -f .org-pass .store-pass .sign-pass .report-pass testimonies.jsonl arrivals.jsonl' EXIT

"$tvault" keys new-org --out org --kdf interactive --key-passphrase-fd 3 3<.org-pass
"$tvault" keys new-signer --out analyst --kdf interactive --key-passphrase-fd 3 3<.sign-pass
"$tvault" init --store vault --org-key org.pub --monitor demo-monitor --passphrase-fd 3 3<.store-pass
"$tvault" demo-data --facilities > facilities.jsonl
"$tvault" facility add --store vault --from facilities.jsonl --passphrase-fd 3 3<.store-pass
"$tvault" demo-data --count "$count" --seed 2026 --until "$year-12" > testimonies.jsonl

# add_arrivals FROM TO: adds the testimonies interviewed in [FROM, TO) (recorded_at) and prints
# how many.
add_arrivals() {
  awk -v lo="$1" -v hi="$2" 'match($0, /"recorded_at":"[^"]*"/) {
    t = substr($0, RSTART + 15, RLENGTH - 16); if (t >= lo && t < hi) print }' \
    testimonies.jsonl > arrivals.jsonl
  local n
  n=$(wc -l < arrivals.jsonl)
  if [ "$n" -gt 0 ]; then
    "$tvault" add --store vault --from arrivals.jsonl --passphrase-fd 3 3<.store-pass >/dev/null
  fi
  echo "$n"
}
next_month() {
  local y=${1%-*} m=$((10#${1#*-} + 1))
  if [ "$m" = 13 ]; then y=$((y + 1)); m=1; fi
  printf '%04d-%02d' "$y" "$m"
}

echo
echo "== Twelve monthly releases of $year, in order =="
year_start=$(date +%s.%N)
cutoff="0000"
releases=()
for mm in 01 02 03 04 05 06 07 08 09 10 11 12; do
  month="$year-$mm"
  # The release of $month is made in the first week of the next month.
  next="$(next_month "$month")-08"
  arrived=$(add_arrivals "$cutoff" "$next")
  cutoff="$next"
  start=$(date +%s.%N)
  if ! "$tvault" report --store vault --org-secret org.key --sign analyst.key \
      --month "$month" --out "report-$month" \
      --passphrase-fd 3 --org-passphrase-fd 3 --sign-passphrase-fd 3 3<.report-pass \
      >".report-$month.out" 2>".report-$month.err"; then
    cat ".report-$month.err" >&2
    echo "demo: the release of $month was refused (above); nothing was recorded" >&2
    exit 1
  fi
  printf '%s: %4d testimonies arrived, %5.1f s: %s\n' "$month" "$arrived" \
    "$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')" \
    "$(sed 's/^wrote [^:]*: //' ".report-$month.out")"
  rm -f ".report-$month.out" ".report-$month.err"
  releases+=("report-$month")
done
year_end=$(date +%s.%N)

echo
echo "== The publication ledger =="
"$tvault" ledger list --store vault --passphrase-fd 3 3<.store-pass

last="${releases[${#releases[@]}-1]}"
earlier=("${releases[@]:0:${#releases[@]}-1}")
if command -v minisign >/dev/null; then
  echo
  minisign -Vm "$last/report.json" -p analyst.pub
fi
echo
echo "== The auditor's check of $last against every earlier release (docs/auditing.md) =="
verify_start=$(date +%s.%N)
# Each earlier release passed this same check (report's gate) when it was published, so the
# auditor's check of December needs only the parts of the problem that December touches.
"$tvault" verify "$last" --signer analyst.pub --previous "${earlier[@]}" --previous-checked
verify_end=$(date +%s.%N)

late=$(add_arrivals "$cutoff" "9999")
echo
echo "$late testimonies of $year reached the store after the December release: no monthly"
echo "release counts them; the annual revision does (tvault report --revision $year)."
if [ "$revision" = 1 ]; then
  echo
  echo "== The annual revision of $year =="
  "$tvault" report --store vault --org-secret org.key --sign analyst.key \
    --revision "$year" --out "revision-$year" \
    --passphrase-fd 3 --org-passphrase-fd 3 --sign-passphrase-fd 3 3<.report-pass
fi

echo
awk -v a="$year_start" -v b="$year_end" -v c="$verify_start" -v d="$verify_end" \
  'BEGIN { printf "The twelve releases took %.0f s; the auditor'"'"'s check of the last one %.0f s.\n", b - a, d - c }'
echo "Releases: demo/report-$year-01 .. demo/$last (open report.html in a browser)."
echo "Demo store: demo/vault (passphrase: \"demo store passphrase\"). Try:"
echo "  build/cli/tvault ledger list --store demo/vault"
echo "  build/cli/tvault list --store demo/vault --month $year-10"
