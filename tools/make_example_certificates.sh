#!/usr/bin/env bash
# Regenerates proofs/certificates/*.json from proofs/certificates/MANIFEST.
# usage: tools/make_example_certificates.sh [path/to/seprank]   (default build/seprank)
set -euo pipefail
cd "$(dirname "$0")/.."
seprank=${1:-build/seprank}
grep -v '^#' proofs/certificates/MANIFEST | while IFS='|' read -r name args; do
  name=$(echo "$name" | xargs)
  # shellcheck disable=SC2086  # the arguments are meant to be split
  "$seprank" certify $args -o "proofs/certificates/$name" --force --threads 1
done
