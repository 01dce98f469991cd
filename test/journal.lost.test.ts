/**
 * Recovery honesty: recover() reports every unreadable stretch of a journal as lost, with its bytes
 * and, where known, its sequence numbers; and refuses a ring file of another run. It used to stop at
 * the first damaged block and print "lost: none" with no ring file to compare against (270 events
 * unread), and it accepted any ring file whose first sequence number and capacity matched.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JournalError, recover } from '../lib/index';
import { EventKind, MemType } from '../lib/events/format';
import { lostLine } from '../lib/cli/journal-summary';
import { block, concat, endBlock, eventsBlock, journalHeader } from './helpers/journal-writer';
import { ROOT, tempDir } from './helpers/journal';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Events seq from..from+n-1: allocate/free pairs of 2 KiB DRAM buffers (an odd count ends with an allocate). */
function events(from: number, n: number) {
  return Array.from({ length: n }, (_, k) => {
    const seq = from + k;
    const objectId = seq - (seq % 2);
    return { kind: seq % 2 === 0 ? EventKind.Alloc : EventKind.Free, seq, objectId, address: 4096 * objectId, size: 2048, memType: MemType.DRAM };
  });
}

describe('recover() of a journal with an unreadable stretch', () => {
  it('damage in the middle: the stretch is lost with its bytes and exact sequence numbers, the rest is read', () => {
    // Layout (docs/recording.md): 64-byte header; events block A (32 + 100 × 64 = 6,432 bytes) at 64;
    // B (32 + 270 × 64 = 17,312) at 6,496; C (32 + 30 × 64 = 1,952) at 23,808; end block at 25,760.
    const b = eventsBlock(events(100, 270));
    b[32 + 5] ^= 0xff;  // one payload byte of B: its checksum no longer matches
    const file = path.join(dir, 'middle.ttj');
    fs.writeFileSync(file, concat(journalHeader(), eventsBlock(events(0, 100)), b, eventsBlock(events(370, 30)), endBlock(400)));
    const result = recover(file);
    expect(result.lost).toEqual([{ first: 100, last: 369, count: 270, reason: 'journal', bytes: { first: 6496, last: 23807 } }]);
    expect(result.journalEvents).toBe(130);
    expect(result.journalComplete).toBe(true);
    expect(result.journalError?.message).toBe(`${file}: byte 6496: checksum mismatch in events block`);
    expect(result.report.events.total).toBe(130);
    expect(lostLine(result.lost)).toBe('lost: 270 events: seq 100-369 (unreadable journal bytes 6496-23807)');
  });

  it('a torn tail and no ring file: lost from the last read event on, bounds in bytes, count unknown', () => {
    // 64-byte header, events block of 10 (32 + 640 bytes) at 64, then 100 bytes of the next block at 736.
    const file = path.join(dir, 'torn.ttj');
    fs.writeFileSync(file, concat(journalHeader(), eventsBlock(events(0, 10)), eventsBlock(events(10, 10)).subarray(0, 100)));
    const result = recover(file);
    expect(result.lost).toEqual([{ first: 10, last: null, count: null, reason: 'journal', bytes: { first: 736, last: 835 } }]);
    expect(lostLine(result.lost)).toBe('lost: an unknown number of events: seq from 10 (unreadable journal bytes 736-835)');
  });

  it('a torn tail with the ring file: the ring head bounds the stretch', () => {
    // A ring block (first seq 0, 64 slots) at 64; events 0..9 at 96; a torn block at 768. The ring
    // file says the collector consumed up to head 14: seq 10..13 were journaled in the torn bytes.
    const file = path.join(dir, 'torn-ring.ttj');
    fs.writeFileSync(file, concat(journalHeader(), block(5, 0, 64), eventsBlock(events(0, 10)), eventsBlock(events(10, 4)).subarray(0, 40)));
    const ring = new Uint8Array(4096 + 64 * 64);
    const view = new DataView(ring.buffer);
    ring.set(Buffer.from('TTALRING', 'latin1'), 0);
    view.setUint32(8, 1, true);
    view.setUint32(12, 4096, true);
    view.setUint32(16, 64, true);
    view.setUint32(20, 2, true);
    view.setBigUint64(24, 64n, true);
    view.setBigUint64(128, 14n, true);  // tail
    view.setBigUint64(192, 14n, true);  // head
    fs.writeFileSync(`${file}.ring`, ring);
    const result = recover(file);
    expect(result.lost).toEqual([{ first: 10, last: 13, count: 4, reason: 'journal', bytes: { first: 768, last: 807 } }]);
    expect(lostLine(result.lost)).toBe('lost: 4 events: seq 10-13 (unreadable journal bytes 768-807)');
  });

  it('the CLI never says "lost: none" when journal bytes could not be read', () => {
    const file = path.join(dir, 'cli.ttj');
    fs.writeFileSync(file, concat(journalHeader(), eventsBlock(events(0, 10)), eventsBlock(events(10, 10)).subarray(0, 100)));
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli', 'index.js'), 'recover', file], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual([
      `journal: read up to the damage at ${file}: byte 736: truncated events block: 640 payload bytes declared, 68 remain`,
      'recovered: 10 events from the journal, 0 from no ring file',
      'lost: an unknown number of events: seq from 10 (unreadable journal bytes 736-835)',
    ]);
  });
});

describe('recover() with the ring file of another run', () => {
  it('refuses it, naming both run ids', () => {
    // Two runs killed alike: the same journal layout, ring capacity and first sequence number, which
    // is all recover() compared before the run id.
    const killed = (file: string) => spawnSync(process.execPath, ['-e', `
      const t = require('tt-alloc-tracker');
      t.enable({ record: process.argv[1], drainIntervalMs: 0, ringCapacity: 4096 });
      require('tt-alloc-tracker/testing').emitSynthetic({ threads: 1, perThread: 100, onCallingThread: true });
      process.kill(process.pid, 'SIGKILL');`, file], { cwd: ROOT });
    const a = path.join(dir, 'a.ttj');
    const b = path.join(dir, 'b.ttj');
    expect(killed(a).signal).toBe('SIGKILL');
    expect(killed(b).signal).toBe('SIGKILL');
    fs.copyFileSync(`${b}.ring`, `${a}.ring`);
    // Run ids: journal header bytes 40..47, ring header bytes 96..103 (docs/recording.md).
    const hex = (bytes: Buffer, at: number) => `0x${bytes.readBigUInt64LE(at).toString(16).padStart(16, '0')}`;
    const journalId = hex(fs.readFileSync(a), 40);
    const ringId = hex(fs.readFileSync(`${b}.ring`), 96);
    expect(journalId).not.toBe(ringId);
    expect(() => recover(a)).toThrow(new JournalError('ERR_JOURNAL_RING', `${a}.ring`, 96,
      `ring file belongs to another run (its run id is ${ringId}; the journal's is ${journalId})`));
    // Its own ring file is accepted.
    expect(recover(b).ringFile).toBe(`${b}.ring`);
  });
});
