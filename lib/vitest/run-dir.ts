/**
 * The run directory shared by vitest's global setup (main process) and the test workers: each test
 * worker writes `report-<pid>-<threadId>.json` there, the global teardown merges them. The pid alone
 * is not unique: vitest's `threads` and `vmThreads` pools run several workers in one process.
 */
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import type { Report } from '../report/types';

/** Key under which the global setup provides its settings (vitest's provide()/inject()). */
export const PROVIDE_KEY = 'ttAllocTracker';

export { ENV_FAIL_ON_LEAK } from '../env';

export interface ProvidedSettings {
  runDir: string;
  /** Resolved in the main process (option, else environment): the test processes take it as is. */
  failOnLeak: boolean;
}

/** What one test worker writes: its report and where it came from (for the merged report's process tracks). */
export interface WorkerReportFile {
  pid: number;
  /** worker_threads threadId: 0 in a forked process's main thread. */
  thread: number;
  /** Which copy of the package in that thread (vmThreads: one per VM context, i.e. per test file). */
  copy: number;
  /** Test files this worker ran, relative to the project root, in the order they ran. */
  files: string[];
  report: Report;
}

export const PROCESS_REPORT_PATTERN = /^report-\d+-\d+-\d+\.json$/;

// Counted on `process`, which every VM context of a worker shares (its globalThis is per context).
const COPY_COUNTER = Symbol.for('tt-alloc-tracker/vitest-package-copies');

function nextCopy(): number {
  const holder = process as unknown as Record<symbol, number | undefined>;
  holder[COPY_COUNTER] = (holder[COPY_COUNTER] ?? 0) + 1;
  return holder[COPY_COUNTER];
}

/** This copy of the package: 1 for the first in its thread (a VM context loads another copy). */
export const PACKAGE_COPY = nextCopy();

export function processReportPath(runDir: string, pid: number = process.pid, thread: number = threadId, copy: number = PACKAGE_COPY): string {
  return path.join(runDir, `report-${pid}-${thread}-${copy}.json`);
}
