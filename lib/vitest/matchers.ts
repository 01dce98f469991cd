/** `expect(report).toHaveNoLeaks()`: passes when a report (or a leak list) holds no live owning buffer. */
import type { Leak, Report } from '../report/types';
import { describeLeaks, type LeakTotals } from './leak-message';

export interface MatcherResult {
  pass: boolean;
  message: () => string;
}

function leaksOf(received: unknown): { leaks: Leak[]; totals: LeakTotals } | undefined {
  if (Array.isArray(received)) {
    const leaks = received as Leak[];
    return { leaks, totals: { buffers: leaks.length, bytes: leaks.reduce((sum, l) => sum + l.size, 0) } };
  }
  const r = received as Report;
  if (typeof r === 'object' && r !== null && Array.isArray(r.leaks) && typeof r.leakSummary === 'object') {
    return { leaks: r.leaks, totals: { buffers: r.leakSummary.buffers, bytes: r.leakSummary.bytes } };
  }
  return undefined;
}

/** Accepts report() or a parsed report file, or leaksSince()'s list. */
export function toHaveNoLeaks(received: unknown): MatcherResult {
  const found = leaksOf(received);
  if (!found) {
    return { pass: false, message: () => 'toHaveNoLeaks() expects a report from report() or a leak list from leaksSince()' };
  }
  if (found.totals.buffers === 0) return { pass: true, message: () => 'expected leaked buffers, but nothing leaked' };
  return { pass: false, message: () => describeLeaks('expected no leaks, but the report', found.leaks, found.totals) };
}
