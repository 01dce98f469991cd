import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

// native/manifest.json is the one list of the native sources, defines and flags; every build reads it
// through scripts/native-manifest.js. These tests hold the manifest to the tree, and each build to the
// manifest: a build that lists sources or flags of its own again fails here.
const repo = path.join(__dirname, '..');

interface Build {
  sources: string[];
  defines: string[];
  flags: string[];
  cflags: string[];
  includeDirs: string[];
  args: string[];
}
interface Manifest {
  standard: string;
  includeDirs: string[];
  groups: Record<string, { about: string; sources: string[] }>;
  defines: Record<string, string[]>;
  flags: Record<string, string[]>;
  builds: Record<string, { about: string; groups: string[]; defines: string[]; flags: string[] }>;
}
const manifest = require('../scripts/native-manifest.js') as {
  load(): Manifest;
  build(name: string, manifest?: Manifest): Build;
};
const bench = require('../scripts/bench/build-native.js') as { FLAGS: string[]; sources(): string[] };

const m = manifest.load();

function cppFiles(dir: string): string[] {
  return fs.readdirSync(path.join(repo, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return cppFiles(rel);
    return entry.name.endsWith('.cpp') ? [rel] : [];
  });
}

// The addon's sources as written in this test, group by group (native/ as it is today), so that a
// manifest edit that drops or moves a file shows here, not only in a build that no longer links.
const CORE = ['native/c_api.cpp', 'native/collector.cpp', 'native/crc32c.cpp', 'native/in_flight.cpp', 'native/intern.cpp',
  'native/journal.cpp', 'native/recorder.cpp', 'native/ring.cpp', 'native/ring_set.cpp', 'native/spill.cpp'];
const PROCESSOR = ['native/processor/alloc_processor.cpp'];
const REGISTRATION = ['native/processor/c_api_threads.cpp', 'native/processor/registration.cpp'];
const NAPI = ['native/napi/addon.cpp', 'native/napi/environments.cpp', 'native/napi/error_boundary.cpp', 'native/napi/js_processor.cpp',
  'native/napi/js_testing.cpp', 'native/napi/js_tracker.cpp'];
const NAPI_SIM = ['native/napi/js_sim.cpp', 'native/napi/js_sim_thread.cpp', 'native/napi/sim_registry.cpp'];
const SIM = ['allocator', 'bank_allocator', 'buffer', 'device', 'graph_tracking', 'mesh_buffer', 'program'].map((f) => `native/sim/${f}.cpp`);
const sorted = (files: string[]) => [...files].sort();

describe('native/manifest.json', () => {
  it('puts every .cpp under native/ in exactly one group, and names no file that does not exist', () => {
    const owners = new Map<string, string[]>();
    for (const [group, { sources }] of Object.entries(m.groups)) {
      for (const file of sources) owners.set(file, [...(owners.get(file) ?? []), group]);
    }
    const onDisk = cppFiles('native');
    expect(onDisk.filter((f) => !owners.has(f))).toEqual([]);
    expect([...owners].filter(([, groups]) => groups.length !== 1)).toEqual([]);
    expect([...owners.keys()].filter((f) => !onDisk.includes(f))).toEqual([]);
  });

  it('has the groups the issue names, each used by a build, and entries a shell may split on spaces', () => {
    expect(Object.keys(m.groups)).toEqual(expect.arrayContaining(['core', 'processor', 'napi', 'sim', 'tt-metal']));
    const used = new Set(Object.values(m.builds).flatMap((b) => b.groups));
    expect(Object.keys(m.groups).filter((g) => !used.has(g))).toEqual([]);
    const entries = [...Object.values(m.groups).flatMap((g) => g.sources), ...Object.values(m.defines).flat(),
      ...Object.values(m.flags).flat(), ...m.includeDirs, m.standard];
    expect(entries.filter((e) => /\s/.test(e) || e === '')).toEqual([]);
  });

  it('derives each build from its groups: the addon, the TT-Metal flavour and check, the stress programs, the bench', () => {
    // (Sorted here: a build compiles its sources in node-gyp's old directory-walk order, asserted below.)
    for (const name of Object.keys(m.builds)) expect(() => manifest.build(name)).not.toThrow();
    expect(sorted(manifest.build('addon-sim').sources)).toEqual(sorted([...CORE, ...PROCESSOR, ...REGISTRATION, ...NAPI, ...NAPI_SIM, ...SIM]));
    expect(sorted(manifest.build('addon-tt-metal').sources)).toEqual(sorted([...CORE, ...PROCESSOR, ...REGISTRATION, ...NAPI, 'native/tt-metal/js_runtime.cpp']));
    expect(sorted(manifest.build('check-tt-metal').sources)).toEqual(sorted([...PROCESSOR, ...REGISTRATION, 'native/tt-metal/js_runtime.cpp']));
    expect(sorted(manifest.build('stress-tsan').sources)).toEqual(sorted([...CORE, 'native/test/stress.cpp']));
    expect(sorted(manifest.build('journal-stress-asan').sources)).toEqual(sorted([...CORE, 'native/test/journal_stress.cpp']));
    expect(sorted(manifest.build('bench').sources)).toEqual(sorted([...cppFiles('native/bench'), ...CORE, ...PROCESSOR, ...SIM]));
    expect(manifest.build('addon-sim').defines).toEqual(['NAPI_VERSION=8', 'NAPI_CPP_EXCEPTIONS', 'NODE_ADDON_API_DISABLE_DEPRECATED',
      'NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS', 'TT_ALLOC_SIM=1']);
    // The real-TT-Metal flavour: the same without TT_ALLOC_SIM (its features come from probing the headers).
    expect(manifest.build('addon-tt-metal').defines).toEqual(['NAPI_VERSION=8', 'NAPI_CPP_EXCEPTIONS', 'NODE_ADDON_API_DISABLE_DEPRECATED',
      'NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS']);
    expect(manifest.build('addon-sim').cflags).toEqual(['-std=c++20', '-O2', '-fvisibility=hidden', '-Wall', '-Wextra', '-Wno-unused-parameter']);
  });

  it('compiles a new napi source into both addon flavours by adding it to its group once', () => {
    const edited = structuredClone(m);
    edited.groups.napi.sources.push('native/napi/js_new.cpp');
    for (const name of ['addon-sim', 'addon-tt-metal']) {
      expect(manifest.build(name, edited).sources).toContain('native/napi/js_new.cpp');
    }
    expect(manifest.build('check-tt-metal', edited).sources).not.toContain('native/napi/js_new.cpp');
  });

  it('names the build and the group a bad reference is in', () => {
    const edited = structuredClone(m);
    edited.builds.bench.groups.push('benchmarks');
    expect(() => manifest.build('bench', edited)).toThrow('native/manifest.json: build bench names groups "benchmarks", which is not defined');
    expect(() => manifest.build('nope')).toThrow(/^native\/manifest.json has no build "nope" \(has: addon-sim, /);
  });
});

describe('every build takes its lists from the manifest', () => {
  const cli = (...args: string[]) => execFileSync(process.execPath, ['scripts/native-manifest.js', ...args], { cwd: repo, encoding: 'utf8' }).trim();

  it('binding.gyp: sources, defines and C++ flags are the reader\'s output, and node-gyp compiled exactly those', () => {
    const target = (JSON.parse(fs.readFileSync(path.join(repo, 'binding.gyp'), 'utf8')) as { targets: Record<string, string[]>[] }).targets[0];
    expect(target.sources).toEqual(['<!@(node scripts/native-manifest.js sources addon-sim)']);
    expect(target.defines).toEqual(['<!@(node scripts/native-manifest.js defines addon-sim)']);
    expect(target.cflags_cc).toEqual(['<!@(node scripts/native-manifest.js cflags addon-sim)']);
    expect(cli('sources', 'addon-sim')).toBe(manifest.build('addon-sim').sources.join(' '));
    // The Makefile node-gyp generated from binding.gyp (npm ci builds the addon with it).
    const mk = fs.readFileSync(path.join(repo, 'build', 'tt_alloc_tracker.target.mk'), 'utf8');
    const objects = [...mk.matchAll(/^\t\$\(obj\)\.target\/\$\(TARGET\)\/(\S+)\.o/gm)].map((x) => `${x[1]}.cpp`);
    expect(objects).toEqual(manifest.build('addon-sim').sources);
    const release = mk.slice(mk.indexOf('DEFS_Release :='), mk.indexOf('INCS_Release :='));
    for (const d of manifest.build('addon-sim').defines) expect(release).toContain(`'-D${d}'`);
    const cxx = mk.slice(mk.indexOf('CFLAGS_CC_Release :=')).split('\n\n')[0].split('\n').slice(1).map((l) => l.replace(/ \\$/, '').trim());
    expect(cxx).toEqual(manifest.build('addon-sim').cflags);
  });

  it('CMake: the simulator build (build-cmake/, npm test builds it first) compiled exactly the manifest\'s build', () => {
    const ninja = fs.readFileSync(path.join(repo, 'build-cmake', 'build.ninja'), 'utf8');
    const objects = [...ninja.matchAll(/^build CMakeFiles\/tt_alloc_tracker\.dir\/(\S+)\.o:/gm)].map((x) => x[1]);
    expect(sorted(objects)).toEqual(sorted(manifest.build('addon-sim').sources));
    const defines = ninja.match(/^ {2}DEFINES = (.*)$/m)![1].split(' ');
    expect(defines).toEqual(expect.arrayContaining(manifest.build('addon-sim').defines.map((d) => `-D${d}`)));
    const flags = ninja.match(/^ {2}FLAGS = (.*)$/m)![1].split(' ');
    expect(flags).toEqual(expect.arrayContaining(manifest.build('addon-sim').cflags));
  });

  it('CMake: no CMakeLists names a source or globs for one; each asks the manifest', () => {
    const files = ['CMakeLists.txt', 'scripts/check-tt-metal/CMakeLists.txt', 'native/tt-metal-mock/CMakeLists.txt', 'cmake/flags.cmake'];
    const handLists = files.filter((f) => /\.cpp\b|GLOB/.test(fs.readFileSync(path.join(repo, f), 'utf8').replace(/^\s*#.*$/gm, '')));
    expect(handLists).toEqual([]);
    const text = (f: string) => fs.readFileSync(path.join(repo, f), 'utf8');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a CMake variable reference, not a JS placeholder
    expect(text('CMakeLists.txt')).toContain('tt_alloc_manifest(SOURCES sources ${TT_ALLOC_BUILD})');
    expect(text('scripts/check-tt-metal/CMakeLists.txt')).toContain('tt_alloc_manifest(SOURCES sources check-tt-metal)');
    expect(text('native/tt-metal-mock/CMakeLists.txt')).toContain('tt_alloc_manifest(DRIVER_SOURCES sources tt-metal-mock-driver)');
    expect(cli('sources', 'check-tt-metal', '--cmake')).toBe(manifest.build('check-tt-metal').sources.join(';'));
  });

  it('scripts/sanitize.sh compiles the manifest\'s four sanitizer builds', () => {
    const out = execFileSync('bash', ['scripts/sanitize.sh'], { cwd: repo, encoding: 'utf8', env: { ...process.env, SANITIZE_DRY_RUN: '1' } });
    const commands = out.split('\n').filter((l) => l.startsWith('g++ '));
    expect(commands).toEqual(['stress-tsan', 'journal-stress-tsan', 'stress-asan', 'journal-stress-asan']
      .map((name) => ['g++', ...manifest.build(name).args, '-o', `build/sanitize/${name}`].join(' ')));
    // The flags as the script had them by hand: -O1 -g for readable reports, the sanitizer's own flags.
    expect(manifest.build('stress-asan').args.slice(0, 9)).toEqual(['-std=c++20', '-O1', '-g', '-fno-omit-frame-pointer', '-Wno-psabi',
      '-pthread', '-fsanitize=address,undefined', '-fno-sanitize-recover=all', '-Inative']);
  });

  it('scripts/bench/build-native.js compiles the manifest\'s bench build', () => {
    expect(bench.sources()).toEqual(manifest.build('bench').sources);
    expect(bench.FLAGS).toEqual(['-std=c++20', '-O2', '-pthread', '-DTT_ALLOC_SIM=1', '-Inative']);
  });
});
