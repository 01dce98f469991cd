/** One error vocabulary for the public boundary (see docs/api.md#errors). */

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}' of type string`;
  if (typeof value === 'bigint') return `${value}n of type bigint`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${String(value)} of type ${typeof value}`;
}

/** The `code`s of validation errors, Node's own names: a caller (the CLI) tells them from bugs by these. */
export const ERR_INVALID_ARG_TYPE = 'ERR_INVALID_ARG_TYPE';
export const ERR_INVALID_ARG_VALUE = 'ERR_INVALID_ARG_VALUE';
/** A value that should be a report and is not one (lib/report/check.ts). */
export const ERR_INVALID_REPORT = 'ERR_INVALID_REPORT';
export const VALIDATION_CODES: readonly string[] = [ERR_INVALID_ARG_TYPE, ERR_INVALID_ARG_VALUE, ERR_INVALID_REPORT];

/** `error` with an own enumerable `code`, as Node's errors carry it. */
export function withCode<E extends Error>(error: E, code: string): E & { code: string } {
  return Object.assign(error, { code });
}

/** True for the errors of the public boundary's checks (a code in VALIDATION_CODES). */
export function isValidationError(err: unknown): err is Error & { code: string } {
  return err instanceof Error && VALIDATION_CODES.includes((err as { code?: unknown }).code as string);
}

/**
 * "Expected <what> for <option> but received <value>". TypeError (code ERR_INVALID_ARG_TYPE) when
 * the type is wrong, RangeError (code ERR_INVALID_ARG_VALUE) when the type is right and the value
 * is not allowed.
 */
export function invalidOption(option: string, expected: string, received: unknown, kind: 'type' | 'range'): Error & { code: string } {
  const message = `Expected ${expected} for ${option} but received ${describe(received)}`;
  const error = kind === 'type' ? withCode(new TypeError(message), ERR_INVALID_ARG_TYPE) : withCode(new RangeError(message), ERR_INVALID_ARG_VALUE);
  // Not enumerable: the error prints as before; lib/env.ts words an environment variable's warning with it.
  Object.defineProperty(error, 'expected', { value: expected, enumerable: false });
  return error;
}

/** What an invalidOption() error said was allowed ("a power of two between 64 and 67108864"), else undefined. */
export function expectedOf(err: unknown): string | undefined {
  const expected = err instanceof Error ? (err as { expected?: unknown }).expected : undefined;
  return typeof expected === 'string' ? expected : undefined;
}

/** A failure of the native layer or the runtime, with a stable `code`. */
export class TrackerError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'TrackerError';
    this.code = code;
  }
}

/**
 * A journal or ring file that cannot be read: `file`, the byte `offset` where the problem is (when
 * there is one) and the problem, also as the message `<file>: byte <offset>: <problem>`. Codes:
 * ERR_JOURNAL_IO, ERR_JOURNAL_MAGIC, ERR_JOURNAL_VERSION, ERR_JOURNAL_HEADER, ERR_JOURNAL_TRUNCATED,
 * ERR_JOURNAL_CHECKSUM, ERR_JOURNAL_LENGTH, ERR_JOURNAL_BLOCK, ERR_JOURNAL_RING (docs/recording.md).
 */
export class JournalError extends TrackerError {
  readonly file: string;
  readonly offset: number | undefined;
  readonly problem: string;
  constructor(code: string, file: string, offset: number | undefined, problem: string) {
    super(code, offset === undefined ? `${file}: ${problem}` : `${file}: byte ${offset}: ${problem}`);
    this.name = 'JournalError';
    this.file = file;
    this.offset = offset;
    this.problem = problem;
  }
}
