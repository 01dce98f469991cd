/**
 * Retired rings are released. Every enable() that changes ringCapacity or starts or stops recording
 * installs a new ring; the old one used to stay mapped for the life of the process (and a finished
 * journal's deleted ring file kept its disk space). Now a retired ring is unmapped once no producer
 * can write to it (native/in_flight.hpp), so memory and mappings stay flat over many cycles.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from './helpers/journal';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const CYCLES = 1000;
// Warm-up first: the spill's chunk pool (up to 16 MiB), the drain scratch buffers and the V8 heap
// grow for the first ~350 cycles and then stay (measured: RSS 78 → 102 MiB by cycle 349, then within
// ±2 MiB to cycle 1,050). Tolerances after it: the V8 heap and malloc move by a few MiB and add a few
// heap-page mappings (measured: +4 to +17 MiB and +16 to +22 mappings over 1,000 cycles, the larger
// figures while the whole suite ran alongside). One retired ring kept per cycle would add at
// least 128 KiB (the 2,000 slots written per cycle) and one mapping: over 125 MiB and 1,000 mappings.
// Measured +33 MiB once with a clean-clone CI run and three compiles alongside (load ~10 on 2 cores):
// the tolerance is 64 MiB, still half of what one kept ring per cycle adds; the exact proof is the
// ring counts asserted below (one mapped, every other one released).
const WARM_UP = 500;
const RSS_TOLERANCE_KIB = 64 * 1024;
const MAPS_TOLERANCE = 48;

// Mixed cycles: ring capacity 4,096 / 8,192 / 16,384 in turn; recording started on every 4th cycle
// and stopped two cycles later; 2,000 events pushed per cycle (they touch the ring's pages); reset()
// so the aggregator does not grow with the events.
const CHILD = `
  const t = require('tt-alloc-tracker');
  const { emitSynthetic } = require('tt-alloc-tracker/testing');
  const journal = process.argv[1];
  const status = () => fs.readFileSync('/proc/self/status', 'utf8');
  const rssKiB = () => Number(/VmRSS:\\s+(\\d+) kB/.exec(status())[1]);
  const maps = () => fs.readFileSync('/proc/self/maps', 'utf8').trim().split('\\n');
  const fs = require('node:fs');
  const capacities = [4096, 8192, 16384];
  function cycle(i) {
    const record = i % 4 === 1 ? journal : i % 4 === 3 ? false : undefined;
    t.enable({ ringCapacity: capacities[i % 3], record, drainIntervalMs: 0 });
    emitSynthetic({ threads: 1, perThread: 1000, onCallingThread: true });
    t.reset();
    t.disable();
  }
  function measure() {
    global.gc();
    return { rssKiB: rssKiB(), maps: maps().length, ringsMapped: t.stats().ringsMapped, ringFileMapped: maps().some((l) => l.includes(journal + '.ring')) };
  }
  for (let i = 0; i < ${WARM_UP}; i++) cycle(i);
  const before = measure();
  for (let i = ${WARM_UP}; i < ${WARM_UP} + ${CYCLES}; i++) cycle(i);
  const after = measure();
  console.log(JSON.stringify({ before, after, released: t.stats().ringsReleased }));`;

describe('retired rings', () => {
  it(`are unmapped: RSS and mapping count flat over ${CYCLES} mixed enable/disable cycles`, () => {
    const journal = path.join(dir, 'cycles.ttj');
    const r = spawnSync(process.execPath, ['--expose-gc', '-e', CHILD, journal], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const { before, after, released } = JSON.parse(r.stdout);
    console.log(`ring retirement: RSS ${before.rssKiB} → ${after.rssKiB} KiB, mappings ${before.maps} → ${after.maps}, rings released ${released}`);
    expect(after.rssKiB - before.rssKiB).toBeLessThan(RSS_TOLERANCE_KIB);
    expect(after.maps - before.maps).toBeLessThanOrEqual(MAPS_TOLERANCE);
    // One ring left mapped after each disable(): the current one (nothing pushes into a retired ring here).
    expect(before.ringsMapped).toBe(1);
    expect(after.ringsMapped).toBe(1);
    // 1,500 cycles: every cycle changes capacity, so each installs a ring (the first installs the first
    // ring, which nothing retires); every ring but the current one was released.
    expect(released).toBe(WARM_UP + CYCLES - 1);
    // The last cycle, 1,499 (1,499 % 4 = 3), finished the journal: no mapping of its ring file left.
    expect(after.ringFileMapped).toBe(false);
  });

  it('a finished journal releases its ring file: no mapping of it, its disk space returned', () => {
    const journal = path.join(dir, 'finished.ttj');
    const r = spawnSync(process.execPath, ['-e', `
      const t = require('tt-alloc-tracker');
      const fs = require('node:fs');
      const mapped = () => fs.readFileSync('/proc/self/maps', 'utf8').split('\\n').filter((l) => l.includes(process.argv[1] + '.ring')).length;
      t.enable({ record: process.argv[1], ringCapacity: 4096, drainIntervalMs: 0 });
      const during = mapped();
      t.enable({ record: false, ringCapacity: 4096 });
      console.log(JSON.stringify({ during, after: mapped(), stats: t.stats().ringsMapped }));`, journal], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    // One mapping while recording; none once the journal is finished (the file is unlinked, and no
    // mapping holds its blocks any more). Same capacity: only the recording change installs a ring.
    expect(JSON.parse(r.stdout)).toEqual({ during: 1, after: 0, stats: 1 });
    expect(fs.existsSync(`${journal}.ring`)).toBe(false);
  });
});
