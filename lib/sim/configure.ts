/** configure({ bugs }): the faithful bug modes of the earlier instrumented branch (docs/sim.md#bug-modes). */
import { expectKnownKeys, expectObject } from '../validate';
import { invalidOption } from '../errors';
import { call, simNative } from './binding';

export interface BugModes {
  /** Each per-chip replica of a MeshBuffer reports allocate and free. @default false */
  meshReplicaEvents?: boolean;
  /** Buffer views report allocate and free like owners. @default false */
  viewEvents?: boolean;
  /** A pooled buffer freed explicitly reports its free again when its program is destroyed. @default false */
  programPoolLateFree?: boolean;
  /** Every reported free is reported twice. @default false */
  doubleDeallocate?: boolean;
}

export interface SimConfig {
  /** Keys left out keep their current value. */
  bugs?: BugModes;
}

const BUG_KEYS = ['meshReplicaEvents', 'viewEvents', 'programPoolLateFree', 'doubleDeallocate'] as const;
const current: Required<BugModes> = {
  meshReplicaEvents: false,
  viewEvents: false,
  programPoolLateFree: false,
  doubleDeallocate: false,
};

/** Applies bug modes (all off by default: upstream semantics) and returns the modes now in force. */
export function configure(config: SimConfig): Required<BugModes> {
  const o = expectObject('configure() options', config);
  expectKnownKeys('configure()', o, ['bugs']);
  const next = { ...current };
  if (o.bugs !== undefined) {
    const bugs = expectObject('configure() bugs', o.bugs);
    expectKnownKeys('configure() bugs', bugs, BUG_KEYS);
    for (const key of BUG_KEYS) {
      const value = bugs[key];
      if (value === undefined) continue;
      if (typeof value !== 'boolean') throw invalidOption(`configure() bugs.${key}`, 'a boolean', value, 'type');
      next[key] = value;
    }
  }
  call(() => simNative().configureBugs(next));
  Object.assign(current, next);
  return { ...current };
}
