#!/usr/bin/env node
// Writes docs/report.schema.json from the report schema object (lib/report/schema.ts, built into
// dist/ by `tsc` first), so the published schema and the TypeScript types come from one definition.
// Run by `npm run build:ts`; test/report.schema-file.test.ts fails when the committed file is stale.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { reportSchemaText } = require(path.join(__dirname, '..', 'dist', 'report', 'schema.js'));

const file = path.join(__dirname, '..', 'docs', 'report.schema.json');
const text = reportSchemaText();
const stale = !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text;
if (stale && process.env.CI) {
  // In CI the committed file is what is checked: rewriting it here would hide a stale commit from
  // test/report.schema-file.test.ts.
  console.error('docs/report.schema.json differs from lib/report/schema.ts: run `npm run build:ts` and commit the file');
  process.exit(1);
}
// Rewrite only on a change, so a build that changes nothing leaves docs/ untouched.
if (stale) fs.writeFileSync(file, text);
