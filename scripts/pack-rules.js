#!/usr/bin/env node
// What the npm tarball may and must contain: only what a user needs to run the package (dist/, the
// prebuild) and to build the addon from source (native/, binding.gyp and its helper script, the CMake
// files for a real TT-Metal). Used by test/package.files.test.ts on `npm pack --dry-run` and by
// scripts/pack-install-test.sh on the real tarball:
//   tar tzf pkg.tgz | sed 's|^package/||' | node scripts/pack-rules.js --require-prebuild
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
// BENCHMARKS.md: README.md links it.
const ALLOWED_FILES = ['package.json', 'README.md', 'BENCHMARKS.md', 'LICENSE', 'binding.gyp', 'CMakeLists.txt', 'scripts/native-manifest.js'];
const ALLOWED_DIRS = ['dist/', 'types/', 'native/', 'prebuilds/', 'docs/', 'cmake/'];
// Inside allowed directories: standalone sanitizer/stress programs and benchmarks, source maps, tests.
const EXCLUDED = [/^native\/test\//, /^native\/bench\//, /\.map$/, /\.test\.[cm]?js$/];
const REQUIRED = ['package.json', 'README.md', 'BENCHMARKS.md', 'binding.gyp', 'scripts/native-manifest.js', 'native/manifest.json', 'CMakeLists.txt', 'docs/api.md'];
// Directories packed whole: the tarball holds exactly what the checkout has there (minus EXCLUDED).
const MIRRORED = ['native', 'cmake', 'docs', 'dist', 'types'];
const PREBUILD = `prebuilds/${process.platform}-${process.arch}/tt-alloc-tracker.node`;

function walk(root, rel) {
  const dir = path.join(root, rel);
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const child = `${rel}/${entry.name}`;
    return entry.isDirectory() ? walk(root, child) : [child];
  });
}

/** Files package.json points at: main, types, every exports target, every bin. */
function entryPoints(pkg) {
  const targets = [pkg.main, pkg.types];
  const collect = (value) => {
    if (typeof value === 'string') targets.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect(pkg.exports);
  collect(typeof pkg.bin === 'string' ? { bin: pkg.bin } : pkg.bin);
  return targets.filter(Boolean).map((t) => path.posix.normalize(t));
}

/**
 * Problems with a packed file list (paths relative to the package root), one line each; empty when
 * the list is right. `requirePrebuild`: the prebuild for this platform must be there (a real pack).
 */
function checkPackedFiles(files, { root = ROOT, requirePrebuild = false } = {}) {
  const problems = [];
  const packed = new Set(files);
  for (const file of [...files].sort()) {
    const allowed = ALLOWED_FILES.includes(file) || ALLOWED_DIRS.some((dir) => file.startsWith(dir));
    if (!allowed || EXCLUDED.some((re) => re.test(file))) problems.push(`not allowed in the package: ${file}`);
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const mirrored = MIRRORED.flatMap((dir) => walk(root, dir)).filter((f) => !EXCLUDED.some((re) => re.test(f)));
  const required = [...REQUIRED, ...entryPoints(pkg), ...mirrored, ...(requirePrebuild ? [PREBUILD] : [])];
  for (const file of [...new Set(required)].sort()) {
    if (!packed.has(file)) problems.push(`missing from the package: ${file}`);
  }
  const present = new Set(mirrored);
  for (const file of [...files].sort()) {
    if (MIRRORED.some((dir) => file.startsWith(`${dir}/`)) && !present.has(file) && !EXCLUDED.some((re) => re.test(file))) {
      problems.push(`packed but not in the checkout: ${file}`);
    }
  }
  return problems;
}

module.exports = { checkPackedFiles, PREBUILD };

if (require.main === module) {
  const files = fs.readFileSync(0, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.endsWith('/'));
  const problems = checkPackedFiles(files, { requirePrebuild: process.argv.includes('--require-prebuild') });
  for (const p of problems) process.stderr.write(`pack-rules: ${p}\n`);
  if (problems.length > 0) process.exit(1);
  process.stdout.write(`pack-rules: ${files.length} files, all allowed, none missing\n`);
}
