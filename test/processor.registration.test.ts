/**
 * How the graph-tracking processor is registered, against the simulated runtime, which models TT-Metal's
 * newest generation (2026-08: tt_metal/api/tt-metalium/graph_tracking.hpp and
 * tt_metal/api/internal/graph_tracking.hpp @25ac38cf; native/sim/graph_tracking.hpp):
 *  - processors pushed with push_processor() are per thread (static thread_local since PR #44668);
 *  - internal::register_background_processor_once() registers process-wide, once, for good, and a
 *    background processor receives only track_allocate/track_deallocate, from every thread;
 *  - is_capture_processor() false keeps GraphTracker::is_enabled() false (PR #42649).
 * And the report's `processor` section / text warning derived from that (lib/processor-report.ts).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EventKind, MemType, type EventRecord } from '../lib/events/format';
import * as tracker from '../lib/index';
import { native } from '../lib/native';
import { coverageWarning } from '../lib/processor-coverage';
import { processorSection } from '../lib/processor-report';
import * as sim from '../lib/sim';
import { drainRecords } from '../lib/testing';

const K = EventKind;

interface ProcessorNative {
  registration: string;
  attach(): string;
  detach(): boolean;
  callbacks(): number;
  info(): { runtime: string; registration: string; attached: boolean; attachedThreads: number; features: Record<string, boolean> };
  runtimeCaptureEnabled(): boolean;
  attachThisThread(): boolean;
  detachThisThread(): boolean;
  workloadOnThread(device: number, attach: boolean): Promise<{ thread: number; covered: boolean }>;
}
const processor = (): ProcessorNative => native().processor as ProcessorNative;

// The features cmake/tt-metal.cmake's probes find in the 2026-08-background headers (asserted by
// npm run check:tt-metal): every one of them, which is what native/sim/features.hpp sets.
const FEATURES_2026_08 = ['allocatorStats', 'backgroundProcessors', 'bufferViews', 'captureProcessorFlag', 'meshDevice',
  'threadLocalProcessors', 'trackedArgument'];
// Events a per-thread processor alone receives on 2026-08: CB, program and op callbacks.
const PER_THREAD_ONLY = ['cbAlloc', 'cbRelease', 'program', 'opStart', 'opEnd'];

beforeAll(() => tracker.enable({ drainIntervalMs: 0 }));
afterEach(() => {
  processor().attach();
  sim.close();
  drainRecords();
});

/** A device announced on this thread first, so the pool thread's records hold no DeviceInfo. */
function announcedDevice(): number {
  const d = sim.openDevice();
  sim.createBuffer(d, { size: 4096, type: 'DRAM' }).deallocate();
  drainRecords();
  return d.id;
}

const kindsFrom = (records: EventRecord[], thread: number): number[] =>
  records.filter((r) => r.thread === thread).map((r) => r.kind);

describe('registration against the 2026-08 model', () => {
  it('is compiled with the 2026-08 features and registers as background + per-thread', () => {
    const info = processor().info();
    expect(info.runtime).toBe('simulator');
    expect(info.registration).toBe('background');
    expect(Object.keys(info.features).filter((k) => info.features[k]).sort()).toEqual(FEATURES_2026_08);
    // The addon loaded on this thread (vitest forks: one process per file), which attached itself.
    expect(info.attached).toBe(true);
    expect(info.attachedThreads).toBe(1);
  });

  it('never turns GraphTracker::is_enabled() on (is_capture_processor() is false)', () => {
    // Upstream is_enabled() is any_of(processors, is_capture_processor) on the calling thread; this
    // thread holds the per-thread processor, and the background one never counts.
    expect(processor().runtimeCaptureEnabled()).toBe(false);
  });

  it('an unattached thread: allocate and free arrive (background), its CB, program and op events do not', async () => {
    const device = announcedDevice();
    const { thread, covered } = await processor().workloadOnThread(device, false);
    // The workload: op start, buffer alloc, program launch (program + one CB), program destroyed (CB
    // release), buffer free, op end. Only the two buffer callbacks reach background processors.
    expect(covered).toBe(false);
    expect(kindsFrom(drainRecords(), thread)).toEqual([K.Alloc, K.Free]);
  });

  it('a thread attached through the C ABI: every event once, allocate/free not doubled', async () => {
    const device = announcedDevice();
    const { thread, covered } = await processor().workloadOnThread(device, true);
    expect(covered).toBe(true);
    // The same workload, every callback: the per-thread processor ignores buffer callbacks because the
    // background registration delivers them, so Alloc and Free appear once each.
    expect(kindsFrom(drainRecords(), thread)).toEqual([K.OpStart, K.Alloc, K.Program, K.CbAlloc, K.CbRelease, K.Free, K.OpEnd]);
    // The pool thread detached itself after the workload: only this thread stays attached.
    expect(processor().info().attachedThreads).toBe(1);
  });

  it('detach and re-attach: the background registration is not made twice', () => {
    const device = sim.openDevice();
    drainRecords();
    expect(processor().detach()).toBe(true);
    expect(processor().info().attachedThreads).toBe(0);
    sim.createBuffer(device, { size: 4096, type: 'DRAM' }).deallocate();
    // Detached: the background processor stays registered upstream but forwards nothing.
    expect(drainRecords()).toEqual([]);
    processor().attach();
    processor().attach();
    const b = sim.createBuffer(device, { size: 4096, type: 'DRAM' });
    const records = drainRecords().filter((r) => r.kind !== K.DeviceInfo);
    // One allocation, one Alloc: a second background registration would deliver it twice.
    expect(records.map((r) => [r.kind, r.objectId, r.memType])).toEqual([[K.Alloc, b.id, MemType.DRAM]]);
    expect(processor().info().attachedThreads).toBe(1);
  });

  it('attachThisThread() on an attached thread changes nothing and says the thread is covered', () => {
    expect(processor().attachThisThread()).toBe(true);
    expect(processor().info().attachedThreads).toBe(1);
  });
});

describe('report processor section', () => {
  it('a live report says background registration, partial coverage, and what can be missing', () => {
    expect(tracker.report().processor).toEqual({
      runtime: 'simulator',
      generation: 'simulator (models 2026-08+)',
      registration: 'background',
      features: FEATURES_2026_08,
      attachedThreads: 1,
      coverage: 'partial',
      gaps: [{ events: PER_THREAD_ONLY, threads: 'unattached' }],
    });
  });

  it('per generation: global is complete, thread-only misses everything from unattached threads, detached misses all', () => {
    const features = (on: string[]) => Object.fromEntries(FEATURES_2026_08.map((f) => [f, on.includes(f)]));
    // 2025-06 headers: processors process-wide (no thread_local stack): every thread's events arrive.
    const g = processorSection({ runtime: 'tt-metal', registration: 'global', attached: true, attachedThreads: 0,
      features: features(['allocatorStats', 'meshDevice']) });
    expect(g).toMatchObject({ generation: '2025-04..2025-06', coverage: 'complete', gaps: [] });
    expect(coverageWarning(g)).toBeNull();
    // 2026-05 headers: per-thread stack, no background registration: nothing from unattached threads.
    const t = processorSection({ runtime: 'tt-metal', registration: 'thread', attached: true, attachedThreads: 2,
      features: features(['allocatorStats', 'meshDevice', 'bufferViews', 'captureProcessorFlag', 'trackedArgument', 'threadLocalProcessors']) });
    expect(t).toMatchObject({ generation: '2026-05', coverage: 'partial',
      gaps: [{ events: ['alloc', 'free', ...PER_THREAD_ONLY], threads: 'unattached' }] });
    expect(coverageWarning(t)).toBe('PARTIAL COVERAGE: alloc, free, cb, program and op events only from 2 attached threads; docs/tt-metal.md');
    const none = processorSection({ ...{ runtime: 'tt-metal', registration: 'global', attachedThreads: 0 }, attached: false,
      features: features([]) } as const);
    expect(none).toMatchObject({ coverage: 'none', gaps: [{ events: ['alloc', 'free', ...PER_THREAD_ONLY], threads: 'all' }] });
  });

  it('the text output carries the one-line warning', () => {
    const text = tracker.formatReport(tracker.report(), { color: false });
    const warnings = text.split('\n').filter((l) => l.startsWith('PARTIAL COVERAGE'));
    // Background registration (2026-08): CB, program and op events need the per-thread processor.
    expect(warnings).toEqual(['PARTIAL COVERAGE: cb, program and op events only from 1 attached thread; docs/tt-metal.md']);
  });
});
