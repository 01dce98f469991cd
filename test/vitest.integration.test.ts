import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../lib/report/types';
import { envWarnings, tempDir } from './helpers/child';

/**
 * A user's project (test/fixtures/vitest-project) run by `npx vitest run` through
 * `tt-alloc-tracker/vitest` (setupFiles) and `tt-alloc-tracker/vitest/global-setup` (globalSetup), in
 * each of vitest 4's pools: `forks` (a process per file), `threads` and `vmThreads` (worker threads of
 * vitest's own process, two at a time; vmThreads runs files of one worker in new VM contexts). Each
 * file opens one simulated chip:
 * - clean.spec.ts: 'clean > frees what it allocates' allocates 8 KiB DRAM and 4 KiB L1 and frees
 *   both; 'clean > passes toHaveNoLeaks on its own allocations' allocates nothing;
 * - leaky.spec.ts: 'leaky > keeps a buffer' allocates 64 KiB DRAM and keeps it, and allocates and
 *   frees 2 KiB L1;
 * - hooks.spec.ts: its beforeAll allocates 32 KiB DRAM and keeps it, its one test allocates and frees
 *   1 KiB L1, its afterAll allocates 16 KiB L1 and keeps it.
 */
const fixture = path.join(__dirname, 'fixtures', 'vitest-project');

const POOL_CONFIGS = { forks: 'vitest.config.mjs', threads: 'vitest.threads.config.mjs', vmThreads: 'vitest.vmthreads.config.mjs' } as const;
type Pool = keyof typeof POOL_CONFIGS;

function runFixture(env: NodeJS.ProcessEnv, config?: string): { status: number | null; stdout: string; stderr: string; results: VitestJson } {
  const dir = tempDir();
  const results = path.join(dir, 'results.json');
  // A clean environment: nothing of this vitest run (VITEST_*) or of the tracker leaks in.
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && !k.startsWith('TT_ALLOC_TRACKING_')));
  const configArgs = config === undefined ? [] : ['--config', config];
  const child = spawnSync('npx', ['vitest', 'run', ...configArgs, '--reporter=default', '--reporter=json', `--outputFile.json=${results}`], {
    cwd: fixture, env: { ...base, NO_COLOR: '1', ...env }, encoding: 'utf8',
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr, results: JSON.parse(fs.readFileSync(results, 'utf8')) };
}

interface VitestJson {
  testResults: { name: string; status: string; message: string; assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
}

const outcomes = (r: VitestJson) =>
  r.testResults.flatMap((f) => f.assertionResults.map((t) => [t.fullName, t.status])).sort();

const zero = { SYSTEM_MEMORY: 0, L1_SMALL: 0, TRACE: 0, CB: 0 };
const usage = (current: number, peak: number, allocated: number, freed: number, liveBuffers: number) => ({ current, peak, allocated, freed, lost: 0, liveBuffers });

/** Each file's chip: DRAM and L1 usage as that file alone leaves it (derived from the specs above). */
const PER_FILE = {
  'clean.spec.ts': { DRAM: usage(0, 8192, 1, 1, 0), L1: usage(0, 4096, 1, 1, 0) },
  'hooks.spec.ts': { DRAM: usage(32768, 32768, 1, 0, 1), L1: usage(16384, 16384, 2, 1, 1) },
  'leaky.spec.ts': { DRAM: usage(65536, 65536, 1, 0, 1), L1: usage(0, 2048, 1, 1, 0) },
};

function expectMergedReport(file: string, pool: Pool): Report {
  const r: Report = JSON.parse(fs.readFileSync(file, 'utf8'));
  // 2 + 2 + 3 allocations, 2 + 1 + 1 frees; a begin and an end mark per test (4 tests) and per hook
  // scope (beforeAll and afterAll of each of the 3 files); DeviceInfo for DRAM and L1 of each file's
  // chip (upstream's default L1_SMALL and trace region are 0: no DeviceInfo for them, docs/sim.md#parts).
  expect(r.events).toMatchObject({ alloc: 7, free: 4, mark: 20, deviceInfo: 6, dropped: 0 });
  if (pool === 'forks') {
    // A process per file: every file's chip is chip 0 of its own simulated runtime. Counts add up,
    // peaks are the highest of the processes' (65536 DRAM in leaky.spec.ts, 16384 L1 in hooks.spec.ts).
    expect(r.devices.map((d) => [d.id, d.kind])).toEqual([[0, 'chip']]);
    expect(r.devices[0].memory.DRAM).toEqual(usage(98304, 65536, 3, 1, 2));
    expect(r.devices[0].memory.L1).toEqual(usage(16384, 16384, 4, 3, 1));
  } else {
    // One process, one simulated runtime: the files' chips are chips 0, 1, 2 in the order the files
    // opened them, which depends on scheduling; each chip has exactly one file's usage.
    expect(r.devices.map((d) => d.id)).toEqual([0, 1, 2]);
    const seen = r.devices.map((d) => ({ DRAM: d.memory.DRAM, L1: d.memory.L1 }));
    const sortKey = (u: { DRAM: { allocated: number; peak: number } }) => u.DRAM.peak;
    expect(seen.sort((a, b) => sortKey(a) - sortKey(b))).toEqual(Object.values(PER_FILE).sort((a, b) => sortKey(a) - sortKey(b)));
  }
  expect(r.leaks.map((l) => [l.type, l.size, l.op, l.scope])).toEqual([
    ['DRAM', 65536, null, 'leaky.spec.ts > leaky > keeps a buffer'],
    ['DRAM', 32768, null, 'hooks.spec.ts > beforeAll'],
    ['L1', 16384, null, 'hooks.spec.ts > afterAll'],
  ]);
  expect(r.leakSummary).toMatchObject({ buffers: 3, bytes: 114688 });
  // Each of them was still live when its scope (the test, the hook) ended, and still is: 'live'
  // (docs/report.md#lifetimes-why-a-buffer-outlived-its-test), one row per scope, merged across workers.
  expect(r.lifetimes!.classes.live).toEqual({ buffers: 3, bytes: 114688 });
  expect(r.lifetimes!.byScope.map((x) => [x.scope, x.class, x.buffers, x.bytes])).toEqual([
    ['leaky.spec.ts > leaky > keeps a buffer', 'live', 1, 65536],
    ['hooks.spec.ts > beforeAll', 'live', 1, 32768],
    ['hooks.spec.ts > afterAll', 'live', 1, 16384],
  ]);
  // Every scope name carries its file; largest total peak first, then by name. (Which chip held each
  // peak, peakDevice, depends on the pool: below.)
  expect(r.scopes.map(({ name, calls, peak }) => ({ name, calls, peak }))).toEqual([
    { name: 'leaky.spec.ts > leaky > keeps a buffer', calls: 1, peak: { DRAM: 65536, L1: 2048, ...zero } },
    { name: 'hooks.spec.ts > beforeAll', calls: 1, peak: { DRAM: 32768, L1: 0, ...zero } },
    { name: 'hooks.spec.ts > afterAll', calls: 1, peak: { DRAM: 0, L1: 16384, ...zero } },
    { name: 'clean.spec.ts > clean > frees what it allocates', calls: 1, peak: { DRAM: 8192, L1: 4096, ...zero } },
    { name: 'hooks.spec.ts > hooks > frees its own buffer', calls: 1, peak: { DRAM: 0, L1: 1024, ...zero } },
    ...['clean.spec.ts > afterAll', 'clean.spec.ts > beforeAll', 'clean.spec.ts > clean > passes toHaveNoLeaks on its own allocations',
      'leaky.spec.ts > afterAll', 'leaky.spec.ts > beforeAll'].map((name) => ({ name, calls: 1, peak: { DRAM: 0, L1: 0, ...zero } })),
  ]);
  // The leaky test ran alone on its file's chip: its peaks are that chip's usage while it ran.
  const leakyScope = r.scopes[0];
  const leakyChip = r.devices.find((d) => d.memory.DRAM.peak === 65536)!.id;
  expect(leakyScope.peakDevice).toEqual({ DRAM: { id: leakyChip, kind: 'chip' }, L1: { id: leakyChip, kind: 'chip' } });
  expect(leakyScope.devicePeak).toEqual({ DRAM: 65536, L1: 2048, ...zero });
  // Timelines are per process: one track per worker (a file each here), with its chip's DRAM and L1
  // after every change, in order.
  expect(r.timeline).toEqual([]);
  const tracks = [...r.processes!].sort((a, b) => (a.files[0] < b.files[0] ? -1 : 1));
  expect(tracks.map((t) => t.files)).toEqual([['clean.spec.ts'], ['hooks.spec.ts'], ['leaky.spec.ts']]);
  expect(tracks.map((t) => t.timeline.map((s) => [s.type, s.points.map((p) => p[1])]))).toEqual([
    [['DRAM', [8192, 0]], ['L1', [4096, 0]]],
    [['DRAM', [32768]], ['L1', [1024, 0, 16384]]],
    [['DRAM', [65536]], ['L1', [2048, 0]]],
  ]);
  const label = { forks: /^pid \d+$/, threads: /^pid \d+ thread \d+$/, vmThreads: /^pid \d+ thread \d+( context \d+)?$/ }[pool];
  for (const t of tracks) expect(t.label).toMatch(label);
  const pids = new Set(tracks.map((t) => t.label.split(' ')[1]));
  expect(pids.size).toBe(pool === 'forks' ? 3 : 1);
  // Labels are unique: no worker's report overwrote another's.
  expect(new Set(tracks.map((t) => t.label)).size).toBe(3);
  return r;
}

describe.each(Object.keys(POOL_CONFIGS) as Pool[])('tt-alloc-tracker/vitest in the %s pool', (pool) => {
  it('merges every worker\'s report; TT_ALLOC_TRACKING_FAIL_ON_LEAK=1 fails the leaking test at its line and the file whose hooks leak', () => {
    const file = path.join(tempDir(), 'merged.json');
    const run = runFixture({ TT_ALLOC_TRACKING_REPORT: file, TT_ALLOC_TRACKING_FAIL_ON_LEAK: '1' }, POOL_CONFIGS[pool]);
    expect(outcomes(run.results)).toEqual([
      ['clean frees what it allocates', 'passed'], ['clean passes toHaveNoLeaks on its own allocations', 'passed'],
      ['hooks frees its own buffer', 'passed'], ['leaky keeps a buffer', 'failed'],
    ]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`tt-alloc-tracker: merged 3 worker reports into ${file}: 3 leaked buffers, 0 suspicious frees\n`);
    const r = expectMergedReport(file, pool);

    // The test's failure lists its leak (op, scope, size) and points at the test: leaky.spec.ts line 5,
    // column 3 is `it('keeps a buffer', …)` (vitest's task location).
    const leak = r.leaks[0];
    const failed = run.results.testResults.flatMap((f) => f.assertionResults).find((t) => t.status === 'failed')!;
    expect(failed.failureMessages).toEqual([[
      'Error: tt-alloc-tracker: test "leaky.spec.ts > leaky > keeps a buffer" leaked 1 buffer (65536 bytes) of device memory:',
      `  id ${leak.id}  device ${leak.device}  DRAM  address 0x${leak.address.toString(16)}  65536 bytes  op -  scope leaky.spec.ts > leaky > keeps a buffer`,
      `    at leaky > keeps a buffer (${path.join(fixture, 'leaky.spec.ts')}:5:3)`,
    ].join('\n')]);
    // vitest's default reporter (stderr) names the test's line and shows its code frame.
    expect(run.stderr).toContain(' FAIL  leaky.spec.ts:5:3 > leaky > keeps a buffer\n');
    expect(run.stderr).toContain('❯ leaky > keeps a buffer leaky.spec.ts:5:3\n');
    expect(run.stderr).not.toContain('hooks.js');

    // hooks.spec.ts: its test passed, the file failed for what its beforeAll and afterAll left live,
    // each leak under its hook's scope; the error points at `beforeAll(` (line 6, column 1).
    const hooks = run.results.testResults.find((f) => f.name.endsWith('hooks.spec.ts'))!;
    const [dram, l1] = r.leaks.slice(1);
    expect(hooks.status).toBe('failed');
    expect(hooks.message).toBe([
      'tt-alloc-tracker: test file "hooks.spec.ts" (beforeAll/afterAll hooks, outside any test) leaked 2 buffers (49152 bytes) of device memory:',
      `  id ${dram.id}  device ${dram.device}  DRAM  address 0x${dram.address.toString(16)}  32768 bytes  op -  scope hooks.spec.ts > beforeAll`,
      `  id ${l1.id}  device ${l1.device}  L1  address 0x${l1.address.toString(16)}  16384 bytes  op -  scope hooks.spec.ts > afterAll`,
    ].join('\n'));
    expect(run.stderr).toContain('❯ beforeAll hooks.spec.ts:6:1\n');
  });
});

describe('tt-alloc-tracker/vitest: a beforeEach hook that leaks (each.hook-spec.ts)', () => {
  it("charges the test under '<test> > beforeEach' and points at the beforeEach hook", () => {
    // each.hook-spec.ts: describe('each') has a beforeEach that opens a chip and allocates 8 KiB DRAM
    // it never frees; its one test allocates and frees 512 B L1.
    const file = path.join(tempDir(), 'merged.json');
    const run = runFixture({ TT_ALLOC_TRACKING_REPORT: file, TT_ALLOC_TRACKING_FAIL_ON_LEAK: '1' }, 'vitest.each.config.mjs');
    expect(outcomes(run.results)).toEqual([['each uses what beforeEach made', 'failed']]);
    expect(run.status).toBe(1);
    const r: Report = JSON.parse(fs.readFileSync(file, 'utf8'));
    const test = 'each.hook-spec.ts > each > uses what beforeEach made';
    // The hook's allocations under the hook's scope until the body starts, then the test's own.
    expect(r.scopes.map(({ name, peak }) => [name, peak.DRAM, peak.L1])).toEqual([
      [`${test} > beforeEach`, 8192, 0], [test, 0, 512], ['each.hook-spec.ts > afterAll', 0, 0], ['each.hook-spec.ts > beforeAll', 0, 0],
    ]);
    const leak = r.leaks[0];
    expect(r.leaks.map((l) => [l.type, l.size, l.scope])).toEqual([['DRAM', 8192, `${test} > beforeEach`]]);
    const failed = run.results.testResults.flatMap((f) => f.assertionResults)[0];
    // Line 6, column 3: `beforeEach(` in each.hook-spec.ts.
    expect(failed.failureMessages).toEqual([[
      `Error: tt-alloc-tracker: test "${test}" leaked 1 buffer (8192 bytes) of device memory:`,
      `  id ${leak.id}  device 0  DRAM  address 0x${leak.address.toString(16)}  8192 bytes  op -  scope ${test} > beforeEach`,
      `    at beforeEach (${path.join(fixture, 'each.hook-spec.ts')}:6:3)`,
    ].join('\n')]);
    expect(run.stderr).toContain('❯ beforeEach each.hook-spec.ts:6:3\n');
  });
});

describe('tt-alloc-tracker/vitest options and environment (forks pool)', () => {
  it('without TT_ALLOC_TRACKING_FAIL_ON_LEAK every test passes and the merged report is the same', () => {
    const file = path.join(tempDir(), 'merged.json');
    const run = runFixture({ TT_ALLOC_TRACKING_REPORT: file });
    expect(outcomes(run.results)).toEqual([
      ['clean frees what it allocates', 'passed'], ['clean passes toHaveNoLeaks on its own allocations', 'passed'],
      ['hooks frees its own buffer', 'passed'], ['leaky keeps a buffer', 'passed'],
    ]);
    expect(run.status).toBe(0);
    expectMergedReport(file, 'forks');
  });

  it('createGlobalSetup({ failOnLeak: false }) wins over TT_ALLOC_TRACKING_FAIL_ON_LEAK=1 in the test processes', () => {
    const file = path.join(tempDir(), 'merged.json');
    const run = runFixture({ TT_ALLOC_TRACKING_REPORT: file, TT_ALLOC_TRACKING_FAIL_ON_LEAK: '1' }, 'vitest.fail-on-leak-off.config.mjs');
    expect(run.results.testResults.map((f) => f.status)).toEqual(['passed', 'passed', 'passed']);
    expect(run.status).toBe(0);
    expectMergedReport(file, 'forks');
  });

  it('an unknown TT_ALLOC_TRACKING_FAIL_ON_LEAK value warns once, naming it and the allowed values, and leaves the check off', () => {
    const run = runFixture({ TT_ALLOC_TRACKING_FAIL_ON_LEAK: 'yes' });
    expect(run.results.testResults.map((f) => f.status)).toEqual(['passed', 'passed', 'passed']);
    expect(run.status).toBe(0);
    // Read once, by the global setup in vitest's main process; the test processes take its result.
    expect(envWarnings(run.stderr)).toEqual([
      "TT_ALLOC_TRACKING_FAIL_ON_LEAK='yes' is not one of '1', 'true', '0', 'false'; tests that leak device memory pass",
    ]);
  });
});

describe('tt-alloc-tracker/vitest types', () => {
  it("augment vitest's Assertion with toHaveNoLeaks() (the fixture's specs typecheck)", () => {
    const child = spawnSync('npx', ['tsc', '-p', fixture], { cwd: fixture, encoding: 'utf8' });
    expect(child.stdout).toBe('');
    expect(child.status).toBe(0);
  });
});
