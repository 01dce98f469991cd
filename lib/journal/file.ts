/** Opening and reading the journal and ring files, with errors that name the file and offset. */
import * as fs from 'node:fs';
import { JournalError } from '../errors';

export function openForReading(file: string): { fd: number; size: number } {
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO must not block the open before fstat refuses it.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const problem = e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : `cannot open (${e.message})`;
    throw new JournalError('ERR_JOURNAL_IO', file, undefined, problem);
  }
  const stat = fs.fstatSync(fd);
  if (!stat.isFile()) {
    fs.closeSync(fd);
    throw new JournalError('ERR_JOURNAL_IO', file, undefined, 'not a regular file');
  }
  return { fd, size: stat.size };
}

/** Fills `into` from `position`; a file that ends first (it shrank while being read) is an error. */
export function readExactly(fd: number, file: string, into: Uint8Array, position: number): void {
  let done = 0;
  while (done < into.length) {
    const n = fs.readSync(fd, into, done, into.length - done, position + done);
    if (n === 0) throw new JournalError('ERR_JOURNAL_TRUNCATED', file, position + done, 'file ended while reading (it shrank while being read)');
    done += n;
  }
}
