import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { enable } from '../lib/tracker';
import { formatReport } from '../lib/output/text';
import { formatBytes as fmt } from '../lib/output/table';
import { mergeReports } from '../lib/report/merge';
import type { Report } from '../lib/report/types';
import { reportA, reportB } from './helpers/reports';
import { root, tempDir } from './helpers/child';

const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, [path.join(root, 'dist', 'cli', 'index.js'), ...args], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

let dir: string;
let a: Report;
let b: Report;
beforeAll(() => {
  enable({ drainIntervalMs: 0 });
  a = reportA();
  b = reportB();
  dir = tempDir();
  fs.writeFileSync(path.join(dir, 'a.json'), JSON.stringify(a));
  fs.writeFileSync(path.join(dir, 'b.json'), JSON.stringify(b));
  fs.writeFileSync(path.join(dir, 'broken.json'), '{"schema": ');
  fs.writeFileSync(path.join(dir, 'other.json'), '{"version": 1}');
});

describe('tt-alloc-tracker summary', () => {
  it('prints formatReport() of the file, without colour when stdout is not a terminal', () => {
    expect(cli('summary', 'a.json')).toEqual({ status: 0, stdout: `${formatReport(a, { color: false })}\n`, stderr: '' });
    expect(cli('summary', 'b.json', '--width', '60', '--top', '1').stdout).toBe(`${formatReport(b, { color: false, width: 60, top: 1 })}\n`);
    expect(cli('summary', 'b.json', '--color').stdout).toBe(`${formatReport(b, { color: true })}\n`);
  });

  it('says in one line what is wrong with the file, exit code 2', () => {
    let parseError = '';
    try { JSON.parse('{"schema": '); } catch (e) { parseError = (e as Error).message; }
    expect(cli('summary', 'missing.json')).toEqual({ status: 2, stdout: '', stderr: 'tt-alloc-tracker: missing.json: no such file\n' });
    expect(cli('summary', 'broken.json')).toEqual({ status: 2, stdout: '', stderr: `tt-alloc-tracker: broken.json: not valid JSON (${parseError})\n` });
    expect(cli('summary', 'other.json')).toEqual({
      status: 2, stdout: '',
      stderr: 'tt-alloc-tracker: other.json: not a tt-alloc-tracker report (schema is undefined, expected "tt-alloc-tracker/report@2")\n',
    });
    expect(cli('summary', 'a.json', '--width', '10').stderr).toBe('tt-alloc-tracker: Expected an integer between 40 and 1000 for --width but received 10 of type number\n');
  });
});

describe('tt-alloc-tracker diff', () => {
  it('lists what grew, the new leaks and the anomaly counts that changed; exit code 0', () => {
    const r = cli('diff', 'a.json', 'b.json');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Comparing a.json (a) with b.json (b)');
    // Chip 0: A's DRAM peak was the workload's, B's is its 2 MiB buffer; current 1 MiB -> 2 MiB.
    const chip0 = lines.find((l) => /^ +chip 0 +DRAM /.test(l))!.trim().split(/ {2,}/);
    const peakA = a.devices.find((d) => d.id === 0 && d.kind === 'chip')!.memory.DRAM.peak;
    expect(chip0).toEqual(['chip 0', 'DRAM', fmt(peakA), '2.0 MiB', `-${fmt(peakA - 2 * 1024 * 1024)}`, '1.0 MiB', '2.0 MiB', '+1.0 MiB']);
    // B's 2 MiB and 4 KiB leaks have no match among A's (1 MiB); A's 1 MiB leak is gone in B.
    const at = lines.indexOf('New leaks in b: 2');
    expect(lines.slice(at + 1, at + 4).map((l) => l.trim().split(/ {2,}/))).toEqual([
      ['device', 'type', 'size', 'op / scope'], ['chip 0', 'DRAM', '2.0 MiB', '- / suite > keeps cache'], ['chip 0', 'L1', '4.0 KiB', '- / suite > keeps cache'],
    ]);
    expect(lines[at + 4]).toBe('Leaks of a gone in b: 1');
    const an = lines.indexOf('Anomalies (classes whose count changed)');
    expect(lines.slice(an + 1).filter((l) => l !== '').map((l) => l.trim().split(/ {2,}/))).toEqual([
      ['class', 'a', 'b', 'Δ'],
      ['doubleFree', '0', '1', '+1'],
      ['aliasFree', String(a.anomalies.aliasFree.count), '0', `-${a.anomalies.aliasFree.count}`],
      ['alias', String(a.anomalies.alias.count), '0', `-${a.anomalies.alias.count}`],
    ]);
  });

  it('of a report with itself: nothing changed', () => {
    expect(cli('diff', 'b.json', 'b.json')).toEqual({
      status: 0, stderr: '',
      stdout: ['Comparing b.json (a) with b.json (b)', '', 'Usage: peak and current equal on every device and type', '',
        'New leaks in b: 0', 'Leaks of a gone in b: 0', '', 'Ops: same peaks', '', 'Scopes (tests): same peaks', '', 'Anomalies: same counts', ''].join('\n'),
    });
  });

  it('matches leaks by device, type, size, op and scope, not by id', () => {
    const renumbered = structuredClone(b);
    renumbered.leaks.forEach((l) => { l.id += 1000; l.seq += 1000; });
    fs.writeFileSync(path.join(dir, 'b2.json'), JSON.stringify(renumbered));
    expect(cli('diff', 'b.json', 'b2.json').stdout).toContain('New leaks in b: 0\nLeaks of a gone in b: 0\n');
  });
});

describe('tt-alloc-tracker merge', () => {
  it('writes mergeReports() of the files and says what it wrote', () => {
    const r = cli('merge', 'a.json', 'b.json', '-o', 'out/merged.json');
    const merged = mergeReports([a, b], [{ label: 'a.json' }, { label: 'b.json' }]);
    expect(r).toEqual({ status: 0, stderr: '', stdout: `merged 2 reports into out/merged.json: ${merged.events.total} events, 3 leaked buffers\n` });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'out', 'merged.json'), 'utf8'))).toEqual(merged);
  });

  it('needs -o and names an unreadable input', () => {
    expect(cli('merge', 'a.json')).toMatchObject({ status: 2, stderr: expect.stringContaining("error: required option '-o, --output <file>' not specified") });
    expect(cli('merge', 'a.json', 'missing.json', '-o', 'm.json')).toEqual({ status: 2, stdout: '', stderr: 'tt-alloc-tracker: missing.json: no such file\n' });
    expect(fs.existsSync(path.join(dir, 'm.json'))).toBe(false);
  });
});

describe('--help', () => {
  for (const [command, usage] of [['summary', 'summary [options] <report>'], ['diff', 'diff [options] <a> <b>'], ['merge', 'merge [options] <reports...>']]) {
    it(`${command} --help prints its usage, exit code 0`, () => {
      const r = cli(command, '--help');
      expect(r.status).toBe(0);
      expect(r.stdout.split('\n')[0]).toBe(`Usage: tt-alloc-tracker ${usage}`);
    });
  }
});
