/** Reading and writing the CLI's files, with errors that name the file and the problem. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkReport } from '../report/check';
import { REPORT_SCHEMA, type Report } from '../report/types';
import { ensureDirectory } from '../output/ensure-directory';
import { writeFileSafely } from '../output/write-file';
import { UserError } from './errors';

function describeFsError(err: NodeJS.ErrnoException, file: string, doing: string): UserError {
  switch (err.code) {
    case 'ENOENT': return new UserError(doing === 'reading' ? `${file}: no such file` : `${file}: cannot create the file (no such file or directory)`);
    case 'EISDIR': return new UserError(`${file}: is a directory, expected a file`);
    case 'EACCES': case 'EPERM': return new UserError(`${file}: permission denied while ${doing}`);
    default: return new UserError(`${file}: ${doing} failed: ${err.message}`);
  }
}

export function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw describeFsError(err as NodeJS.ErrnoException, file, 'reading');
  }
}

/** Parses a JSON file; a syntax error names the file and JSON.parse's position. */
export function readJson(file: string): unknown {
  const text = readText(file);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UserError(`${file}: not valid JSON (${(err as Error).message})`);
  }
}

/**
 * Reads a report written by report(), TT_ALLOC_TRACKING_REPORT or `merge`: first its schema tag (a
 * different file altogether), then the whole report against docs/report.schema.json.
 */
export function readReport(file: string): Report {
  const value = readJson(file);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UserError(`${file}: expected a report object, found ${Array.isArray(value) ? 'an array' : typeof value}`);
  }
  const schema = (value as { schema?: unknown }).schema;
  if (schema !== REPORT_SCHEMA) {
    throw new UserError(`${file}: not a tt-alloc-tracker report (schema is ${JSON.stringify(schema)}, expected "${REPORT_SCHEMA}")`);
  }
  try {
    return checkReport(value, file);
  } catch (err) {
    throw new UserError((err as Error).message);
  }
}

/** Writes `text` to `file` (writeFileSafely), creating its directory; errors name the file (and the directory). */
export function writeText(file: string, text: string | Uint8Array): void {
  try {
    ensureDirectory(path.dirname(path.resolve(file)));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UserError(`${file}: cannot create directory ${e.path ?? path.dirname(path.resolve(file))} (${e.message.replace(/, \w+ '.*'$/, '')})`);
  }
  try {
    writeFileSafely(file, text);
  } catch (err) {
    throw describeFsError(err as NodeJS.ErrnoException, file, 'writing');
  }
}
