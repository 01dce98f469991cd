/**
 * Op and scope names come from the program being tracked and reach a terminal through the text
 * summary: a name holding ESC or other control characters could move the cursor, recolour or retitle
 * the terminal, or hide lines. Shown escaped instead: C0 and C1 controls and DEL as \xHH, line and
 * paragraph separators and bidirectional overrides (which reorder what is shown) as \u{HHHH}.
 */
import type { Report, Site } from '../report/types';

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function escapeForTerminal(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

function escapeName(name: string | null): string | null {
  return name === null ? null : escapeForTerminal(name);
}

function escapeSite<S extends Site>(site: S): S;
function escapeSite<S extends Site>(site: S | null): S | null;
function escapeSite<S extends Site>(site: S | null): S | null {
  return site === null ? null : { ...site, op: escapeName(site.op), scope: escapeName(site.scope) };
}

/** A copy of `report` whose op and scope names (sites, leaks, ops, scopes) are escaped for a terminal. */
export function withTerminalSafeNames(report: Report): Report {
  return {
    ...report,
    anomalies: {
      ...report.anomalies,
      examples: report.anomalies.examples.map((e) => ({
        ...e, offending: escapeSite(e.offending), allocation: escapeSite(e.allocation), firstFree: escapeSite(e.firstFree),
      })),
    },
    leaks: report.leaks.map((l) => ({ ...l, op: escapeName(l.op), scope: escapeName(l.scope) })),
    ops: report.ops.map((op) => ({ ...op, name: escapeForTerminal(op.name) })),
    scopes: report.scopes.map((s) => ({ ...s, name: escapeForTerminal(s.name) })),
  };
}
