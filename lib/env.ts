/** Environment switches read once at require time. A bad value warns once and falls back; never throws. */

export const ENV_ENABLED = 'TT_ALLOC_TRACKING_ENABLED';

/** '1' or 'true' enable, '0', 'false' or unset leave tracking off; anything else warns. */
export function enabledFromEnv(env: NodeJS.ProcessEnv = process.env, warn: (message: string) => void = defaultWarn): boolean {
  const raw = env[ENV_ENABLED];
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  warn(`${ENV_ENABLED}='${raw}' is not one of '1', 'true', '0', 'false'; tracking stays off`);
  return false;
}

function defaultWarn(message: string): void {
  process.emitWarning(message, { code: 'TT_ALLOC_TRACKER_ENV' });
}
