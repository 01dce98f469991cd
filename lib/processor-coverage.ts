/** The text output's one-line coverage warning for a report's `processor` section (lib/processor-report.ts). */
import type { ProcessorReport } from './report/types';

/** One line for the text output when coverage is not complete; null when it is. */
export function coverageWarning(p: ProcessorReport | undefined): string | null {
  if (!p || p.coverage === 'complete') return null;
  if (p.coverage === 'none') return 'NO COVERAGE: the graph-tracking processor is detached; no runtime event was recorded';
  // Kinds in the report header's words: alloc, free, cb (alloc and release), program, op (start and end).
  const words = [...new Set(p.gaps[0].events.map((e) => e.replace(/^cb.*/, 'cb').replace(/^op.*/, 'op')))];
  const list = words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : words[0];
  const n = p.attachedThreads;
  return `PARTIAL COVERAGE: ${list} events only from ${n} attached thread${n === 1 ? '' : 's'}; docs/tt-metal.md`;
}
