/** Environment switches read once at require time. A bad value warns once and falls back; never throws. */

export const ENV_ENABLED = 'TT_ALLOC_TRACKING_ENABLED';
export const ENV_FORCE_SOURCE_BUILD = 'TT_ALLOC_TRACKING_FORCE_SOURCE_BUILD';

type Warn = (message: string) => void;

/** '1' or 'true' enable, '0', 'false' or unset leave tracking off; anything else warns. */
export function enabledFromEnv(env: NodeJS.ProcessEnv = process.env, warn: Warn = defaultWarn): boolean {
  return flagFromEnv(ENV_ENABLED, 'tracking stays off', env, warn);
}

/** '1' or 'true': load only build/Release (never a prebuild); anything else but '0'/'false'/unset warns. */
export function forceSourceBuildFromEnv(env: NodeJS.ProcessEnv = process.env, warn: Warn = defaultWarn): boolean {
  return flagFromEnv(ENV_FORCE_SOURCE_BUILD, 'a prebuilt binary may be loaded', env, warn);
}

function flagFromEnv(name: string, whenOff: string, env: NodeJS.ProcessEnv, warn: Warn): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  warn(`${name}='${raw}' is not one of '1', 'true', '0', 'false'; ${whenOff}`);
  return false;
}

function defaultWarn(message: string): void {
  process.emitWarning(message, { code: 'TT_ALLOC_TRACKER_ENV' });
}
