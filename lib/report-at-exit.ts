/**
 * The report written when the process ends (TT_ALLOC_TRACKING_REPORT, the vitest integration): one
 * target at a time, written by an exit hook after every pending event has been drained.
 */
import { onExit } from './exit-hooks';
import { writeReportFile } from './output/report-file';
import { report } from './tracker';

let target: string | undefined;
let registered = false;

function writeAtExit(): void {
  if (target === undefined) return;
  try {
    writeReportFile(target, report());
  } catch (err) {
    process.stderr.write(`tt-alloc-tracker: could not write the report to ${target}: ${(err as Error).message}\n`);
  }
}

/** Writes report() to `file` (format by suffix) when the process ends; undefined cancels. */
export function writeReportAtExit(file: string | undefined): void {
  target = file;
  if (file !== undefined && !registered) {
    registered = true;
    onExit(writeAtExit);
  }
}

/** The file the report will be written to at exit, if any. */
export function reportAtExitTarget(): string | undefined {
  return target;
}
