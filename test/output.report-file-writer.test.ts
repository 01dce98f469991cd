/**
 * The file writer behind every report and CLI output (lib/output/write-file.ts). Each case is a way
 * the previous writer destroyed or left files: it wrote `<report>.<pid>.tmp` without O_EXCL (a symlink
 * planted there was followed and its target overwritten), replaced a symlink instead of its target,
 * replaced /dev/null with a regular file (as root), and left its temporary behind when the rename failed.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { report } from '../lib/tracker';
import { writeReportFile } from '../lib/output/report-file';
import { nextTemporaryPath, writeFileSafely } from '../lib/output/write-file';
import { runScript, tempDir } from './helpers/child';

const dir = tempDir();
const isRoot = process.getuid?.() === 0;
const notRoot = isRoot ? null : 'creating a device node (mknod) and mounting a tmpfs need root';
if (notRoot) console.warn(`test/output.report-file-writer: device and full-disk cases skipped: ${notRoot}`);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A fresh directory per case, so "nothing left behind" is an exact listing. */
function caseDir(name: string): string {
  const d = path.join(dir, name);
  fs.mkdirSync(d);
  return d;
}

describe('writeFileSafely / writeReportFile', () => {
  it('never opens a file or symlink planted at its temporary name: the symlink target is unchanged', () => {
    const d = caseDir('planted');
    const victim = path.join(d, 'victim.txt');
    fs.writeFileSync(victim, 'precious\n');
    const target = path.join(d, 'report.json');
    // Plant at the name the writer tries first, and at the old writer's `<report>.<pid>.tmp`.
    const planted = [nextTemporaryPath(target), `${target}.${process.pid}.tmp`];
    for (const link of planted) fs.symlinkSync(victim, link);
    writeReportFile(target, report());
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(JSON.parse(fs.readFileSync(target, 'utf8')).schema).toBe(report().schema);
    // The planted links are someone else's: left as they were. Nothing else was created.
    for (const link of planted) expect(fs.readlinkSync(link)).toBe(victim);
    expect(fs.readdirSync(d).sort()).toEqual(['report.json', 'victim.txt', ...planted.map((p) => path.basename(p))].sort());
  });

  it('writes the target of a symlink and keeps the link a link', () => {
    const d = caseDir('symlink');
    const real = path.join(d, 'real.txt');
    fs.writeFileSync(real, 'old\n');
    fs.chmodSync(real, 0o640);
    const link = path.join(d, 'link.txt');
    fs.symlinkSync('real.txt', link);
    writeFileSafely(link, 'new\n');
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readlinkSync(link)).toBe('real.txt');
    expect(fs.readFileSync(real, 'utf8')).toBe('new\n');
    // The replaced file keeps its permissions.
    expect(fs.statSync(real).mode & 0o777).toBe(0o640);
    expect(fs.readdirSync(d).sort()).toEqual(['link.txt', 'real.txt']);
  });

  it('a dangling symlink: creates its target', () => {
    const d = caseDir('dangling');
    fs.symlinkSync(path.join(d, 'sub', 'made.txt'), path.join(d, 'link.txt'));
    writeFileSafely(path.join(d, 'link.txt'), 'made\n');
    expect(fs.readFileSync(path.join(d, 'sub', 'made.txt'), 'utf8')).toBe('made\n');
    expect(fs.lstatSync(path.join(d, 'link.txt')).isSymbolicLink()).toBe(true);
  });

  it('a directory: a clear error naming it, nothing left behind', () => {
    const d = caseDir('directory');
    const target = path.join(d, 'out');
    fs.mkdirSync(target);
    expect(() => writeFileSafely(target, 'x')).toThrow(expect.objectContaining({ code: 'EISDIR', message: `${target}: is a directory, expected a file` }));
    expect(fs.readdirSync(d)).toEqual(['out']);
    expect(fs.readdirSync(target)).toEqual([]);
  });

  it.skipIf(!isRoot)('a character device (a mknod\'ed null device) is written in place and stays a character device', (ctx) => {
    const d = caseDir('device');
    const device = path.join(d, 'null');
    // Major 1, minor 3: the memory devices' /dev/null (Linux Documentation/admin-guide/devices.txt).
    const made = spawnSync('mknod', [device, 'c', '1', '3'], { encoding: 'utf8' });
    if (made.status !== 0) {
      const reason = `mknod is not permitted here (${made.stderr.trim()}): needs CAP_MKNOD`;
      console.warn(`test/output.report-file-writer: skipped: ${reason}`);
      ctx.skip(reason);
    }
    writeReportFile(device, report());
    const stat = fs.statSync(device);
    expect(stat.isCharacterDevice()).toBe(true);
    expect(stat.rdev).toBe(fs.statSync('/dev/null').rdev);
    expect(fs.readdirSync(d)).toEqual(['null']);
  });

  it('a FIFO is written in place: its reader gets the whole report', async () => {
    const d = caseDir('fifo');
    const fifo = path.join(d, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'inherit'] });
    let got = '';
    reader.stdout.on('data', (chunk: Buffer) => { got += chunk.toString(); });
    const done = new Promise((resolve) => reader.on('close', resolve));
    writeFileSafely(fifo, 'through the pipe\n');  // open() waits for cat to open its end
    await done;
    expect(got).toBe('through the pipe\n');
    expect(fs.statSync(fifo).isFIFO()).toBe(true);
    expect(fs.readdirSync(d)).toEqual(['pipe']);
  });

  it.skipIf(!isRoot)('a write that fails (a full file system) leaves neither a temporary nor a partial target', (ctx) => {
    const d = caseDir('full');
    // tmpfs of one page: the 64 KiB write cannot fit.
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4k', 'tmpfs', d], { encoding: 'utf8' });
    if (mounted.status !== 0) {
      const reason = `mounting a tmpfs is not permitted here (${mounted.stderr.trim()}): needs CAP_SYS_ADMIN`;
      console.warn(`test/output.report-file-writer: skipped: ${reason}`);
      ctx.skip(reason);
    }
    try {
      fs.writeFileSync(path.join(d, 'report.json'), 'old\n');
      expect(() => writeFileSafely(path.join(d, 'report.json'), 'x'.repeat(65536))).toThrow(expect.objectContaining({ code: 'ENOSPC' }));
      expect(fs.readdirSync(d)).toEqual(['report.json']);
      expect(fs.readFileSync(path.join(d, 'report.json'), 'utf8')).toBe('old\n');
    } finally {
      spawnSync('umount', [d]);
    }
  });
});

describe('the report written at exit (TT_ALLOC_TRACKING_REPORT)', () => {
  // /proc/self/fd/1 is what /dev/stdout links to. Not /dev/stdout itself: a writer that replaces
  // files (the old one, run as root) would replace the machine's /dev/stdout; under /proc it cannot.
  it('to /proc/self/fd/1 (/dev/stdout): written into the pipe in place', () => {
    const r = runScript(`require('tt-alloc-tracker');`, { TT_ALLOC_TRACKING_ENABLED: '1', TT_ALLOC_TRACKING_REPORT: '/proc/self/fd/1' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).schema).toBe(report().schema);
  });

  it('to a symlink in a temporary directory pointing at /proc/self/fd/1: followed into the pipe', () => {
    const d = caseDir('stdout-link');
    fs.symlinkSync('/proc/self/fd/1', path.join(d, 'out.json'));
    const r = runScript(`require('tt-alloc-tracker');`, { TT_ALLOC_TRACKING_ENABLED: '1', TT_ALLOC_TRACKING_REPORT: path.join(d, 'out.json') });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).schema).toBe(report().schema);
    expect(fs.readdirSync(d)).toEqual(['out.json']);
    expect(fs.readlinkSync(path.join(d, 'out.json'))).toBe('/proc/self/fd/1');
  });

  it('to a directory: one line on stderr, exit code 0, nothing left behind', () => {
    const d = caseDir('exit-directory');
    const target = path.join(d, 'reports');
    fs.mkdirSync(target);
    const r = runScript(`require('tt-alloc-tracker');`, { TT_ALLOC_TRACKING_ENABLED: '1', TT_ALLOC_TRACKING_REPORT: target });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`tt-alloc-tracker: could not write the report to ${target}: ${target}: is a directory, expected a file\n`);
    expect(fs.readdirSync(d)).toEqual(['reports']);
    expect(fs.readdirSync(target)).toEqual([]);
  });
});

describe('the journal and ring file (native, O_EXCL | O_NOFOLLOW temporaries)', () => {
  it('skips temporary names someone planted a symlink at: the symlink target is unchanged', () => {
    const d = caseDir('journal-planted');
    const victim = path.join(d, 'victim.txt');
    fs.writeFileSync(victim, 'precious\n');
    const journal = path.join(d, 'run.ttj');
    // The addon's temporaries are `<file>.tmp-<pid>-<n>` with n counting up per process from 0
    // (native/journal.cpp): the child plants links at the first 10 for both files, then records.
    const r = runScript(`
      const fs = require('node:fs');
      const [journal, victim] = ${JSON.stringify([journal, victim])};
      for (let n = 0; n < 10; n++) for (const f of [journal, journal + '.ring']) fs.symlinkSync(victim, f + '.tmp-' + process.pid + '-' + n);
      const t = require('tt-alloc-tracker');
      t.enable({ record: journal, ringCapacity: 4096, drainIntervalMs: 0 });
      require('tt-alloc-tracker/testing').emitSynthetic({ threads: 1, perThread: 10, onCallingThread: true });
      console.log(JSON.stringify({ recording: t.recording().path, total: t.report().events.total }));
      for (let n = 0; n < 10; n++) for (const f of [journal, journal + '.ring']) fs.unlinkSync(f + '.tmp-' + process.pid + '-' + n);`,
    {}, 60_000);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ recording: journal, total: 20 });
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(fs.readdirSync(d).sort()).toEqual(['run.ttj', 'victim.txt']);
  });
});
