#!/usr/bin/env node
// Prints the addon's C++ sources for binding.gyp, so a new file under native/ needs no gyp edit.
// Excluded: native/test (standalone sanitizer and stress programs), native/tt-metal (real-device only) and
// native/tt-metal-mock (the mock-device driver, built by scripts/tt-metal-mock against a real TT-Metal).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const excluded = new Set(['native/test', 'native/bench', 'native/tt-metal', 'native/tt-metal-mock']);

function walk(dir) {
  const rel = path.relative(root, dir).split(path.sep).join('/');
  if (excluded.has(rel)) return [];
  return fs.readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return walk(full);
      return entry.name.endsWith('.cpp') ? [path.relative(root, full).split(path.sep).join('/')] : [];
    });
}

process.stdout.write(walk(path.join(root, 'native')).join(' ') + '\n');
