import { describe, expect, it } from 'vitest';
import { enable } from '../lib/tracker';
import { native } from '../lib/native';
import { drainRecords, pushViaCApi } from '../lib/testing';
import { EventKind, Flag } from '../lib/events/format';

describe('exported C ABI and the intern table', () => {
  it('accepts events from foreign native code found with dlopen + dlsym', () => {
    enable();
    drainRecords();
    expect(pushViaCApi(10)).toBe(10);
    const records = drainRecords();
    expect(records.map((r) => [r.kind, r.objectId, r.flags])).toEqual(
      Array.from({ length: 10 }, (_, i) => [EventKind.Mark, i, i % 2 ? Flag.ScopeEnd : 0]));
    const nameId = records[0].aux;
    expect(native().names(nameId)[0]).toBe('c-api');
  });

  it('interns each name once, with dense ids', () => {
    const addon = native();
    const first = addon.intern('ttnn::matmul');
    expect(addon.intern('ttnn::matmul')).toBe(first);
    const second = addon.intern('ttnn::add');
    expect(second).toBe(first + 1);
    expect(addon.names(first)).toEqual(['ttnn::matmul', 'ttnn::add']);
    expect(addon.stats().names).toBe(second);
  });
});
