/**
 * Report files: the file name's suffix picks the renderer. Written by writeFileSafely (write-file.ts):
 * atomic for a regular file, so a reader never sees half a report (e.g. the vitest teardown merging
 * per-process files); in place for a device, FIFO or /dev/stdout.
 */
import * as path from 'node:path';
import type { Report } from '../report/types';
import { renderHtmlReport } from './html';
import { formatReport } from './text';
import { writeFileSafely } from './write-file';

export type ReportRenderer = (report: Report) => string;

/** Suffix → renderer. Any other suffix is written as JSON. */
const RENDERERS: Record<string, ReportRenderer> = {
  '.json': (r) => `${JSON.stringify(r, null, 2)}\n`,
  '.txt': (r) => `${formatReport(r, { color: false })}\n`,
  '.html': (r) => renderHtmlReport(r),
};

export function rendererOf(file: string): ReportRenderer {
  return RENDERERS[path.extname(file).toLowerCase()] ?? RENDERERS['.json'];
}

/** Renders `report` by `file`'s suffix and writes it (writeFileSafely), creating the directory. */
export function writeReportFile(file: string, report: Report): void {
  writeFileSafely(file, rendererOf(file)(report));
}
