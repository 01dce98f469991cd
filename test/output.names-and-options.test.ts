/**
 * The smaller items of issue 15: replay()/recover() options checked at the boundary; op and scope
 * names escaped before they reach a terminal; names over 255 bytes cut at a UTF-8 character boundary.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recover, replay } from '../lib/index';
import { formatReport } from '../lib/output/text';
import { beginScope, endScope } from '../lib/scopes';
import * as sim from '../lib/sim';
import { enable, report, reset } from '../lib/tracker';
import { concat, endBlock, journalHeader } from './helpers/journal-writer';
import { tempDir } from './helpers/journal';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('replay() and recover() options', () => {
  const file = path.join(dir, 'empty.ttj');
  fs.writeFileSync(file, concat(journalHeader(), endBlock(0)));

  it.each([['replay()', replay], ['recover()', recover]] as const)('%s: TypeError naming the option and the value', (where, fn) => {
    const call = (options: unknown) => () => (fn as (f: string, o?: unknown) => unknown)(file, options);
    const thrown = (options: unknown) => {
      try {
        call(options)();
      } catch (err) {
        const e = err as Error & { code?: string };
        return { type: e.constructor.name, code: e.code, message: e.message };
      }
      return null;
    };
    const typeError = (message: string, code = 'ERR_INVALID_ARG_TYPE') => ({ type: 'TypeError', code, message });
    expect(thrown(null)).toEqual(typeError(`Expected a plain object for ${where} options but received null`));
    expect(thrown(42)).toEqual(typeError(`Expected a plain object for ${where} options but received 42 of type number`));
    // Unknown keys: TypeError with code ERR_INVALID_ARG_VALUE, as every other options object (lib/validate.ts).
    expect(thrown({ foo: 1 })).toEqual(typeError(`Unknown option 'foo' for ${where}; allowed: onProgress`, 'ERR_INVALID_ARG_VALUE'));
    expect(thrown({ onProgres: () => {} })).toEqual(
      typeError(`Unknown option 'onProgres' for ${where} (did you mean 'onProgress'?); allowed: onProgress`, 'ERR_INVALID_ARG_VALUE'));
    expect(thrown({ onProgress: 5 })).toEqual(typeError(`Expected a function for ${where} onProgress but received 5 of type number`));
    // Still accepted: nothing, an empty object, a callback.
    expect(call(undefined)).not.toThrow();
    expect(call({})).not.toThrow();
    const seen: number[] = [];
    call({ onProgress: (done: number) => seen.push(done) })();
    // One end block: 64-byte header + 32-byte block read.
    expect(seen).toEqual([96]);
  });
});

/** Runs `body` inside a scope named `name` that leaks one 4 KiB DRAM buffer; returns the report. */
function leakIn(name: string): ReturnType<typeof report> {
  enable({ drainIntervalMs: 0 });
  reset();
  const device = sim.openDevice();
  const token = beginScope(name);
  sim.createBuffer(device, { size: 4096, type: 'DRAM', pageSize: 4096 });
  endScope(token);
  const r = report();
  sim.close();
  return r;
}

describe('names in the text summary', () => {
  it('control characters and bidirectional overrides are shown escaped, never raw', () => {
    // ESC [ 2 J clears the screen; CR rewrites the line; U+202E reverses the text after it.
    const r = leakIn('evil\u001b[2J\r\u202escope');
    expect(r.scopes.map((s) => s.name)).toContain('evil\u001b[2J\r\u202escope');  // the report keeps the name as it is
    const text = formatReport(r, { color: false, width: 200 });
    expect(text).toContain('evil\\x1b[2J\\x0d\\u{202e}scope');
    expect(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/.test(text)).toBe(false);
  });
});

describe('names over 255 bytes (native/intern.hpp kMaxNameBytes)', () => {
  it.each([
    // 'é' is 2 bytes: 127 fit in 254 bytes; byte 255 would be the first half of the 128th.
    ['é'.repeat(200), 'é'.repeat(127)],
    // 'a' + '€' (3 bytes each): 1 + 84 × 3 = 253 bytes; the 85th '€' would need bytes 253..255.
    ['a' + '€'.repeat(100), 'a' + '€'.repeat(84)],
    // 4-byte characters: 63 × 4 = 252 bytes.
    ['😀'.repeat(70), '😀'.repeat(63)],
    // ASCII: exactly 255 bytes kept.
    ['x'.repeat(300), 'x'.repeat(255)],
  ])('are cut before the character the limit falls in', (name, kept) => {
    expect(leakIn(name).scopes.map((s) => s.name)).toContain(kept);
  });
});
