/** One error vocabulary for the public boundary (see docs/api.md#errors). */

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}' of type string`;
  if (typeof value === 'bigint') return `${value}n of type bigint`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${String(value)} of type ${typeof value}`;
}

/**
 * "Expected <what> for <option> but received <value>". TypeError when the type is wrong,
 * RangeError when the type is right and the value is not allowed.
 */
export function invalidOption(option: string, expected: string, received: unknown, kind: 'type' | 'range'): Error {
  const message = `Expected ${expected} for ${option} but received ${describe(received)}`;
  return kind === 'type' ? new TypeError(message) : new RangeError(message);
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
