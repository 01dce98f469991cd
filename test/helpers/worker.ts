/** Drives test/helpers/tracker-worker.js: one worker_threads environment that loads the built package. */
import { once } from 'node:events';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { NativeStats } from '../../lib/native';
import type { Report } from '../../lib/report/types';

export const ROOT = path.join(__dirname, '..', '..');
export const WORKER_SCRIPT = path.join(__dirname, 'tracker-worker.js');

export interface Reply {
  op: string;
  ok: boolean;
  threadId: number;
  name?: string;
  code?: string;
  message?: string;
  device?: number;
  report?: Report;
  stats?: NativeStats;
  pushed?: number;
  dropped?: number;
}

export class TrackerWorker {
  readonly worker = new Worker(WORKER_SCRIPT, { workerData: { root: ROOT } });
  readonly exited: Promise<number>;

  constructor() {
    this.exited = once(this.worker, 'exit').then(([code]) => code as number);
  }

  get threadId(): number {
    return this.worker.threadId;
  }

  /** Sends one request and resolves with its reply. */
  async ask(op: string, more: Record<string, unknown> = {}): Promise<Reply> {
    const reply = once(this.worker, 'message');
    this.worker.postMessage({ op, ...more });
    return (await reply)[0] as Reply;
  }

  /** Asks the worker to call process.exit(0); resolves with its exit code. */
  exit(): Promise<number> {
    this.worker.postMessage({ op: 'exit' });
    return this.exited;
  }

  /** ask() that fails the test with the worker's error message if the request threw. */
  async must(op: string, more: Record<string, unknown> = {}): Promise<Reply> {
    const r = await this.ask(op, more);
    if (!r.ok) throw new Error(`worker ${op} failed: ${r.name} ${r.code}: ${r.message}`);
    return r;
  }
}
