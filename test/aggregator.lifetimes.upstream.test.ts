import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as sim from '../lib/sim';
import { beginScope, endScope } from '../lib/scopes';
import { enable, report, reset } from '../lib/tracker';

// Lifetime classes (docs/report.md#lifetimes-why-a-buffer-outlived-its-test) on the embedded runtime's
// upstream streams, per generation (docs/sim.md): runtime → processor → ring → aggregator.
// - Program buffer pool: '2025-06' EnqueueProgram releases it right after the enqueue
//   (Program::release_buffers); '2026-04' it lives with the program, and ProgramImpl::~ProgramImpl
//   releases the CBs per chip (PR #37218) before the pool goes. A program launched through ttnn's
//   device-operation path stays in the device's program cache until disable_and_clear_program_cache().
// - Trace buffer (MeshTrace::populate_mesh_buffer): '2025-06' a TRACE buffer in the trace region;
//   '2026-04' with a trace region of 0 (the default) a DRAM buffer allocated top-down (PR #36999).
const KiB = 1024;
const TILE = 2048;

beforeAll(() => enable({ drainIntervalMs: 0 }));
afterEach(() => sim.close());

function fresh(runtime: sim.SimRuntime): void {
  sim.close();
  sim.configure({ runtime, bugs: { meshReplicaEvents: false, viewEvents: false, programPoolLateFree: false, doubleDeallocate: false } });
  reset();
}

// One test ('t1') leaves five buffers behind; later scopes free some of them.
function scenario(runtime: sim.SimRuntime) {
  fresh(runtime);
  // '2025-06' needs a trace region for its TRACE buffer; '2026-04' allocates the trace in DRAM without one.
  const chip = sim.openDevice({ traceRegionSize: runtime === '2025-06' ? 1024 * KiB : 0 });
  const t1 = beginScope('t1');
  const a = sim.createBuffer(chip, { size: 4 * TILE, type: 'DRAM' }); //   8 KiB
  const b = sim.createBuffer(chip, { size: 2 * TILE, type: 'L1' }); //     4 KiB, into a program's pool
  const program = sim.createProgram(chip);
  program.addCircularBuffer({ size: TILE, cores: 1 });
  program.addBuffer(b);
  program.launchOperation(); // cached by the device-operation path
  b.release(); //               Python's `del`: the pool (if it still holds b) keeps it alive
  program.destroy(); //         the cache still holds the program
  const c = sim.createBuffer(chip, { size: 8 * TILE, type: 'DRAM' }); //   16 KiB
  const trace = sim.createTraceBuffer(chip, 16 * TILE); //                 32 KiB: a capture ends
  sim.createBuffer(chip, { size: 3 * TILE, type: 'DRAM' }); //             6 KiB (d): after the capture, never freed
  endScope(t1);
  const t2 = beginScope('t2');
  a.deallocate();
  endScope(t2);
  const teardown = beginScope('teardown');
  chip.clearProgramCache();
  endScope(teardown);
  const after = beginScope('after');
  trace.deallocate(); // release_trace
  c.deallocate();
  endScope(after);
  return chip;
}

describe.each(sim.RUNTIMES)('lifetime classes on the %s runtime', (runtime) => {
  it('classifies each buffer t1 left behind', () => {
    scenario(runtime);
    const r = report();
    // a (8 KiB) and c (16 KiB) were live when the trace was captured, and the trace was still held
    // when t1 ended: trace. The trace buffer itself: freed later. d: live.
    // b: '2026-04' freed in the cache's teardown, after the program's CB release: program.
    //    '2025-06' the pool let go of b at the enqueue, so b.release() freed it inside t1: no class.
    expect(r.lifetimes!.classes).toEqual({
      deviceClose: { buffers: 0, bytes: 0 },
      program: runtime === '2026-04' ? { buffers: 1, bytes: 4 * KiB } : { buffers: 0, bytes: 0 },
      trace: { buffers: 2, bytes: 24 * KiB },
      laterFree: { buffers: 1, bytes: 32 * KiB },
      live: { buffers: 1, bytes: 6 * KiB },
    });
    expect(r.lifetimes!.byScope.map((row) => [row.scope, row.class, row.buffers, row.bytes])).toEqual([
      ['t1', 'laterFree', 1, 32 * KiB], ['t1', 'trace', 2, 24 * KiB], ['t1', 'live', 1, 6 * KiB],
      ...(runtime === '2026-04' ? [['t1', 'program', 1, 4 * KiB]] : []),
    ]);
    const trace = r.lifetimes!.byScope.find((row) => row.class === 'trace')!;
    expect(trace.examples.map((e) => [e.size, e.freed?.scope])).toEqual([[8 * KiB, 't2'], [16 * KiB, 'after']]);
    const traceBuffer = r.lifetimes!.byScope.find((row) => row.class === 'laterFree')!.examples[0];
    expect(traceBuffer.type).toBe(runtime === '2025-06' ? 'TRACE' : 'DRAM');
    expect(r.leaks.map((l) => [l.size, l.lifetime])).toEqual([[6 * KiB, 'live']]);
  });

  it('after the chip closes, the live one was freed only by the close: deviceClose', () => {
    const chip = scenario(runtime);
    chip.close();
    // Upstream reports no close (Device::close has no graph-tracking hook): the aggregator learns of
    // it when the chip's id comes back as a new device object and is announced again.
    const again = sim.openDevice({ traceRegionSize: runtime === '2025-06' ? 1024 * KiB : 0 });
    sim.createBuffer(again, { size: TILE, type: 'DRAM' }).deallocate();
    const r = report();
    expect(r.lifetimes!.classes.live).toEqual({ buffers: 0, bytes: 0 });
    expect(r.lifetimes!.classes.deviceClose).toEqual({ buffers: 1, bytes: 6 * KiB });
    expect(r.leaks.map((l) => [l.size, l.lostWithDevice, l.lifetime])).toEqual([[6 * KiB, true, 'deviceClose']]);
  });
});

describe('2026-04: a MeshBuffer in a cached mesh program’s pool', () => {
  it('is freed after its CB releases (one per chip): program', () => {
    fresh('2026-04');
    const mesh = sim.openMesh({ shape: [1, 2] });
    const t1 = beginScope('t1');
    const pooled = sim.createBuffer(mesh, { size: 8 * TILE, type: 'DRAM' }); // 16 KiB per chip
    const program = sim.createProgram(mesh);
    program.addCircularBuffer({ size: TILE, cores: 4 });
    program.addBuffer(pooled);
    program.launchOperation();
    pooled.release();
    program.destroy();
    endScope(t1);
    mesh.clearProgramCache();
    const r = report();
    expect(r.events.cbRelease).toBe(2); // one per chip
    expect(r.lifetimes!.byScope.map((row) => [row.scope, row.class, row.buffers, row.bytes])).toEqual([['t1', 'program', 1, 16 * KiB]]);
    expect(r.lifetimes!.byScope[0].examples[0]).toMatchObject({ device: mesh.id, deviceKind: 'mesh', freed: { scope: null } });
  });
});
