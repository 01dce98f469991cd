import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { Aggregator } from '../lib/aggregator/aggregator';
import { EventBatch, encodeRecords } from '../lib/events/format';
import { aggregate, alloc, cbAlloc, Flag, free, meshChip, opEnd, opStart, program, scopeBegin, scopeEnd } from './helpers/stream';
import { checkReport } from '../lib/report/check';

const schema = JSON.parse(readFileSync(join(__dirname, '..', 'docs', 'report.schema.json'), 'utf8')) as Record<string, unknown>;

describe('docs/report.schema.json', () => {
  it('is draft 2020-12 and accepts a report exercising every section', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    // checkReport() compiles without the meta-schema check (it costs ~50 ms per process): done here.
    const ajv = new Ajv2020();
    expect(ajv.validateSchema(schema)).toBe(true);
    expect(ajv.errors).toBeNull();
    const { report } = aggregate([
      { kind: 9, device: 0, memType: 0, size: 2 ** 30, aux: 12 },
      meshChip(100, 0, 0, 2), meshChip(100, 1, 1, 2),
      scopeBegin(5, 2), opStart(1),
      alloc(1, 0x1000, 64, { device: 100, flags: Flag.MeshDevice }), alloc(2, 0x1000, 64, { device: 1 }),
      alloc(3, 0x8000, 32), alloc(3, 0x8000, 32), alloc(4, 0x8010, 32), free(5, 0x20000, 8), free(3, 0x8000, 32), free(3, 0x8000, 32),
      cbAlloc(0, 1, 100), program(0, 2),
      opEnd(), scopeEnd(5),
    ], { timelinePoints: 4 }, ['op-a', 'scope-a']);
    expect(checkReport(report, 'report')).toBe(report);
    expect(report.summary.worstAddress).not.toBeNull();
    expect(report.anomalies.examples.length).toBeGreaterThan(3);
    // time = position in the stream: opStart is record 4, opEnd record 15; an offending event's time is its seq.
    expect(report.opSlices).toEqual({ omitted: 0, slices: [{ name: 'op-a', thread: 1, depth: 0, start: 4, end: 15 }] });
    expect(report.anomalies.examples.map((e) => e.offending.time)).toEqual(report.anomalies.examples.map((e) => e.offending.seq));
  });

  it('rejects what it should (the checker is not vacuous)', () => {
    const { report } = aggregate([alloc(1, 0x1000, 64)]);
    const invalid = 'r: not a valid tt-alloc-tracker report:';
    expect(() => checkReport({ ...report, schema: 'other' }, 'r')).toThrow(`${invalid} /schema must be equal to constant "tt-alloc-tracker/report@2"`);
    expect(() => checkReport({ ...report, extra: 1 }, 'r')).toThrow(`${invalid} (root) must NOT have additional properties 'extra'`);
    const broken = JSON.parse(JSON.stringify(report));
    broken.devices[0].memory.DRAM.current = -1;
    expect(() => checkReport(broken, 'r')).toThrow(`${invalid} /devices/0/memory/DRAM/current must be >= 0`);
  });

  it('accepts reports of random hostile streams', () => {
    let s = 99;
    const rand = (n: number) => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s % n; };
    for (let round = 0; round < 20; round++) {
      const records = Array.from({ length: 400 }, (_, k) => ({
        seq: k, kind: rand(12) as never, device: rand(3), thread: rand(2), memType: rand(7), flags: rand(32),
        objectId: rand(40), address: rand(8) * 0x100, size: rand(3) * 0x80, aux: rand(3),
      }));
      const agg = new Aggregator({ timelinePoints: 4 });
      agg.consume(new EventBatch(encodeRecords(records)));
      const report = agg.report({ dropped: round });
      expect(checkReport(report, `round ${round}`)).toBe(report);
    }
  });
});
