import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recover, replay } from '../lib/index';
import { ROOT, tempDir } from './helpers/journal';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs `body` in a child that records to TT_ALLOC_TRACKING_RECORD from require time; returns its output. */
function child(file: string, body: string): { stdout: string; stderr: string; status: number | null; signal: NodeJS.Signals | null } {
  const script = `
    const t = require('tt-alloc-tracker');
    const { emitSynthetic } = require('tt-alloc-tracker/testing');
    ${body}`;
  const r = spawnSync(process.execPath, ['-e', script], {
    cwd: ROOT, encoding: 'utf8',
    env: { ...process.env, TT_ALLOC_TRACKING_ENABLED: '1', TT_ALLOC_TRACKING_RECORD: file },
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, signal: r.signal };
}

describe('the journal at process exit', () => {
  it.each([
    ['a normal end', '', 0],
    ['process.exit()', 'process.exit(3);', 3],
    ['an uncaught exception', "throw new Error('boom');", 1],
  ])('is finished on %s: end block written, ring file removed, replay equals the last report', (_, ending, code) => {
    const file = path.join(dir, `exit-${code}.ttj`);
    const r = child(file, `
      emitSynthetic({ threads: 1, perThread: 250, onCallingThread: true });
      console.log(JSON.stringify(t.report()));
      ${ending}`);
    expect(r.status).toBe(code);
    const live = JSON.parse(r.stdout);
    expect(live.events.total).toBe(500);
    expect(fs.existsSync(`${file}.ring`)).toBe(false);
    // The processor section describes the live process (lib/processor-report.ts), not the events: a replay has none.
    expect(replay(file)).toEqual({ ...live, processor: undefined });
    expect(recover(file)).toMatchObject({ journalComplete: true, journalEvents: 500, ringEvents: 0, lost: [], journalError: null });
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('is finished on %s, including events pushed after the last report', (signal) => {
    const file = path.join(dir, `signal-${signal}.ttj`);
    const r = child(file, `
      emitSynthetic({ threads: 1, perThread: 250, onCallingThread: true });
      console.log(JSON.stringify(t.report()));
      emitSynthetic({ threads: 1, perThread: 50, onCallingThread: true });
      setTimeout(() => {}, 10000);
      process.kill(process.pid, '${signal}');`);
    // The tracker's handler finishes the journal, then re-raises: the child still dies by the signal.
    expect(r.signal).toBe(signal);
    expect(JSON.parse(r.stdout).events.total).toBe(500);
    expect(fs.existsSync(`${file}.ring`)).toBe(false);
    expect(replay(file).events.total).toBe(600);
    expect(recover(file)).toMatchObject({ journalComplete: true, journalEvents: 600, ringEvents: 0, lost: [], journalError: null });
  });

  it('records events pushed after the last report, up to exit', () => {
    const file = path.join(dir, 'late.ttj');
    const r = child(file, `
      emitSynthetic({ threads: 1, perThread: 100, onCallingThread: true });
      t.report();
      emitSynthetic({ threads: 1, perThread: 20, onCallingThread: true });`);
    expect(r.status).toBe(0);
    expect(replay(file).events.total).toBe(240);
  });

  it('expands %p in TT_ALLOC_TRACKING_RECORD to the process id', () => {
    const r = child(path.join(dir, 'pid-%p.ttj'), `console.log(process.pid, t.recording().path);`);
    const [pid, recorded] = r.stdout.trim().split(' ');
    expect(recorded).toBe(path.join(dir, `pid-${pid}.ttj`));
    expect(fs.existsSync(recorded)).toBe(true);
  });

  it('warns once and tracks without recording when TT_ALLOC_TRACKING_RECORD names a missing directory', () => {
    const file = path.join(dir, 'no-such-dir', 'run.ttj');
    const r = child(file, `console.log(t.isEnabled(), t.recording().path);`);
    expect(r.stdout.trim()).toBe('true null');
    const warnings = r.stderr.split('\n').filter((line) => line.includes('TT_ALLOC_TRACKING_RECORD'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`TT_ALLOC_TRACKING_RECORD='${file}': directory ${path.dirname(file)} does not exist; not recording`);
  });
});
