#!/usr/bin/env bash
# Contract checks for CI (`npm run contracts:check`):
#   1. buf lint on proto/;
#   2. buf breaking against the last commit (or $CONTRACTS_BREAKING_AGAINST, e.g.
#      ".git#branch=origin/main" in CI), when it has contracts: a breaking change needs a new
#      major package and topic, see libs/contracts/README.md;
#   3. regenerates into a temporary directory and fails with a diff when the committed
#      libs/contracts/src/gen differs (someone edited proto/ without `npm run contracts:gen`,
#      or edited generated code by hand).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
buf="$root/node_modules/.bin/buf"
gen_dir="libs/contracts/src/gen"

echo "contracts: buf lint"
"$buf" lint

against="${CONTRACTS_BREAKING_AGAINST:-}"
if [[ -z "$against" ]] && git cat-file -e HEAD:buf.yaml 2>/dev/null && git cat-file -e HEAD:proto 2>/dev/null; then
  against=".git#ref=HEAD"
fi
if [[ -n "$against" ]]; then
  echo "contracts: buf breaking against $against"
  "$buf" breaking --against "$against"
else
  echo "contracts: no proto/ in HEAD, skipping buf breaking"
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "contracts: regenerating into $tmp"
# --output prefixes buf.gen.yaml's `out`, so the fresh copy lands in $tmp/$gen_dir.
"$buf" generate --output "$tmp"

if ! diff -ru "$gen_dir" "$tmp/$gen_dir"; then
  echo >&2
  echo "contracts: $gen_dir is stale: run \`npm run contracts:gen\` and commit the result." >&2
  exit 1
fi
echo "contracts: generated code is up to date"
