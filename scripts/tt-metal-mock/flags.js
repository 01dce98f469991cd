#!/usr/bin/env node
// Prints the compiler flags of one header generation of the TT-Metal header set (its manifest.json:
// include dirs as -I, system include dirs as -isystem, defines as -D), one per line.
// Usage: node flags.js <headers dir> <generation>
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const [root, generation] = process.argv.slice(2);
if (!root || !generation) {
  console.error('usage: node flags.js <headers dir> <generation>');
  process.exit(2);
}
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'manifest.json'), 'utf8'));
const g = manifest.generations[generation];
if (!g) {
  console.error(`generation ${generation} not in ${root}/manifest.json (has: ${Object.keys(manifest.generations).join(', ')})`);
  process.exit(2);
}
const flags = [
  ...g.include.map((p) => `-I${path.join(root, p)}`),
  ...g.systemInclude.map((p) => `-isystem${path.join(root, p)}`),
  ...g.defines.map((d) => `-D${d}`),
];
console.log(flags.join('\n'));
