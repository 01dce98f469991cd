#!/usr/bin/env node
// Writes dist/esm/<entry>.mjs re-exporting the CommonJS build, so `import` and `require` share one
// module instance (one tracker per process) instead of a dual-package hazard. The wrappers load it
// with createRequire rather than `import cjs from`: a tool that transforms files outside
// node_modules itself (vitest inlines a linked or self-referenced package) would otherwise evaluate
// a second copy of the CommonJS build, with a second aggregator draining the one native ring.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist');

// entry: [CommonJS module under dist/, lines before the re-exports, whether to export default]
const entries = {
  index: ['index', [], true],
  testing: ['testing', [], true],
  // vitest setup file: vitest is ESM-only, so the ESM side imports it and hands it to the hooks.
  // vitest/suite's getFn/setFn/getHooks let the hooks see where a test's body starts (after its beforeEach hooks).
  vitest: ['vitest/index', ["import * as vitest from 'vitest';", "import { getFn, getHooks, setFn } from 'vitest/suite';",
    'cjs.installTrackerHooks({ ...vitest, getFn, getHooks, setFn });'], true],
  // vitest globalSetup: vitest rejects a default export that is not a function.
  'vitest-global-setup': ['vitest/global-setup', [], false],
};

fs.mkdirSync(path.join(dist, 'esm'), { recursive: true });
for (const [entry, [cjsPath, prelude, exportDefault]] of Object.entries(entries)) {
  const cjs = require(path.join(dist, `${cjsPath}.js`));
  const names = Object.keys(cjs).filter((n) => n !== 'default' && n !== '__esModule');
  const imports = prelude.filter((line) => line.startsWith('import '));
  const statements = prelude.filter((line) => !line.startsWith('import '));
  const body = [
    "import { createRequire } from 'node:module';",
    ...imports,
    `const cjs = createRequire(import.meta.url)('../${cjsPath}.js');`,
    ...statements,
    ...names.map((n) => `export const ${n} = cjs.${n};`),
    ...(exportDefault ? ['export default cjs;'] : []),
    '',
  ].join('\n');
  fs.writeFileSync(path.join(dist, 'esm', `${entry}.mjs`), body);
}
