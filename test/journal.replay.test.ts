import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as tracker from '../lib/index';
import * as sim from '../lib/sim';
import { emitSynthetic } from '../lib/testing';
import { ALL_BUGS_ON, tempDir } from './helpers/journal';
import { rangeError, typeError } from './helpers/errors';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('replay(journal)', () => {
  it('rebuilds exactly the live report of the Llama workload with every bug mode on', () => {
    const file = path.join(dir, 'llama.ttj');
    tracker.enable({ record: file, drainIntervalMs: 0 });
    sim.configure({ bugs: ALL_BUGS_ON });
    sim.runWorkload('llama-decode', { mesh: [2, 4], layers: 4, steps: 8 });
    const live = tracker.report();
    // The bug modes did their work: the report has every anomaly class the socket-fed allocation server drowned in.
    expect(live.classes.free.doubleFree).toBeGreaterThan(0);
    expect(live.classes.alloc.alias).toBeGreaterThan(0);
    expect(tracker.recording()).toEqual({ path: file, error: null, events: live.events.total, names: live.ops.length });
    // The processor section describes the live process (lib/processor-report.ts), not the events: a replay has none.
    expect(tracker.replay(file)).toEqual({ ...live, processor: undefined });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(`${file}.ring`).mode & 0o777).toBe(0o600);
  });
});

describe('replay(journal) and the tracker’s own state', () => {
  it('starts a fresh report where the live run called reset()', () => {
    const file = path.join(dir, 'reset.ttj');
    tracker.enable({ record: file, drainIntervalMs: 0 });
    emitSynthetic({ threads: 1, perThread: 300, onCallingThread: true });
    tracker.reset();
    emitSynthetic({ threads: 2, perThread: 100, onCallingThread: true });
    const live = tracker.report();
    expect(live.events.total).toBe(400);
    // The processor section describes the live process (lib/processor-report.ts), not the events: a replay has none.
    expect(tracker.replay(file)).toEqual({ ...live, processor: undefined });
  });

  it('records drops, so an incomplete live report replays as incomplete by the same count', () => {
    const file = path.join(dir, 'drops.ttj');
    // One 16,384-event spill chunk and a 64-slot ring, no drain while 200,000 events are pushed.
    tracker.enable({ record: file, drainIntervalMs: 0, ringCapacity: 64, spillCapacity: 0, overflow: 'drop' });
    tracker.reset();
    const { pushed, dropped } = emitSynthetic({ threads: 1, perThread: 100_000, onCallingThread: true });
    const live = tracker.report();
    expect(dropped).toBeGreaterThan(0);
    expect(live.complete).toBe(false);
    expect(live.events.dropped).toBe(dropped);
    expect(live.events.total).toBe(pushed - dropped);
    // The processor section describes the live process (lib/processor-report.ts), not the events: a replay has none.
    expect(tracker.replay(file)).toEqual({ ...live, processor: undefined });
  });

  it('continues the same journal across disable() and enable() with the same path', () => {
    const file = path.join(dir, 'continue.ttj');
    tracker.enable({ record: file, drainIntervalMs: 0, ringCapacity: 1024 });
    tracker.reset();
    emitSynthetic({ threads: 1, perThread: 10, onCallingThread: true });
    tracker.disable();
    tracker.enable({ drainIntervalMs: 0, ringCapacity: 1024 });
    emitSynthetic({ threads: 1, perThread: 15, onCallingThread: true });
    const live = tracker.report();
    expect(live.events.total).toBe(50);
    expect(tracker.recording().path).toBe(file);
    // The processor section describes the live process (lib/processor-report.ts), not the events: a replay has none.
    expect(tracker.replay(file)).toEqual({ ...live, processor: undefined });
  });

  it('finishes the journal with record: false: it replays on its own and its ring file is gone', () => {
    const file = path.join(dir, 'finished.ttj');
    tracker.enable({ record: file, drainIntervalMs: 0 });
    tracker.reset();
    emitSynthetic({ threads: 1, perThread: 20, onCallingThread: true });
    tracker.enable({ record: false, drainIntervalMs: 0 });
    expect(tracker.recording().path).toBe(null);
    expect(fs.existsSync(`${file}.ring`)).toBe(false);
    // The processor section describes the live process (lib/processor-report.ts), not the events: a replay has none.
    expect(tracker.replay(file)).toEqual({ ...tracker.report(), processor: undefined });
    expect(tracker.recover(file)).toMatchObject({ journalComplete: true, journalEvents: 40, ringEvents: 0, lost: [], ringFile: null });
  });
});

describe('enable({ record })', () => {
  it('rejects a record value that is not a path or false, naming it', () => {
    expect(() => tracker.enable({ record: 5 as unknown as string })).toThrow(
      typeError('Expected a non-empty file path without NUL bytes, or false for record but received 5 of type number'));
    expect(() => tracker.enable({ record: '' })).toThrow(
      rangeError("Expected a non-empty file path without NUL bytes, or false for record but received '' of type string"));
    expect(() => tracker.enable({ record: true as unknown as string })).toThrow(TypeError);
  });

  it('throws a TrackerError naming the file when the journal cannot be created', () => {
    const file = path.join(dir, 'missing-dir', 'run.ttj');
    let error: unknown;
    try {
      tracker.enable({ record: file });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(tracker.TrackerError);
    expect(error).toMatchObject({ code: 'ERR_RECORD_OPEN', message: `tt-alloc-tracker: cannot record: ${file}: cannot create (No such file or directory)` });
  });
});
