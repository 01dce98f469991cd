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
// Rewrite only on a change: a read-only checkout (an installed package) builds without touching docs/.
if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text) fs.writeFileSync(file, text);
