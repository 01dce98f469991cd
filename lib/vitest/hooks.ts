/**
 * The vitest setup file's work, with vitest's functions passed in (this file is CommonJS and vitest
 * is ESM-only; dist/esm/vitest.mjs imports vitest and calls installTrackerHooks):
 * - enables tracking, and registers the toHaveNoLeaks() matcher;
 * - wraps every test in a scope named by its full name (`describe > it`);
 * - with failOnLeak, fails a test whose own allocations are still live after its afterEach hooks;
 * - after each test file, writes this process's report into the global setup's run directory.
 */
// The package entry first: it reads the TT_ALLOC_TRACKING_* switches (ring size, overflow, report).
import '../index';
import { checkpoint, enable, isEnabled, leaksSince, report } from '../tracker';
import { beginScope, endScope, type ScopeToken } from '../scopes';
import { writeReportAtExit } from '../report-at-exit';
import { writeReportFile } from '../output/report-file';
import { ENV_REPORT, failOnLeakFromEnv } from '../env';
import type { Checkpoint } from '../aggregator/aggregator';
import { describeLeaks } from './leak-message';
import { toHaveNoLeaks } from './matchers';
import { PROVIDE_KEY, processReportPath, type ProvidedSettings } from './run-dir';

/** The parts of a vitest task this file reads. */
interface TaskLike {
  id: string;
  name: string;
  fullTestName?: string;
  suite?: TaskLike & { filepath?: string };
}

interface HookContext {
  task: TaskLike;
}

/** The vitest functions used, as imported from 'vitest'. */
export interface VitestApi {
  beforeEach(fn: (context: HookContext) => unknown): void;
  afterEach(fn: (context: HookContext) => unknown): void;
  afterAll(fn: () => unknown): void;
  expect: { extend(matchers: Record<string, (this: unknown, received: unknown) => unknown>): void };
  inject(key: never): unknown;
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

let installed = false;

export function installTrackerHooks(api: VitestApi): void {
  // Without isolation vitest may evaluate the setup file again in the same process.
  if (installed) return;
  installed = true;
  if (!isEnabled()) enable();
  api.expect.extend({ toHaveNoLeaks });
  const { runDir, failOnLeak } = settings(api);
  if (runDir !== undefined) {
    // The global teardown merges per-process reports into TT_ALLOC_TRACKING_REPORT; a test process
    // writing that file itself would overwrite the merged one.
    writeReportAtExit(undefined);
  } else if (process.env[ENV_REPORT]) {
    process.emitWarning(`${ENV_REPORT} is set but 'tt-alloc-tracker/vitest/global-setup' is not in globalSetup: ` +
      'every test process writes its own report to that one file, the last one wins', { code: 'TT_ALLOC_TRACKER_VITEST' });
  }

  const open = new Map<string, { token: ScopeToken; since: Checkpoint; name: string }>();
  api.beforeEach(({ task }) => {
    const name = testName(task);
    open.set(task.id, { token: beginScope(name), since: checkpoint(), name });
  });
  api.afterEach(({ task }) => {
    const state = open.get(task.id);
    if (!state) return;
    open.delete(task.id);
    endScope(state.token);
    if (!failOnLeak) return;
    const leaks = leaksSince(state.since);
    if (leaks.length > 0) throw new Error(describeLeaks(`tt-alloc-tracker: test "${state.name}"`, leaks));
  });
  if (runDir !== undefined) {
    // Cumulative: a process that runs several files rewrites its file with everything so far.
    api.afterAll(() => writeReportFile(processReportPath(runDir), report()));
  }
}

export { toHaveNoLeaks };
