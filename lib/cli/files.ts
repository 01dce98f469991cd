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

/**
 * Largest report file the CLI reads: 500,000,000 bytes, under V8's longest string (2^29 - 24 =
 * 536,870,888 characters on 64-bit), which the whole file must fit in to be parsed. A report listing
 * 2,000,000 leaks, pretty-printed, is about 380 MB.
 */
export const MAX_REPORT_FILE_BYTES = 500_000_000;

function kindOf(stat: fs.Stats): string {
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}

/**
 * Reads a regular file of at most MAX_REPORT_FILE_BYTES as UTF-8. A device (/dev/zero), FIFO or
 * socket would never end, or end unbounded: it is refused before any read, as is a larger file.
 */
export function readText(file: string): string {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer before the check below refuses it.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (err) {
    throw describeFsError(err as NodeJS.ErrnoException, file, 'reading');
  }
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) throw new UserError(`${file}: is a directory, expected a file`);
    if (!stat.isFile()) throw new UserError(`${file}: is ${kindOf(stat)}, expected a regular file`);
    if (stat.size > MAX_REPORT_FILE_BYTES) {
      throw new UserError(`${file}: ${stat.size} bytes, over the limit of ${MAX_REPORT_FILE_BYTES} bytes for a report file`);
    }
    const bytes = Buffer.allocUnsafe(stat.size);
    let done = 0;
    // Up to the size fstat gave: a file that grows meanwhile is read as it was.
    while (done < bytes.length) {
      const n = fs.readSync(fd, bytes, done, bytes.length - done, done);
      if (n === 0) break;
      done += n;
    }
    return bytes.toString('utf8', 0, done);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw describeFsError(err as NodeJS.ErrnoException, file, 'reading');
  } finally {
    fs.closeSync(fd);
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
