#!/usr/bin/env node
/**
 * tt-alloc-tracker command line: one file per command under commands/, registered here. A UserError
 * or a validation error of the library (a bad flag value: codes ERR_INVALID_ARG_TYPE,
 * ERR_INVALID_ARG_VALUE, ERR_INVALID_REPORT) prints one line and exits 2; anything else is a bug and
 * prints its stack, exit 1.
 */
import { Command, CommanderError } from 'commander';
import { ThresholdExceeded, UserError } from './errors';
import { isValidationError } from '../errors';
import { registerDemo } from './commands/demo';
import { registerSummary } from './commands/summary';
import { registerDiff } from './commands/diff';
import { registerMerge } from './commands/merge';
import { registerPerfetto } from './commands/perfetto';
import { registerHtml } from './commands/html';
import { registerReplay } from './commands/replay';
import { registerRecover } from './commands/recover';

const VERSION: string = require('../../package.json').version;

export function buildProgram(): Command {
  const program = new Command('tt-alloc-tracker')
    .description('Device-memory allocation tracking for TT-Metal: run the demo, read and convert reports')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerDemo(program);
  registerSummary(program);
  registerDiff(program);
  registerMerge(program);
  registerPerfetto(program);
  registerHtml(program);
  registerReplay(program);
  registerRecover(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv as string[], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof ThresholdExceeded) return 1;
    if (err instanceof UserError || isValidationError(err)) {
      process.stderr.write(`tt-alloc-tracker: ${err.message}\n`);
      return 2;
    }
    process.stderr.write(`tt-alloc-tracker: internal error: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
