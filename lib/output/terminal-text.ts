/**
 * Op and scope names come from the program being tracked and reach a terminal through the text
 * summary: a name holding ESC or other control characters could move the cursor, recolour or retitle
 * the terminal, or hide lines. Shown escaped instead: C0 and C1 controls and DEL as \xHH, line and
 * paragraph separators and bidirectional overrides (which reorder what is shown) as \u{HHHH}.
 */
import type { Report } from '../report/types';

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeForTerminal(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

// Every field under these keys holds an op or scope name (sites, leaks, ops, scopes, live-at-peak
// entries, L1 headroom and blockers): walking the whole report keeps sections added later covered.
const NAME_KEYS = new Set(['op', 'scope', 'name']);

function escapeNames<T>(value: T): T {
  if (Array.isArray(value)) return value.map(escapeNames) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    out[key] = NAME_KEYS.has(key) && typeof field === 'string' ? escapeForTerminal(field) : escapeNames(field);
  }
  return out as T;
}

/** A copy of `report` whose op and scope names, wherever they appear, are escaped for a terminal. */
export function withTerminalSafeNames(report: Report): Report {
  return escapeNames(report);
}
