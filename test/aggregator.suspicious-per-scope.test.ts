import { describe, expect, it } from 'vitest';
import { mergeReports } from '../lib/report/merge';
import { formatReport } from '../lib/output/text';
import { aggregate, alloc, free, Flag, MemType, opEnd, opStart, scopeBegin, scopeEnd } from './helpers/stream';

// Suspicious frees per op and per scope (lib/aggregator/ops-scopes.ts suspiciousFree, docs/report.md
// "ops and scopes"): a double, stale or untracked free counts for the innermost op open on the freeing
// thread and the innermost open scope; an ok free and an alias free count for neither.

const DRAM = { memType: MemType.DRAM, flags: Flag.Owning };

describe('Aggregator: suspicious frees counted per op and per scope', () => {
  // Names: 1 'ttnn.deallocate' (op), 2 'a.spec.ts > frees twice' (scope), 3 'b.spec.ts > clean' (scope).
  const { report } = aggregate([
    scopeBegin(10, 2),
    alloc(1, 0x1000, 4096, DRAM),
    opStart(1),
    free(1, 0x1000, 4096, DRAM), //   ok: the live owner
    free(1, 0x1000, 4096, DRAM), //   doubleFree: inside the op and the scope
    opEnd(),
    free(7, 0x9000, 4096, DRAM), //   untrackedFree (never seen, no owner there): the scope only
    scopeEnd(10),
    scopeBegin(11, 3),
    alloc(2, 0x2000, 4096, DRAM),
    free(2, 0x2000, 4096, DRAM), //   ok
    scopeEnd(11),
    free(1, 0x1000, 4096, DRAM), //   doubleFree outside every op and scope: counted nowhere
  ], {}, ['ttnn.deallocate', 'a.spec.ts > frees twice', 'b.spec.ts > clean']);

  it('classifies the stream as derived: 2 double frees and 1 untracked free', () => {
    expect([report.anomalies.doubleFree.count, report.anomalies.untrackedFree.count]).toEqual([2, 1]);
  });

  it('gives the op its one double free and each scope its own count', () => {
    expect(report.ops.map((o) => [o.name, o.suspiciousFrees])).toEqual([['ttnn.deallocate', 1]]);
    expect(Object.fromEntries(report.scopes.map((s) => [s.name, s.suspiciousFrees]))).toEqual({
      'a.spec.ts > frees twice': 2, 'b.spec.ts > clean': 0,
    });
  });

  it('merging two reports adds the counts per name', () => {
    const merged = mergeReports([report, report]);
    expect(Object.fromEntries(merged.scopes.map((s) => [s.name, s.suspiciousFrees]))).toEqual({
      'a.spec.ts > frees twice': 4, 'b.spec.ts > clean': 0,
    });
  });

  it('the text summary shows the column only when a row has one', () => {
    // The header line of the table under a "Top …" title (the line after it).
    const headerUnder = (text: string, title: string) => { const lines = text.split('\n'); return lines[lines.findIndex((l) => l.startsWith(title)) + 1]; };
    const text = formatReport(report, { color: false, width: 200 });
    expect(headerUnder(text, 'Top scopes')).toMatch(/^ *calls +suspicious frees +name +peak/);
    const clean = aggregate([alloc(1, 0x1000, 4096, DRAM), opStart(1), free(1, 0x1000, 4096, DRAM), opEnd()], {}, ['ttnn.deallocate']).report;
    expect(headerUnder(formatReport(clean, { color: false, width: 200 }), 'Top ops')).toMatch(/^ *calls +name +peak/);
  });
});
