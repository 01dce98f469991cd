import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { ReportSchema, refs, reportSchemaText } from '../lib/report/schema';
import { aggregate, alloc, free } from './helpers/stream';

const file = join(__dirname, '..', 'docs', 'report.schema.json');

describe('docs/report.schema.json is generated from lib/report/schema.ts', () => {
  it('equals the generated text (run `npm run build:ts` after changing the schema)', () => {
    // The package ships docs/ and lib/report/check.ts validates against this file: a stale copy
    // would accept or reject reports the types disagree with.
    expect(readFileSync(file, 'utf8')).toBe(reportSchemaText());
  });

  it('resolves every $ref to the schema object the static type was derived from', () => {
    // Ref(pointer, target) types a `$ref` as Static<target>; the pointer must land on target itself.
    const json = JSON.parse(reportSchemaText()) as Record<string, unknown>;
    const at = (pointer: string) =>
      pointer.slice(2).split('/').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], json);
    expect(refs.length).toBeGreaterThan(0);
    for (const [pointer, target] of refs) {
      expect({ pointer, schema: at(pointer) }).toEqual({ pointer, schema: JSON.parse(JSON.stringify(target)) });
    }
  });

  it('compiles with ajv as an object and judges reports as the file does', () => {
    const fromObject = new Ajv2020({ allErrors: true }).compile(ReportSchema);
    const fromFile = new Ajv2020({ allErrors: true }).compile(JSON.parse(readFileSync(file, 'utf8')) as object);
    const { report } = aggregate([alloc(1, 0x1000, 64), free(1, 0x1000, 64)]);
    const broken = { ...report, leaks: [{ id: -1 }] };
    expect([fromObject(report), fromFile(report)]).toEqual([true, true]);
    expect([fromObject(broken), fromFile(broken)]).toEqual([false, false]);
    expect(fromObject.errors).toEqual(fromFile.errors);
  });
});
