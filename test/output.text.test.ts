import { beforeAll, describe, expect, it } from 'vitest';
import { enable, report, reset } from '../lib/tracker';
import * as sim from '../lib/sim';
import { formatReport } from '../lib/output/text';
import { formatBytes } from '../lib/output/table';
import * as pkg from '../lib/index';
import type { Report } from '../lib/report/types';
import { reportA, reportB } from './helpers/reports';
import { rangeError, typeError, unknownOption } from './helpers/errors';

let a: Report;
let b: Report;
beforeAll(() => {
  enable({ drainIntervalMs: 0 });
  a = reportA();
  b = reportB();
});

const ANSI = /\u001b\[\d+m/;

describe('formatReport()', () => {
  it('is exported by the package', () => {
    expect(pkg.formatReport).toBe(formatReport);
  });

  it('formats bytes in binary units', () => {
    expect([formatBytes(0), formatBytes(1023), formatBytes(1024), formatBytes(1536), formatBytes(36044800), formatBytes(12 * 2 ** 30)])
      .toEqual(['0 B', '1023 B', '1.0 KiB', '1.5 KiB', '34.4 MiB', '12.0 GiB']);
  });

  it('shows current, peak and capacity % per device and type', () => {
    const lines = formatReport(a, { color: false }).split('\n');
    // The workload's mesh: its id comes from upstream's generate_unique_mesh_id() counter (from 0).
    const mesh = a.devices.find((d) => d.kind === 'mesh')!;
    const row = lines.find((l) => new RegExp(`^ +${mesh.id} +mesh +DRAM `).test(l))!.trim().split(/ {2,}/);
    const dram = mesh.memory.DRAM;
    const capacity = mesh.capacity!.DRAM!;
    expect(row).toEqual([String(mesh.id), 'mesh', 'DRAM', formatBytes(dram.current), formatBytes(dram.peak), formatBytes(capacity),
      `${((100 * dram.peak) / capacity).toFixed(1)}%`, String(dram.liveBuffers), String(dram.allocated), String(dram.lost)]);
    expect(lines[0]).toBe(`tt-alloc-tracker report: ${a.events.total} events (alloc ${a.events.alloc}, free ${a.events.free}, ` +
      `cb ${a.events.cbAlloc}, program ${a.events.program}, ops ${a.events.opStart}, marks 2)`);
    // CB has no capacity from DeviceInfo. Chips 1-7 carry the same replicated buffers: one row each
    // type, "1–7  chips, each" (chip 0 differs: the workload's chip-0 buffers and the one left allocated).
    expect(lines.find((l) => /^ +1–7 +chips, each +CB /.test(l))!.trim().split(/ {2,}/).slice(5, 7)).toEqual(['-', '-']);
  });

  it('tells a double free like AddressSanitizer: the offending free, the allocation, the first free', () => {
    const text = formatReport(b, { color: false });
    const e = b.anomalies.examples.find((x) => x.class === 'doubleFree')!;
    const site = (label: string, s: { seq: number; thread: number }) => `    ${label.padEnd(12)} seq ${s.seq}  thread ${s.thread}  op -  scope -`;
    expect(text).toContain([
      'doubleFree examples (1 of 1)',
      `  doubleFree: buffer ${e.object} on chip 0 DRAM, block ${e.block}, 64.0 KiB`,
      site('freed again', e.offending),
      site('allocated', e.allocation!),
      site('first freed', e.firstFree!),
    ].join('\n'));
    expect(e.firstFree!.seq).toBeLessThan(e.offending.seq);
    expect(text).toContain(`  ${'doubleFree'.padEnd(15)}${'1'.padStart(8)}  an object freed again\n`);
    // 3 allocations, 2 frees, 1 of them suspicious: 1 / 3 suspicious frees per allocation (never
    // negative although fewer frees than allocations); the worst address is the double-freed block,
    // the first DRAM buffer at the n150 DRAM base 32 = 0x20 (docs/sim.md#parts).
    expect(text).toContain('  1 suspicious free on 1 buffer; excess free rate 33.3% (suspicious frees per allocation)\n' +
      '  worst address 0x20 on chip 0 DRAM: 1 free no allocation explains\n');
    expect(b.summary.worstAddress).toEqual({ device: 0, deviceKind: 'chip', type: 'DRAM', address: 0x20, excessFrees: 1 });
  });

  it('lists the largest leaks with their op and scope, and the ops and scopes with the highest peaks', () => {
    const lines = formatReport(b, { color: false }).split('\n');
    const at = lines.indexOf('Leaks: 2 buffers, 2.0 MiB still allocated');
    expect(lines.slice(at + 1, at + 4).map((l) => l.trim().split(/ {2,}/))).toEqual([
      ['id', 'device', 'type', 'address', 'size', 'op / scope', 'state'],
      [String(b.leaks[0].id), 'chip 0', 'DRAM', b.leaks[0].block, '2.0 MiB', '- / suite > keeps cache', 'live'],
      [String(b.leaks[1].id), 'chip 0', 'L1', b.leaks[1].block, '4.0 KiB', '- / suite > keeps cache', 'live'],
    ]);
    const textA = formatReport(a, { color: false, top: 3 }).split('\n');
    const ops = textA.indexOf(`Top ops by peak (3 of ${a.ops.length}; bytes per chip, CB bytes per core)`);
    expect(ops).toBeGreaterThan(0);
    expect(textA.slice(ops + 2, ops + 5).map((l) => l.trim().split(/ {2,}/)[1])).toEqual(a.ops.slice(0, 3).map((o) => o.name));
  });

  it('keeps every line within the width, however long the names', () => {
    const long = structuredClone(b);
    long.leaks[0].scope = `${'describe > '.repeat(30)}it`;
    long.scopes[0].name = long.leaks[0].scope;
    for (const width of [100, 60]) {
      const lines = formatReport(long, { color: false, width }).split('\n');
      expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(width);
      expect(lines.some((l) => l.length === width && l.endsWith('…'))).toBe(true);
    }
    for (const line of formatReport(a, { color: false }).split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('colours only when asked (or on a TTY), with the same text underneath', () => {
    const plain = formatReport(b, { color: false });
    const coloured = formatReport(b, { color: true });
    expect(ANSI.test(plain)).toBe(false);
    expect(coloured).toContain(`\u001b[31m  ${'doubleFree'.padEnd(15)}${'1'.padStart(8)}  an object freed again\u001b[39m`);
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(plain);
    // vitest's workers have no TTY on stdout.
    expect(ANSI.test(formatReport(b))).toBe(false);
  });

  it('says when the report is incomplete', () => {
    const text = formatReport({ ...b, complete: false, events: { ...b.events, dropped: 42 } }, { color: false });
    // What drops can do, per figure: lost allocations make counts, usage and peaks low; lost frees inflate leaks.
    expect(text.split('\n').slice(1, 4)).toEqual([
      'INCOMPLETE: 42 events of this stream were dropped by the ring:',
      '  counts, usage and peaks can be low (lost allocations); leaks can be inflated (lost frees);',
      '  anomaly classes can be off either way (a lost free or alloc changes what later events look like)',
    ]);
  });

  it('checks its options', () => {
    expect(() => formatReport(b, { width: 20 })).toThrow(rangeError('Expected an integer between 40 and 1000 for width but received 20 of type number'));
    expect(() => formatReport(b, { colour: true } as never)).toThrow(
      unknownOption("Unknown option 'colour' for formatReport() (did you mean 'color'?); allowed: color, width, examples, top"),
    );
    expect(() => formatReport(null as never)).toThrow(
      typeError('formatReport() report: not a valid tt-alloc-tracker report: (root) must be object', 'ERR_INVALID_REPORT'));
  });
});

describe('formatReport() on a 2x4 mesh', () => {
  it('shows chips with identical usage once ("0–7  chips, each") with the mesh rows: the table fits a screen', () => {
    // A 2x4 mesh; one 1 MiB DRAM MeshBuffer kept, one 64 KiB L1 MeshBuffer allocated and freed.
    // A MeshBuffer is one allocation of the per-chip size that every chip of the mesh holds
    // (docs/sim.md#meshbuffer-mesh_buffercpp-every-generation): each chip and the mesh row show 1 MiB DRAM live, 64 KiB L1 peak.
    reset();
    const mesh = sim.openMesh({ shape: [2, 4] });
    sim.createBuffer(mesh, { size: 1024 * 1024, type: 'DRAM' });
    sim.createBuffer(mesh, { size: 64 * 1024, type: 'L1' }).deallocate();
    const r = report();
    sim.close();
    const lines = formatReport(r, { color: false }).split('\n');
    const at = lines.findIndex((l) => l.startsWith('Memory per device and type'));
    const rows = lines.slice(at + 1, lines.indexOf('', at)).map((l) => l.trim().split(/ {2,}/));
    const chip = r.devices.find((d) => d.kind === 'chip')!;
    // Mesh ids come from a process-wide counter (upstream generate_unique_mesh_id()): earlier tests made meshes.
    const meshId = String(r.devices.find((d) => d.kind === 'mesh')!.id);
    const cap = (t: 'DRAM' | 'L1') => formatBytes(chip.capacity![t]!);
    const pct = (peak: number, t: 'DRAM' | 'L1') => `${((100 * peak) / chip.capacity![t]!).toFixed(1)}%`;
    expect(rows).toEqual([
      ['device', 'kind', 'type', 'current', 'peak', 'capacity', 'peak %', 'live', 'allocs', 'lost'],
      ['0–7', 'chips, each', 'DRAM', '1.0 MiB', '1.0 MiB', cap('DRAM'), pct(1024 * 1024, 'DRAM'), '1', '1', '0'],
      ['0–7', 'chips, each', 'L1', '0 B', '64.0 KiB', cap('L1'), pct(64 * 1024, 'L1'), '0', '1', '0'],
      [meshId, 'mesh', 'DRAM', '1.0 MiB', '1.0 MiB', cap('DRAM'), pct(1024 * 1024, 'DRAM'), '1', '1', '0'],
      [meshId, 'mesh', 'L1', '0 B', '64.0 KiB', cap('L1'), pct(64 * 1024, 'L1'), '0', '1', '0'],
    ]);
    // The mesh and its chips report the same capacity (DeviceInfo per device).
    expect(r.devices.find((d) => d.kind === 'mesh')!.capacity).toEqual(chip.capacity);
  });
});
