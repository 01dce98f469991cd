/** Shared by test/tt-metal-mock*.test.ts: runs a scenario in a child process and decodes its records. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { expect } from 'vitest';
import { EventBatch, readRecord, type EventRecord } from '../lib/events/format';
import type { FailureExplanation, Report } from '../lib/report/types';

export const root = path.join(__dirname, '..');
export const runtimeRoot = path.join(root, '.tt-metal-mock', 'ttnn-0.70.1', 'ttnn');
const addon = path.join(root, 'build-tt-metal-mock', 'addon', 'Release', 'tt_alloc_tracker.node');
const driver = path.join(root, 'build-tt-metal-mock', 'driver', 'tt_metal_mock_driver.node');
const script = (name: string): string => path.join(root, 'scripts', 'tt-metal-mock', name);

export type Scenario = 'chip' | 'mesh';
/** Our UMD cluster descriptor for each scenario: a 1-chip n150, a 2-chip n300. */
export const DESCRIPTOR: Record<Scenario, string> = { chip: 'wormhole_N150', mesh: 'wormhole_N300' };

export interface RealRun { registration: string; callbacks: number; facts: Record<string, any>; records: string[] }

function lastJsonLine(stdout: string): any {
  return JSON.parse(stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop()!);
}

/** Runs a script of scripts/tt-metal-mock on the real TT-Metal with a mock cluster; its last JSON line. */
function runOnMock(args: string[], descriptor: string): any {
  for (const file of [addon, driver, runtimeRoot]) expect(existsSync(file), `${file} (npm run test:tt-metal-mock builds it)`).toBe(true);
  const stdout = execFileSync(process.execPath, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    // TT-Metal logs its TT_THROW / TT_FATAL messages on stdout too: the result is the last JSON line.
    maxBuffer: 64 << 20,
    env: {
      ...process.env,
      TT_METAL_RUNTIME_ROOT: runtimeRoot,
      TT_METAL_MOCK_CLUSTER_DESC_PATH: path.join(root, 'scripts', 'tt-metal-mock', 'cluster', `${descriptor}.yaml`),
      // Slow dispatch: no command-queue kernels to compile (the SFPI toolchain is not on PyPI).
      TT_METAL_SLOW_DISPATCH_MODE: '1',
      TT_METAL_CACHE: path.join(root, '.tt-metal-mock', 'cache'),
      TT_METAL_LOGGER_LEVEL: 'error',
    },
  });
  return lastJsonLine(stdout);
}

/** One scenario on the real TT-Metal (TT-Metal reads its cluster descriptor once per process). */
export function runReal(scenario: Scenario): RealRun {
  return runOnMock([script('scenario.js'), scenario, addon, driver], DESCRIPTOR[scenario]) as RealRun;
}

export interface FailureRun {
  facts: Record<string, any>;
  events: Report['events'];
  failures: FailureExplanation[];
}

/** scripts/tt-metal-mock/failure-scenario.js: the runtime's failures, explained by the tracker. */
export function runRealFailures(scenario: Scenario): FailureRun {
  return runOnMock([script('failure-scenario.js'), scenario, addon, driver], DESCRIPTOR[scenario]) as FailureRun;
}

/** The same scenario on the embedded runtime (scripts/tt-metal-mock/sim-scenario.js). */
export function runSim(scenario: Scenario): { records: string[] } {
  return lastJsonLine(execFileSync(process.execPath, [script('sim-scenario.js'), scenario], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
}

export function batches(records: string[]): EventBatch[] {
  return records.map((b64) => {
    const bytes = Buffer.from(b64, 'base64');
    return new EventBatch(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  });
}

export function decode(records: string[]): EventRecord[] {
  const out: EventRecord[] = [];
  for (const batch of batches(records)) for (let i = 0; i < batch.count; i++) out.push(readRecord(batch, i));
  return out;
}

/** The fields a stream test asserts (seq, time and thread are the ring's, not the runtime's). */
export const brief = (r: EventRecord) => ({
  kind: r.kind, device: r.device, memType: r.memType, layout: r.layout, flags: r.flags, objectId: r.objectId,
  address: r.address, size: r.size, pageSize: r.pageSize, rootId: r.rootId, aux: r.aux,
});
