/**
 * The run directory shared by vitest's global setup (main process) and the test processes: each
 * test process writes `report-<pid>.json` there, the global teardown merges them.
 */
import * as path from 'node:path';

/** Key under which the global setup provides its settings (vitest's provide()/inject()). */
export const PROVIDE_KEY = 'ttAllocTracker';

export { ENV_FAIL_ON_LEAK } from '../env';

export interface ProvidedSettings {
  runDir: string;
  /** Resolved in the main process (option, else environment): the test processes take it as is. */
  failOnLeak: boolean;
}

export const PROCESS_REPORT_PATTERN = /^report-\d+\.json$/;

export function processReportPath(runDir: string, pid: number = process.pid): string {
  return path.join(runDir, `report-${pid}.json`);
}
