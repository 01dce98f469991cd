/** The errors of the public boundary as thrown: exact message and Node-style `code` (lib/errors.ts). */
export function typeError(message: string, code = 'ERR_INVALID_ARG_TYPE'): TypeError {
  return Object.assign(new TypeError(message), { code });
}

export function rangeError(message: string, code = 'ERR_INVALID_ARG_VALUE'): RangeError {
  return Object.assign(new RangeError(message), { code });
}

/** expectKnownKeys(): a TypeError, with the code of a bad value (the key is the value that is wrong). */
export function unknownOption(message: string): TypeError {
  return typeError(message, 'ERR_INVALID_ARG_VALUE');
}
