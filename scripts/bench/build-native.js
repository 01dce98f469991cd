'use strict';
// Compiles the standalone per-event benchmark (native/bench/) with the real ring, collector, intern
// table, processor and simulator sources into build/bench/hook-bench: native/manifest.json's build
// `bench`. Rebuilds only when a source or header is newer than the executable. g++ by default; CXX overrides.
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const manifest = require('../native-manifest');

const root = path.join(__dirname, '..', '..');
const output = path.join(root, 'build', 'bench', 'hook-bench');
const BENCH = manifest.build('bench');
/** The compiler arguments before the sources: -std, flags, -D defines, -I include dirs. */
const FLAGS = BENCH.args.slice(0, BENCH.args.length - BENCH.sources.length);

function sources() {
  return BENCH.sources;
}

// The headers the sources may include: those in the sources' directories and the include dirs.
function inputs() {
  const dirs = [...new Set([...BENCH.includeDirs, ...BENCH.sources.map((f) => path.posix.dirname(f))])];
  const headers = dirs.flatMap((dir) => fs.readdirSync(path.join(root, dir)).filter((f) => f.endsWith('.hpp') || f.endsWith('.h')).sort()
    .map((f) => `${dir}/${f}`));
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

module.exports = { buildHookBench, compilerVersion, compilerName, FLAGS, sources };
