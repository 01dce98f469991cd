/** Child Node processes for behaviour that happens at require time or at exit. */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const root = path.join(__dirname, '..', '..');

/**
 * Runs `script` (CommonJS, cwd = repo root, so require('tt-alloc-tracker') is the package). With
 * `timeoutMs` a child that hangs is killed (status null) instead of stalling the suite.
 */
export function runScript(script: string, env: NodeJS.ProcessEnv = {}, timeoutMs?: number): SpawnSyncReturns<string> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TT_ALLOC_TRACKING_')));
  return spawnSync(process.execPath, ['-e', script], { cwd: root, env: { ...clean, ...env }, encoding: 'utf8', timeout: timeoutMs });
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tt-alloc-tracker-test-'));
}

const WARNING_PREFIX = /^\(node:\d+\) \[TT_ALLOC_TRACKER_ENV\] Warning: /;

/** The messages of our env warnings in a child's stderr. */
export function envWarnings(stderr: string): string[] {
  return stderr.split('\n').filter((line) => WARNING_PREFIX.test(line)).map((line) => line.replace(WARNING_PREFIX, ''));
}
