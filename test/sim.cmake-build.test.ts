import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

// `npm run build:cmake-sim` compiles the same processor and core with CMake against the simulator.
// Loaded in a child process so its tracker state stays apart from the gyp build's.
const addon = path.join(__dirname, '..', 'build-cmake', 'Release', 'tt_alloc_tracker.node');

const script = `
const b = require(${JSON.stringify(addon)});
b.enable({ ringCapacity: 1024, spillCapacity: 1024, overflow: 'drop' });
const d = b.sim.openDevice({ part: 'n150', l1SmallSize: 32768, traceRegionSize: 8388608 });
const buf = b.sim.createBuffer(d, false, { size: 4096, pageSize: 2048, type: 0, layout: 0 });
b.sim.deallocate(buf.id);
const bytes = b.drain().reduce((n, a) => n + a.byteLength, 0);
console.log(JSON.stringify({ registration: b.processor.registration, callbacks: b.processor.callbacks(), records: bytes / 64, address: buf.address }));
`;

describe('CMake build against the simulator (build-cmake/)', () => {
  it('loads and reports through the processor', () => {
    // npm test builds it first (npm run build:cmake-sim), so a missing addon is a failure, not a skip.
    expect(existsSync(addon)).toBe(true);
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
    // 4 DeviceInfo (DRAM, L1, L1_SMALL, TRACE: all four regions non-empty here) + one allocate + one free;
    // the buffer at the n150 DRAM base, 32.
    expect(out).toEqual({ registration: 'background', callbacks: 2, records: 6, address: 32 });
  });
});
