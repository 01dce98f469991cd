import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript, tempDir } from './helpers/child';

/**
 * A report written at exit contains events pushed right before exit: each script enables tracking
 * with the background drain off, allocates on the embedded runtime, then ends the process in one
 * way, without returning to the event loop in between. Only the exit hooks can drain those events.
 */
function endWith(ending: string, prelude = ''): { file: string; status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  const file = path.join(tempDir(), 'report.json');
  const child = runScript(`
    const t = require('tt-alloc-tracker');
    ${prelude}
    t.enable({ drainIntervalMs: 0 });
    const d = t.sim.openDevice();
    const a = t.sim.createBuffer(d, { size: 12288, type: 'DRAM' });
    const b = t.sim.createBuffer(d, { size: 2048, type: 'L1' });
    console.log(JSON.stringify([a.id, b.id, t.stats().drained]));
    ${ending}`, { TT_ALLOC_TRACKING_REPORT: file });
  return { file, status: child.status, signal: child.signal, stdout: child.stdout, stderr: child.stderr };
}

function expectReportOfTheTwoBuffers(run: ReturnType<typeof endWith>): void {
  const [dramId, l1Id, drainedBeforeExit] = JSON.parse(run.stdout.split('\n')[0]);
  expect(drainedBeforeExit).toBe(0);
  const r = JSON.parse(fs.readFileSync(run.file, 'utf8'));
  expect(r.events.alloc).toBe(2);
  expect(r.events.free).toBe(0);
  expect(r.leaks.map((l: { id: number; device: number; type: string; size: number }) => [l.id, l.device, l.type, l.size]))
    .toEqual([[dramId, 0, 'DRAM', 12288], [l1Id, 0, 'L1', 2048]]);
}

describe('report at exit', () => {
  it('normal end of the event loop', () => {
    const run = endWith('');
    expect(run.status).toBe(0);
    expectReportOfTheTwoBuffers(run);
  });

  it('process.exit(3)', () => {
    const run = endWith('process.exit(3);');
    expect(run.status).toBe(3);
    expectReportOfTheTwoBuffers(run);
  });

  it('uncaught exception', () => {
    const run = endWith("throw new Error('boom');");
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Error: boom');
    expectReportOfTheTwoBuffers(run);
  });

  it('unhandled rejection', () => {
    const run = endWith("Promise.reject(new Error('rejected'));");
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Error: rejected');
    expectReportOfTheTwoBuffers(run);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal}: writes the report, then dies of the signal`, () => {
      // The timer keeps the process alive until the signal arrives; it is never reached.
      const run = endWith(`process.kill(process.pid, '${signal}'); setTimeout(() => console.log('survived'), 20000);`);
      expect(run.signal).toBe(signal);
      expect(run.status).toBe(null);
      expect(run.stdout).not.toContain('survived');
      expectReportOfTheTwoBuffers(run);
    });

    it(`${signal} with the user's own handler: the handler decides, the report is written when it exits`, () => {
      const run = endWith(
        `process.kill(process.pid, '${signal}'); setTimeout(() => {}, 20000);`,
        `process.on('${signal}', () => { console.error('user handler'); process.exit(7); });`,
      );
      expect(run.signal).toBe(null);
      expect(run.status).toBe(7);
      expect(run.stderr).toContain('user handler');
      expectReportOfTheTwoBuffers(run);
    });
  }
});
