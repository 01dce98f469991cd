#!/usr/bin/env bash
# Installs the package as a new user would, from the tarball `npm pack` makes, into a fresh project,
# and checks it there: require and import, types for a strict TypeScript consumer, the embedded demo
# with exact event counts, that the prebuild was loaded and nothing compiled at install, the one error
# a broken binary gives, and the source-build fallback. Called by .ci/run after `npm test`.
# Dependencies come from the npm registry (or the machine's npm cache: --prefer-offline).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/tt-alloc-pack-install.XXXXXX")"
trap 'rm -rf "$work"' EXIT
platform="$(node -p 'process.platform + "-" + process.arch')"
npm_flags=(--no-audit --no-fund --prefer-offline --loglevel=error)

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'pack-install-test: FAILED: %s\n' "$*" >&2; exit 1; }
# expect <what> <expected> <actual>
expect() {
  if [[ "$2" != "$3" ]]; then
    printf 'expected:\n%s\nactual:\n%s\n' "$2" "$3" >&2
    fail "$1"
  fi
  printf 'ok: %s\n' "$1"
}

step "npm pack (prepack: clean dist/, compile TypeScript, prebuildify)"
(cd "$repo" && npm pack --pack-destination "$work" --loglevel=error >/dev/null)
tarball="$(ls "$work"/tt-alloc-tracker-*.tgz)"
printf 'tarball: %s (%s bytes)\n' "$(basename "$tarball")" "$(stat -c %s "$tarball")"

step "tarball file set (scripts/pack-rules.js, prebuild required)"
tar tzf "$tarball" | sed 's|^package/||' | node "$repo/scripts/pack-rules.js" --require-prebuild

step "fresh project: npm init -y; npm install <tarball>, typescript and @types/node as a TypeScript user has them"
app="$work/app"
mkdir "$app"
cd "$app"
npm init -y >/dev/null
ts_version="$(node -p "require('$repo/node_modules/typescript/package.json').version")"
types_node_version="$(node -p "require('$repo/node_modules/@types/node/package.json').version")"
npm install "${npm_flags[@]}" "$tarball" "typescript@$ts_version" "@types/node@$types_node_version"
pkg="$app/node_modules/tt-alloc-tracker"
[[ -d "$pkg" ]] || fail "node_modules/tt-alloc-tracker was not installed"

step "the install used the prebuild: nothing compiled, the loaded binary is under prebuilds/"
[[ ! -e "$pkg/build" ]] || fail "the install script compiled the addon ($pkg/build exists) although a prebuild matches"
echo "ok: no build/ directory in the installed package"
expect "nativePath() is the prebuild" "$pkg/prebuilds/$platform/tt-alloc-tracker.node" \
  "$(node -e "console.log(require('tt-alloc-tracker').nativePath())")"

step "require() and import of both entry points"
expect "require('tt-alloc-tracker') and require('tt-alloc-tracker/testing')" "function function function object" \
  "$(node -e "const t = require('tt-alloc-tracker'); const testing = require('tt-alloc-tracker/testing');
    console.log(typeof t.enable, typeof t.report, typeof testing.emitSynthetic, typeof t.sim)")"
expect "import from ESM shares the one tracker with require()" "function true 0" \
  "$(node --input-type=module -e "import { enable, isEnabled, report } from 'tt-alloc-tracker';
    import { drainRecords } from 'tt-alloc-tracker/testing';
    import { createRequire } from 'node:module';
    enable({ drainIntervalMs: 0 });
    console.log(typeof drainRecords, createRequire(import.meta.url)('tt-alloc-tracker').isEnabled(), report().events.total)")"

step "TT_ALLOC_TRACKING_ENABLED=1 and the embedded runtime: exact event counts"
# llama-decode, 1 layer, 1 decode step, on a 1x2 mesh, default runtime 2026-04 (docs/sim.md,
# lib/sim/workloads/llama-decode.ts):
#  alloc 26  = 7 weights + rotary table + 2 plain chip-0 buffers (pooled, then its reuse) + prefill
#              (embedding + 6 per layer) + trace + decode (embedding + 6 per layer + logits); views and
#              mesh replicas report nothing upstream
#  free 26   = every buffer is freed (the rotary table when its program is destroyed)
#  program 17 = ttnn device-operation launches: prefill (embedding + 7 per layer) + decode (embedding +
#              7 per layer + logits); the raw cos/sin launch reports no track_program
#  cbAlloc 28 = CBs once per cached program per chip (PR #37218): (1+2+3+2+4+2) x 2 chips
#  cbRelease 12 = 6 cached programs x 2 chips, at destruction: the teardown clears the mesh's program
#              cache explicitly (MeshDevice::close would not)
#  deviceInfo 6 = 2 types with capacity (DRAM, L1; L1_SMALL and trace region default to 0) x (mesh + 2 chips)
#  meshChip 2
expect "report().events" \
  '{"total":151,"alloc":26,"free":26,"cbAlloc":28,"cbRelease":12,"program":17,"opStart":17,"opEnd":17,"mark":0,"deviceInfo":6,"meshChip":2,"unknown":0,"outOfOrder":0,"dropped":0}' \
  "$(TT_ALLOC_TRACKING_ENABLED=1 node -e "const t = require('tt-alloc-tracker');
    t.sim.runWorkload('llama-decode', { mesh: [1, 2], layers: 1, steps: 1 });
    console.log(JSON.stringify(t.report().events))")"
# The demo runs on a 2x4 mesh: cbAlloc 14 x 8 = 112, the rest as above.
expect "npx tt-alloc-tracker demo --layers 1 --steps 1 (first summary line)" \
  'tt-alloc-tracker report: 289 events (alloc 26, free 26, cb 112, program 17, ops 17, marks 0)' \
  "$(npx --no-install tt-alloc-tracker demo --layers 1 --steps 1 | grep '^tt-alloc-tracker report:')"
expect "npx tt-alloc-tracker --version" "$(node -p "require('$repo/package.json').version")" \
  "$(npx --no-install tt-alloc-tracker --version)"

step "types for a strict TypeScript consumer (NodeNext: ESM and CommonJS; CommonJS with node10 resolution; Bundler)"
mkdir ts
cat > ts/usage.mts <<'EOF'
import { enable, report, leaksSince, checkpoint, sim, TrackerError, type Report, type TrackerOptions } from 'tt-alloc-tracker';
import { emitSynthetic } from 'tt-alloc-tracker/testing';
const options: TrackerOptions = { overflow: 'block', drainIntervalMs: 0 };
enable(options);
const start = checkpoint();
const counts = sim.runWorkload('llama-decode', { mesh: [1, 2], layers: 1, steps: 1 });
const r: Report = report();
const pushed: number = emitSynthetic({ threads: 1, perThread: 1 }).pushed;
const err: TrackerError | undefined = undefined;
console.log(r.events.total, counts.buffers, leaksSince(start).length, pushed, err);
// @ts-expect-error overflow is 'drop' | 'block': fails to compile only if the types were resolved
enable({ overflow: 'sometimes' });
EOF
cat > ts/usage.cts <<'EOF'
import tracker = require('tt-alloc-tracker');
import testing = require('tt-alloc-tracker/testing');
tracker.enable({ ringCapacity: 1024 });
const total: number = tracker.report().events.total;
console.log(total, testing.drainRecords().length);
// @ts-expect-error report() takes no argument
tracker.report(1);
EOF
cat > ts/tsconfig.nodenext.json <<'EOF'
{ "compilerOptions": { "strict": true, "module": "NodeNext", "moduleResolution": "NodeNext", "target": "ES2022",
    "types": ["node"], "noEmit": true, "skipLibCheck": false }, "files": ["usage.mts", "usage.cts"] }
EOF
cat > ts/usage.ts <<'EOF'
import { enable, report, type Report } from 'tt-alloc-tracker';
import { emitSynthetic } from 'tt-alloc-tracker/testing';
enable();
const r: Report = report();
console.log(r.schema, emitSynthetic({ threads: 2, perThread: 10 }).dropped);
// @ts-expect-error threads is required
emitSynthetic({ perThread: 10 });
EOF
cat > ts/tsconfig.commonjs.json <<'EOF'
{ "compilerOptions": { "strict": true, "module": "CommonJS", "moduleResolution": "node10", "target": "ES2022",
    "esModuleInterop": true, "types": ["node"], "noEmit": true, "skipLibCheck": false, "ignoreDeprecations": "5.0" }, "files": ["usage.ts"] }
EOF
cat > ts/tsconfig.bundler.json <<'EOF'
{ "compilerOptions": { "strict": true, "module": "ESNext", "moduleResolution": "Bundler", "target": "ES2022",
    "types": ["node"], "noEmit": true, "skipLibCheck": false }, "files": ["usage.ts"] }
EOF
for config in nodenext commonjs bundler; do
  npx --no-install tsc -p "ts/tsconfig.$config.json" || fail "tsc -p ts/tsconfig.$config.json (typescript $ts_version)"
  echo "ok: tsc --noEmit, strict, tsconfig.$config.json (typescript $ts_version)"
done

step "a broken prebuild gives one error naming what was looked for and how to build"
printf 'not a shared object\n' > "$pkg/prebuilds/$platform/tt-alloc-tracker.node"
expect "the error of require('tt-alloc-tracker').enable()" "ERR_NATIVE_LOAD
tt-alloc-tracker: cannot load the native addon for $platform (Node $(node -p process.version), Node-API $(node -p process.versions.napi)).
Looked for:
  - source build: $pkg/build/Release/tt_alloc_tracker.node: not found
  - prebuild:     $pkg/prebuilds/$platform/tt-alloc-tracker.node: failed to load: file too short
To build it from source (needs python3, make and g++ 10 or newer):
  npm rebuild tt-alloc-tracker
or, in $pkg:
  npx node-gyp rebuild" \
  "$(node -e "try { require('tt-alloc-tracker').enable() } catch (err) { console.log(err.code); console.log(err.message) }")"

step "the source-build fallback, as the error says: npm rebuild tt-alloc-tracker (compiles native/ from the tarball)"
npm rebuild tt-alloc-tracker --loglevel=error >"$work/rebuild.log" 2>&1 || { cat "$work/rebuild.log"; fail "npm rebuild tt-alloc-tracker"; }
[[ -f "$pkg/build/Release/tt_alloc_tracker.node" ]] || { cat "$work/rebuild.log"; fail "the source build wrote no build/Release/tt_alloc_tracker.node"; }
echo "ok: npm rebuild compiled build/Release/tt_alloc_tracker.node"
# The same workload as the exact event counts above: alloc 26.
for force in 0 1; do
  expect "TT_ALLOC_TRACKING_FORCE_SOURCE_BUILD=$force loads build/Release, and the workload runs on it" \
    "$pkg/build/Release/tt_alloc_tracker.node 26" \
    "$(TT_ALLOC_TRACKING_FORCE_SOURCE_BUILD=$force TT_ALLOC_TRACKING_ENABLED=1 node -e "const t = require('tt-alloc-tracker');
      t.sim.runWorkload('llama-decode', { mesh: [1, 2], layers: 1, steps: 1 });
      console.log(t.nativePath(), t.report().events.alloc)")"
done

printf '\npack-install-test: all checks passed\n'
