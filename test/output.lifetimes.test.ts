import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../lib/output/html';
import { formatReport } from '../lib/output/text';
import { aggregate, alloc, cbRelease, free, MemType, scopeBegin, scopeEnd } from './helpers/stream';

// The lifetime classes in the text summary and the HTML page (docs/harness.md#text-summary).
// Stream: test 'math > add' leaves three buffers; the first goes in a program's teardown (right after
// the CB release), the second in 'math > mul', the third stays.
const KiB = 1024;
const { report } = aggregate([
  scopeBegin(1, 1),
  alloc(1, 0x1000, 4 * KiB), alloc(2, 0x2000, 8 * KiB, { memType: MemType.L1 }), alloc(3, 0x4000, 2 * KiB),
  scopeEnd(1),
  cbRelease(0), free(1, 0x1000, 4 * KiB),
  scopeBegin(2, 2), free(2, 0x2000, 8 * KiB, { memType: MemType.L1 }), scopeEnd(2),
], {}, ['math > add', 'math > mul']);

describe('lifetimes in the outputs', () => {
  it('text: one line of counts per class, then the rows with an example each', () => {
    const text = formatReport(report, { color: false, width: 120 }).split('\n');
    const at = text.findIndex((l) => l.startsWith('Outlived their scope'));
    expect(text.slice(at, at + 5)).toEqual([
      'Outlived their scope: 3 buffers: 1 by a program (4.0 KiB), 1 freed later (8.0 KiB), 1 still live (2.0 KiB)',
      '  scope       why                                   buffers    bytes  for example',
      '  math > add  freed later                                 1  8.0 KiB  buffer 2 L1 8.0 KiB (-), freed in math > mul',
      '  math > add  held by a program until its teardown        1  4.0 KiB  buffer 1 DRAM 4.0 KiB (-), freed in no scope',
      '  math > add  still live                                  1  2.0 KiB  buffer 3 DRAM 2.0 KiB (-)',
    ]);
  });

  it('html: a row per (scope, class)', () => {
    const html = renderHtmlReport(report);
    const table = html.slice(html.indexOf('id="lifetimes"'), html.indexOf('</table>', html.indexOf('id="lifetimes"')));
    expect([...table.matchAll(/<tr>(.*?)<\/tr>/gs)].slice(1).map((m) => [...m[1].matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1]))).toEqual([
      ['math &gt; add', 'freed later', '1', '8,192', 'buffer 2 L1 8,192 B (-), freed in math &gt; mul'],
      ['math &gt; add', 'held by a program until its teardown', '1', '4,096', 'buffer 1 DRAM 4,096 B (-), freed in no scope'],
      ['math &gt; add', 'still live', '1', '2,048', 'buffer 3 DRAM 2,048 B (-)'],
    ]);
  });
});
