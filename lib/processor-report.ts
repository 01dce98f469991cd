/**
 * The report's `processor` section: what the build was compiled against (the embedded simulator or a
 * real TT-Metal, and which TT-Metal API generation its headers are), how the graph-tracking processor is
 * registered, and which events can be missing from which threads. The rules per generation are in
 * docs/tt-metal.md; `npm run check:tt-metal` proves the features per generation from the real headers.
 */
import { nativeCall, type NativeProcessorInfo, type ProcessorBinding } from './native';
import type { ProcessorReport } from './report/types';

/** Event kinds (report `events` names) a processor receives: buffer, CB, program and op callbacks. */
const BUFFER_EVENTS = ['alloc', 'free'];
const OTHER_EVENTS = ['cbAlloc', 'cbRelease', 'program', 'opStart', 'opEnd'];

/** The oldest generation with every feature present (docs/tt-metal.md, the table's columns). */
function generation(f: Record<string, boolean>): string {
  if (f.backgroundProcessors) return '2026-08+';
  if (f.threadLocalProcessors) return '2026-05';
  if (f.captureProcessorFlag || f.trackedArgument) return '2026-04';
  if (f.bufferViews) return '2025-12';
  return '2025-04..2025-06';
}

/** Builds the section from what the addon was compiled against and its registration now. */
export function processorSection(info: NativeProcessorInfo): ProcessorReport {
  const features = Object.keys(info.features).filter((k) => info.features[k]).sort();
  const base = {
    runtime: info.runtime,
    generation: info.runtime === 'simulator' ? `simulator (models ${generation(info.features)})` : generation(info.features),
    registration: info.registration,
    features,
    attachedThreads: info.attachedThreads,
  };
  if (!info.attached) return { ...base, coverage: 'none', gaps: [{ events: [...BUFFER_EVENTS, ...OTHER_EVENTS], threads: 'all' }] };
  switch (info.registration) {
    // Processors are process-wide before 2026-05: every thread's callbacks arrive.
    case 'global':
      return { ...base, coverage: 'complete', gaps: [] };
    // Per-thread processors (PR #44668) and no background registration: nothing from other threads.
    case 'thread':
      return { ...base, coverage: 'partial', gaps: [{ events: [...BUFFER_EVENTS, ...OTHER_EVENTS], threads: 'unattached' }] };
    // Background processors receive allocate/free from every thread, nothing else (graph_tracking.hpp 2026-08).
    case 'background':
      return { ...base, coverage: 'partial', gaps: [{ events: OTHER_EVENTS, threads: 'unattached' }] };
  }
}

/** The section for an addon's processor, or undefined when the binding has no processor info. */
export function processorReport(processor: Partial<Pick<ProcessorBinding, 'info'>> | undefined): ProcessorReport | undefined {
  const info = processor?.info;
  return info ? processorSection(nativeCall(() => info.call(processor))) : undefined;
}
