/**
 * The one file writer behind every file the package writes: report files (report(), the exit report
 * of TT_ALLOC_TRACKING_REPORT, the vitest integration) and the CLI's outputs.
 *
 * - `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N` (or a symlink to one) write to that
 *   descriptor of this process directly: it may be a pipe or socket that cannot be reopened by path.
 * - A character device, FIFO or socket, or any other existing file under /dev or /proc, is written in place:
 *   replacing it would destroy a device node, or a shell's redirection target.
 * - Anything else becomes a regular file, replaced atomically: a temporary in the same directory,
 *   created with O_EXCL | O_NOFOLLOW under a name unique to this process and thread (a file or symlink
 *   already there is never opened: the next name is tried), written, fsynced, renamed over the target.
 *   A reader never sees half a file, and nothing is left behind when any step fails.
 * - A symlink is followed: its final target is what gets written, and the link stays a link.
 * - A directory is an error (code EISDIR) naming the path.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import { ensureDirectory } from './ensure-directory';

/** Symlink hops followed before giving up (Linux's own limit, MAXSYMLINKS, is 40). */
const MAX_LINKS = 40;
/** Temporary names tried before giving up when each is taken. */
const MAX_ATTEMPTS = 100;

let sequence = 0;

function fsError(code: string, file: string, problem: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${file}: ${problem}`), { code, path: file });
}

/** The temporary the next write of `target` tries first (tests plant a symlink there). */
export function nextTemporaryPath(target: string): string {
  return temporaryPath(path.resolve(target), sequence);
}

function temporaryPath(target: string, n: number): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${threadId}.${n}.tmp`);
}

const FD_PATH = /^\/(?:dev\/(stdout|stderr)|dev\/fd\/(\d+)|proc\/(self|thread-self|\d+)\/fd\/(\d+))$/;

/** The descriptor of this process that `file` names, if it names one. */
function descriptorOf(file: string): number | undefined {
  const m = FD_PATH.exec(file);
  if (!m) return undefined;
  if (m[1]) return m[1] === 'stdout' ? 1 : 2;
  if (m[2]) return Number(m[2]);
  return m[3] === 'self' || m[3] === 'thread-self' || Number(m[3]) === process.pid ? Number(m[4]) : undefined;
}

/**
 * Follows symlinks at `file` itself (its directories are the kernel's to resolve) to the path to
 * write; stops at a path naming one of this process's descriptors (their links are magic).
 */
function followLinks(file: string): string {
  let at = file;
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    if (descriptorOf(at) !== undefined) return at;
    const stat = fs.lstatSync(at, { throwIfNoEntry: false });
    if (stat === undefined || !stat.isSymbolicLink()) return at;
    at = path.resolve(path.dirname(at), fs.readlinkSync(at));
  }
  throw fsError('ELOOP', file, `more than ${MAX_LINKS} symbolic links`);
}

/** An existing file that is not a plain file, or any existing file under /dev or /proc. */
function writesInPlace(file: string, stat: fs.Stats | undefined): boolean {
  if (stat === undefined) return false;
  return /^\/(dev|proc)\//.test(file) || stat.isCharacterDevice() || stat.isFIFO() || stat.isSocket() || stat.isBlockDevice();
}

const pause = new Int32Array(new SharedArrayBuffer(4));

function writeAll(fd: number, data: Uint8Array): void {
  for (let done = 0; done < data.length;) {
    try {
      done += fs.writeSync(fd, data, done, data.length - done);
    } catch (err) {
      // A non-blocking pipe (stdout, as libuv may leave it) that is full: wait 1 ms for its reader.
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}

/** Writes `data` to `file` as described above; creates missing directories. Throws fs errors (with `code`). */
export function writeFileSafely(file: string, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const target = followLinks(path.resolve(file));
  const descriptor = descriptorOf(target);
  if (descriptor !== undefined) return writeAll(descriptor, bytes);
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (stat?.isDirectory()) throw fsError('EISDIR', file, 'is a directory, expected a file');
  if (writesInPlace(target, stat)) {
    // No O_TRUNC on a device or pipe; a regular file under /proc or /dev (rare) is truncated.
    const fd = fs.openSync(target, stat?.isFile() ? 'w' : fs.constants.O_WRONLY | fs.constants.O_NOCTTY);
    try {
      writeAll(fd, bytes);
    } finally {
      fs.closeSync(fd);
    }
    return;
  }
  ensureDirectory(path.dirname(target));
  // (Node opens every file with O_CLOEXEC itself.)
  const flags = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW;
  let temporary = '';
  let fd = -1;
  for (let attempt = 0; fd < 0; attempt++) {
    temporary = temporaryPath(target, sequence++);
    try {
      // An existing file keeps its mode; a new one gets 0666 less the umask, as fs.writeFileSync would.
      fd = fs.openSync(temporary, flags, stat?.isFile() ? stat.mode & 0o7777 : 0o666);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt + 1 >= MAX_ATTEMPTS) throw err;
    }
  }
  try {
    if (stat?.isFile()) fs.fchmodSync(fd, stat.mode & 0o7777);  // the umask may have cleared bits
    writeAll(fd, bytes);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = -1;
    fs.renameSync(temporary, target);
  } catch (err) {
    if (fd >= 0) fs.closeSync(fd);
    fs.rmSync(temporary, { force: true });
    throw err;
  }
}
