/**
 * Report files: the file name's suffix picks the renderer. Writes are atomic (a temporary file in
 * the same directory, then rename), so a reader never sees half a report, e.g. the vitest teardown
 * merging per-process files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Report } from '../report/types';
import { formatReport } from './text';

export type ReportRenderer = (report: Report) => string;

/** Suffix → renderer. Anything not listed here and not in UNAVAILABLE is written as JSON. */
const RENDERERS: Record<string, ReportRenderer> = {
  '.json': (r) => `${JSON.stringify(r, null, 2)}\n`,
  '.txt': (r) => `${formatReport(r, { color: false })}\n`,
};

/** Formats this build cannot write, with the reason shown to the user. */
const UNAVAILABLE: Record<string, string> = {
  '.html': 'the HTML report is not available in this build',
};

export type ReportFormat = { ok: true; render: ReportRenderer } | { ok: false; reason: string };

export function reportFormatOf(file: string): ReportFormat {
  const suffix = path.extname(file).toLowerCase();
  const reason = UNAVAILABLE[suffix];
  if (reason !== undefined) return { ok: false, reason };
  return { ok: true, render: RENDERERS[suffix] ?? RENDERERS['.json'] };
}

/** Renders `report` by `file`'s suffix and writes it atomically, creating the directory. */
export function writeReportFile(file: string, report: Report): void {
  const format = reportFormatOf(file);
  if (!format.ok) throw new Error(`${file}: ${format.reason}`);
  writeFileAtomic(file, format.render(report));
}

export function writeFileAtomic(file: string, text: string): void {
  const absolute = path.resolve(file);
  fs.mkdirSync(path.dirname(absolute), { recursive: true });
  const temporary = `${absolute}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, absolute);
}
