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
import { failOnLeakFromEnv, readEnv } from '../env';
import { writeReportFile } from '../output/report-file';
import { mergeReports } from '../report/merge';
import { REPORT_SCHEMA, type Report } from '../report/types';
import { expectKnownKeys, expectObject, expectString } from '../validate';
import { invalidOption } from '../errors';
import { PROCESS_REPORT_PATTERN, PROVIDE_KEY, type ProvidedSettings } from './run-dir';

export interface GlobalSetupOptions {
  /** Merged report file (suffix picks the format). @default TT_ALLOC_TRACKING_REPORT, else none */
  report?: string;
  /**
   * Fail tests that leak device memory; wins over the environment either way.
   * @default TT_ALLOC_TRACKING_FAIL_ON_LEAK ('1'/'true' on, '0'/'false'/unset off, anything else warns: off)
   */
  failOnLeak?: boolean;
}

/** What vitest passes to a global setup: the project, used for provide(). */
interface ProjectLike {
  provide(key: never, value: never): void;
}

function readProcessReports(runDir: string): Report[] {
  const files = fs.readdirSync(runDir).filter((f) => PROCESS_REPORT_PATTERN.test(f)).sort();
  const reports: Report[] = [];
  for (const f of files) {
    const value = JSON.parse(fs.readFileSync(path.join(runDir, f), 'utf8')) as Report;
    if (value?.schema === REPORT_SCHEMA) reports.push(value);
  }
  return reports;
}

/** A globalSetup function with explicit options: `export default createGlobalSetup({ ... })`. */
export function createGlobalSetup(options: GlobalSetupOptions = {}): (project: ProjectLike) => () => void {
  const o = expectObject('createGlobalSetup() options', options);
  expectKnownKeys('createGlobalSetup()', o, ['report', 'failOnLeak']);
  const reportOption = o.report === undefined ? undefined : path.resolve(expectString('report', o.report));
  if (o.failOnLeak !== undefined && typeof o.failOnLeak !== 'boolean') throw invalidOption('failOnLeak', 'a boolean', o.failOnLeak, 'type');

  return (project: ProjectLike) => {
    const target = reportOption ?? readEnv(process.env, (m) => process.emitWarning(m, { code: 'TT_ALLOC_TRACKER_ENV' })).reportPath;
    const failOnLeak = (o.failOnLeak as boolean | undefined) ?? failOnLeakFromEnv();
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-alloc-tracker-run-'));
    const settings: ProvidedSettings = { runDir, failOnLeak };
    project.provide(PROVIDE_KEY as never, settings as never);
    return () => {
      const reports = readProcessReports(runDir);
      fs.rmSync(runDir, { recursive: true, force: true });
      if (target === undefined) return;
      const merged = mergeReports(reports);
      writeReportFile(target, merged);
      process.stdout.write(`tt-alloc-tracker: merged ${reports.length} process report${reports.length === 1 ? '' : 's'} into ` +
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
