#!/usr/bin/env bash
# Rebuild the graph page's vendored JavaScript from the versions pinned in scripts/graph-js/package-lock.json:
# one minified bundle (sigma, graphology, ForceAtlas2) plus the licence of every package bundled into it.
set -euo pipefail
cd "$(dirname "$0")/graph-js"
out=../../plugins/kb/assets/graph/vendor

npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
versions=$(node -p 'const p = require("./package.json").dependencies; Object.keys(p).sort().map(n => n + "@" + p[n]).join(" ")')
rm -rf "$out" && mkdir -p "$out"
node_modules/.bin/esbuild entry.js --bundle --minify --format=iife --target=es2019 --legal-comments=none \
    --banner:js="/*! kb graph vendor bundle: $versions; licences in LICENSE-*.txt next to this file */" \
    --metafile=node_modules/.meta.json --outfile="$out/kb-graph-vendor.min.js" --log-level=warning
# Every package that ended up in the bundle ships its licence with it.
node -e '
const fs = require("fs"), path = require("path");
const inputs = Object.keys(JSON.parse(fs.readFileSync("node_modules/.meta.json")).inputs);
const packages = new Set(inputs.map(i => i.match(/^node_modules\/((?:@[^/]+\/)?[^/]+)/)).filter(Boolean).map(m => m[1]));
for (const name of [...packages].sort()) {
  const dir = path.join("node_modules", name);
  const file = fs.readdirSync(dir).find(f => /^(licen[cs]e|copying)/i.test(f));
  if (!file) throw new Error(name + " has no licence file");
  const version = JSON.parse(fs.readFileSync(path.join(dir, "package.json"))).version;
  fs.writeFileSync(path.join(process.argv[1], "LICENSE-" + name.replace("/", "-") + ".txt"),
    name + "@" + version + "\n\n" + fs.readFileSync(path.join(dir, file), "utf8"));
}' "$out"
ls -l "$out"
