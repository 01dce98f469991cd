/**
 * A tracker's configuration: enable() options over the environment's defaults over the built-in ones,
 * each checked by lib/validate.ts. Pure apart from reading the file system for the journal's directory:
 * problems in the environment come back as warnings (the caller emits them), problems in the options throw.
 */
import { readEnv } from './env';
import { DEFAULT_OPTIONS, resolveOptions, type ResolvedOptions } from './options';

export interface ResolvedConfig {
  /** TT_ALLOC_TRACKING_ENABLED: enable when the package is loaded. */
  enabled: boolean;
  /** TT_ALLOC_TRACKING_REPORT, absolute: the report to write at exit, if any. */
  reportPath: string | undefined;
  /**
   * The options enable() applies: the caller's, else the environment's (TT_ALLOC_TRACKING_RING_SIZE,
   * _OVERFLOW, _RECORD), else DEFAULT_OPTIONS.
   */
  options: ResolvedOptions;
  /** One message per bad environment variable, in the order of lib/env.ts readEnv(). */
  warnings: string[];
}

/**
 * Resolves `options` (enable()'s argument; a bad one throws TypeError/RangeError naming it) over `env`
 * (a bad variable is a warning and its default applies).
 */
export function resolveConfig({ options, env }: { options?: unknown; env: NodeJS.ProcessEnv }): ResolvedConfig {
  const warnings: string[] = [];
  const fromEnv = readEnv(env, (message) => warnings.push(message));
  const defaults: ResolvedOptions = { ...DEFAULT_OPTIONS, ...fromEnv.options, record: fromEnv.recordPath };
  return { enabled: fromEnv.enabled, reportPath: fromEnv.reportPath, options: resolveOptions(options, defaults), warnings };
}
