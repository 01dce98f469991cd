/**
 * The vitest setup file's work, with vitest's functions passed in (this file is CommonJS and vitest
 * is ESM-only; dist/esm/vitest.mjs imports vitest and calls installTrackerHooks):
 * - enables tracking (per test file, waiting while another worker thread of this process owns it),
 *   and registers the toHaveNoLeaks() matcher;
 * - wraps every test in a scope named `<file> > describe > it`, and the file's hooks outside tests in
 *   `<file> > beforeAll` / `<file> > afterAll`;
 * - with failOnLeak, fails a test whose own allocations are still live after its afterEach hooks,
 *   and fails the file when its beforeAll/afterAll hooks leave allocations live; each error points at
 *   the test file (the test's line, or the hook's);
 * - after each test file, writes this worker's report into the global setup's run directory and
 *   releases tracking for the next test file of another worker thread.
 */
// The package entry first: it reads the TT_ALLOC_TRACKING_* switches (ring size, overflow, report).
import '../index';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import { checkpoint, disable, enable, isEnabled, leaksSince, report, writeReportAtExit } from '../tracker';
import { beginScope, endScope, type ScopeToken } from '../scopes';
import { writeFileSafely } from '../output/write-file';
import { ENV_REPORT, failOnLeakFromEnv } from '../env';
import type { Checkpoint } from '../aggregator/aggregator';
import type { Leak } from '../report/types';
import { describeLeaks } from './leak-message';
import { toHaveNoLeaks } from './matchers';
import { PACKAGE_COPY, PROVIDE_KEY, processReportPath, type ProvidedSettings, type WorkerReportFile } from './run-dir';
import { errorAt, hookLocation, testLocation } from './test-location';

/** The parts of a vitest task this file reads. */
interface TaskLike {
  id: string;
  name: string;
  type?: string;
  mode?: string;
  fullTestName?: string;
  location?: { line: number; column: number };
  suite?: TaskLike & { filepath?: string };
  /** The file task: `name` relative to the project root, `filepath` absolute. */
  file?: { name: string; filepath: string; tasks?: TaskLike[] };
  tasks?: TaskLike[];
}

interface HookContext {
  task: TaskLike;
}

/** What vitest passes to a root-level beforeAll/afterAll of a setup file: the file's suite. */
interface FileSuiteLike {
  name: string;
  filepath?: string;
  file?: { name: string; filepath: string };
  tasks?: TaskLike[];
}

/** The vitest functions used, as imported from 'vitest'. */
export interface VitestApi {
  beforeAll(fn: () => unknown, timeout?: number): void;
  beforeEach(fn: (context: HookContext) => unknown): void;
  afterEach(fn: (context: HookContext) => unknown): void;
  afterAll(fn: () => unknown): void;
  expect: { extend(matchers: Record<string, (this: unknown, received: unknown) => unknown>): void };
  inject(key: never): unknown;
  /** vitest/suite's: a test's function, read and replaced to see where its body starts. */
  getFn?(task: never): (...args: unknown[]) => unknown;
  setFn?(task: never, fn: (...args: unknown[]) => unknown): void;
  /** vitest/suite's: a suite's hooks, to know whether a test has beforeEach hooks besides ours. */
  getHooks?(suite: never): { beforeEach?: unknown[] } | undefined;
}

/** `describe > it`: vitest 4's fullTestName, or the suite chain up to the file. */
export function testName(task: TaskLike): string {
  if (task.fullTestName) return task.fullTestName;
  const names = [task.name];
  for (let s = task.suite; s && s.filepath === undefined && s.name; s = s.suite) names.unshift(s.name);
  return names.join(' > ');
}

function settings(api: VitestApi): { runDir: string | undefined; failOnLeak: boolean } {
  let provided: Partial<ProvidedSettings> | undefined;
  try {
    provided = api.inject(PROVIDE_KEY as never) as Partial<ProvidedSettings> | undefined;
  } catch {
    provided = undefined;
  }
  // With the global setup, its resolved flag (createGlobalSetup({ failOnLeak }) or the environment)
  // is final: an explicit failOnLeak: false must win over TT_ALLOC_TRACKING_FAIL_ON_LEAK=1.
  const failOnLeak = typeof provided?.failOnLeak === 'boolean' ? provided.failOnLeak : failOnLeakFromEnv();
  return { runDir: provided?.runDir, failOnLeak };
}

/** Polling period while another worker thread of this process owns tracking (its file is running). */
const OWNERSHIP_POLL_MS = 10;

function tryEnable(): boolean {
  if (isEnabled()) return true;
  try {
    enable();
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_TRACKER_OWNED') return false;
    throw err;
  }
}

/**
 * One process, one tracker (docs/threads.md): in the threads and vmThreads pools, the worker threads
 * of a process take turns, one test file at a time, so each file's events reach its own worker's
 * report. Waits (without a timeout: the hook is registered with timeout 0) until the worker thread
 * running another file releases tracking at that file's end.
 */
async function acquireTracking(): Promise<void> {
  while (!tryEnable()) await new Promise((resolve) => setTimeout(resolve, OWNERSHIP_POLL_MS));
}

/** Test tasks of a file in run order (what `mode: 'run'` keeps: no skipped or todo tests). */
function runnableTests(tasks: readonly TaskLike[] | undefined, out: TaskLike[] = []): TaskLike[] {
  for (const t of tasks ?? []) {
    if (t.type === 'test' && (t.mode === undefined || t.mode === 'run')) out.push(t);
    else if (t.tasks) runnableTests(t.tasks, out);
  }
  return out;
}

interface FileState {
  /** Relative to the project root: the prefix of every scope name of the file. */
  name: string;
  filepath: string;
  since: Checkpoint;
  /** The open hook scope (`<file> > beforeAll` until the first test, `<file> > afterAll` after the last). */
  hookScope: ScopeToken | undefined;
  /** Ids of buffers a test allocated that were live at its end: already that test's leaks. */
  testLeaks: Set<number>;
  lastTestId: string | undefined;
}

let installed = false;
const filesRun: string[] = [];
let file: FileState | undefined;

/**
 * Called by the setup file before each test file: registers the hooks on that file. Without isolation
 * vitest runs the setup file again in the same worker; the worker-wide part happens once.
 */
export function installTrackerHooks(api: VitestApi): void {
  // Allocations made while the test file is imported are tracked when nobody else owns tracking.
  tryEnable();
  const { runDir, failOnLeak } = settings(api);
  if (!installed) {
    installed = true;
    api.expect.extend({ toHaveNoLeaks });
    workerSetup(runDir);
  }
  registerHooks(api, runDir, failOnLeak);
}

function workerSetup(runDir: string | undefined): void {
  if (runDir !== undefined) {
    // The global teardown merges per-worker reports into TT_ALLOC_TRACKING_REPORT; a test process
    // writing that file itself would overwrite the merged one.
    writeReportAtExit(undefined);
  } else if (process.env[ENV_REPORT]) {
    process.emitWarning(`${ENV_REPORT} is set but 'tt-alloc-tracker/vitest/global-setup' is not in globalSetup: ` +
      'every test process writes its own report to that one file, the last one wins', { code: 'TT_ALLOC_TRACKER_VITEST' });
  }
}

function registerHooks(api: VitestApi, runDir: string | undefined, failOnLeak: boolean): void {
  // A test's scope: `<name> > beforeEach` from its first beforeEach hook until its body starts (when
  // vitest/suite's getFn/setFn are there to tell), then `<name>`.
  const open = new Map<string, { token: ScopeToken; since: Checkpoint; name: string; inBeforeEach: boolean }>();
  const bodyStarts = (id: string): void => {
    const state = open.get(id);
    if (!state?.inBeforeEach) return;
    endScope(state.token);
    state.token = beginScope(state.name);
    state.inBeforeEach = false;
  };
  const wrapBodies = (tests: readonly TaskLike[]): boolean => {
    const { getFn, setFn } = api;
    if (!getFn || !setFn) return false;
    for (const t of tests) {
      const body = getFn(t as never);
      if (typeof body !== 'function') continue;
      setFn(t as never, function testBody(this: unknown, ...args: unknown[]) {
        bodyStarts(t.id);
        return body.apply(this, args);
      });
    }
    return true;
  };
  let bodiesWrapped = false;
  // Whether beforeEach hooks other than this file's own (ours, on the file suite) run for the test.
  const userBeforeEach = (task: TaskLike): boolean => {
    if (!api.getHooks) return false;
    let count = 0;
    let sawFile = false;
    for (let s: TaskLike | undefined = task.suite; s; s = s.suite) {
      count += api.getHooks(s as never)?.beforeEach?.length ?? 0;
      if (s === (task.file as unknown)) sawFile = true;
    }
    // A top-level describe's `suite` chain may end before the file suite, which holds ours.
    if (!sawFile && task.file) count += api.getHooks(task.file as never)?.beforeEach?.length ?? 0;
    return count > 1;
  };

  const closeHookScope = (): void => {
    if (file?.hookScope !== undefined) endScope(file.hookScope);
    if (file) file.hookScope = undefined;
  };

  // vitest 4 passes the file's suite second (the first argument is for fixtures, which vitest reads
  // from the function's source: no parameters declared, so it asks for none).
  api.beforeAll(async function fileStart() {
    // biome-ignore lint/complexity/noArguments: a declared parameter would make vitest ask for fixtures (see above)
    const suite = arguments[1] as FileSuiteLike;
    await acquireTracking();
    const filepath = suite.filepath ?? suite.file?.filepath ?? '';
    const name = suite.file?.name ?? suite.name ?? path.basename(filepath);
    filesRun.push(name);
    const tests = runnableTests(suite.tasks);
    bodiesWrapped = wrapBodies(tests);
    file = {
      name, filepath, since: checkpoint(), hookScope: beginScope(`${name} > beforeAll`), testLeaks: new Set(),
      lastTestId: tests.length > 0 ? tests[tests.length - 1].id : undefined,
    };
  }, 0);

  api.beforeEach(({ task }) => {
    closeHookScope();
    const name = `${file?.name ?? task.file?.name ?? '?'} > ${testName(task)}`;
    const since = checkpoint();
    const hooked = bodiesWrapped && userBeforeEach(task);
    open.set(task.id, { token: beginScope(hooked ? `${name} > beforeEach` : name), since, name, inBeforeEach: hooked });
  });

  api.afterEach(({ task }) => {
    const state = open.get(task.id);
    if (!state) return;
    open.delete(task.id);
    endScope(state.token);
    const leaks = leaksSince(state.since);
    for (const l of leaks) file?.testLeaks.add(l.id);
    // After the file's last test, what runs until the file ends is its afterAll hooks.
    if (file && task.id === file.lastTestId) file.hookScope = beginScope(`${file.name} > afterAll`);
    if (!failOnLeak || leaks.length === 0) return;
    const filepath = file?.filepath ?? task.file?.filepath ?? '';
    // Point at the beforeEach hook when it made every leaked buffer, else at the test.
    const inHook = leaks.every((l) => l.scope === `${state.name} > beforeEach`);
    const at = inHook ? hookLocation(filepath, 'beforeEach') : testLocation(filepath, task.name, task.location);
    throw errorAt(describeLeaks(`tt-alloc-tracker: test "${state.name}"`, leaks), at, inHook ? 'beforeEach' : testName(task));
  });

  api.afterAll(() => {
    const f = file;
    file = undefined;
    if (!f) return;
    if (f.hookScope !== undefined) endScope(f.hookScope);
    // Live allocations of the file made outside its tests: its beforeAll/afterAll hooks (any level).
    const hookLeaks = leaksSince(f.since).filter((l) => !f.testLeaks.has(l.id));
    if (runDir !== undefined) {
      // Cumulative: a worker that runs several files rewrites its file with everything so far.
      const content: WorkerReportFile = { pid: process.pid, thread: threadId, copy: PACKAGE_COPY, files: [...filesRun], report: report() };
      writeFileSafely(processReportPath(runDir), `${JSON.stringify(content)}\n`);
    }
    // Let the worker thread running the next file of this process take tracking over.
    disable();
    if (failOnLeak && hookLeaks.length > 0) throw hookLeakError(f, hookLeaks);
  });
}

/** Points at the hook whose scope most of the leaked bytes carry (beforeAll unless only afterAll leaked). */
function hookLeakError(f: FileState, leaks: readonly Leak[]): Error {
  const inAfterAll = leaks.every((l) => l.scope === `${f.name} > afterAll`);
  const hook = inAfterAll ? 'afterAll' : 'beforeAll';
  return errorAt(describeLeaks(`tt-alloc-tracker: test file "${f.name}" (beforeAll/afterAll hooks, outside any test)`, leaks),
    hookLocation(f.filepath, hook), hook);
}

export { toHaveNoLeaks };
