'use strict';
// Runs one case of child.js in a fresh Node process; returns its result and the command that ran it.
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.join(__dirname, '..', '..');

function runChild(name, options, nodeFlags = []) {
  const json = JSON.stringify(options);
  const args = [...nodeFlags, 'scripts/bench/child.js', name, json];
  const out = execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 16 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = out.trim().split('\n');
  return { result: JSON.parse(lines[lines.length - 1]), command: `node ${[...nodeFlags, 'scripts/bench/child.js', name, `'${json}'`].join(' ')}` };
}

module.exports = { runChild };
