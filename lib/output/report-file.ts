/**
 * Report files: the file name's suffix picks the renderer. Writes are atomic (a temporary file in
 * the same directory, then rename), so a reader never sees half a report, e.g. the vitest teardown
 * merging per-process files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Report } from '../report/types';
import { ensureDirectory } from './ensure-directory';
import { renderHtmlReport } from './html';
import { formatReport } from './text';

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

/** Renders `report` by `file`'s suffix and writes it atomically, creating the directory. */
export function writeReportFile(file: string, report: Report): void {
  writeFileAtomic(file, rendererOf(file)(report));
}

export function writeFileAtomic(file: string, text: string): void {
  const absolute = path.resolve(file);
  ensureDirectory(path.dirname(absolute));
  const temporary = `${absolute}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, absolute);
}
