/**
 * Recording on a file system too small for the ring file: enable() must fail with a clear error, and
 * the process must live on. Before the ring file was reserved with posix_fallocate, enable() succeeded
 * on the sparse file and the first store into an unbacked page of the shared mapping killed the
 * process with SIGBUS (exit 135), with no report and no journal end.
 *
 * Needs a tmpfs of a known size: mounted here, which takes root (CAP_SYS_ADMIN). Where mount is not
 * permitted the test is skipped with the reason printed; it runs in .ci/run (root in the CI container).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from './helpers/journal';

const base = tempDir();
const mountPoint = path.join(base, 'tmpfs');
fs.mkdirSync(mountPoint);
// 1 MiB: smaller than the 4,198,400-byte ring file of a 65,536-slot ring, larger than the journal.
const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint], { encoding: 'utf8' });
const cannotMount = mount.status === 0 ? null : `mounting a 1 MiB tmpfs is not permitted here (${(mount.stderr || mount.error?.message || '').trim()}): needs root`;
if (cannotMount) console.warn(`test/journal.disk-space: skipped: ${cannotMount}`);

afterAll(() => {
  if (!cannotMount) spawnSync('umount', [mountPoint]);
  fs.rmSync(base, { recursive: true, force: true });
});

describe('recording onto a file system without room for the ring file', () => {
  it.skipIf(cannotMount !== null)('enable() throws ERR_RECORD_SPACE naming the ring file, bytes needed and free; the process lives on', () => {
    const journal = path.join(mountPoint, 'run.ttj');
    const script = `
      const t = require('tt-alloc-tracker');
      const { emitSynthetic } = require('tt-alloc-tracker/testing');
      try {
        t.enable({ record: process.argv[1], ringCapacity: 2 ** 16, drainIntervalMs: 0 });
        console.log(JSON.stringify({ enabled: true }));
      } catch (e) {
        console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message }));
        t.enable({ ringCapacity: 2 ** 16, drainIntervalMs: 0 });
      }
      // 20,000 events: 1,280,000 bytes of slots, more than the 1 MiB file system if the ring were on it.
      emitSynthetic({ threads: 1, perThread: 10000, onCallingThread: true });
      console.log(JSON.stringify(t.report().events));`;
    const r = spawnSync(process.execPath, ['-e', script, journal], { cwd: ROOT, encoding: 'utf8' });
    expect({ status: r.status, signal: r.signal }).toEqual({ status: 0, signal: null });
    const [failure, events] = r.stdout.trim().split('\n').map((line) => JSON.parse(line));
    // Needed: the 4,096-byte header page + 65,536 slots × 64 bytes (docs/recording.md, ring file).
    // Free: the tmpfs's blocks less the one page the 64-byte journal header holds while the ring file
    // is reserved (tmpfs allocates whole pages), as statfs reports them.
    const fsStat = fs.statfsSync(mountPoint);
    expect(fsStat.blocks * fsStat.bsize).toBe(1048576);
    const free = (fsStat.blocks - 1) * fsStat.bsize;
    expect(failure).toEqual({
      name: 'TrackerError',
      code: 'ERR_RECORD_SPACE',
      message: `tt-alloc-tracker: cannot record: ${journal}.ring: not enough space for the ring file: needs 4198400 bytes, ${free} bytes free`,
    });
    // Tracking without recording went on: every one of the 20,000 events (the ring holds them all).
    expect(events).toMatchObject({ total: 20000, alloc: 10000, free: 10000, dropped: 0 });
    // Nothing left on the file system: no journal, no ring file, no temporary.
    expect(fs.readdirSync(mountPoint)).toEqual([]);
  });

  it.skipIf(cannotMount !== null)('from TT_ALLOC_TRACKING_RECORD at require time: a warning, and tracking without recording', () => {
    const journal = path.join(mountPoint, 'env.ttj');
    const r = spawnSync(process.execPath, ['-e', `
      const t = require('tt-alloc-tracker');
      require('tt-alloc-tracker/testing').emitSynthetic({ threads: 1, perThread: 100, onCallingThread: true });
      console.log(JSON.stringify({ recording: t.recording().path, total: t.report().events.total }));`], {
      cwd: ROOT, encoding: 'utf8',
      env: { ...process.env, TT_ALLOC_TRACKING_ENABLED: '1', TT_ALLOC_TRACKING_RECORD: journal, TT_ALLOC_TRACKING_RING_SIZE: '65536' },
    });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ recording: null, total: 200 });
    const fsStat = fs.statfsSync(mountPoint);
    const free = (fsStat.blocks - 1) * fsStat.bsize;
    expect(r.stderr).toContain(`[TT_ALLOC_TRACKER_ENV] Warning: tt-alloc-tracker: cannot record: ${journal}.ring: not enough space for the ring file: needs 4198400 bytes, ${free} bytes free; tracking without recording`);
    expect(fs.readdirSync(mountPoint)).toEqual([]);
  });
});
