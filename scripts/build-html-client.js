#!/usr/bin/env node
// Bundles the HTML report's browser script (lib/output/html/client/page.ts and what it imports:
// lib/output/bytes.ts, lib/output/html/binary-ticks.ts) into one IIFE, dist/html-client.js, which
// lib/output/html/client.ts inlines into every page. tsc type-checks the source (tsconfig.client.json)
// but cannot bundle ES modules into one script; rolldown (already installed as vite's bundler) can,
// offline, without minifying, so the page's script stays readable. Run by `npm run build:ts`.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { build } = require('rolldown');

const root = path.join(__dirname, '..');

build({
  cwd: root,
  input: path.join(root, 'lib', 'output', 'html', 'client', 'page.ts'),
  platform: 'browser',
  write: false,
  logLevel: 'warn',
  output: { format: 'iife', minify: false, comments: { legal: false, annotation: false, jsdoc: false } },
}).then(({ output }) => {
  fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(root, 'dist', 'html-client.js'), output[0].code);
}, (err) => {
  console.error(err);
  process.exit(1);
});
