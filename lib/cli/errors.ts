/**
 * A mistake of the person at the terminal (a missing file, a malformed report, a bad flag value):
 * printed as one line without a stack trace, exit code 2. Anything else is a bug and keeps its stack.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/** `diff --fail-on` thresholds exceeded: the lines were printed, the exit code is 1. */
export class ThresholdExceeded extends Error {
  override readonly name = 'ThresholdExceeded';
}
