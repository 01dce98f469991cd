/** The few lines `replay` and `recover` print about a rebuilt report (the full formatter is formatReport). */
import { JournalError } from '../errors';
import type { LostRange } from '../journal/replay';
import type { Report } from '../report/types';
import { UserError } from './errors';

export function reportLines(r: Report): string[] {
  const e = r.events;
  return [
    `events: ${e.total} (alloc ${e.alloc}, free ${e.free}, dropped ${e.dropped})${r.complete ? '' : ' INCOMPLETE'}`,
    `devices: ${r.devices.length}`,
    `leaks: ${r.leakSummary.buffers} buffers, ${r.leakSummary.bytes} bytes`,
  ];
}

export function lostLine(lost: readonly LostRange[]): string {
  if (lost.length === 0) return 'lost: none';
  const count = lost.reduce((sum, l) => sum + l.count, 0);
  const ranges = lost.map((l) => `seq ${l.first}${l.last > l.first ? `-${l.last}` : ''} (${l.reason === 'journal' ? 'missing from the damaged journal' : 'not published'})`);
  return `lost: ${count} events: ${ranges.join(', ')}`;
}

/** A journal the user pointed at that cannot be read is their mistake to fix: one line, exit 2. */
export function asUserError(err: unknown): unknown {
  return err instanceof JournalError ? new UserError(err.message) : err;
}
