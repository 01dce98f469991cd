/**
 * Creates a file's directory when it is missing, one level at a time. Not
 * fs.mkdirSync(dir, { recursive: true }): on Node 20 that never returns when mkdir fails with ENOENT
 * although the parent exists (a path under /proc, for instance): it retries the parent forever.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Makes `dir` (absolute or relative to the working directory) exist. The first level that cannot
 * be created throws fs's error unchanged (`code` EACCES, ENOENT, ENOTDIR, EROFS…, `path` that
 * level); an existing `dir` costs one stat.
 */
export function ensureDirectory(dir: string): void {
  const missing: string[] = [];
  let at = path.resolve(dir);
  // Walk up to the nearest level that exists; stat's own errors (ENOTDIR, EACCES) propagate.
  while (fs.statSync(at, { throwIfNoEntry: false }) === undefined) {
    missing.push(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const level of missing.reverse()) {
    try {
      fs.mkdirSync(level);
    } catch (err) {
      // Made by someone else in the meantime (a parallel test process): fine if it is a directory.
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && fs.statSync(level).isDirectory()) continue;
      throw err;
    }
  }
}
