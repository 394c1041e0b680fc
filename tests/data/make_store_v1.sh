#!/usr/bin/env bash
# Makes tests/data/store-v1/: a store written by the tvault of main before issue 20 (commit
# ab4ef3a, schema version 1, database migration 10, no return hubs or removals), with a facility
# registry of three entries, a few testimonies of January and February 2026 and the monthly
# release of 2026-01 in its ledger. tests/cli/old_store_test.cc opens it with the current tvault.
# Usage: tests/data/make_store_v1.sh OLD_TVAULT_BINARY OUT_DIR. Every passphrase is "passphrase".
# The keys are made for this fixture only and protect nothing but fictional demo data.
set -euo pipefail
B="$1"; OUT="$2"
mkdir -p "$OUT"; cd "$OUT"
printf 'passphrase\n' > p1; printf 'passphrase\npassphrase\npassphrase\n' > p3
"$B" keys new-org --out org --kdf interactive --key-passphrase-fd 3 3<p1 >/dev/null
"$B" keys new-signer --out analyst --kdf interactive --key-passphrase-fd 3 3<p1 >/dev/null
"$B" init --store store --org-key org.pub --kdf interactive --monitor kestrel-07 \
  --passphrase-fd 3 3<p1 >/dev/null
"$B" demo-data --facilities | grep -E '"(HR-DET-01|RS-ASY-01|BA-REC-01)"' > facilities.jsonl
"$B" facility add --from facilities.jsonl --store store --passphrase-fd 3 3<p1 >/dev/null
# Pushbacks of January and February 2026 from the demo generator, and two facility testimonies.
"$B" demo-data --count 120 --seed 20 --until 2026-11 | grep '"kind":"PUSHBACK"' |
  grep -E '"incident_date":"2026-0[12]-' | awk 'NR <= 12' > records.jsonl
cat >> records.jsonl <<'JSON'
{"kind":"FACILITY","monitor_id":"kestrel-07","recorded_at":"2026-02-03T10:15:00Z","interview_language":"ar","interpreter_present":"NO","identity":{"name":"Example Person B"},"narrative":"Fictional example. Nine days in a container with about forty others.","facility":{"facility_id":"HR-DET-01","stay_kind":"STAY","period_start":"2026-01-20","period_end":"2026-01-29","people_held_reported":40,"conditions":[{"condition":"OVERCROWDING","severity":"SERIOUS"},{"condition":"HEATING","severity":"MINOR"}]}}
{"kind":"FACILITY","monitor_id":"kestrel-07","recorded_at":"2026-02-20T09:00:00Z","interview_language":"fa","interpreter_present":"YES","narrative":"Fictional example. An asylum centre, crowded corridors.","facility":{"facility_id":"RS-ASY-01","stay_kind":"STAY","period_start":"2026-02-10","period_end":"2026-02-18","conditions":[{"condition":"OVERCROWDING","severity":"SEVERE"}]}}
JSON
"$B" add --from records.jsonl --store store --passphrase-fd 3 3<p1 >/dev/null
"$B" report --store store --org-secret org.key --sign analyst.key --month 2026-01 \
  --out release-2026-01 --passphrase-fd 3 --org-passphrase-fd 3 --sign-passphrase-fd 3 3<p3 \
  >/dev/null 2>&1
rm -rf release-2026-01  # the ledger keeps it (`tvault ledger export`)
# Every record as this tvault shows it: the current one must show the same bytes.
"$B" list --json --store store --passphrase-fd 3 3<p1 > list.jsonl
mkdir -p show
for id in $(python3 -c 'import json;[print(json.loads(l)["id"]) for l in open("list.jsonl")]'); do
  "$B" show "$id" --json --store store --passphrase-fd 3 3<p1 > "show/$id.json"
done
rm -f p1 p3 facilities.jsonl records.jsonl
