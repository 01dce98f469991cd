#!/usr/bin/env node
// Writes dist/esm/<entry>.mjs re-exporting the CommonJS build, so `import` and `require` share one
// module instance (one tracker per process) instead of a dual-package hazard.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist');
const entries = ['index', 'testing'];
fs.mkdirSync(path.join(dist, 'esm'), { recursive: true });
for (const entry of entries) {
  const cjs = require(path.join(dist, `${entry}.js`));
  const names = Object.keys(cjs).filter((n) => n !== 'default' && n !== '__esModule');
  const body = [
    `import cjs from '../${entry}.js';`,
    ...names.map((n) => `export const ${n} = cjs.${n};`),
    'export default cjs;',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dist, 'esm', `${entry}.mjs`), body);
}
