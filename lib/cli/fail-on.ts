/**
 * `diff --fail-on`: thresholds that make `diff` exit 1, for CI. A comma-separated list of
 * `leaks` (b has leaks a did not), `anomalies` (a suspicious class counts more in b),
 * `peak:<limit>` (a device × type peak grew by more than the limit) and `scope-peak:<limit>` (a
 * scope's — a test's — peak of a memory type grew by more than the limit); a limit is a percentage
 * (`10%`) or bytes (`4096`, `512KiB`, `1.5MiB`).
 */
import { invalidOption } from '../errors';
import type { PeakDelta, ReportDiff, UsageDelta } from '../report/diff';
import { formatBytes } from '../output/table';

export type Limit = { percent: number } | { bytes: number };

export interface FailOn {
  leaks: boolean;
  anomalies: boolean;
  peak?: Limit;
  scopePeak?: Limit;
}

const ALLOWED = "a comma-separated list of leaks, anomalies, peak:<N>% or peak:<bytes>, scope-peak:<N>% or scope-peak:<bytes>";
const UNIT: Record<string, number> = { '': 1, B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };
const SUSPICIOUS = ['doubleFree', 'staleFree', 'untrackedFree', 'overlap', 'duplicateAlloc'];

function parseLimit(text: string): Limit | undefined {
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (pct) return { percent: Number(pct[1]) };
  const bytes = /^(\d+(?:\.\d+)?)(B|KiB|MiB|GiB)?$/.exec(text);
  if (bytes) return { bytes: Math.round(Number(bytes[1]) * UNIT[bytes[2] ?? '']) };
  return undefined;
}

export function parseFailOn(value: string): FailOn {
  const out: FailOn = { leaks: false, anomalies: false };
  const bad = () => invalidOption('--fail-on', ALLOWED, value, 'range');
  const seen = new Set<string>();
  for (const item of value.split(',').map((s) => s.trim())) {
    const [name, limitText, extra] = item.split(':');
    if (seen.has(name) || extra !== undefined) throw bad();
    seen.add(name);
    if ((name === 'leaks' || name === 'anomalies') && limitText === undefined) {
      out[name] = true;
    } else if ((name === 'peak' || name === 'scope-peak') && limitText !== undefined) {
      const limit = parseLimit(limitText);
      if (!limit) throw bad();
      if (name === 'peak') out.peak = limit;
      else out.scopePeak = limit;
    } else {
      throw bad();
    }
  }
  return out;
}

/** Whether growing from `a` to `b` passes `limit`: by bytes, or by percent of `a` (from 0, any growth is infinite). */
function exceeds(a: number, b: number, limit: Limit): boolean {
  if (b <= a) return false;
  if ('bytes' in limit) return b - a > limit.bytes;
  return a === 0 || ((b - a) / a) * 100 > limit.percent;
}

function limitText(limit: Limit): string {
  return 'bytes' in limit ? formatBytes(limit.bytes) : `${limit.percent}%`;
}

const grew = (a: number, b: number): string =>
  `${formatBytes(a)} -> ${formatBytes(b)} (+${formatBytes(b - a)}${a > 0 ? `, +${(((b - a) / a) * 100).toFixed(1)}%` : ''})`;

/** One line per threshold exceeded; none when the diff passes. */
export function failures(d: ReportDiff, f: FailOn): string[] {
  const out: string[] = [];
  if (f.leaks && d.newLeaks.length > 0) {
    out.push(`leaks: b has ${d.newLeaks.length} new leak${d.newLeaks.length === 1 ? '' : 's'}`);
  }
  if (f.anomalies) {
    for (const x of d.anomalies) if (SUSPICIOUS.includes(x.class) && x.b > x.a) out.push(`anomalies: ${x.class} ${x.a} -> ${x.b}`);
  }
  if (f.peak) {
    const limit = f.peak;
    for (const u of d.usage as UsageDelta[]) {
      if (exceeds(u.peakA, u.peakB, limit)) out.push(`peak: ${u.deviceKind} ${u.device} ${u.type} ${grew(u.peakA, u.peakB)} > ${limitText(limit)}`);
    }
  }
  if (f.scopePeak) {
    const limit = f.scopePeak;
    // A new scope (a new test) has no earlier peak to grow from: only a bytes limit applies to it.
    for (const s of d.scopes as PeakDelta[]) {
      if (s.presence === 'new' && 'percent' in limit) continue;
      if (exceeds(s.a, s.b, limit)) out.push(`scope-peak: ${s.name} ${s.type} ${grew(s.a, s.b)} > ${limitText(limit)}`);
    }
  }
  return out;
}
