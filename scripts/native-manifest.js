#!/usr/bin/env node
// Reads native/manifest.json, the one list of the native sources, defines and flags, for every build:
//   node scripts/native-manifest.js sources|defines|flags|cflags|standard|includeDirs|args <build> [--cmake]
// prints what that build compiles (sources: repository-relative paths; defines: NAME[=VALUE]; flags: the
// build's compiler flags; cflags: -std=<standard> then the flags; standard: c++20;
// includeDirs: repository-relative; args: a compiler's arguments for a standalone program, i.e. cflags,
// -D defines, -I include dirs and sources, run from the repository root), space-separated for
// binding.gyp's <!@(...) and scripts/sanitize.sh, or with --cmake as one ;-separated CMake list
// (cmake/manifest.cmake). scripts/bench/build-native.js and the tests require it as a module.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const MANIFEST = path.join(ROOT, 'native', 'manifest.json');

function load() {
  return JSON.parse(fs.readFileSync(MANIFEST, 'utf8'));
}

// The order node-gyp compiled the addon in before the manifest (a sorted directory walk, files and
// directories by name at each level), kept so that link order does not change with a group's order.
function byPath(a, b) {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    if (x[i] !== y[i]) return x[i].localeCompare(y[i]);
  }
  return x.length - y.length;
}

function pick(manifest, kind, build, names) {
  return names.flatMap((name) => {
    const entry = manifest[kind][name];
    if (!entry) throw new Error(`native/manifest.json: build ${build} names ${kind} "${name}", which is not defined`);
    return kind === 'groups' ? entry.sources : entry;
  });
}

/** What one build compiles: its sources (path order), defines, flags and include dirs, and all as compiler arguments. */
function build(name, manifest = load()) {
  const b = manifest.builds[name];
  if (!b) throw new Error(`native/manifest.json has no build "${name}" (has: ${Object.keys(manifest.builds).join(', ')})`);
  const sources = [...new Set(pick(manifest, 'groups', name, b.groups))].sort(byPath);
  const defines = pick(manifest, 'defines', name, b.defines);
  const flags = pick(manifest, 'flags', name, b.flags);
  const cflags = [`-std=${manifest.standard}`, ...flags];
  const includeDirs = manifest.includeDirs;
  const args = [...cflags, ...defines.map((d) => `-D${d}`), ...includeDirs.map((d) => `-I${d}`), ...sources];
  return { sources, defines, flags, cflags, standard: manifest.standard, includeDirs, args };
}

module.exports = { load, build, byPath, MANIFEST };

if (require.main === module) {
  const [what, name] = process.argv.slice(2);
  const cmake = process.argv.includes('--cmake');
  const kinds = ['sources', 'defines', 'flags', 'cflags', 'standard', 'includeDirs', 'args'];
  if (!kinds.includes(what) || !name) {
    process.stderr.write(`usage: node scripts/native-manifest.js ${kinds.join('|')} <build> [--cmake]\n`);
    process.exit(2);
  }
  try {
    process.stdout.write([build(name)[what]].flat().join(cmake ? ';' : ' ') + '\n');
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
}
