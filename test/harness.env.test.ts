import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { failOnLeakFromEnv } from '../lib/env';
import { envWarnings, runScript, tempDir } from './helpers/child';

// Allocates three DRAM buffers on the embedded runtime and frees the middle one, then exits.
const WORKLOAD = `
  const t = require('tt-alloc-tracker');
  const d = t.sim.openDevice();
  const a = t.sim.createBuffer(d, { size: 4096, type: 'DRAM' });
  const b = t.sim.createBuffer(d, { size: 8192, type: 'DRAM' });
  const c = t.sim.createBuffer(d, { size: 1024, type: 'L1' });
  b.deallocate();
  console.log(JSON.stringify({ ids: [a.id, c.id], ring: t.stats().ringCapacity }));`;

describe('TT_ALLOC_TRACKING_REPORT', () => {
  it('writes the JSON report at exit with every event of the run', () => {
    const file = path.join(tempDir(), 'nested', 'report.json');
    const child = runScript(WORKLOAD, { TT_ALLOC_TRACKING_ENABLED: '1', TT_ALLOC_TRACKING_REPORT: file });
    expect(child.status).toBe(0);
    expect(envWarnings(child.stderr)).toEqual([]);
    const { ids } = JSON.parse(child.stdout);
    const r = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(r.events.alloc).toBe(3);
    expect(r.events.free).toBe(1);
    expect(r.devices[0].memory.DRAM).toEqual({ current: 4096, peak: 4096 + 8192, allocated: 2, freed: 1, lost: 0, liveBuffers: 1 });
    expect(r.devices[0].memory.L1).toEqual({ current: 1024, peak: 1024, allocated: 1, freed: 0, lost: 0, liveBuffers: 1 });
    expect(r.leaks.map((l: { id: number; size: number }) => [l.id, l.size])).toEqual([[ids[0], 4096], [ids[1], 1024]]);
  });

  it('writes the text summary for a .txt path', () => {
    const file = path.join(tempDir(), 'report.txt');
    const child = runScript(WORKLOAD, { TT_ALLOC_TRACKING_ENABLED: '1', TT_ALLOC_TRACKING_REPORT: file });
    expect(child.status).toBe(0);
    const text = fs.readFileSync(file, 'utf8');
    // 3 allocations, 1 free, and the device's DeviceInfo per memory type with a capacity: DRAM and L1
    // (upstream's default L1_SMALL and trace region are 0, docs/sim.md#parts).
    expect(text.split('\n')[0]).toBe(`tt-alloc-tracker report: ${3 + 1 + 2} events (alloc 3, free 1, cb 0, program 0, ops 0, marks 0)`);
    expect(text).toContain('Leaks: 2 buffers, 5.0 KiB still allocated');
  });

  it('writes the self-contained HTML report for a .html path, with the report data embedded', () => {
    const dir = tempDir();
    const file = path.join(dir, 'report.html');
    const child = runScript(WORKLOAD, { TT_ALLOC_TRACKING_ENABLED: '1', TT_ALLOC_TRACKING_REPORT: file });
    expect(child.status).toBe(0);
    expect(envWarnings(child.stderr)).toEqual([]);
    expect(fs.readdirSync(dir)).toEqual(['report.html']);
    const html = fs.readFileSync(file, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    const data = /<script type="application\/json" id="report-data"[^>]*>([^<]*)<\/script>/.exec(html);
    expect(JSON.parse(data![1]).events.alloc).toBe(3);
  });

  it('names the file and the reason when the report cannot be written, without failing the process', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'file'), '');
    const file = path.join(dir, 'file', 'report.json');
    const child = runScript(WORKLOAD, { TT_ALLOC_TRACKING_ENABLED: '1', TT_ALLOC_TRACKING_REPORT: file });
    expect(child.status).toBe(0);
    const lines = child.stderr.split('\n').filter((line) => line.startsWith('tt-alloc-tracker:'));
    expect(lines).toHaveLength(1);
    expect(lines[0].startsWith(`tt-alloc-tracker: could not write the report to ${file}: E`)).toBe(true);
  });

  it('under /proc: says so in one line and exits (Node 20\'s recursive mkdir would spin there)', () => {
    const file = '/proc/tt-alloc-tracker-test/report.json';
    const child = runScript(WORKLOAD, { TT_ALLOC_TRACKING_ENABLED: '1', TT_ALLOC_TRACKING_REPORT: file }, 20_000);
    expect(child.status).toBe(0);
    expect(child.stderr.split('\n').filter((line) => line.startsWith('tt-alloc-tracker:'))).toEqual([
      `tt-alloc-tracker: could not write the report to ${file}: ENOENT: no such file or directory, mkdir '/proc/tt-alloc-tracker-test'`,
    ]);
  });
});

describe('TT_ALLOC_TRACKING_FAIL_ON_LEAK', () => {
  it('is parsed like the other switches: 1/true on, 0/false/unset off, anything else warns and is off', () => {
    const warnings: string[] = [];
    const parse = (value: string | undefined) => failOnLeakFromEnv({ TT_ALLOC_TRACKING_FAIL_ON_LEAK: value }, (m) => warnings.push(m));
    expect(['1', 'true', '0', 'false', '', undefined].map(parse)).toEqual([true, true, false, false, false, false]);
    expect(warnings).toEqual([]);
    expect(parse('yes')).toBe(false);
    expect(parse('TRUE')).toBe(false);
    expect(warnings).toEqual([
      "TT_ALLOC_TRACKING_FAIL_ON_LEAK='yes' is not one of '1', 'true', '0', 'false'; tests that leak device memory pass",
      "TT_ALLOC_TRACKING_FAIL_ON_LEAK='TRUE' is not one of '1', 'true', '0', 'false'; tests that leak device memory pass",
    ]);
  });
});

describe('TT_ALLOC_TRACKING_RING_SIZE and TT_ALLOC_TRACKING_OVERFLOW', () => {
  it('size the ring and pick the overflow policy of enable()', () => {
    const child = runScript(WORKLOAD, {
      TT_ALLOC_TRACKING_ENABLED: '1', TT_ALLOC_TRACKING_RING_SIZE: '1024', TT_ALLOC_TRACKING_OVERFLOW: 'block',
    });
    expect(envWarnings(child.stderr)).toEqual([]);
    expect(JSON.parse(child.stdout).ring).toBe(1024);
  });

  it('are defaults: options passed to enable() win', () => {
    const child = runScript(`const t = require('tt-alloc-tracker'); t.enable({ ringCapacity: 2048 }); console.log(t.stats().ringCapacity)`, {
      TT_ALLOC_TRACKING_RING_SIZE: '512',
    });
    expect(child.stdout.trim()).toBe('2048');
  });

  it('warn once per bad value, naming the variable, the value and what is allowed, and fall back', () => {
    const child = runScript(WORKLOAD, {
      TT_ALLOC_TRACKING_ENABLED: '1', TT_ALLOC_TRACKING_RING_SIZE: '1000', TT_ALLOC_TRACKING_OVERFLOW: 'wait',
    });
    expect(child.status).toBe(0);
    expect(envWarnings(child.stderr)).toEqual([
      "TT_ALLOC_TRACKING_RING_SIZE='1000' is not a power of two between 64 and 67108864; using the default ring of 1048576 events",
      "TT_ALLOC_TRACKING_OVERFLOW='wait' is not one of 'drop', 'block'; using 'drop'",
    ]);
    expect(JSON.parse(child.stdout).ring).toBe(1048576);
  });

  it('treat a ring size out of range or not a number like any bad value', () => {
    for (const raw of ['32', '134217728', '0x400', '1e3', ' 1024']) {
      const child = runScript("require('tt-alloc-tracker')", { TT_ALLOC_TRACKING_RING_SIZE: raw });
      expect(child.status).toBe(0);
      expect(envWarnings(child.stderr)).toEqual([
        `TT_ALLOC_TRACKING_RING_SIZE='${raw}' is not a power of two between 64 and 67108864; using the default ring of 1048576 events`,
      ]);
    }
  });
});
