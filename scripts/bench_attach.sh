#!/usr/bin/env bash
# Scenario 8 of scripts/bench.sh (docs/performance.md, "Attachments"): attach throughput against
# the stock `age -r` on the same files in the same run, and the peak memory (RSS) of attaching,
# exporting and importing a bundle of one large file, at two file sizes (flat if it does not
# grow with the file).
#
#   scripts/bench_attach.sh --tvault BIN --keys DIR --work DIR [--sizes-mb 200,20]
#
# The files are random bytes (incompressible, an unknown type): attached with --keep-metadata,
# the streamed path that a video takes. KEYS holds org.pub/org.key and monitor.pub/monitor.key
# as scripts/bench.sh makes them; passphrases reach tvault on file descriptor 3.
set -euo pipefail

tvault="" keys="" work="" sizes="200,20"
while [ $# -gt 0 ]; do
  case "$1" in
    --tvault) tvault="$2"; shift ;;
    --keys) keys="$2"; shift ;;
    --work) work="$2"; shift ;;
    --sizes-mb) sizes="$2"; shift ;;
    *) echo "usage: scripts/bench_attach.sh --tvault BIN --keys DIR --work DIR [--sizes-mb 200,20]" >&2
       exit 2 ;;
  esac
  shift
done
STORE_PASS="bench store passphrase"
ORG_PASS="bench organisation passphrase"
SIGN_PASS="bench signer passphrase"
mkdir -p "$work"
chmod 700 "$work"

timed() {  # NAME CMD...: "wall user sys maxrss_kb" in $work/NAME.time
  local name="$1"
  shift
  if ! /usr/bin/time -f '%e %U %S %M' -o "$work/$name.time" "$@" >"$work/$name.out" \
      2>"$work/$name.err"; then
    echo "bench_attach: $name failed:" >&2
    cat "$work/$name.err" >&2
    exit 1
  fi
}
field() { awk -v i="$2" '{print $i}' "$work/$1.time"; }
mbps() { awk -v b="$1" -v w="$(field "$2" 1)" 'BEGIN { if (w > 0) printf "%.0f", b / 1048576 / w; else print "-" }'; }
cpu() { awk '{printf "%.2f", $2 + $3}' "$work/$1.time"; }
rss() { awk '{printf "%.0f", $4 / 1024}' "$work/$1.time"; }

printf '%-8s %-30s %10s %10s %10s\n' size what wall_s "MB/s" "RSS MiB"
IFS=, read -r -a list <<<"$sizes"
for mb in "${list[@]}"; do
  file="$work/random-$mb.bin"
  [ -f "$file" ] || head -c $((mb * 1048576)) /dev/urandom > "$file"
  bytes=$(stat -c %s "$file")
  rm -rf "$work/monitor" "$work/central" "$work/attach.tvb" "$work/age.out"
  "$tvault" init --store "$work/monitor" --org-key "$keys/org.pub" --monitor bench-monitor \
    --kdf interactive --passphrase-fd 3 3<<<"$STORE_PASS" >/dev/null
  "$tvault" demo-data --count 1 > "$work/one.jsonl"
  "$tvault" add --store "$work/monitor" --from "$work/one.jsonl" --passphrase-fd 3 \
    3<<<"$STORE_PASS" >/dev/null
  id=$("$tvault" list --store "$work/monitor" --json --passphrase-fd 3 3<<<"$STORE_PASS" |
       sed -n 's/^{"id":"\([0-9a-f]*\)".*/\1/p' | head -1)

  timed age_r age -R "$keys/org.pub" -o "$work/age.out" "$file"
  timed attach "$tvault" attach --store "$work/monitor" "$id" "$file" --keep-metadata \
    --passphrase-fd 3 3<<<"$STORE_PASS"
  timed export "$tvault" bundle export --store "$work/monitor" --sign "$keys/monitor.key" \
    -o "$work/attach.tvb" --passphrase-fd 3 --key-passphrase-fd 3 \
    3<<<"$STORE_PASS"$'\n'"$SIGN_PASS"
  "$tvault" init --store "$work/central" --org-key "$keys/org.pub" --monitor bench-central \
    --kdf interactive --passphrase-fd 3 3<<<"$STORE_PASS" >/dev/null
  "$tvault" trust add --store "$work/central" "$keys/monitor.pub" --name bench-monitor \
    --passphrase-fd 3 3<<<"$STORE_PASS" >/dev/null
  timed import "$tvault" bundle import --store "$work/central" --org-secret "$keys/org.key" \
    "$work/attach.tvb" --passphrase-fd 3 --key-passphrase-fd 3 \
    3<<<"$STORE_PASS"$'\n'"$ORG_PASS"
  for step in age_r attach export import; do
    printf '%-8s %-30s %10s %10s %10s\n' "${mb}MB" "$step (cpu $(cpu $step) s)" \
      "$(field $step 1)" "$(mbps "$bytes" $step)" "$(rss $step)"
  done
  echo "${mb}MB attach/age -r wall: $(awk -v a="$(field attach 1)" -v b="$(field age_r 1)" \
    'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }')"
  rm -rf "$work/monitor" "$work/central" "$work/attach.tvb" "$work/age.out"
done
