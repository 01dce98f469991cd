/**
 * configure({ runtime, bugs }): which upstream generation the simulated runtime behaves as
 * (docs/sim.md#generations), and the faithful bug modes of the TT-Metal branch instrumented
 * for the socket-fed allocation server (docs/sim.md#bug-modes).
 */
import { expectKnownKeys, expectObject, expectOneOf } from '../validate';
import { invalidOption } from '../errors';
import { call, simNative } from './binding';

/** Modelled generations, oldest first; the index is native/sim/runtime.hpp's Generation. */
export const RUNTIMES = ['2025-06', '2026-04'] as const;
export type SimRuntime = (typeof RUNTIMES)[number];
/** The newest modelled generation, in force until configure() says otherwise. */
export const DEFAULT_RUNTIME: SimRuntime = '2026-04';

export interface BugModes {
  /** Each per-chip replica of a MeshBuffer reports allocate and free. @default false */
  meshReplicaEvents?: boolean;
  /** Buffer views report allocate and free like owners. @default false */
  viewEvents?: boolean;
  /** A pooled buffer freed explicitly reports its free again when the program's pool is released. @default false */
  programPoolLateFree?: boolean;
  /** Every reported free is reported twice. @default false */
  doubleDeallocate?: boolean;
}

export interface SimConfig {
  /**
   * The upstream generation to behave as. Changes only while nothing is open (after `sim.close()`),
   * else TrackerError ERR_SIM_BUSY. @default '2026-04'
   */
  runtime?: SimRuntime;
  /** Keys left out keep their current value. */
  bugs?: BugModes;
}

export interface SimSettings {
  runtime: SimRuntime;
  bugs: Required<BugModes>;
}

const BUG_KEYS = ['meshReplicaEvents', 'viewEvents', 'programPoolLateFree', 'doubleDeallocate'] as const;
const current: SimSettings = {
  runtime: DEFAULT_RUNTIME,
  bugs: { meshReplicaEvents: false, viewEvents: false, programPoolLateFree: false, doubleDeallocate: false },
};

/** Applies the settings given (the rest keep their value) and returns the settings now in force. */
export function configure(config: SimConfig): SimSettings {
  const o = expectObject('configure() options', config);
  expectKnownKeys('configure()', o, ['runtime', 'bugs']);
  const runtime = o.runtime === undefined ? current.runtime : expectOneOf('configure() runtime', o.runtime, RUNTIMES);
  const bugs = { ...current.bugs };
  if (o.bugs !== undefined) {
    const given = expectObject('configure() bugs', o.bugs);
    expectKnownKeys('configure() bugs', given, BUG_KEYS);
    for (const key of BUG_KEYS) {
      const value = given[key];
      if (value === undefined) continue;
      if (typeof value !== 'boolean') throw invalidOption(`configure() bugs.${key}`, 'a boolean', value, 'type');
      bugs[key] = value;
    }
  }
  call(() => simNative().setRuntime(RUNTIMES.indexOf(runtime)));
  current.runtime = runtime;
  call(() => simNative().configureBugs(bugs));
  current.bugs = bugs;
  return settings();
}

/** The settings in force. */
export function settings(): SimSettings {
  return { runtime: current.runtime, bugs: { ...current.bugs } };
}

/** The generation in force. */
export function runtime(): SimRuntime {
  return current.runtime;
}
