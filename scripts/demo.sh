#!/usr/bin/env bash
# The main job on demo data: installs what is missing, builds, creates an organisation key and
# an encrypted store in ./demo, fills it with generated fictional testimonies, and lists them.
# Passphrases come from --passphrase-fd (here: files readable only by you, then removed), as a
# script must; a person at a terminal is prompted instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
scripts/build.sh
tvault="$PWD/${TVAULT_BUILD_DIR:-build}/cli/tvault"
count="${DEMO_COUNT:-2000}"
report_month="${DEMO_REPORT_MONTH:-2026-03}"

rm -rf demo
mkdir -m 700 demo
cd demo
umask 077
# Demo passphrases only. A real store's passphrase is typed at the no-echo prompt.
printf 'demo organisation passphrase\n' > .org-pass
printf 'demo store passphrase\n' > .store-pass
printf 'demo analyst passphrase\n' > .sign-pass
trap 'rm -f .org-pass .store-pass .sign-pass .report-pass' EXIT

"$tvault" keys new-org --out org --kdf interactive --key-passphrase-fd 3 3<.org-pass
"$tvault" init --store vault --org-key org.pub --monitor demo-monitor --passphrase-fd 3 3<.store-pass
"$tvault" demo-data --facilities > facilities.jsonl
"$tvault" facility add --store vault --from facilities.jsonl --passphrase-fd 3 3<.store-pass
"$tvault" demo-data --count "$count" --seed 2026 > testimonies.jsonl
"$tvault" add --store vault --from testimonies.jsonl --passphrase-fd 3 3<.store-pass
# The input file holds fictional identities in plaintext: remove it now that they are sealed.
rm -f testimonies.jsonl

echo
echo "== October 2026 in the demo store =="
"$tvault" list --store vault --month 2026-10 --passphrase-fd 3 3<.store-pass | tail -n 15
echo
echo "== Store totals by kind =="
for kind in pushback facility; do
  n=$("$tvault" list --store vault --kind "$kind" --json --passphrase-fd 3 3<.store-pass | wc -l)
  echo "$kind: $n"
done
echo
echo "== The monthly report for $report_month =="
"$tvault" keys new-signer --out analyst --kdf interactive --key-passphrase-fd 3 3<.sign-pass
# report reads three passphrases in order (store, org key, signing key); one descriptor
# carries them.
cat .store-pass .org-pass .sign-pass > .report-pass
"$tvault" report --store vault --org-secret org.key --sign analyst.key \
  --month "$report_month" --out "report-$report_month" \
  --passphrase-fd 3 --org-passphrase-fd 3 --sign-passphrase-fd 3 3<.report-pass
if command -v minisign >/dev/null; then
  minisign -Vm "report-$report_month/report.json" -p analyst.pub
fi
echo
echo "== The auditor's check of the report (docs/auditing.md) =="
"$tvault" verify "report-$report_month" --signer analyst.pub
echo
echo "Demo report: demo/report-$report_month (open report.html in a browser)."
echo "Demo store: demo/vault (passphrase: \"demo store passphrase\"). Try:"
echo "  build/cli/tvault show --store demo/vault <ID>"
