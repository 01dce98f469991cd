import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../lib/report/types';
import { envWarnings, tempDir } from './helpers/child';

/**
 * A user's project (test/fixtures/vitest-project) run by `npx vitest run` in vitest's default forks
 * pool, one process per test file, through `tt-alloc-tracker/vitest` (setupFiles) and
 * `tt-alloc-tracker/vitest/global-setup` (globalSetup):
 * - clean.spec.ts: 'clean > frees what it allocates' allocates 8 KiB DRAM and 4 KiB L1 on chip 0 and
 *   frees both; 'clean > passes toHaveNoLeaks on its own allocations' allocates nothing;
 * - leaky.spec.ts: 'leaky > keeps a buffer' allocates 64 KiB DRAM and keeps it, and allocates and
 *   frees 2 KiB L1.
 */
const fixture = path.join(__dirname, 'fixtures', 'vitest-project');

function runFixture(env: NodeJS.ProcessEnv, config?: string): { status: number | null; stdout: string; stderr: string; results: VitestJson } {
  const dir = tempDir();
  const results = path.join(dir, 'results.json');
  // A clean environment: nothing of this vitest run (VITEST_*) or of the tracker leaks in.
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && !k.startsWith('TT_ALLOC_TRACKING_')));
  const configArgs = config === undefined ? [] : ['--config', config];
  const child = spawnSync('npx', ['vitest', 'run', ...configArgs, '--reporter=default', '--reporter=json', `--outputFile.json=${results}`], {
    cwd: fixture, env: { ...base, ...env }, encoding: 'utf8',
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr, results: JSON.parse(fs.readFileSync(results, 'utf8')) };
}

interface VitestJson {
  testResults: { assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
}

const outcomes = (r: VitestJson) =>
  r.testResults.flatMap((f) => f.assertionResults.map((t) => [t.fullName, t.status])).sort();

const zero = { SYSTEM_MEMORY: 0, L1_SMALL: 0, TRACE: 0, CB: 0 };

function expectMergedReport(file: string): Report {
  const r: Report = JSON.parse(fs.readFileSync(file, 'utf8'));
  // 3 + 1 allocations, 2 + 1 frees; a begin and an end mark per test; DeviceInfo for DRAM and L1 of
  // chip 0 in each of the two processes (upstream's default L1_SMALL and trace region are 0: no
  // DeviceInfo for them, docs/sim.md#parts).
  expect(r.events).toMatchObject({ alloc: 4, free: 3, mark: 6, deviceInfo: 4, dropped: 0 });
  expect(r.devices.map((d) => [d.id, d.kind])).toEqual([[0, 'chip']]);
  expect(r.devices[0].memory.DRAM).toEqual({ current: 65536, peak: 65536, allocated: 2, freed: 1, lost: 0, liveBuffers: 1 });
  // Peaks are the maximum over processes: 4 KiB L1 in clean.spec.ts, 2 KiB in leaky.spec.ts.
  expect(r.devices[0].memory.L1).toEqual({ current: 0, peak: 4096, allocated: 2, freed: 2, lost: 0, liveBuffers: 0 });
  expect(r.leaks.map((l) => [l.device, l.type, l.size, l.op, l.scope])).toEqual([[0, 'DRAM', 65536, null, 'leaky > keeps a buffer']]);
  expect(r.leakSummary).toMatchObject({ buffers: 1, bytes: 65536 });
  // Each test's own allocations on chip 0 are all that chip held meanwhile: devicePeak = peak, on chip 0.
  const chip0 = { id: 0, kind: 'chip' };
  const on0 = { DRAM: chip0, L1: chip0 };
  expect(r.scopes).toEqual([
    { name: 'leaky > keeps a buffer', calls: 1, peak: { DRAM: 65536, L1: 2048, ...zero }, peakDevice: on0, devicePeak: { DRAM: 65536, L1: 2048, ...zero }, devicePeakDevice: on0 },
    { name: 'clean > frees what it allocates', calls: 1, peak: { DRAM: 8192, L1: 4096, ...zero }, peakDevice: on0, devicePeak: { DRAM: 8192, L1: 4096, ...zero }, devicePeakDevice: on0 },
    { name: 'clean > passes toHaveNoLeaks on its own allocations', calls: 1, peak: { DRAM: 0, L1: 0, ...zero }, peakDevice: {}, devicePeak: { DRAM: 0, L1: 0, ...zero }, devicePeakDevice: {} },
  ]);
  expect(r.timeline).toEqual([]);
  return r;
}

describe('tt-alloc-tracker/vitest in a forks-pool project', () => {
  it('scopes every test, and the global teardown merges the per-process reports', () => {
    const file = path.join(tempDir(), 'merged.json');
    const run = runFixture({ TT_ALLOC_TRACKING_REPORT: file });
    expect(outcomes(run.results)).toEqual([
      ['clean frees what it allocates', 'passed'], ['clean passes toHaveNoLeaks on its own allocations', 'passed'], ['leaky keeps a buffer', 'passed'],
    ]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`tt-alloc-tracker: merged 2 process reports into ${file}: 1 leaked buffer, 0 suspicious frees\n`);
    expectMergedReport(file);
  });

  it('with TT_ALLOC_TRACKING_FAIL_ON_LEAK=1 fails the leaking test with a message listing its leaks', () => {
    const file = path.join(tempDir(), 'merged.json');
    const run = runFixture({ TT_ALLOC_TRACKING_REPORT: file, TT_ALLOC_TRACKING_FAIL_ON_LEAK: '1' });
    expect(outcomes(run.results)).toEqual([
      ['clean frees what it allocates', 'passed'], ['clean passes toHaveNoLeaks on its own allocations', 'passed'], ['leaky keeps a buffer', 'failed'],
    ]);
    expect(run.status).toBe(1);
    const leak = expectMergedReport(file).leaks[0];
    const failed = run.results.testResults.flatMap((f) => f.assertionResults).find((t) => t.status === 'failed')!;
    expect(failed.failureMessages[0]).toContain([
      'Error: tt-alloc-tracker: test "leaky > keeps a buffer" leaked 1 buffer (65536 bytes) of device memory:',
      `  id ${leak.id}  device 0  DRAM  address 0x${leak.address.toString(16)}  65536 bytes  op -  scope leaky > keeps a buffer`,
    ].join('\n'));
  });

  it('createGlobalSetup({ failOnLeak: false }) wins over TT_ALLOC_TRACKING_FAIL_ON_LEAK=1 in the test processes', () => {
    const file = path.join(tempDir(), 'merged.json');
    const run = runFixture({ TT_ALLOC_TRACKING_REPORT: file, TT_ALLOC_TRACKING_FAIL_ON_LEAK: '1' }, 'vitest.fail-on-leak-off.config.mjs');
    expect(outcomes(run.results)).toEqual([
      ['clean frees what it allocates', 'passed'], ['clean passes toHaveNoLeaks on its own allocations', 'passed'], ['leaky keeps a buffer', 'passed'],
    ]);
    expect(run.status).toBe(0);
    expectMergedReport(file);
  });

  it('an unknown TT_ALLOC_TRACKING_FAIL_ON_LEAK value warns once, naming it and the allowed values, and leaves the check off', () => {
    const run = runFixture({ TT_ALLOC_TRACKING_FAIL_ON_LEAK: 'yes' });
    expect(outcomes(run.results)).toEqual([
      ['clean frees what it allocates', 'passed'], ['clean passes toHaveNoLeaks on its own allocations', 'passed'], ['leaky keeps a buffer', 'passed'],
    ]);
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
