'use strict';
// Per-event cost on the runtime's thread: runs build/bench/hook-bench (native/bench/main.cpp).
const { execFileSync } = require('node:child_process');

function runHook(exe, quick) {
  const out = execFileSync(exe, quick ? ['--quick'] : [], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out);
}

module.exports = { runHook };
