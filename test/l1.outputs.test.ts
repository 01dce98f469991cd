import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../lib/output/html';
import { toChromeTrace } from '../lib/output/perfetto';
import { formatReport } from '../lib/output/text';
import { checkReport } from '../lib/report/check';
import { aggregate, alloc, cbAlloc, EventKind, Flag, MemType, opEnd, opStart, program } from './helpers/stream';

// The clash of test/l1.events.test.ts (2 banks, L1 [1024, 4096) per bank): buffers 10 [3584, 4096)
// and 11 [2560, 3584) by ttnn.matmul; ttnn.sdpa's program 5 ends its CBs at 2832 (headroom −272);
// ttnn.add's program 6 ends at 2024 (headroom 536, a near miss under the default 65536).
const NAMES = ['ttnn.matmul', 'ttnn.sdpa', 'ttnn.add'];
const l1 = (id: number, address: number, size: number) => alloc(id, address, size, { memType: MemType.L1, pageSize: 512 });
const cb = (programId: number, address: number, size: number) => cbAlloc(0, programId, size, { address, aux: 64, flags: Flag.HasProgram });
const records = [
  { kind: EventKind.DeviceInfo, device: 0, memType: MemType.L1, size: 6144, aux: 2 },
  opStart(1), l1(10, 3584, 1024), l1(11, 2560, 2048), opEnd(),
  opStart(2), program(0, 5), cb(5, 1024, 1000), cb(5, 2032, 800), opEnd(),
  opStart(3), program(0, 6), cb(6, 1024, 1000), opEnd(),
];
const { report } = aggregate(records, undefined, NAMES);

describe('l1 in the outputs', () => {
  it('is a valid report (docs/report.schema.json)', () => {
    expect(checkReport(report, 'report')).toBe(report);
  });

  it('text: one line per flagged op, then each failure with the buffers in its way', () => {
    const text = formatReport(report, { color: false, width: 200 });
    const at = text.indexOf('L1: CB headroom');
    expect(text.slice(at).split('\n').slice(0, 5)).toEqual([
      'L1: CB headroom under 65536 B, and failures explained',
      '  clash     ttnn.sdpa: headroom -272 B on chip 0 (CB region ends 0xb10, lowest L1 buffer 0xa00), 1 launch',
      '  near miss ttnn.add: headroom 536 B on chip 0 (CB region ends 0x7e8, lowest L1 buffer 0xa00), 1 launch',
      '  CB clash on chip 0: program 5 CB region ends at 0xb10, lowest L1 buffer at 0xa00 (-272 B)',
      '      buffer 11 (ttnn.matmul / -) L1 [0xa00, 0xe00) 2.0 KiB: 272 B in the way',
    ]);
  });

  it('Perfetto: CB headroom and largest-free-block counters on the device, the clash as an instant', () => {
    const trace = toChromeTrace(report);
    const origin = trace.otherData.timeOriginNs;
    const counter = (name: string) => trace.traceEvents.filter((e) => e.name === name).map((e) => [Math.round((e.ts as number) * 1000) + origin, (e.args as { bytes: number }).bytes]);
    // Headroom once per launch, at its last CB (time = position in `records`): program 5's region
    // ends at 2832 (2560 − 2832 at 8), program 6's at 2024 (2560 − 2024 at 12).
    expect(counter('chip 0 CB headroom')).toEqual([[8, -272], [12, 536]]);
    // Largest free block: 2560 after buffer 10 (time 2), 1536 after buffer 11 (time 3).
    expect(counter('chip 0 L1 largest free block')).toEqual([[2, 2560], [3, 1536]]);
    const clash = trace.traceEvents.filter((e) => e.name === 'CB clash');
    expect(clash).toHaveLength(1);
    expect(clash[0]).toMatchObject({ ph: 'i', pid: 1, args: { program: 5, op: 'ttnn.sdpa', headroom: -272 } });
  });

  it('HTML: the address-space map of the tightest moment, the blocker highlighted', () => {
    const html = renderHtmlReport(report);
    const map = /<svg class="l1-map" id="l1-map-chip-0"[^]*?<\/svg>/.exec(html)![0];
    expect(map.match(/class="cb"/g)).toHaveLength(2);
    expect(map.match(/class="buf blocker"/g)).toHaveLength(1);
    expect(map.match(/class="buf"/g)).toHaveLength(1);
    expect(map).toContain('<title>buffer 11 [0xa00, 0xe00) 2,048 B, op ttnn.matmul, scope -, 272 B in the CB region</title>');
    expect(html).toContain('<table id="l1-headroom">');
    expect(html).toContain('<table id="l1-failures">');
  });
});
