import { describe, expect, it } from 'vitest';
import * as sim from '../lib/sim';
import { enable, explainFailure, report, reset } from '../lib/tracker';
import { ALL_BUGS_OFF } from './helpers/sim-events';

// End to end on the embedded runtime (native/sim, default generation 2026-04, part n150), numbers
// derived by hand from its layout (docs/sim.md, native/sim/part.hpp) and upstream's rules:
// - L1 bank: allocatable [103712, 1499136): the 2026-04 Wormhole L1 unreserved base, 1464 KiB per
//   core, L1_SMALL 0 by default (DEFAULT_L1_SMALL_SIZE) — 1395424 B per bank; 64 banks; L1 buffers
//   first fit from the top (upstream Buffer defaults bottom_up to false for L1).
// - Interleaved footprint per bank: ceil(ceil(size / page) / banks) · page; sizes here are whole
//   pages per bank (64 · k · 2048 B), so a buffer takes k · 2048 B of each bank.
// - Static CBs are laid out from the L1 base up, each at the DRAM alignment (32 B) (upstream
//   ProgramImpl::allocate_circular_buffers starts at get_base_allocator_addr(HalMemType::L1)); they
//   are reported (track_allocate_cb) before validate_circular_buffer_region throws, and once per
//   program per chip: a relaunch of a cached program reports only track_program.
const TOP = 1499136;
const BASE = 103712;
const PAGE = 2048;
const pagesPerBank = (k: number) => 64 * k * PAGE;

describe('L1 picture on the embedded runtime', () => {
  enable();

  it('names the L1 buffer a program\'s CBs clash with: op, range, exact overlap and headroom', () => {
    reset();
    sim.configure({ bugs: ALL_BUGS_OFF });
    const device = sim.openDevice();
    try {
      sim.beginOp('ttnn.matmul');
      const a = sim.createBuffer(device, { size: pagesPerBank(16), type: 'L1' }); // 32768 B per bank
      sim.endOp();
      sim.beginOp('ttnn.layer_norm');
      const b = sim.createBuffer(device, { size: pagesPerBank(300), type: 'L1' }); // 614400 B per bank
      sim.endOp();
      expect(a.address).toBe(TOP - 32768); // 1466368
      expect(b.address).toBe(TOP - 32768 - 614400); // 851968
      const program = sim.createProgram(device);
      program.addCircularBuffer({ size: 500000, cores: 64 }); // [103712, 603712)
      program.addCircularBuffer({ size: 300000, cores: 64 }); // [603712, 903712) (603712 is 32-aligned)
      let error: unknown;
      sim.beginOp('ttnn.sdpa');
      try {
        program.launchOperation();
      } catch (e) {
        error = e;
      } finally {
        sim.endOp();
      }
      expect((error as { code: string }).code).toBe('ERR_SIM_CB_CLASH');
      expect((error as Error).message).toBe(`circular buffers of program ${program.id} end at 903712 B, above the lowest L1 buffer at 851968 B`);
      // Region end 903712 against the lowest L1 buffer at 851968: headroom −51744. Only the
      // layer_norm buffer starts below the region end; the matmul buffer (1466368) is clear of it.
      // The CBs were reported before the runtime threw, so the stream explained the clash already,
      // with its op; the error adds its message to that explanation.
      const explanation = explainFailure(error);
      expect(explanation).toEqual({
        kind: 'cbClash', source: 'events', message: (error as Error).message, devices: [{ id: device.id, kind: 'chip' }], type: 'L1',
        program: program.id, op: 'ttnn.sdpa', seq: expect.any(Number), time: expect.any(Number),
        cbRegionEnd: 903712, lowestL1Address: 851968, headroom: -51744,
        window: { start: BASE, end: 903712 },
        blockers: [{
          id: b.id, device: device.id, deviceKind: 'chip', type: 'L1', size: pagesPerBank(300), address: 851968, end: 1466368,
          op: 'ttnn.layer_norm', scope: null, overlap: { start: 851968, end: 903712, bytes: 51744 },
        }],
      });
      expect(report().l1!.failures).toEqual([explanation]);
      expect(() => explainFailure(error, { devise: device.id } as never)).toThrow("Unknown option 'devise' for explainFailure() (did you mean 'device'?); allowed: device, kind");
    } finally {
      device.close();
    }
  });

  it('labels an out-of-memory caused by fragmentation, with the exact largest free block and what is in the way', () => {
    reset();
    const device = sim.openDevice();
    try {
      sim.createBuffer(device, { size: pagesPerBank(200), type: 'L1' }); // [1089536, 1499136)
      const b = sim.createBuffer(device, { size: pagesPerBank(100), type: 'L1' }); // [884736, 1089536)
      sim.beginOp('ttnn.concat');
      const c = sim.createBuffer(device, { size: pagesPerBank(200), type: 'L1' }); // [475136, 884736)
      sim.endOp();
      b.deallocate();
      // Free: [103712, 475136) = 371424 B and [884736, 1089536) = 204800 B; 576224 B in all.
      // A request of 250 pages per bank (512000 B) fits the total but no block: fragmentation.
      let error: unknown;
      try {
        sim.createBuffer(device, { size: pagesPerBank(250), type: 'L1' });
      } catch (e) {
        error = e;
      }
      expect((error as { code: string }).code).toBe('ERR_SIM_OUT_OF_MEMORY');
      expect((error as Error).message).toBe('Out of L1 memory: requested 32768000 B (512000 B per bank over 64 banks), largest free block 371424 B per bank, capacity 1395424 B per bank');
      const explanation = explainFailure(error, { device: device.id })!;
      // Cheapest 512000 B window: from the base, [103712, 615712), holds 371424 B free and 140576 B of
      // the concat buffer ([475136, 615712)); every other placement holds more live bytes (the window
      // from 884736 or ending at 1089536: 307200; the one ending at the top: 409600).
      expect(explanation).toMatchObject({
        kind: 'outOfMemory', cause: 'fragmentation', devices: [{ id: device.id, kind: 'chip' }], type: 'L1', requested: 32768000, requestedPerBank: 512000,
        banks: 64, freePerBank: 576224, largestFreeBlock: 371424, capacityPerBank: 1395424, window: { start: BASE, end: 615712 },
        blockers: [{ id: c.id, address: 475136, end: 884736, op: 'ttnn.concat', overlap: { start: 475136, end: 615712, bytes: 140576 } }],
      });
      const l1 = report().l1!.fragmentation.find((f) => f.device === device.id && f.deviceKind === 'chip' && f.type === 'L1')!;
      // Lowest largest free block: 371424 after the third allocation (b's free does not make a bigger one).
      // The base is the one DeviceInfo announced (get_base_allocator_addr(HalMemType::L1), the L1
      // unreserved base), not derived.
      expect(l1).toMatchObject({ base: BASE, baseFrom: 'deviceInfo', freePerBank: 576224, largestFreeBlock: 371424, freeBlocks: 2 });
      expect(l1.lowestLargestFreeBlock!.bytes).toBe(371424);
    } finally {
      device.close();
    }
  });

  it('labels an out-of-memory caused by exhaustion, with the exact largest free block', () => {
    reset();
    const device = sim.openDevice();
    try {
      sim.beginOp('ttnn.embedding');
      const e = sim.createBuffer(device, { size: pagesPerBank(600), type: 'L1' }); // [270336, 1499136)
      sim.endOp();
      // Free: [103712, 270336) = 166624 B. 100 pages per bank (204800 B) exceed the total: exhaustion.
      let error: unknown;
      try {
        sim.createBuffer(device, { size: pagesPerBank(100), type: 'L1' });
      } catch (err) {
        error = err;
      }
      expect((error as Error).message).toBe('Out of L1 memory: requested 13107200 B (204800 B per bank over 64 banks), largest free block 166624 B per bank, capacity 1395424 B per bank');
      const explanation = explainFailure(error, { device: device.id })!;
      // Cheapest 204800 B window: [103712, 308512), 38176 B of it the embedding buffer's.
      expect(explanation).toMatchObject({
        kind: 'outOfMemory', cause: 'exhaustion', freePerBank: 166624, largestFreeBlock: 166624, window: { start: BASE, end: 308512 },
        blockers: [{ id: e.id, address: 270336, end: 1499136, op: 'ttnn.embedding', overlap: { start: 270336, end: 308512, bytes: 38176 } }],
      });
      expect(explanation.blockers).toHaveLength(1);
    } finally {
      device.close();
    }
  });

  it('reports CB headroom per op exactly over a Llama-style workload (minimum over calls, per chip)', () => {
    reset();
    sim.configure({ bugs: ALL_BUGS_OFF });
    const mesh = [2, 4] as [number, number];
    sim.runWorkload('llama-decode', { mesh, layers: 2, steps: 2 });
    const r = report();
    // lib/sim/workloads/llama-decode.ts: every CB is 4 tiles (8192 B per core, 32-aligned), so a
    // program with n CBs ends its region at 103712 + 8192·n: 1 → 111904, 2 → 120096, 3 → 128288,
    // 4 → 136480. Activations are 65536 B (1 page per bank), qkv 196608 B (2 pages), the mul output
    // 360448 B (176 pages: 3 per bank), logits 256000 B (125 pages: 2 per bank), first fit from the top
    // 1499136. Each op's program allocates its CBs once per chip; every call (a relaunch reports
    // track_program only) is evaluated against that region, at the L1 state of its launch.
    // Layer 1 (prefill and every decode step start alike: only the layer input at 1497088 is live):
    //   rms_norm: 1497088 − 120096 = 1376992; linear (qkv): x at 1495040 − 128288 = 1366752;
    //   rotary: qkv at 1490944 − 120096 = 1370848; sdpa: 1490944 − 136480 = 1354464;
    //   linear (out): attn at 1488896 − 128288 = 1360608; mul: out at 1492992 − 120096 = 1372896;
    //   linear (y): h at 1486848 − 128288 = 1358560; y lands at 1484800.
    // Layer 2 (only layer 1's y at 1484800 lives below everything it allocates):
    //   rms_norm, rotary, mul: 1484800 − 120096 = 1364704; linear: 1484800 − 128288 = 1356512;
    //   sdpa: 1484800 − 136480 = 1348320.
    // Logits (decode): linear with layer 2's y at 1486848 live: 1486848 − 128288 = 1358560.
    // The embedding launches with no L1 buffer live (headroom null). Launches over 1 prefill + 2 decode
    // passes: 3 per layer op and layer (6), linear 3 per layer (18) + 2 logits = 20, embedding 3.
    const expected: Record<string, [number | null, number]> = {
      'ttnn.scaled_dot_product_attention': [1348320, 6],
      'ttnn.linear': [1356512, 20],
      'ttnn.experimental.rotary_embedding': [1364704, 6],
      'ttnn.mul': [1364704, 6],
      'ttnn.rms_norm': [1364704, 6],
      'ttnn.embedding': [null, 3],
    };
    const rows = r.l1!.headroom;
    const chips = r.devices.filter((d) => d.kind === 'chip').map((d) => d.id);
    expect(chips).toHaveLength(8);
    expect(rows).toHaveLength(6 * 8);
    for (const row of rows) {
      expect(chips).toContain(row.device);
      expect([row.headroom, row.launches], row.op!).toEqual(expected[row.op!]);
      expect(row.flag).toBeNull(); // 1.3 MB of headroom: far above the 64 KiB margin
    }
    // The tightest moment of every chip: sdpa relaunched in prefill layer 2, the region its first
    // launch allocated [103712, 136480), buffers y1, qkv, x (lowest first).
    for (const chip of chips) {
      const t = r.l1!.tightest.find((s) => s.device === chip && s.deviceKind === 'chip')!;
      expect(t).toMatchObject({ op: 'ttnn.scaled_dot_product_attention', cbRegionStart: 103712, cbRegionEnd: 136480, lowestL1Address: 1484800, headroom: 1348320 });
      expect(t.circularBuffers.map((c) => [c.address, c.size, c.cores])).toEqual([[103712, 8192, 64], [111904, 8192, 64], [120096, 8192, 64], [128288, 8192, 64]]);
      expect(t.buffers.map((b) => [b.address, b.end, b.op])).toEqual([[1484800, 1486848, 'ttnn.linear'], [1492992, 1497088, 'ttnn.linear'], [1497088, 1499136, 'ttnn.rms_norm']]);
    }
    expect(r.l1!.failures).toEqual([]);
  });
});
