/**
 * `demo --bugs`: the simulator's bug modes (docs/sim.md#bug-modes) by the names of the socket-fed
 * allocation server's three patterns plus genuine double frees, and what each one shows up as in the report.
 */
import type { BugModes } from '../sim/configure';
import { invalidOption } from '../errors';

export const BUG_NAMES = ['mesh-replicas', 'views', 'program-pool', 'double-free'] as const;
export type BugName = (typeof BUG_NAMES)[number];

export const BUG_MODE_OF: Record<BugName, keyof BugModes> = {
  'mesh-replicas': 'meshReplicaEvents',
  views: 'viewEvents',
  'program-pool': 'programPoolLateFree',
  'double-free': 'doubleDeallocate',
};

/** What a pattern looked like to the allocation server, and what the classification calls it. */
export const BUG_STORY: Record<BugName, string> = {
  'mesh-replicas': "each chip's replica of a MeshBuffer reported too: alias (replica) allocations and aliasFree (replica) frees, explained, not charged",
  views: 'views reported like owners at their root\'s address: alias (view) allocations and aliasFree (view) frees, explained, not charged',
  'program-pool': 'a pooled buffer freed again when its program is destroyed, after the address was reused: doubleFree (afterReuse), the late-destructor pattern',
  'double-free': 'every free reported twice: doubleFree, genuine double frees of one object',
};

/** `all`, or a comma-separated list of names (each once); the error names the flag, the value and the names. */
export function parseBugs(value: string): BugName[] {
  if (value === 'all') return [...BUG_NAMES];
  const names = value.split(',').map((s) => s.trim());
  const allowed = `'all' or a comma-separated list of ${BUG_NAMES.join(', ')}`;
  if (names.some((n) => !(BUG_NAMES as readonly string[]).includes(n)) || new Set(names).size !== names.length) {
    throw invalidOption('--bugs', allowed, value, 'range');
  }
  return BUG_NAMES.filter((n) => names.includes(n));
}

export function bugModes(names: readonly BugName[]): Required<BugModes> {
  const modes: Required<BugModes> = { meshReplicaEvents: false, viewEvents: false, programPoolLateFree: false, doubleDeallocate: false };
  for (const n of names) modes[BUG_MODE_OF[n]] = true;
  return modes;
}
