/**
 * A process that ends while startBackgroundProducers() threads still run must exit normally with its
 * report written. The run's std::thread objects used to be destroyed joinable at static destruction:
 * std::terminate, "terminate called without an active exception", exit 134 after the report.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScript, tempDir } from './helpers/child';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('background producers still running at exit', () => {
  it.each([
    ['the event loop ends', 'setTimeout(() => {}, 100);'],
    ['process.exit(0)', 'setTimeout(() => process.exit(0), 100);'],
  ])('are stopped and joined when %s: exit code 0, report written', (name, ending) => {
    const file = path.join(dir, `${name.replace(/\W+/g, '-')}.json`);
    // 2 threads × 10^9 pairs at 200,000 events/s: hours of work, so they are running at exit.
    const r = runScript(`
      require('tt-alloc-tracker');
      const { startBackgroundProducers } = require('tt-alloc-tracker/testing');
      startBackgroundProducers({ threads: 2, perThread: 1e9, ratePerSec: 200000 });
      ${ending}`, { TT_ALLOC_TRACKING_ENABLED: '1', TT_ALLOC_TRACKING_REPORT: file }, 60_000);
    expect({ status: r.status, signal: r.signal, stderr: r.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
    const report = JSON.parse(fs.readFileSync(file, 'utf8'));
    // Pairs: every allocate the report counts was followed by its free before the threads stopped,
    // or is still live; either way some were pushed in 100 ms.
    expect(report.events.alloc).toBeGreaterThan(0);
  });
});
