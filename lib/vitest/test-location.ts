/**
 * Where a leak failure points: the test file and the line of the test (or hook) that leaked, not
 * this package's hook that noticed. vitest shows an error at the first stack frame in a test file,
 * so the error's stack is set to one frame there.
 */
import * as fs from 'node:fs';

export interface SourceLocation {
  /** Absolute path of the test file. */
  file: string;
  /** 1-based, as vitest and editors count. */
  line: number;
  column: number;
}

function fileLines(file: string): string[] {
  try {
    return fs.readFileSync(file, 'utf8').split('\n');
  } catch {
    return [];
  }
}

/** The first line matching `pattern`, at the column where it matches; line 1 when none does. */
function firstMatch(file: string, pattern: RegExp): SourceLocation {
  const lines = fileLines(file);
  for (let i = 0; i < lines.length; i++) {
    const m = pattern.exec(lines[i]);
    if (m) return { file, line: i + 1, column: m.index + 1 };
  }
  return { file, line: 1, column: 1 };
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The test's declaration: vitest's `task.location` when it collected one (`includeTaskLocation`,
 * which the global setup turns on), else the first line with the test's name as a string literal
 * (a test named by a template or `each` falls back to line 1 of the file).
 */
export function testLocation(file: string, name: string, location?: { line: number; column: number }): SourceLocation {
  if (location) return { file, line: location.line, column: location.column };
  return firstMatch(file, new RegExp(`(['"\`])${escapeRegExp(name)}\\1`));
}

/** The first call of `hook` (`beforeAll(`, `afterAll(`…) in the file; line 1 when there is none. */
export function hookLocation(file: string, hook: string): SourceLocation {
  return firstMatch(file, new RegExp(`\\b${escapeRegExp(hook)}\\s*\\(`));
}

/** An Error whose one stack frame is `at`: vitest reports it there, with the code frame of that line. */
export function errorAt(message: string, at: SourceLocation, frameName: string): Error {
  const error = new Error(message);
  error.stack = `Error: ${message}\n    at ${frameName} (${at.file}:${at.line}:${at.column})`;
  return error;
}
