/** The text that names leaked buffers, shared by the per-test leak check and toHaveNoLeaks(). */
import type { Leak } from '../report/types';

const MAX_LISTED = 20;

export interface LeakTotals {
  buffers: number;
  bytes: number;
}

/**
 * `<subject> leaked N buffers (B bytes) of device memory:` then one line per leak (at most 20).
 * `totals` when the list is a prefix of all leaks (a report lists at most leakListLimit).
 */
export function describeLeaks(subject: string, leaks: readonly Leak[], totals?: LeakTotals): string {
  const buffers = totals?.buffers ?? leaks.length;
  const bytes = totals?.bytes ?? leaks.reduce((sum, l) => sum + l.size, 0);
  const lines = [`${subject} leaked ${buffers} buffer${buffers === 1 ? '' : 's'} (${bytes} bytes) of device memory:`];
  for (const l of leaks.slice(0, MAX_LISTED)) {
    lines.push(`  id ${l.id}  device ${l.device}  ${l.type}  address 0x${l.address.toString(16)}  ${l.size} bytes  ` +
      `op ${l.op ?? '-'}  scope ${l.scope ?? '-'}`);
  }
  const unlisted = buffers - Math.min(leaks.length, MAX_LISTED);
  if (unlisted > 0) lines.push(`  … and ${unlisted} more`);
  return lines.join('\n');
}
