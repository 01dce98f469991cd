#!/usr/bin/env node
'use strict';
// Runs one JS-side benchmark case in its own process (the tracker is process-wide; RSS must start
// clean) and prints its result as one JSON line. Usage: node child.js <case> '<json options>'
const cases = {
  endToEnd: () => require('./cases/end-to-end').endToEnd,
  ringRss: () => require('./cases/ring-rss').ringRss,
  workload: () => require('./cases/workload').workloadOverhead,
  aggregator: () => require('./cases/aggregator').aggregator,
};

async function main() {
  const [name, json] = process.argv.slice(2);
  if (!cases[name]) throw new Error(`unknown case ${name}; known: ${Object.keys(cases).join(', ')}`);
  const result = await cases[name]()(JSON.parse(json ?? '{}'));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
