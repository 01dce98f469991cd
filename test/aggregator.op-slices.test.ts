import { describe, expect, it } from 'vitest';
import { Aggregator } from '../lib/aggregator/aggregator';
import { aggregate, opEnd, opStart } from './helpers/stream';
import { rangeError, typeError } from './helpers/errors';

describe('Aggregator opSlices', () => {
  it('records each op call with its thread, nesting depth, start and end times, in start order', () => {
    // time = position: outer on thread 1 from 0 to 5, inner nested in it from 1 to 3, other on thread 2
    // from 2 to 4, a second outer call from 6 left open.
    const { report } = aggregate([opStart(1, 1), opStart(2, 1), opStart(3, 2), opEnd(1), opEnd(2), opEnd(1), opStart(1, 1)],
      undefined, ['outer', 'inner', 'other']);
    expect(report.opSlices).toEqual({
      omitted: 0,
      slices: [
        { name: 'outer', thread: 1, depth: 0, start: 0, end: 5 },
        { name: 'inner', thread: 1, depth: 1, start: 1, end: 3 },
        { name: 'other', thread: 2, depth: 0, start: 2, end: 4 },
        { name: 'outer', thread: 1, depth: 0, start: 6, end: null },
      ],
    });
    expect(report.ops.find((o) => o.name === 'outer')!.calls).toBe(2);
  });

  it('keeps the first opSliceLimit calls and counts the rest as omitted', () => {
    const calls = [];
    for (let k = 0; k < 5; k++) calls.push(opStart(1), opEnd());
    const { report } = aggregate(calls, { opSliceLimit: 2 }, ['op']);
    expect(report.opSlices).toEqual({
      omitted: 3,
      slices: [{ name: 'op', thread: 1, depth: 0, start: 0, end: 1 }, { name: 'op', thread: 1, depth: 0, start: 2, end: 3 }],
    });
  });

  it('counts calls past the nesting bound of 256 as omitted and ignores an end without a start', () => {
    const starts = Array.from({ length: 258 }, () => opStart(1));
    const { report } = aggregate([opEnd(), ...starts], undefined, ['deep']);
    expect(report.opSlices.slices.length).toBe(256);
    expect(report.opSlices.omitted).toBe(2);
    expect(report.opSlices.slices[255]).toEqual({ name: 'deep', thread: 1, depth: 255, start: 256, end: null });
  });

  it('validates opSliceLimit', () => {
    expect(() => new Aggregator({ opSliceLimit: -1 })).toThrow(rangeError('Expected an integer between 0 and 1000000 for opSliceLimit but received -1 of type number'));
    expect(() => new Aggregator({ opSliceLimit: 1.5 })).toThrow(typeError('Expected an integer between 0 and 1000000 for opSliceLimit but received 1.5 of type number'));
    expect(new Aggregator({ opSliceLimit: 0 }).report({ dropped: 0 }).opSlices).toEqual({ omitted: 0, slices: [] });
  });
});
