#!/usr/bin/env bash
# Regenerates the screenshots of the demo report that the README shows (docs/screenshots/):
# the April 2025 release of the demo year, as a reader opens report.html in Chromium on a
# desktop (1280 px wide) and on a phone (390 px wide), in English, and on a phone in Arabic
# (right to left). Makes its own demo store in a temporary folder (four monthly releases, the
# testimonies arriving late as in scripts/demo.sh) and removes it afterwards.
#
#   scripts/screenshots.sh            # writes docs/screenshots/report-*.png
#
# Headless Chromium will not lay out a window narrower than 500 px, so the phone views load the
# page in an iframe exactly 390 px wide (its own viewport) and keep the first 390 px of the
# window.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
scripts/bootstrap.sh
build="${TVAULT_BUILD_DIR:-build}"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-RelWithDebInfo}" >/dev/null
cmake --build "$build" -j"$(nproc)" --target tvault >/dev/null   # the command alone
tvault="$root/$build/cli/tvault"
out="$root/docs/screenshots"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
umask 077

printf 'demo organisation passphrase\n' > .org-pass
printf 'demo store passphrase\n' > .store-pass
printf 'demo analyst passphrase\n' > .sign-pass
cat .store-pass .org-pass .sign-pass > .report-pass
"$tvault" keys new-org --out org --kdf interactive --key-passphrase-fd 3 3<.org-pass >/dev/null
"$tvault" keys new-signer --out analyst --kdf interactive --key-passphrase-fd 3 3<.sign-pass \
  >/dev/null
"$tvault" init --store vault --org-key org.pub --monitor demo-monitor --passphrase-fd 3 \
  3<.store-pass >/dev/null
"$tvault" demo-data --facilities > facilities.jsonl
"$tvault" facility add --store vault --from facilities.jsonl --passphrase-fd 3 3<.store-pass \
  >/dev/null
"$tvault" demo-data --count 300 --seed 2026 --until 2025-12 > testimonies.jsonl

# Releases of January to April 2025, each made on the 8th of the next month with what had
# arrived by then (scripts/demo.sh does the same for the whole year). April is released twice,
# from two copies of the store: in English and in Arabic.
release() {  # STORE MONTH LANG OUT
  "$tvault" report --store "$1" --org-secret org.key --sign analyst.key --month "$2" \
    --lang "$3" --out "$4" --passphrase-fd 3 --org-passphrase-fd 3 --sign-passphrase-fd 3 \
    3<.report-pass >/dev/null 2>"$4.err" || { cat "$4.err" >&2; exit 1; }
}
prev=""
for mm in 01 02 03 04; do
  month="2025-$mm"
  next="2025-$(printf '%02d' $((10#$mm + 1)))-08"
  awk -v lo="$prev" -v hi="$next" 'match($0, /"recorded_at":"[^"]*"/) {
    t = substr($0, RSTART + 15, RLENGTH - 16); if (t >= lo && t < hi) print }' \
    testimonies.jsonl > arrivals.jsonl
  if [ -s arrivals.jsonl ]; then
    "$tvault" add --store vault --from arrivals.jsonl --passphrase-fd 3 3<.store-pass >/dev/null
  fi
  prev="$next"
  if [ "$mm" = 04 ]; then
    cp -a vault vault-ar
    release vault-ar "$month" ar "report-$month-ar"
  fi
  release vault "$month" en "report-$month"
  echo "screenshots: released $month"
done

# shoot NAME WIDTH HEIGHT PAGE: a screenshot of PAGE at WIDTH x HEIGHT CSS pixels.
shoot() {
  local page="$4" url
  if [ "$2" -lt 500 ]; then
    cat > "$(dirname "$page")/phone.html" <<EOF
<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0}
iframe{border:0;display:block;width:$2px;height:$3px}</style></head>
<body><iframe src="$(basename "$page")"></iframe></body></html>
EOF
    url="file://$(dirname "$page")/phone.html"
  else
    url="file://$page"
  fi
  chromium --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
    --allow-file-access-from-files --user-data-dir="$work/profile" \
    --window-size="$2,$3" --screenshot="$out/$1" "$url" >/dev/null 2>&1
  echo "screenshots: docs/screenshots/$1 ($2 x $3)"
}
shoot report-desktop.png 1280 1500 "$work/report-2025-04/report.html"
shoot report-phone.png 390 1700 "$work/report-2025-04/report.html"
shoot report-phone-ar.png 390 1700 "$work/report-2025-04-ar/report.html"
chmod 644 "$out"/report-*.png
