import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { forceSourceBuildFromEnv } from '../lib/env';
import { TrackerError } from '../lib/errors';
import { loadAddon } from '../lib/native-load';

const repo = path.join(__dirname, '..');
const platform = `${process.platform}-${process.arch}`;
// The binary this checkout would load (its build/Release, or its prebuild after `npm pack`).
const realAddon: string = require('node-gyp-build').resolve(repo);

// With a loadable prebuild, the install script compiles only when told to build from source.
const FORCED_REBUILD = 'npm_config_build_from_source=true npm rebuild tt-alloc-tracker';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});

/** A package root in a temp dir with the given files (relative path → contents or a file to copy). */
function packageRoot(files: Record<string, string | { copy: string }> = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-alloc-load-'));
  roots.push(root);
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (typeof content === 'string') fs.writeFileSync(file, content);
    else fs.copyFileSync(content.copy, file);
  }
  return root;
}

function expected(root: string, sourceBuild: string, prebuild: string, rebuild = 'npm rebuild tt-alloc-tracker'): string {
  return [
    `tt-alloc-tracker: cannot load the native addon for ${platform} (Node ${process.version}, Node-API ${process.versions.napi}).`,
    'Looked for:',
    `  - source build: ${root}/build/Release/tt_alloc_tracker.node: ${sourceBuild}`,
    `  - prebuild:     ${root}/prebuilds/${platform}/tt-alloc-tracker.node: ${prebuild}`,
    'To build it from source (needs python3, make and g++ 10 or newer):',
    `  ${rebuild}`,
    `or, in ${root}:`,
    '  npx node-gyp rebuild',
  ].join('\n');
}

function loadError(root: string, forceSource: boolean): TrackerError {
  try {
    loadAddon(root, forceSource);
  } catch (err) {
    return err as TrackerError;
  }
  throw new Error(`loadAddon(${root}) did not throw`);
}

describe('native addon loading: one error naming what was looked for', () => {
  it('no binary at all', () => {
    const root = packageRoot();
    const err = loadError(root, false);
    expect(err).toBeInstanceOf(TrackerError);
    expect(err.code).toBe('ERR_NATIVE_LOAD');
    expect(err.message).toBe(expected(root, 'not found', 'not found'));
  });

  it('a corrupt prebuild', () => {
    const root = packageRoot({ [`prebuilds/${platform}/tt-alloc-tracker.node`]: 'not a shared object\n' });
    expect(loadError(root, false).message).toBe(expected(root, 'not found', 'failed to load: file too short'));
  });

  it('a corrupt source build is what node-gyp-build picks first', () => {
    const root = packageRoot({
      'build/Release/tt_alloc_tracker.node': 'not a shared object\n',
      [`prebuilds/${platform}/tt-alloc-tracker.node`]: { copy: realAddon },
    });
    expect(loadError(root, false).message).toBe(expected(root, 'failed to load: file too short', 'present'));
  });

  it('forcing a source build ignores a valid prebuild', () => {
    const root = packageRoot({ [`prebuilds/${platform}/tt-alloc-tracker.node`]: { copy: realAddon } });
    expect(loadError(root, true).message).toBe(expected(root, 'not found', 'skipped (TT_ALLOC_TRACKING_FORCE_SOURCE_BUILD=1)', FORCED_REBUILD));
  });
});

describe('TT_ALLOC_TRACKING_FORCE_SOURCE_BUILD through the public entry point', () => {
  // A package as installed: the compiled JS, its dependencies, and the binaries the case gives it.
  function installedPackage(binaries: { sourceBuild?: boolean; prebuild?: boolean }): string {
    const root = packageRoot({
      'package.json': fs.readFileSync(path.join(repo, 'package.json'), 'utf8'),
      ...(binaries.sourceBuild ? { 'build/Release/tt_alloc_tracker.node': { copy: realAddon } } : {}),
      ...(binaries.prebuild ? { [`prebuilds/${platform}/tt-alloc-tracker.node`]: { copy: realAddon } } : {}),
    });
    fs.cpSync(path.join(repo, 'dist'), path.join(root, 'dist'), { recursive: true });
    fs.symlinkSync(path.join(repo, 'node_modules'), path.join(root, 'node_modules'));
    return root;
  }

  const script = `
    const t = require(process.argv[1]);
    try { t.enable({ drainIntervalMs: 0 }); console.log(t.nativePath(), t.isEnabled()); }
    catch (err) { console.log(err.code); console.log(err.message); }`;
  const loadIn = (root: string, force?: string) =>
    execFileSync(process.execPath, ['-e', script, path.join(root, 'dist', 'index.js')], {
      encoding: 'utf8',
      env: { ...process.env, TT_ALLOC_TRACKING_FORCE_SOURCE_BUILD: force ?? '' },
    }).trimEnd();

  it('loads the prebuild when it is the only binary, and refuses it when forced', () => {
    const root = installedPackage({ prebuild: true });
    expect(loadIn(root)).toBe(`${root}/prebuilds/${platform}/tt-alloc-tracker.node true`);
    expect(loadIn(root, '1')).toBe(`ERR_NATIVE_LOAD\n${expected(root, 'not found', 'skipped (TT_ALLOC_TRACKING_FORCE_SOURCE_BUILD=1)', FORCED_REBUILD)}`);
  });

  it('loads build/Release when forced, and prefers it anyway (a local build wins)', () => {
    const root = installedPackage({ sourceBuild: true, prebuild: true });
    expect(loadIn(root, '1')).toBe(`${root}/build/Release/tt_alloc_tracker.node true`);
    expect(loadIn(root, 'true')).toBe(`${root}/build/Release/tt_alloc_tracker.node true`);
    expect(loadIn(root)).toBe(`${root}/build/Release/tt_alloc_tracker.node true`);
  });

  it('warns about a value that is not a switch and does not force', () => {
    const warnings: string[] = [];
    expect(forceSourceBuildFromEnv({ TT_ALLOC_TRACKING_FORCE_SOURCE_BUILD: 'yes' }, (m) => warnings.push(m))).toBe(false);
    expect(warnings).toEqual([
      "TT_ALLOC_TRACKING_FORCE_SOURCE_BUILD='yes' is not one of '1', 'true', '0', 'false'; a prebuilt binary may be loaded",
    ]);
    expect(forceSourceBuildFromEnv({ TT_ALLOC_TRACKING_FORCE_SOURCE_BUILD: '0' }, (m) => warnings.push(m))).toBe(false);
    expect(warnings).toHaveLength(1);
  });
});
