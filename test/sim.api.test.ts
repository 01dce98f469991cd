import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as pkg from '../lib/index';
import { enable, report } from '../lib/tracker';
import { drainRecords } from '../lib/testing';
import { TrackerError } from '../lib/errors';
import * as sim from '../lib/sim';
import { formatReport } from '../lib/output/text';
import { formatBytes } from '../lib/output/table';
import { K } from './helpers/sim-events';
import { rangeError, typeError, unknownOption } from './helpers/errors';

beforeAll(() => enable());
afterEach(() => {
  sim.close();
  drainRecords();
});

describe('sim API: argument checking', () => {
  it('is exported as require("tt-alloc-tracker").sim', () => {
    expect(pkg.sim.openDevice).toBe(sim.openDevice);
  });

  it('names the option, the value and what is allowed', () => {
    const d = sim.openDevice();
    expect(() => sim.createBuffer(d, { size: -1, type: 'DRAM' })).toThrow(
      rangeError('Expected an integer between 0 and 1099511627776 for createBuffer() size but received -1 of type number'),
    );
    expect(() => sim.createBuffer(d, { size: 1, type: 'SRAM' as 'DRAM' })).toThrow(
      rangeError("Expected one of 'DRAM', 'L1', 'L1_SMALL', 'TRACE' for createBuffer() type but received 'SRAM' of type string"),
    );
    expect(() => sim.createBuffer(d, { sise: 1, type: 'DRAM' } as never)).toThrow(
      unknownOption("Unknown option 'sise' for createBuffer() (did you mean 'size'?); allowed: size, type, pageSize, layout, cores, address"),
    );
    expect(() => sim.createBuffer({ id: 0 } as never, { size: 1, type: 'DRAM' })).toThrow(
      typeError('Expected a device from openDevice() or openMesh() for createBuffer() device but received an object'),
    );
    expect(() => sim.openMesh({ shape: [2, 9] })).toThrow(
      rangeError('Expected an integer between 1 and 8 for openMesh() shape[1] but received 9 of type number'),
    );
    expect(() => sim.openDevice({ l1SmallSize: 100 })).toThrow(
      rangeError('Expected a multiple of 16 between 0 and 262144 for openDevice() l1SmallSize but received 100 of type number'),
    );
    expect(() => sim.configure({ bugs: { viewEvent: true } as never })).toThrow(
      unknownOption("Unknown option 'viewEvent' for configure() bugs (did you mean 'viewEvents'?); allowed: meshReplicaEvents, viewEvents, programPoolLateFree, doubleDeallocate"),
    );
    expect(() => sim.configure({ bugs: { viewEvents: 1 as never } })).toThrow(
      typeError('Expected a boolean for configure() bugs.viewEvents but received 1 of type number'),
    );
    const b = sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    expect(() => b.view(2048, 4096)).toThrow(
      rangeError('Expected an integer between 0 and 2048 for view() size but received 4096 of type number'),
    );
    expect(() => sim.createProgram(d).addCircularBuffer({ size: 64, cores: 65 })).toThrow(
      rangeError('Expected an integer between 1 and 64 for addCircularBuffer() cores but received 65 of type number'),
    );
    expect(() => sim.createProgram(d).addCircularBuffer({ size: 64, cores: 1, buffer: 'yes' as never })).toThrow(
      typeError("Expected a buffer from createBuffer() for addCircularBuffer() buffer but received 'yes' of type string"),
    );
    expect(() => sim.openDevice({ part: 'e150' as never })).toThrow(
      rangeError("Expected one of 'n150', 'n300', 'p150' for openDevice() part but received 'e150' of type string"),
    );
    expect(() => sim.createBuffer(d, { size: 2048, type: 'L1', layout: 'HEIGHT_SHARDED' })).toThrow(
      typeError('Expected an integer between 1 and 64 for createBuffer() cores but received undefined of type undefined'),
    );
    expect(() => sim.configure({ runtime: '2024-12' as never })).toThrow(
      rangeError("Expected one of '2025-06', '2026-04' for configure() runtime but received '2024-12' of type string"),
    );
    expect(() => sim.runWorkload('gpt' as 'llama-decode')).toThrow(
      rangeError("Expected one of 'llama-decode' for runWorkload() name but received 'gpt' of type string"),
    );
  });

  it('turns runtime failures into TrackerError with a code', () => {
    const d = sim.openDevice();
    const b = sim.createBuffer(d, { size: 4096, type: 'DRAM' });
    b.deallocate();
    expect(() => b.deallocate()).toThrow(new TrackerError('ERR_SIM_NO_BUFFER', `buffer ${b.id} was deallocated or never existed`));
    d.close();
    let error: unknown;
    try {
      sim.createBuffer(d, { size: 1, type: 'DRAM' });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ name: 'TrackerError', code: 'ERR_SIM_NO_DEVICE', message: 'no open simulated device with id 0' });
  });
});

describe('sim.configure({ runtime })', () => {
  it('defaults to the newest modelled generation and changes only while nothing is open', () => {
    expect(sim.RUNTIMES).toEqual(['2025-06', '2026-04']);
    expect(sim.settings().runtime).toBe('2026-04');
    const d = sim.openDevice();
    expect(() => sim.configure({ runtime: '2025-06' })).toThrow(
      new TrackerError('ERR_SIM_BUSY', 'the runtime generation changes only while no device, buffer or program is open (call sim.close() first)'),
    );
    expect(sim.runtime()).toBe('2026-04');
    d.close();
    expect(sim.configure({ runtime: '2025-06' }).runtime).toBe('2025-06');
    expect(sim.configure({ runtime: '2026-04' }).runtime).toBe('2026-04');
  });
});

describe('sim.runWorkload("llama-decode")', () => {
  it('counts its operations and, under upstream semantics, leaves no live buffer', () => {
    drainRecords();
    const counts = sim.runWorkload('llama-decode', { mesh: [2, 4], layers: 2, steps: 3 });
    // Per layer and pass: rms_norm, linear(qkv), rotary, sdpa, linear(out), mul, linear(ffn) = 7 ops (launched
    // through the device-operation path), 6 owning buffers, 3 views. Setup: an embedding, 6 weights per layer,
    // a rotary table in the rotary program's pool, and on chip 0 a pooled buffer plus the buffer reusing its
    // address (one raw program launch). Each pass adds an embedding op and buffer; each decode step a logits
    // op and buffer; one trace buffer.
    const tokensPasses = 1 + 3; // prefill + steps
    const { allocatorPeaks, ...operations } = counts;
    // 2026-04, trace region 0: the trace buffer is DRAM (PR #36999), so no TRACE peak.
    expect(allocatorPeaks.TRACE).toBe(0);
    const buffers = 1 + 2 * 6 + 1 + 2 + tokensPasses * (1 + 2 * 6) + 3 + 1;
    expect(operations).toEqual({
      buffers,
      chipBuffers: 2,
      views: tokensPasses * 2 * 3,
      deallocations: buffers,
      programs: 6 + 1,
      launches: tokensPasses * (1 + 2 * 7) + 3 + 1,
      circularBuffers: 2 + 2 + 3 + 4 + 2 + 1,
      ops: tokensPasses * (1 + 2 * 7) + 3,
      traces: 1,
    });
    const records = drainRecords();
    const live = new Set<number>();
    for (const r of records) {
      if (r.kind === K.Alloc) live.add(r.objectId);
      if (r.kind === K.Free) expect(live.delete(r.objectId)).toBe(true);
    }
    expect(live.size).toBe(0);
    expect(records.filter((r) => r.kind === K.Alloc).length).toBe(counts.buffers);
    expect(records.filter((r) => r.kind === K.Program).length).toBe(counts.ops); // the raw launch sends none
    expect(records.filter((r) => r.kind === K.OpStart).length).toBe(counts.ops);
  });

  it('feeds report(): every device back to zero current bytes, summarised by formatReport', () => {
    sim.runWorkload('llama-decode', { layers: 1, steps: 1 });
    const r = report();
    expect(r.events.alloc).toBe(r.events.free);
    for (const d of r.devices) for (const u of Object.values(d.memory)) expect(u.current).toBe(0);
    const mesh = r.devices.find((d) => d.kind === 'mesh')!;
    const line = formatReport(r, { color: false }).split('\n').find((l) => new RegExp(`^ +${mesh.id} +mesh +DRAM `).test(l));
    expect(line?.trim().split(/ {2,}/).slice(0, 5)).toEqual([String(mesh.id), 'mesh', 'DRAM', '0 B', formatBytes(mesh.memory.DRAM.peak)]);
  });
});
