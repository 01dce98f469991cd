import { describe, expect, it } from 'vitest';
import * as sim from '../lib/sim';
import { enable, explainFailure, report, reset } from '../lib/tracker';
import { ALL_BUGS_OFF } from './helpers/sim-events';

// End to end on the embedded runtime (native/sim), numbers derived by hand from its layout
// (native/sim/part.hpp, allocator.cpp, program.cpp) and upstream's rules:
// - L1 bank: allocatable [98304, 1499136 − l1_small) = [98304, 1466368) with the default 32 KiB
//   L1_SMALL, so 1368064 B per bank; 64 banks; L1 buffers first fit from the top (upstream Buffer
//   defaults bottom_up to false for L1).
// - Interleaved footprint per bank: ceil(ceil(size / page) / banks) · page; sizes here are whole
//   pages per bank (64 · k · 2048 B), so a buffer takes k · 2048 B of each bank.
// - Static CBs are laid out from the L1 base 98304 up, each aligned to 16 B (upstream
//   ProgramImpl::allocate_circular_buffers starts at get_base_allocator_addr(HalMemType::L1)).
// Re-check after the `sim` branch merges (it changes CB reporting per generation and chip constants).
const TOP = 1466368;
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
      expect(a.address).toBe(TOP - 32768); // 1433600
      expect(b.address).toBe(TOP - 32768 - 614400); // 819200
      const program = sim.createProgram(device);
      program.addCircularBuffer({ size: 500000, cores: 64 }); // [98304, 598304)
      program.addCircularBuffer({ size: 300000, cores: 64 }); // [598304, 898304)
      let error: unknown;
      try {
        program.launch();
      } catch (e) {
        error = e;
      }
      expect((error as { code: string }).code).toBe('ERR_SIM_CB_CLASH');
      const explanation = explainFailure(error);
      // Region end 898304 against the lowest L1 buffer at 819200: headroom −79104. Only the
      // layer_norm buffer starts below the region end; the matmul buffer (1433600) is clear of it.
      expect(explanation).toEqual({
        kind: 'cbClash', source: 'error', message: (error as Error).message, devices: [{ id: device.id, kind: 'chip' }], type: 'L1',
        program: program.id, op: null, seq: null, time: null,
        cbRegionEnd: 898304, lowestL1Address: 819200, headroom: -79104,
        window: { start: 98304, end: 898304 },
        blockers: [{
          id: b.id, device: device.id, deviceKind: 'chip', type: 'L1', size: pagesPerBank(300), address: 819200, end: 1433600,
          op: 'ttnn.layer_norm', scope: null, overlap: { start: 819200, end: 898304, bytes: 79104 },
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
      sim.createBuffer(device, { size: pagesPerBank(200), type: 'L1' }); // [1056768, 1466368)
      const b = sim.createBuffer(device, { size: pagesPerBank(100), type: 'L1' }); // [851968, 1056768)
      sim.beginOp('ttnn.concat');
      const c = sim.createBuffer(device, { size: pagesPerBank(200), type: 'L1' }); // [442368, 851968)
      sim.endOp();
      b.deallocate();
      // Free: [98304, 442368) = 344064 B and [851968, 1056768) = 204800 B; 548864 B in all.
      // A request of 250 pages per bank (512000 B) fits the total but no block: fragmentation.
      let error: unknown;
      try {
        sim.createBuffer(device, { size: pagesPerBank(250), type: 'L1' });
      } catch (e) {
        error = e;
      }
      expect((error as { code: string }).code).toBe('ERR_SIM_OUT_OF_MEMORY');
      expect((error as Error).message).toBe('Out of L1 memory: requested 32768000 B (512000 B per bank over 64 banks), largest free block 344064 B per bank, capacity 1368064 B per bank');
      const explanation = explainFailure(error, { device: device.id })!;
      // Cheapest 512000 B window: from the base, [98304, 610304), holds 344064 B free and 167936 B of
      // the concat buffer ([442368, 610304)); every other placement holds more live bytes.
      expect(explanation).toMatchObject({
        kind: 'outOfMemory', cause: 'fragmentation', devices: [{ id: device.id, kind: 'chip' }], type: 'L1', requested: 32768000, requestedPerBank: 512000,
        banks: 64, freePerBank: 548864, largestFreeBlock: 344064, capacityPerBank: 1368064, window: { start: 98304, end: 610304 },
        blockers: [{ id: c.id, address: 442368, end: 851968, op: 'ttnn.concat', overlap: { start: 442368, end: 610304, bytes: 167936 } }],
      });
      const l1 = report().l1!.fragmentation.find((f) => f.device === device.id && f.type === 'L1')!;
      // Lowest largest free block: 344064 after the third allocation (b's free does not make a bigger one).
      expect(l1).toMatchObject({ base: 98304, baseFrom: 'firstAllocation', freePerBank: 548864, largestFreeBlock: 344064, freeBlocks: 2 });
      expect(l1.lowestLargestFreeBlock!.bytes).toBe(344064);
    } finally {
      device.close();
    }
  });

  it('labels an out-of-memory caused by exhaustion, with the exact largest free block', () => {
    reset();
    const device = sim.openDevice();
    try {
      sim.beginOp('ttnn.embedding');
      const e = sim.createBuffer(device, { size: pagesPerBank(600), type: 'L1' }); // [237568, 1466368)
      sim.endOp();
      // Free: [98304, 237568) = 139264 B. 100 pages per bank (204800 B) exceed the total: exhaustion.
      let error: unknown;
      try {
        sim.createBuffer(device, { size: pagesPerBank(100), type: 'L1' });
      } catch (err) {
        error = err;
      }
      expect((error as Error).message).toBe('Out of L1 memory: requested 13107200 B (204800 B per bank over 64 banks), largest free block 139264 B per bank, capacity 1368064 B per bank');
      const explanation = explainFailure(error, { device: device.id })!;
      // Cheapest 204800 B window: [98304, 303104), 65536 B of it the embedding buffer's.
      expect(explanation).toMatchObject({
        kind: 'outOfMemory', cause: 'exhaustion', freePerBank: 139264, largestFreeBlock: 139264, window: { start: 98304, end: 303104 },
        blockers: [{ id: e.id, address: 237568, end: 1466368, op: 'ttnn.embedding', overlap: { start: 237568, end: 303104, bytes: 65536 } }],
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
    // lib/sim/workloads/llama-decode.ts: every CB is 4 tiles (8192 B per core), so a program with n
    // CBs ends its region at 98304 + 8192·n. Activations are 65536 B (1 page per bank), qkv 196608 B
    // (2 pages), the mul output 360448 B (176 pages: 3 per bank), first fit from the top 1466368.
    // Layer 1 (prefill and every decode step start alike: only the layer input at 1464320 is live):
    //   rms_norm: lowest 1464320 − 114688 = 1349632; linear (qkv): 1462272 − 122880 = 1339392;
    //   rotary: 1458176 − 114688 = 1343488; sdpa: 1458176 − 131072 = 1327104;
    //   linear (out): 1456128 − 122880 = 1333248; mul: 1460224 − 114688 = 1345536;
    //   linear (y): 1454080 − 122880 = 1331200; y lands at 1452032.
    // Layer 2 (only layer 1's y at 1452032 lives below everything it allocates):
    //   rms_norm, rotary, mul: 1452032 − 114688 = 1337344; linear: 1452032 − 122880 = 1329152;
    //   sdpa: 1452032 − 131072 = 1320960.
    // The embedding launches with no L1 buffer live (headroom null); logits relaunch the live linear
    // program (no CB allocation). Launches: 1 prefill + 2 decode passes = 3 per layer op, linear 3 per
    // layer: 18, embedding 3.
    const expected: Record<string, [number | null, number]> = {
      'ttnn.scaled_dot_product_attention': [1320960, 6],
      'ttnn.linear': [1329152, 18],
      'ttnn.experimental.rotary_embedding': [1337344, 6],
      'ttnn.mul': [1337344, 6],
      'ttnn.rms_norm': [1337344, 6],
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
    // The tightest moment of every chip: sdpa in layer 2, CBs [98304, 131072), buffers y1, qkv, x.
    for (const chip of chips) {
      const t = r.l1!.tightest.find((s) => s.device === chip)!;
      expect(t).toMatchObject({ op: 'ttnn.scaled_dot_product_attention', cbRegionStart: 98304, cbRegionEnd: 131072, lowestL1Address: 1452032, headroom: 1320960 });
      expect(t.circularBuffers.map((c) => [c.address, c.size, c.cores])).toEqual([[98304, 8192, 64], [106496, 8192, 64], [114688, 8192, 64], [122880, 8192, 64]]);
      expect(t.buffers.map((b) => [b.address, b.end, b.op])).toEqual([[1452032, 1454080, 'ttnn.linear'], [1460224, 1464320, 'ttnn.linear'], [1464320, 1466368, 'ttnn.rms_norm']]);
    }
    expect(r.l1!.failures).toEqual([]);
  });
});
