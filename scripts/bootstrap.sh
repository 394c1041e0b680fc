#!/usr/bin/env bash
# Installs the Debian packages tvault needs to build and test. Idempotent: packages already
# present are skipped, and apt-get is not touched at all when nothing is missing.
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config
  libsqlcipher-dev sqlcipher          # the store (SQLCipher 3.4.1 on SQLite 3.15.2)
  libsodium-dev                       # keys, sealing, KDF, signatures
  libssl-dev                          # SHA-256 with the CPU's SHA extensions (bundle import)
  libprotobuf-dev protobuf-compiler   # the fixed schema
  libgtest-dev                        # tests
  libcli11-dev                        # command-line parsing (header-only, well kept)
  libutf8proc-dev                     # Unicode NFKC and case folding for validation
  libglpk-dev                         # LP/MIP solver: secondary suppression and self-audit
  minisign age                        # stock tools our formats interoperate with (tests)
  python3 python3-scipy               # tests/cli/attacker.py: the tests' independent LP/ILP attacker
  libexiv2-dev libqpdf-dev            # attachments: metadata stripping of images (exiv2), PDFs (qpdf)
  libimage-exiftool-perl              # tests: an independent reader of the metadata tvault strips
  dosfstools fusefat                  # tests/cli/usb_stick_test.cc: a real FAT image, mounted with FUSE
  chromium fonts-dejavu-core          # report.html rendered headless at phone and desktop widths
                                      # (tests/cli/report_layout_check.py, scripts/screenshots.sh)
)
# `scripts/bootstrap.sh fuzz` (scripts/fuzz.sh) adds clang and its libFuzzer/sanitizer runtimes.
if [ "${1:-}" = "fuzz" ]; then
  PACKAGES+=(clang libclang-rt-14-dev)
fi
# `scripts/bootstrap.sh bench` (scripts/bench.sh) adds Google Benchmark and the stock sqlite3
# command, the plain-SQLite baseline, and GNU time for CPU and peak memory.
if [ "${1:-}" = "bench" ]; then
  PACKAGES+=(libbenchmark-dev sqlite3 time)   # time: /usr/bin/time measures each command
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "bootstrap: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "bootstrap: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
