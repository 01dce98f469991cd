/** Shared helpers of the test/3x.journal.*.test.ts files: temporary journal paths, child processes. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.join(__dirname, '..', '..');

/** A fresh private directory for one test file's journals. */
export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tt-journal-'));
}

/** Every bug mode on: the lifecycle patterns of the TT-Metal branch instrumented for the socket-fed allocation server. */
export const ALL_BUGS_ON = { meshReplicaEvents: true, viewEvents: true, programPoolLateFree: true, doubleDeallocate: true };

/** Runs `script` in a Node child with the package (dist/) resolvable as 'tt-alloc-tracker'. */
export function runNode(script: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(process.execPath, ['-e', script], {
    cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
}
