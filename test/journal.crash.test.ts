import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recover } from '../lib/index';
import { EventKind, readRecord, type EventRecord } from '../lib/events/format';
import { JournalReader } from '../lib/journal/reader';
import { RingFile } from '../lib/journal/ring-file';
import { EventBatch } from '../lib/events/format';
import { ROOT, tempDir } from './helpers/journal';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const HELD = 8;

// The child holds HELD buffers on a chip of its own for its whole life, then runs the Llama workload
// in a loop. After each step it drains and publishes its progress (the ring's claimed position, while
// none of its pushes is in flight) into the ring file's user counter.
const CHILD = `
  const t = require('tt-alloc-tracker');
  const progress = () => t.nativeBinding().testing.publishProgress();
  t.enable({ record: process.argv[1], drainIntervalMs: 0 });
  const chip = t.sim.openDevice();
  const held = [];
  for (let i = 0; i < ${HELD}; i++) held.push(t.sim.createBuffer(chip, { size: 2048 * (i + 1), type: 'DRAM', pageSize: 2048 }));
  t.flush();
  progress();
  process.stdout.write('started\\n');
  for (;;) {
    t.sim.runWorkload('llama-decode', { mesh: [2, 4], layers: 2, steps: 4 });
    t.flush();
    progress();
  }`;

function runAndKill(file: string, delayMs: number): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CHILD, file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('started\n')) setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve(signal));
  });
}

/** The recovered stream, read independently of recover(): journal events, then the ring's published tail. */
function recoveredEvents(file: string): EventRecord[] {
  const events: EventRecord[] = [];
  const reader = new JournalReader(file);
  try {
    for (const block of reader.blocks()) {
      if (block.type === 'events') for (let i = 0; i < block.batch.count; i++) events.push(readRecord(block.batch, i));
    }
  } catch {
    // A torn last block: its events are still in the ring.
  } finally {
    reader.close();
  }
  const ring = new RingFile(`${file}.ring`);
  const from = Math.max(ring.header.head, events.length > 0 ? events[events.length - 1].seq + 1 : 0);
  const { records, count } = ring.readPublished(from);
  ring.close();
  const batch = new EventBatch(records.buffer as ArrayBuffer, records.byteOffset, records.byteLength);
  for (let i = 0; i < count; i++) events.push(readRecord(batch, i));
  return events;
}

describe('recover() after SIGKILL', () => {
  it.each([[1], [2], [3]])('recovers every event published before the kill (run %i), leaks = buffers live at death', async (run) => {
    const file = path.join(dir, `crash-${run}.ttj`);
    // A random point in the loop; the delay is not asserted on, only where the kill landed.
    const signal = await runAndKill(file, 20 + Math.floor(Math.random() * 400));
    expect(signal).toBe('SIGKILL');
    expect(fs.existsSync(`${file}.ring`)).toBe(true);

    const result = recover(file);
    const ring = new RingFile(`${file}.ring`);
    const { tail, userCounter, firstSeq } = ring.header;
    ring.close();
    const events = recoveredEvents(file);
    const total = result.report.events.total;
    expect(result.journalComplete).toBe(false);
    expect(total).toBe(result.journalEvents + result.ringEvents);
    expect(total).toBe(events.length);
    // Contiguous from the ring's first position: nothing skipped, nothing twice.
    expect(firstSeq).toBe(0);
    expect(events.every((e, i) => e.seq === i)).toBe(true);
    // Every event before the child's last published progress is there; the one producer thread can
    // have at most one push claimed but unpublished when it died.
    expect(total).toBeGreaterThanOrEqual(userCounter);
    expect(total).toBeGreaterThanOrEqual(tail - 1);
    // A kill during a journal write leaves a torn last block: reported as an unreadable stretch of the
    // journal (lib/journal/replay.ts) from its offset to the file's end, from the first event the
    // journal lacks, with no event lost (count 0: the ring file still holds everything from its head on).
    const torn = result.journalError === null ? [] : [{
      first: result.journalEvents, last: null, count: 0, reason: 'journal',
      bytes: { first: result.journalError.offset, last: fs.statSync(file).size - 1 },
    }];
    const unpublished = total === tail ? [] : [{ first: total, last: tail - 1, count: 1, reason: 'unpublished' }];
    expect(result.lost).toEqual([...torn, ...unpublished]);
    expect(result.report.complete).toBe(true);

    // Leaks: allocations without a free among the recovered events (bug modes off: every Alloc owns).
    const live = new Map<number, number>();
    for (const e of events) {
      if (e.kind === EventKind.Alloc) live.set(e.objectId, e.size);
      else if (e.kind === EventKind.Free) live.delete(e.objectId);
    }
    expect(live.size).toBeGreaterThanOrEqual(HELD);
    expect(result.report.leakSummary.buffers).toBe(live.size);
    expect(result.report.leakSummary.bytes).toBe([...live.values()].reduce((a, b) => a + b, 0));
  });
});

describe('recover() of events only the ring file holds', () => {
  it('reads them from the ring when the spill was full, with their names, exactly', async () => {
    const file = path.join(dir, 'stalled.ttj');
    // A one-chunk spill (16,384 events) that nobody drains: the collector journals 16,384 events and
    // stops; the rest stay in the 65,536-slot ring. The child waits until its one name is journaled.
    const script = `
      const t = require('tt-alloc-tracker');
      const { emitSynthetic } = require('tt-alloc-tracker/testing');
      const nb = t.nativeBinding();
      t.enable({ record: process.argv[1], drainIntervalMs: 0, ringCapacity: 65536, spillCapacity: 0 });
      emitSynthetic({ threads: 1, perThread: 15000, onCallingThread: true });
      nb.mark(nb.intern('late-scope'), 7, false);
      nb.testing.publishProgress();
      while (t.recording().names < 1) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      process.stdout.write('started\\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);`;
    const signal = await new Promise<NodeJS.Signals | null>((resolve, reject) => {
      const child = spawn(process.execPath, ['-e', script, file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      child.stdout.on('data', (chunk: Buffer) => { if (chunk.toString().includes('started')) child.kill('SIGKILL'); });
      child.on('error', reject);
      child.on('exit', (_code, sig) => resolve(sig));
    });
    expect(signal).toBe('SIGKILL');
    const result = recover(file);
    expect(result).toMatchObject({ journalEvents: 16384, ringEvents: 30001 - 16384, lost: [], journalComplete: false, userCounter: 30001 });
    expect(result.report.events).toMatchObject({ total: 30001, alloc: 15000, free: 15000, mark: 1, dropped: 0 });
    expect(result.report.scopes.map((s) => s.name)).toEqual(['late-scope']);
    expect(result.report.leakSummary.buffers).toBe(0);
  });
});
