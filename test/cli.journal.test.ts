import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { replay, recover } from '../lib/index';
import { ROOT, tempDir } from './helpers/journal';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const cli = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli', 'index.js'), ...args], { cwd: dir, encoding: 'utf8' });

/** A child that records `perThread` synthetic pairs (and one leaked buffer), then ends with `ending`. */
function record(file: string, ending: string): void {
  const script = `
    const t = require('tt-alloc-tracker');
    const { emitSynthetic } = require('tt-alloc-tracker/testing');
    t.enable({ record: process.argv[1], drainIntervalMs: 0, ringCapacity: 65536, spillCapacity: 0 });
    const chip = t.sim.openDevice();
    t.sim.createBuffer(chip, { size: 4096, type: 'DRAM', pageSize: 2048 });
    emitSynthetic({ threads: 1, perThread: 15000, onCallingThread: true });
    ${ending}`;
  spawnSync(process.execPath, ['-e', script, file], { cwd: ROOT, encoding: 'utf8' });
}

describe('tt-alloc-tracker replay', () => {
  it('prints a summary and writes the report that replay() rebuilds', () => {
    const file = path.join(dir, 'run.ttj');
    record(file, '');
    const r = cli('replay', file, '-o', 'out/report.json');
    const expected = replay(file);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe([
      `events: ${expected.events.total} (alloc 15001, free 15000, dropped 0)`,
      'devices: 1',
      'leaks: 1 buffers, 4096 bytes',
      'report written to out/report.json',
      '',
    ].join('\n'));
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'out', 'report.json'), 'utf8'))).toEqual(expected);
  });

  it('names the file and the problem in one line, exit 2, for a damaged journal', () => {
    const file = path.join(dir, 'bad.ttj');
    fs.writeFileSync(file, Buffer.alloc(10));
    const r = cli('replay', file);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`tt-alloc-tracker: ${file}: byte 0: truncated header: 10 of 64 bytes\n`);
    expect(cli('replay', 'missing.ttj').stderr).toBe('tt-alloc-tracker: missing.ttj: no such file\n');
  });
});

describe('tt-alloc-tracker recover', () => {
  it('adds what the ring file of a killed run holds and says nothing was lost', () => {
    const file = path.join(dir, 'killed.ttj');
    // Killed once its names and the first spill chunk are journaled; the rest is only in the ring file.
    record(file, `
      while (t.recording().events < 16384) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      process.kill(process.pid, 'SIGKILL');`);
    const expected = recover(file);
    expect(expected.ringEvents).toBeGreaterThan(0);
    const r = cli('recover', file, '-o', 'recovered.json');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe([
      'journal: not finished (the process died)',
      `recovered: ${expected.journalEvents} events from the journal, ${expected.ringEvents} from ${file}.ring`,
      'lost: none',
      `events: ${expected.journalEvents + expected.ringEvents} (alloc 15001, free 15000, dropped 0)`,
      'devices: 1',
      'leaks: 1 buffers, 4096 bytes',
      'report written to recovered.json',
      '',
    ].join('\n'));
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'recovered.json'), 'utf8'))).toEqual(expected.report);
  });
});
