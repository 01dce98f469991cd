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

/**
 * "lost: none" only when nothing was: every unreadable stretch of the journal is listed with its
 * bytes, and its sequence numbers where known ("from 1000" when the end is unknown).
 */
export function lostLine(lost: readonly LostRange[]): string {
  if (lost.length === 0) return 'lost: none';
  const known = lost.reduce((sum, l) => sum + (l.count ?? 0), 0);
  const unknown = lost.some((l) => l.count === null);
  const ranges = lost.map((l) => {
    const seq = l.first === null ? (l.last === null ? 'seq unknown' : `seq up to ${l.last}`)
      : l.last === null ? (l.count === 0 ? `no events (the ring file holds seq ${l.first} on)` : `seq from ${l.first}`)
        : `seq ${l.first}${l.last > l.first ? `-${l.last}` : ''}`;
    const why = l.reason === 'unpublished' ? 'not published'
      : l.bytes ? `unreadable journal bytes ${l.bytes.first}-${l.bytes.last}` : 'missing from the damaged journal';
    return `${seq} (${why})`;
  });
  const count = unknown ? (known > 0 ? `at least ${known} events` : 'an unknown number of events') : `${known} events`;
  return `lost: ${count}: ${ranges.join(', ')}`;
}

/** A journal the user pointed at that cannot be read is their mistake to fix: one line, exit 2. */
export function asUserError(err: unknown): unknown {
  return err instanceof JournalError ? new UserError(err.message) : err;
}
