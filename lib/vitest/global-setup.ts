/**
 * vitest globalSetup (`tt-alloc-tracker/vitest/global-setup`): runs in vitest's main process. setup()
 * makes a run directory and hands it to the test processes; teardown() merges the report every test
 * process wrote there into one report for the run, writes it, and removes the directory.
 * Loads neither the addon nor the package entry (whose env handling would write a report of this
 * process, which tracks nothing).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { resolveConfig } from '../config';
import { failOnLeakFromEnv } from '../env';
import { writeReportFile } from '../output/report-file';
import { mergeReports, type MergeSource } from '../report/merge';
import { REPORT_SCHEMA, type Report } from '../report/types';
import { expectKnownKeys, expectObject, expectString } from '../validate';
import { invalidOption } from '../errors';
import { PROCESS_REPORT_PATTERN, PROVIDE_KEY, type ProvidedSettings, type WorkerReportFile } from './run-dir';

export interface GlobalSetupOptions {
  /** Merged report file (suffix picks the format). @default TT_ALLOC_TRACKING_REPORT, else none */
  report?: string;
  /**
   * Fail tests that leak device memory; wins over the environment either way.
   * @default TT_ALLOC_TRACKING_FAIL_ON_LEAK ('1'/'true' on, '0'/'false'/unset off, anything else warns: off)
   */
  failOnLeak?: boolean;
}

/** What vitest passes to a global setup: the project, used for provide() and its resolved config. */
interface ProjectLike {
  provide(key: never, value: never): void;
  config?: { includeTaskLocation?: boolean };
}

interface ProcessReports {
  reports: Report[];
  sources: MergeSource[];
}

/** Every worker's file, in pid, thread, copy order (each names its process track). */
function readWorkerReports(runDir: string): ProcessReports {
  const files = fs.readdirSync(runDir).filter((f) => PROCESS_REPORT_PATTERN.test(f));
  const order = (f: string): number[] => f.match(/\d+/g)!.map(Number);
  files.sort((a, b) => order(a)[0] - order(b)[0] || order(a)[1] - order(b)[1] || order(a)[2] - order(b)[2]);
  const out: ProcessReports = { reports: [], sources: [] };
  for (const f of files) {
    const value = JSON.parse(fs.readFileSync(path.join(runDir, f), 'utf8')) as WorkerReportFile;
    if (value?.report?.schema !== REPORT_SCHEMA) continue;
    out.reports.push(value.report);
    const thread = value.thread === 0 ? '' : ` thread ${value.thread}`;
    const copy = value.copy > 1 ? ` context ${value.copy}` : '';
    out.sources.push({ label: `pid ${value.pid}${thread}${copy}`, files: value.files });
  }
  return out;
}

/** A globalSetup function with explicit options: `export default createGlobalSetup({ ... })`. */
export function createGlobalSetup(options: GlobalSetupOptions = {}): (project: ProjectLike) => () => void {
  const o = expectObject('createGlobalSetup() options', options);
  expectKnownKeys('createGlobalSetup()', o, ['report', 'failOnLeak']);
  const reportOption = o.report === undefined ? undefined : path.resolve(expectString('report', o.report));
  if (o.failOnLeak !== undefined && typeof o.failOnLeak !== 'boolean') throw invalidOption('failOnLeak', 'a boolean', o.failOnLeak, 'type');

  return (project: ProjectLike) => {
    const target = reportOption ?? envReportPath();
    const failOnLeak = (o.failOnLeak as boolean | undefined) ?? failOnLeakFromEnv();
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-alloc-tracker-run-'));
    const settings: ProvidedSettings = { runDir, failOnLeak };
    project.provide(PROVIDE_KEY as never, settings as never);
    // Test locations let a leak failure point at the test's line (lib/vitest/test-location.ts); the
    // workers receive the config after the global setup ran. An explicit setting stays.
    if (project.config && project.config.includeTaskLocation === undefined) project.config.includeTaskLocation = true;
    return () => {
      const { reports, sources } = readWorkerReports(runDir);
      fs.rmSync(runDir, { recursive: true, force: true });
      if (target === undefined) return;
      const merged = mergeReports(reports, sources);
      writeReportFile(target, merged);
      process.stdout.write(`tt-alloc-tracker: merged ${reports.length} worker report${reports.length === 1 ? '' : 's'} into ` +
        `${target}: ${merged.leakSummary.buffers} leaked buffer${merged.leakSummary.buffers === 1 ? '' : 's'}, ` +
        `${merged.summary.suspiciousFrees} suspicious free${merged.summary.suspiciousFrees === 1 ? '' : 's'}\n`);
    };
  };
}

let pending: (() => void) | undefined;

/** Default globalSetup entry: options from the environment. */
export function setup(project: ProjectLike): void {
  pending = createGlobalSetup()(project);
}

export function teardown(): void {
  pending?.();
  pending = undefined;
}

/** TT_ALLOC_TRACKING_REPORT, absolute; the environment's other problems warn here too, as in a process that loads the package. */
function envReportPath(): string | undefined {
  const config = resolveConfig({ env: process.env });
  for (const message of config.warnings) process.emitWarning(message, { code: 'TT_ALLOC_TRACKER_ENV' });
  return config.reportPath;
}
