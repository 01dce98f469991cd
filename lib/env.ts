/** Environment switches read once at require time. A bad value warns once and falls back; never throws. */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveRecordPath } from './options';

export const ENV_ENABLED = 'TT_ALLOC_TRACKING_ENABLED';
export const ENV_RECORD = 'TT_ALLOC_TRACKING_RECORD';

/** '1' or 'true' enable, '0', 'false' or unset leave tracking off; anything else warns. */
export function enabledFromEnv(env: NodeJS.ProcessEnv = process.env, warn: (message: string) => void = defaultWarn): boolean {
  const raw = env[ENV_ENABLED];
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  warn(`${ENV_ENABLED}='${raw}' is not one of '1', 'true', '0', 'false'; tracking stays off`);
  return false;
}

/**
 * The journal path from TT_ALLOC_TRACKING_RECORD, absolute (`%p` → pid), or undefined when unset or
 * unusable: a value that is not a path, or whose directory does not exist, warns and records nothing.
 */
export function recordPathFromEnv(env: NodeJS.ProcessEnv = process.env, warn: (message: string) => void = defaultWarn): string | undefined {
  const raw = env[ENV_RECORD];
  if (raw === undefined || raw === '') return undefined;
  let resolved: string;
  try {
    resolved = resolveRecordPath(ENV_RECORD, raw) as string;
  } catch (err) {
    warn(`${(err as Error).message}; not recording`);
    return undefined;
  }
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
