'use strict';
// Compiles the standalone per-event benchmark (native/bench/) with the real ring, collector, intern
// table, processor and simulator sources into build/bench/hook-bench. Rebuilds only when a source or
// header is newer than the executable. g++ by default; CXX overrides.
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.join(__dirname, '..', '..');
const output = path.join(root, 'build', 'bench', 'hook-bench');
const FLAGS = ['-std=c++20', '-O2', '-DTT_ALLOC_SIM=1', '-Inative', '-pthread'];

function listFiles(dir, ext) {
  return fs.readdirSync(path.join(root, dir)).filter((f) => ext.some((e) => f.endsWith(e))).sort().map((f) => `${dir}/${f}`);
}

function sources() {
  return [
    ...listFiles('native/bench', ['.cpp']),
    'native/ring.cpp', 'native/ring_set.cpp', 'native/in_flight.cpp', 'native/spill.cpp', 'native/recorder.cpp', 'native/collector.cpp', 'native/intern.cpp', 'native/journal.cpp', 'native/crc32c.cpp',
    'native/processor/alloc_processor.cpp',
    ...listFiles('native/sim', ['.cpp']),
  ];
}

function inputs() {
  const headers = ['native', 'native/bench', 'native/processor', 'native/sim'].flatMap((d) => listFiles(d, ['.hpp', '.h']));
  return [...sources(), ...headers];
}

function compilerName() {
  return process.env.CXX || 'g++';
}

/** The compiler's first `--version` line, for the machine section. */
function compilerVersion() {
  try {
    return execFileSync(compilerName(), ['--version'], { encoding: 'utf8' }).split('\n')[0];
  } catch {
    return `${compilerName()} (version unknown)`;
  }
}

/** Returns the executable's path, compiling it first when needed. */
function buildHookBench(log) {
  const built = fs.existsSync(output) ? fs.statSync(output).mtimeMs : 0;
  const stale = inputs().some((f) => fs.statSync(path.join(root, f)).mtimeMs > built);
  if (!stale) return output;
  fs.mkdirSync(path.dirname(output), { recursive: true });
  const args = [...FLAGS, ...sources(), '-o', path.relative(root, output)];
  log(`compiling ${path.relative(root, output)}: ${compilerName()} ${FLAGS.join(' ')} ...`);
  execFileSync(compilerName(), args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  return output;
}

module.exports = { buildHookBench, compilerVersion, compilerName, FLAGS };
