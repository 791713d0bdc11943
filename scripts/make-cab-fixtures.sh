#!/usr/bin/env bash
# Regenerates the cabinet fixtures in test/fixtures/cab/ with gcab (Debian package `gcab`) and
# records each member's name, size and sha256 in test/fixtures/cab/expected.json for the tests.
#
# Commands used (gcab 1.5):
#   gcab -c -n    out.cab file...   stored cabinet (typeCompress 0), paths stripped
#   gcab -c -z -n out.cab file...   MSZIP cabinet (typeCompress 1), paths stripped
# Inputs are written to a temporary directory (the 300 MB bomb input never touches the repo).
# Members get a fixed mtime in UTC so the cabinets' CFFILE date/time fields are reproducible.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/test/fixtures/cab"
WORK="$(mktemp -d /tmp/cab-fixtures.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
export TZ=UTC LC_ALL=C
STAMP='2024-01-02 03:04:06'

command -v gcab >/dev/null || { echo "gcab is not installed (apt-get install gcab)" >&2; exit 1; }
mkdir -p "$OUT" "$WORK/in"
cd "$WORK/in"

# Deterministic "varied" text: a ZX81-style LCG (products stay below 2^24, exact in awk doubles).
varied() { # $1 = number of bytes
  awk -v n="$1" 'BEGIN {
    x = 1; out = 0
    while (out < n) {
      x = (x * 75 + 74) % 65537
      line = sprintf("%07d %05d %s\n", out, x, substr("the quick brown fox jumps over the lazy dog", 1 + x % 40))
      printf "%s", line; out += length(line)
    }
  }' | head -c "$1"
}

printf 'Hello, cabinet!\nThis is a small text file for the stored and MSZIP fixtures.\n' > hello.txt
varied 204800 > varied-200k.bin
varied 40000 > first.txt
printf 'second file, stored after 40000 bytes of the first one\n' > second.txt
head -c 300000000 /dev/zero > zeros-300m.bin
touch -d "$STAMP" hello.txt varied-200k.bin first.txt second.txt zeros-300m.bin

gcab -c -n    "$OUT/hello-stored.cab"     hello.txt
gcab -c -z -n "$OUT/hello-mszip.cab"      hello.txt
gcab -c -z -n "$OUT/multiblock-mszip.cab" varied-200k.bin
gcab -c -z -n "$OUT/two-files-mszip.cab"  first.txt second.txt
gcab -c -z -n "$OUT/bomb-mszip.cab"       zeros-300m.bin

entry() { # $1 = file name
  printf '{ "name": "%s", "size": %d, "sha256": "%s" }' \
    "$1" "$(stat -c %s "$1")" "$(sha256sum "$1" | cut -d' ' -f1)"
}
{
  echo '{'
  echo "  \"hello-stored.cab\": [$(entry hello.txt)],"
  echo "  \"hello-mszip.cab\": [$(entry hello.txt)],"
  echo "  \"multiblock-mszip.cab\": [$(entry varied-200k.bin)],"
  echo "  \"two-files-mszip.cab\": [$(entry first.txt), $(entry second.txt)],"
  echo "  \"bomb-mszip.cab\": [$(entry zeros-300m.bin)]"
  echo '}'
} > "$OUT/expected.json"

ls -l "$OUT"
