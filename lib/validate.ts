/** Validation vocabulary shared by every public entry point; errors come from errors.ts. */
import { ERR_INVALID_ARG_VALUE, invalidOption, withCode } from './errors';

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function expectObject(option: string, value: unknown): Record<string, unknown> {
  if (!isPlainObject(value)) throw invalidOption(option, 'a plain object', value, 'type');
  return value;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** Rejects keys not in `known`, naming the closest known key when the unknown one looks like a typo. */
export function expectKnownKeys(where: string, value: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const closest = known.reduce((best, k) => (editDistance(key, k) < editDistance(key, best) ? k : best), known[0]);
    const hint = editDistance(key, closest) <= 3 ? ` (did you mean '${closest}'?)` : '';
    throw withCode(new TypeError(`Unknown option '${key}' for ${where}${hint}; allowed: ${known.join(', ')}`), ERR_INVALID_ARG_VALUE);
  }
}

export function expectInteger(option: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw invalidOption(option, `an integer between ${min} and ${max}`, value, 'type');
  }
  if (value < min || value > max) throw invalidOption(option, `an integer between ${min} and ${max}`, value, 'range');
  return value;
}

export function expectPowerOfTwo(option: string, value: unknown, min: number, max: number): number {
  const expected = `a power of two between ${min} and ${max}`;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidOption(option, expected, value, 'type');
  if (value < min || value > max || (value & (value - 1)) !== 0) throw invalidOption(option, expected, value, 'range');
  return value;
}

export function expectOneOf<T extends string>(option: string, value: unknown, allowed: readonly T[]): T {
  const expected = `one of ${allowed.map((a) => `'${a}'`).join(', ')}`;
  if (typeof value !== 'string') throw invalidOption(option, expected, value, 'type');
  if (!allowed.includes(value as T)) throw invalidOption(option, expected, value, 'range');
  return value as T;
}

export function expectString(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw invalidOption(option, 'a non-empty string', value, 'type');
  return value;
}
