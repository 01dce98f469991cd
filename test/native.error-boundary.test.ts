import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

// The native side of the error boundary (native/napi/error_boundary.hpp): every function the addon
// exports runs inside one guard, and one table gives each C++ exception its code. The addon is loaded
// directly (the gyp build npm ci makes), so what is checked is the native layer alone; lib/native.ts
// turns these coded errors into TrackerErrors.
const repo = path.join(__dirname, '..');
const addonPath = path.join(repo, 'build', 'Release', 'tt_alloc_tracker.node');
type Fn = (...args: unknown[]) => unknown;
const addon = require(addonPath) as Record<string, Fn> & Record<'testing' | 'sim' | 'processor', Record<string, Fn>>;

const EXPORTING = ['native/napi', 'native/tt-metal'].flatMap((dir) =>
  fs.readdirSync(path.join(repo, dir)).filter((f) => /\.(cpp|hpp)$/.test(f)).map((f) => `${dir}/${f}`));
const source = (file: string) => fs.readFileSync(path.join(repo, file), 'utf8').replace(/^\s*\/\/.*$/gm, '');

function thrown(fn: () => unknown): { name: string; code: unknown; message: string } {
  try {
    fn();
  } catch (err) {
    const e = err as Error & { code?: unknown };
    return { name: e.constructor.name, code: e.code, message: e.message };
  }
  throw new Error('did not throw');
}

async function rejected(promise: Promise<unknown>): Promise<{ name: string; code: unknown; message: string }> {
  try {
    await promise;
  } catch (err) {
    const e = err as Error & { code?: unknown };
    return { name: e.constructor.name, code: e.code, message: e.message };
  }
  throw new Error('did not reject');
}

describe('native error boundary: the sources', () => {
  it('export functions only through Export() and build JS errors only in error_boundary.cpp', () => {
    const functionNew = EXPORTING.filter((f) => source(f).includes('Napi::Function::New'));
    expect(functionNew).toEqual(['native/napi/error_boundary.hpp']);
    const errorNew = EXPORTING.filter((f) => /Napi::(Type|Range)?Error::New/.test(source(f)));
    expect(errorNew).toEqual(['native/napi/error_boundary.cpp']);
    // Workers report failures through PromiseWorker, which classifies them like a synchronous throw.
    expect(EXPORTING.filter((f) => source(f).includes('SetError('))).toEqual(['native/napi/promise_worker.hpp']);
  });

  it('throw only exceptions that carry a code (or rethrow)', () => {
    const kinds = new Set(EXPORTING.flatMap((f) => [...source(f).matchAll(/\bthrow\b\s*([\w:]*)/g)].map((m) => m[1] || 'rethrow')));
    // OwnedError (environments.cpp) returns a CodedFailure; SimError carries an ERR_SIM_* code.
    expect([...kinds].sort()).toEqual(['CodedFailure', 'OwnedError', 'ToJsError', 'rethrow', 'tm::SimError']);
  });

  it('gives only codes docs/api.md documents', () => {
    const files = [...EXPORTING, ...fs.readdirSync(path.join(repo, 'native/sim')).map((f) => `native/sim/${f}`)];
    const codes = new Set(files.flatMap((f) => [...source(f).matchAll(/"(ERR_[A-Z_]+)"/g)].map((m) => m[1])));
    const api = fs.readFileSync(path.join(repo, 'docs/api.md'), 'utf8');
    const table = api.slice(api.indexOf('### `class TrackerError'), api.indexOf('### `class JournalError'));
    expect(codes).toContain('ERR_TRACKER_OWNED');
    expect([...codes].filter((c) => !table.includes(`\`${c}\``))).toEqual([]);
  });
});

describe('native error boundary: what JS sees', () => {
  it('an argument N-API cannot read: node-addon-api\'s error, class and message kept, code ERR_NATIVE_ARGUMENT', () => {
    // napi_get_value_uint32 / napi_get_value_string_utf8 fail with napi_number_expected /
    // napi_string_expected, which node-addon-api's Error::New(env) turns into a TypeError with N-API's
    // own message (node's js_native_api_v8.cc error_messages table).
    expect(thrown(() => addon.mark('x', 0, false))).toEqual({ name: 'TypeError', code: 'ERR_NATIVE_ARGUMENT', message: 'A number was expected' });
    expect(thrown(() => addon.intern(42))).toEqual({ name: 'TypeError', code: 'ERR_NATIVE_ARGUMENT', message: 'A string was expected' });
    // napi_get_typedarray_info on a non-TypedArray: napi_invalid_arg, a plain Error.
    expect(thrown(() => addon.testing.crc32c(7))).toEqual({ name: 'Error', code: 'ERR_NATIVE_ARGUMENT', message: 'Invalid argument' });
  });

  it('a failure the N-API layer names itself keeps its message and gains a code', () => {
    // dlopen(RTLD_NOLOAD) of a path that is not loaded fails; glibc's dlerror() names the file and errno.
    expect(thrown(() => addon.testing.pushViaCApi('/nonexistent/addon.node', 1))).toEqual({
      name: 'Error', code: 'ERR_C_API_UNAVAILABLE',
      message: 'pushViaCApi: dlopen failed: /nonexistent/addon.node: cannot open shared object file: No such file or directory',
    });
    expect(thrown(() => addon.testing.backgroundResult())).toEqual({ name: 'Error', code: 'ERR_NO_PRODUCER_RUN', message: 'backgroundResult: no run was started' });
  });

  it('the simulated runtime\'s SimError reaches JS with its own code and message', () => {
    // SimRegistry::device (sim_registry.cpp) and PartNamed (js_sim.cpp) throw these.
    expect(thrown(() => addon.sim.createProgram(63, false))).toEqual({ name: 'Error', code: 'ERR_SIM_NO_DEVICE', message: 'no open simulated device with id 63' });
    expect(thrown(() => addon.sim.openDevice({ part: 'p300', l1SmallSize: 0, traceRegionSize: 0 })))
      .toEqual({ name: 'Error', code: 'ERR_SIM_INTERNAL', message: 'unknown part p300' });
  });

  it('a pool-thread job rejects with the code a synchronous call would throw', async () => {
    // Chip 63 (the last of the 64 simulated ids) was never opened: SimRegistry::device throws ERR_SIM_NO_DEVICE.
    expect(await rejected(addon.sim.allocFreeOnThread(63, 1, 1024, 0) as Promise<unknown>)).toEqual({ name: 'Error', code: 'ERR_SIM_NO_DEVICE', message: 'no open simulated device with id 63' });
    expect(await rejected(addon.processor.workloadOnThread(63, false) as Promise<unknown>)).toEqual({ name: 'Error', code: 'ERR_SIM_NO_DEVICE', message: 'no open simulated device with id 63' });
  });

  it('every exported function, given arguments it cannot use, returns or fails with a code; none aborts', () => {
    // In a child process: the sweep calls disable(), closeAll(), detach() and the like.
    const script = `
      const addon = require(${JSON.stringify(addonPath)});
      const out = {};
      const pending = [];
      const walk = (obj, prefix) => {
        for (const [key, value] of Object.entries(obj)) {
          if (typeof value === 'function') {
            const name = prefix + key;
            try {
              const r = value(Symbol('bad'), Symbol('bad'), Symbol('bad'), Symbol('bad'));
              out[name] = 'returned';
              if (r instanceof Promise) pending.push(r.then(() => { out[name] = 'resolved'; }, (e) => { out[name] = typeof e.code === 'string' ? e.code : 'UNCODED ' + e; }));
            } catch (e) {
              out[name] = typeof e.code === 'string' ? e.code : 'UNCODED ' + e;
            }
          } else if (value && typeof value === 'object') walk(value, prefix + key + '.');
        }
      };
      walk(addon, '');
      Promise.all(pending).then(() => console.log(JSON.stringify(out)));
    `;
    const outcomes = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })) as Record<string, string>;
    expect(Object.entries(outcomes).filter(([, o]) => o.startsWith('UNCODED'))).toEqual([]);
    // The sweep reached every function the sources export (sim build: every Export<> site).
    const exported = EXPORTING.flatMap((f) => [...source(f).matchAll(/Export<[^>]+>\(env, \w+, "(\w+)"\)/g)].map((m) => m[1]));
    expect(Object.keys(outcomes).map((k) => k.split('.').at(-1)).sort()).toEqual(exported.sort());
    // A few exact outcomes: number arguments read from a Symbol fail in N-API; getters on a Symbol's
    // wrapper object read undefined, which is not a number either; functions without arguments run.
    expect(outcomes).toMatchObject({
      enable: 'ERR_NATIVE_ARGUMENT', mark: 'ERR_NATIVE_ARGUMENT', isEnabled: 'returned', 'testing.backgroundResult': 'ERR_NO_PRODUCER_RUN',
      'sim.openDevice': 'ERR_NATIVE_ARGUMENT', 'sim.parts': 'returned', 'sim.allocFreeOnThread': 'ERR_NATIVE_ARGUMENT',
      'processor.info': 'returned',
    });
  });
});
