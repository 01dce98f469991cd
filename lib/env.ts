/**
 * Environment switches (docs/harness.md#environment), checked by the same functions as enable()'s
 * options (lib/validate.ts). A bad value warns once (process warning code TT_ALLOC_TRACKER_ENV, or the
 * `warn` given) naming the variable, the value and what is allowed, and falls back to the default;
 * nothing here throws.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectedOf } from './errors';
import { DEFAULT_OPTIONS, OVERFLOW_POLICIES, RING_MAX, RING_MIN, resolveRecordPath, type OverflowPolicy, type TrackerOptions } from './options';
import { expectOneOf, expectPowerOfTwo } from './validate';

export const ENV_ENABLED = 'TT_ALLOC_TRACKING_ENABLED';
export const ENV_REPORT = 'TT_ALLOC_TRACKING_REPORT';
export const ENV_RING_SIZE = 'TT_ALLOC_TRACKING_RING_SIZE';
export const ENV_OVERFLOW = 'TT_ALLOC_TRACKING_OVERFLOW';
export const ENV_FORCE_SOURCE_BUILD = 'TT_ALLOC_TRACKING_FORCE_SOURCE_BUILD';
/** Opt-in: fail a test that leaves device memory allocated (docs/harness.md#vitest). */
export const ENV_FAIL_ON_LEAK = 'TT_ALLOC_TRACKING_FAIL_ON_LEAK';

export type Warn = (message: string) => void;

export interface EnvConfig {
  enabled: boolean;
  /** Defaults for enable() from the environment (only the variables that were set and valid). */
  options: TrackerOptions;
  /** Absolute path of the report to write at exit, if any. */
  reportPath: string | undefined;
  /** Absolute path of the journal to record to (TT_ALLOC_TRACKING_RECORD), if any. */
  recordPath: string | undefined;
}
export const ENV_RECORD = 'TT_ALLOC_TRACKING_RECORD';

/** '1' or 'true' enable, '0', 'false' or unset leave tracking off; anything else warns. */
function enabledFromEnv(env: NodeJS.ProcessEnv = process.env, warn: Warn = defaultWarn): boolean {
  return flagFromEnv(ENV_ENABLED, 'tracking stays off', env, warn);
}

/** '1' or 'true': load only build/Release (never a prebuild); anything else but '0'/'false'/unset warns. */
export function forceSourceBuildFromEnv(env: NodeJS.ProcessEnv = process.env, warn: Warn = defaultWarn): boolean {
  return flagFromEnv(ENV_FORCE_SOURCE_BUILD, 'a prebuilt binary may be loaded', env, warn);
}

/**
 * '1' or 'true': the vitest hooks fail a test that leaks; anything else but '0'/'false'/unset warns.
 * Read by the global setup (whose createGlobalSetup({ failOnLeak }) wins over it) and, without a
 * global setup, by each test process.
 */
export function failOnLeakFromEnv(env: NodeJS.ProcessEnv = process.env, warn: Warn = defaultWarn): boolean {
  return flagFromEnv(ENV_FAIL_ON_LEAK, 'tests that leak device memory pass', env, warn);
}

const FLAG_VALUES = ['1', 'true', '0', 'false'] as const;

function flagFromEnv(name: string, whenOff: string, env: NodeJS.ProcessEnv, warn: Warn): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return false;
  const value = fromEnv(name, raw, whenOff, warn, () => expectOneOf(name, raw, FLAG_VALUES));
  return value === '1' || value === 'true';
}

/**
 * Runs `validate` (lib/validate.ts, the checks enable() makes) on a variable's value; its error becomes
 * one warning "<NAME>='<raw>' is not <what is allowed>; <fallback>", and the result undefined.
 */
function fromEnv<T>(name: string, raw: string, fallback: string, warn: Warn, validate: () => T): T | undefined {
  try {
    return validate();
  } catch (err) {
    const expected = expectedOf(err);
    if (expected === undefined) throw err;
    warn(`${name}='${raw}' is not ${expected}; ${fallback}`);
    return undefined;
  }
}

/** Ring slots: a decimal power of two in the range enable() accepts for ringCapacity. */
function ringSizeFromEnv(env: NodeJS.ProcessEnv = process.env, warn: Warn = defaultWarn): number | undefined {
  const raw = env[ENV_RING_SIZE];
  if (raw === undefined || raw === '') return undefined;
  // Only plain decimal digits are a number here ('0x400', '1e3', ' 1024' are not): anything else stays a string, which the check rejects.
  const value = /^[0-9]+$/.test(raw) ? Number(raw) : raw;
  return fromEnv(ENV_RING_SIZE, raw, `using the default ring of ${DEFAULT_OPTIONS.ringCapacity} events`, warn,
    () => expectPowerOfTwo(ENV_RING_SIZE, value, RING_MIN, RING_MAX));
}

function overflowFromEnv(env: NodeJS.ProcessEnv = process.env, warn: Warn = defaultWarn): OverflowPolicy | undefined {
  const raw = env[ENV_OVERFLOW];
  if (raw === undefined || raw === '') return undefined;
  return fromEnv(ENV_OVERFLOW, raw, `using '${DEFAULT_OPTIONS.overflow}'`, warn, () => expectOneOf(ENV_OVERFLOW, raw, OVERFLOW_POLICIES));
}

/**
 * Where to write the report at exit, resolved against the working directory at require time. The
 * suffix picks the format (lib/output/report-file.ts): .html, .txt, otherwise JSON.
 */
function reportPathFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = env[ENV_REPORT];
  if (raw === undefined || raw === '') return undefined;
  return path.resolve(raw);
}

/** Every switch at once, each warning at most once. */
export function readEnv(env: NodeJS.ProcessEnv = process.env, warn: Warn = defaultWarn): EnvConfig {
  const options: TrackerOptions = {};
  const ringCapacity = ringSizeFromEnv(env, warn);
  if (ringCapacity !== undefined) options.ringCapacity = ringCapacity;
  const overflow = overflowFromEnv(env, warn);
  if (overflow !== undefined) options.overflow = overflow;
  return {
    enabled: enabledFromEnv(env, warn), options, reportPath: reportPathFromEnv(env), recordPath: recordPathFromEnv(env, warn),
  };
}

/**
 * The journal path from TT_ALLOC_TRACKING_RECORD, absolute (`%p` → pid), or undefined when unset or
 * unusable: a value that is not a path, or whose directory does not exist, warns and records nothing.
 */
function recordPathFromEnv(env: NodeJS.ProcessEnv = process.env, warn: Warn = defaultWarn): string | undefined {
  const raw = env[ENV_RECORD];
  if (raw === undefined || raw === '') return undefined;
  const resolved = fromEnv(ENV_RECORD, raw, 'not recording', warn, () => resolveRecordPath(ENV_RECORD, raw));
  if (typeof resolved !== 'string') return undefined;
  const dir = path.dirname(resolved);
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    warn(`${ENV_RECORD}='${raw}': directory ${dir} does not exist; not recording`);
    return undefined;
  }
  return resolved;
}

function defaultWarn(message: string): void {
  process.emitWarning(message, { code: 'TT_ALLOC_TRACKER_ENV' });
}
