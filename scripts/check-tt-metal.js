#!/usr/bin/env node
// npm run check:tt-metal: the TT-Metal build (native/processor, native/tt-metal) against the real
// host-API headers of every generation in shared/tt-metal-headers/manifest.json. Per generation:
//  1. configure scripts/check-tt-metal/ (CMake): runs the project's own probes (cmake/tt-metal.cmake,
//     the ones `npm run build:tt-metal` runs) on that generation's include dirs and defines;
//  2. asserts the features they found equal EXPECTED below (derived from the headers, not from the probes);
//  3. compiles the sources with the project's flags (native/manifest.json's build check-tt-metal, through
//     cmake/flags.cmake: C++20, -fvisibility=hidden, -Wall -Wextra) and asserts no warning from project code;
//  4. where GraphTracker::instance() is inline, asserts with readelf that no object hides its static.
// Plus two negative checks of the probe's stop messages. Runs two generations at a time (2 cores).
// Skips with one line when the headers are absent (a user's clone): they are looked for in
// $TT_ALLOC_TT_METAL_HEADERS, else in shared/tt-metal-headers beside the repository or an ancestor.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const repo = path.resolve(__dirname, '..');
const INSTANCE_STATIC = '_ZZN2tt8tt_metal12GraphTracker8instanceEvE7tracker';

// Expected features per generation, each read from that generation's headers (paths under
// generations/<gen>/tt_metal/api/):
//  THREAD_LOCAL_PROCESSORS  tt-metalium/graph_tracking.hpp declares `static thread_local ... processors`
//                           from 2026-05 (PR #44668); a plain member before.
//  BACKGROUND_PROCESSORS    internal/graph_tracking.hpp with register_background_processor_once(
//                           const std::type_info&, const std::function<std::shared_ptr<IGraphProcessor>()>&)
//                           exists only in 2026-08.
//  CAPTURE_PROCESSOR_FLAG   `virtual bool is_capture_processor() const` from 2026-04 (PR #42649).
//  BUFFER_VIEWS             tt-metalium/buffer.hpp: root_buffer() / root_buffer_region() from 2025-12.
//  ALLOCATOR_STATS          tt-metalium/allocator.hpp: get_statistics(BufferType) / get_num_banks(BufferType),
//                           and IDevice::allocator(), in all six.
//  MESH_DEVICE              tt-metalium/mesh_device.hpp: MeshDevice::get_devices() in all six.
//  TRACKED_ARGUMENT         track_function_start(std::string_view, std::span<TrackedArgument>) from 2026-04.
// inlineInstance: `static GraphTracker& instance() {` with a function-local static in
// tt-metalium/graph_tracking.hpp until 2025-11-26 (PR #33299): 2025-04 and 2025-06; declared only after.
const F = (tl, bg, cap, views, tracked) => ({
  THREAD_LOCAL_PROCESSORS: tl, BACKGROUND_PROCESSORS: bg, CAPTURE_PROCESSOR_FLAG: cap, BUFFER_VIEWS: views,
  ALLOCATOR_STATS: 1, MESH_DEVICE: 1, TRACKED_ARGUMENT: tracked,
});
const EXPECTED = {
  '2025-04': { features: F(0, 0, 0, 0, 0), inlineInstance: true },
  '2025-06': { features: F(0, 0, 0, 0, 0), inlineInstance: true },
  '2025-12': { features: F(0, 0, 0, 1, 0), inlineInstance: false },
  '2026-04': { features: F(0, 0, 1, 1, 1), inlineInstance: false },
  '2026-05-thread-local': { features: F(1, 0, 1, 1, 1), inlineInstance: false },
  '2026-08-background': { features: F(1, 1, 1, 1, 1), inlineInstance: false },
};

function findHeaders() {
  const given = process.env.TT_ALLOC_TT_METAL_HEADERS;
  if (given) return fs.existsSync(path.join(given, 'manifest.json')) ? given : null;
  for (let dir = path.dirname(repo); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'tt-metal-headers');
    if (fs.existsSync(path.join(candidate, 'manifest.json'))) return candidate;
    if (dir === path.dirname(dir)) return null;
  }
}

function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('error', (e) => resolve({ code: -1, out: String(e) }));
    child.on('close', (code) => resolve({ code, out }));
  });
}

const napiIncludes = () => [
  path.join(path.dirname(path.dirname(process.execPath)), 'include', 'node'),
  path.dirname(require.resolve('node-addon-api/package.json', { paths: [repo] })),
];

function configureArgs(headers, gen, build, override = {}) {
  const abs = (dirs) => dirs.map((d) => path.join(headers, d)).join(';');
  return ['-S', path.join(repo, 'scripts', 'check-tt-metal'), '-B', build,
    `-DCHECK_INCLUDES=${override.include ?? abs(gen.include)}`,
    `-DCHECK_SYSTEM_INCLUDES=${override.systemInclude ?? abs(gen.systemInclude)}`,
    `-DCHECK_DEFINES=${gen.defines.join(';')}`,
    `-DCHECK_NAPI_INCLUDES=${napiIncludes().join(';')}`];
}

// Warnings in the compiler output, as [file, line]; the project's are those under the repository.
function warnings(out) {
  return [...out.matchAll(/^([^\s:][^:\n]*):(\d+):\d+: warning: (.*)$/gm)].map((m) => ({ file: path.resolve(m[1]), text: m[0] }));
}

function objects(dir) {
  return fs.readdirSync(dir, { recursive: true }).map((f) => path.join(dir, f)).filter((f) => f.endsWith('.o'));
}

// readelf rows of the instance's static: "<bind> <visibility> <ndx>" per object that has it.
async function instanceSymbols(files) {
  const rows = [];
  for (const file of files) {
    const { code, out } = await run('readelf', ['-sW', file]);
    if (code !== 0) throw new Error(`readelf -sW ${file} failed: ${out.trim()}`);
    for (const line of out.split('\n')) {
      const cols = line.trim().split(/\s+/);
      if (cols[7] === INSTANCE_STATIC) rows.push({ file: path.basename(file), bind: cols[4], vis: cols[5], ndx: cols[6] });
    }
  }
  return rows;
}

async function checkGeneration(headers, name, gen, root) {
  const expected = EXPECTED[name];
  const problems = [];
  if (!expected) return { name, problems: [`no expected features for generation ${name}: derive them from its headers and add them to EXPECTED`] };
  const build = path.join(root, name);
  const t0 = Date.now();
  const conf = await run('cmake', configureArgs(headers, gen, build));
  if (conf.code !== 0) return { name, problems: [`configure failed:\n${conf.out}`] };
  const found = Object.fromEntries(fs.readFileSync(path.join(build, 'features.txt'), 'utf8').trim().split('\n')
    .map((l) => l.split('=')).map(([k, v]) => [k, Number(v)]));
  for (const [k, v] of Object.entries(expected.features))
    if (found[k] !== v) problems.push(`probe TT_ALLOC_HAVE_${k}=${found[k]}, headers say ${v}`);
  for (const k of Object.keys(found)) if (!(k in expected.features)) problems.push(`probe ${k} has no expected value`);
  const tConf = Date.now();
  const b = await run('cmake', ['--build', build, '--', '-j1']);
  if (b.code !== 0) problems.push(`compile failed:\n${b.out}`);
  const ours = warnings(b.out).filter((w) => w.file.startsWith(repo + path.sep));
  for (const w of ours) problems.push(`warning from project code: ${w.text}`);
  const objs = objects(build).filter((f) => f.includes('tt_metal_sources'));
  if (b.code === 0 && objs.length === 0) problems.push('no object files were built');
  const symbols = await instanceSymbols(objs);
  const defined = symbols.filter((s) => s.ndx !== 'UND');
  if (expected.inlineInstance) {
    // registration.cpp calls instance(): the inline body and its static are emitted there.
    if (defined.length === 0) problems.push(`${INSTANCE_STATIC} not emitted although instance() is inline`);
    for (const s of symbols) if (s.vis === 'HIDDEN') problems.push(`${INSTANCE_STATIC} is ${s.bind} HIDDEN in ${s.file}`);
  } else if (defined.length > 0) {
    problems.push(`${INSTANCE_STATIC} defined in ${defined.map((s) => s.file).join(', ')} although instance() is out of line`);
  }
  const on = Object.entries(found).filter(([, v]) => v).map(([k]) => k).join(' ');
  const sym = expected.inlineInstance ? `; tracker static ${[...new Set(defined.map((s) => `${s.bind} ${s.vis}`))].join(', ')}` : '';
  return { name, problems, line: `${objs.length} objects, 0 project warnings${sym}; features: ${on} (probes ${((tConf - t0) / 1000).toFixed(1)} s, compile ${((Date.now() - tConf) / 1000).toFixed(1)} s)` };
}

// The probe must stop the build, with a message saying why, for a tree older than 2025-04 and for
// headers that do not compile (third-party include dirs missing).
async function checkStops(headers, manifest, root) {
  const [name, gen] = Object.entries(manifest.generations).at(-1);
  const problems = [];
  const old = await run('cmake', configureArgs(headers, gen, path.join(root, 'stop-old'), {
    include: path.join(headers, 'deps'),
  }));
  if (old.code === 0 || !old.out.includes('TT-Metal before 2025-04 is not supported'))
    problems.push(`include dirs without <tt-metalium/program.hpp>: expected "TT-Metal before 2025-04 is not supported", got:\n${old.out}`);
  const bare = await run('cmake', configureArgs(headers, gen, path.join(root, 'stop-bare'), { systemInclude: '' }));
  if (bare.code === 0 || !bare.out.includes("TT-Metal's headers do not compile here"))
    problems.push(`${name} without its third-party dirs: expected "TT-Metal's headers do not compile here", got:\n${bare.out}`);
  return { name: 'probe stops', problems, line: 'pre-2025-04 tree and headers without third-party dirs stop the configure step' };
}

async function main() {
  const headers = findHeaders();
  if (!headers) {
    console.log(process.env.TT_ALLOC_TT_METAL_HEADERS
      ? `check:tt-metal skipped: no manifest.json in TT_ALLOC_TT_METAL_HEADERS=${process.env.TT_ALLOC_TT_METAL_HEADERS}`
      : 'check:tt-metal skipped: no shared/tt-metal-headers/manifest.json beside the repository or its ancestors (set TT_ALLOC_TT_METAL_HEADERS)');
    return;
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(headers, 'manifest.json'), 'utf8'));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-alloc-check-tt-metal-'));
  const start = Date.now();
  const jobs = [...Object.entries(manifest.generations).map(([name, gen]) => () => checkGeneration(headers, name, gen, root)),
    () => checkStops(headers, manifest, root)];
  const total = jobs.length;
  console.log(`check:tt-metal: ${total - 1} generations from ${headers}, 2 at a time`);
  let failed = 0;
  let done = 0;
  const worker = async () => {
    for (let job = jobs.shift(); job; job = jobs.shift()) {
      const r = await job();
      done += 1;
      if (r.problems.length) {
        failed += 1;
        console.log(`[${done}/${total}] ${r.name}: FAIL\n  ${r.problems.join('\n  ')}`);
      } else {
        console.log(`[${done}/${total}] ${r.name}: ok: ${r.line}`);
      }
    }
  };
  try {
    await Promise.all([worker(), worker()]);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  console.log(`check:tt-metal: ${total - failed}/${total} passed in ${((Date.now() - start) / 1000).toFixed(1)} s`);
  if (failed) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
