import { describe, expect, it } from 'vitest';
import { resolveOptions, DEFAULT_OPTIONS } from '../lib/options';
import { enable, isEnabled } from '../lib/tracker';
import { rangeError, typeError, unknownOption } from './helpers/errors';

describe('enable() options', () => {
  it('defaults every option', () => {
    expect(resolveOptions(undefined)).toEqual({ ringCapacity: 1048576, spillCapacity: 4194304, overflow: 'drop', drainIntervalMs: 100 });
    expect(resolveOptions({})).toEqual(DEFAULT_OPTIONS);
  });

  it('rejects a ringCapacity that is not a power of two', () => {
    expect(() => resolveOptions({ ringCapacity: 1000 })).toThrow(rangeError(
      'Expected a power of two between 64 and 67108864 for ringCapacity but received 1000 of type number'));
  });

  it('rejects a ringCapacity out of range or of the wrong type', () => {
    expect(() => resolveOptions({ ringCapacity: 32 })).toThrow(RangeError);
    expect(() => resolveOptions({ ringCapacity: '1024' })).toThrow(typeError(
      "Expected a power of two between 64 and 67108864 for ringCapacity but received '1024' of type string"));
  });

  it('rejects an unknown overflow policy', () => {
    expect(() => resolveOptions({ overflow: 'wait' })).toThrow(rangeError(
      "Expected one of 'drop', 'block' for overflow but received 'wait' of type string"));
  });

  it('rejects a negative spillCapacity', () => {
    expect(() => resolveOptions({ spillCapacity: -1 })).toThrow(rangeError(
      'Expected an integer between 0 and 268435456 for spillCapacity but received -1 of type number'));
  });

  it('names the closest option for a misspelt one', () => {
    expect(() => resolveOptions({ ringCapacitty: 1024 })).toThrow(unknownOption(
      "Unknown option 'ringCapacitty' for enable() (did you mean 'ringCapacity'?); allowed: ringCapacity, spillCapacity, overflow, drainIntervalMs, record"));
  });

  it('rejects options that are not a plain object', () => {
    expect(() => resolveOptions(42)).toThrow(typeError('Expected a plain object for enable() options but received 42 of type number'));
  });

  it('leaves tracking off when enable() rejects its options', () => {
    expect(() => enable({ overflow: 'never' as never })).toThrow(RangeError);
    expect(isEnabled()).toBe(false);
  });
});
