/**
 * Finds and loads the addon binary through node-gyp-build, the same resolver the package's `install`
 * script uses to decide whether to compile: a local build (build/Release) first, so a source build or a
 * build against a real TT-Metal wins, else the prebuild for this platform (prebuilds/<platform>-<arch>/).
 * A missing or unloadable binary is one TrackerError listing what was looked for and how to build it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENV_FORCE_SOURCE_BUILD } from './env';
import { TrackerError } from './errors';

/** binding.gyp's target_name, as node-gyp and cmake-js write it. */
export const SOURCE_BUILD_FILE = 'tt_alloc_tracker.node';
/** What `prebuildify --napi` names the binary: the package name. */
export const PREBUILD_FILE = 'tt-alloc-tracker.node';

interface AddonLocations {
  sourceBuild: string;
  prebuildDir: string;
}

function addonLocations(root: string): AddonLocations {
  return {
    sourceBuild: path.join(root, 'build', 'Release', SOURCE_BUILD_FILE),
    prebuildDir: path.join(root, 'prebuilds', `${process.platform}-${process.arch}`),
  };
}

/**
 * Loads the addon of the package at `root`. `forceSource`: only build/Release, never a prebuild
 * (TT_ALLOC_TRACKING_FORCE_SOURCE_BUILD=1).
 */
export function loadAddon<T>(root: string, forceSource: boolean): { binding: T; path: string } {
  const where = addonLocations(root);
  let file: string;
  if (forceSource) {
    file = where.sourceBuild;
  } else {
    try {
      file = require('node-gyp-build').resolve(root) as string;
    } catch {
      throw loadError(root, where, forceSource, undefined);
    }
  }
  if (!fs.existsSync(file)) throw loadError(root, where, forceSource, undefined);
  try {
    return { binding: require(file) as T, path: file };
  } catch (err) {
    throw loadError(root, where, forceSource, { file, reason: firstLine(err, file) });
  }
}

function firstLine(err: unknown, file: string): string {
  const line = (err instanceof Error ? err.message : String(err)).split('\n')[0];
  // dlopen messages start with the file name, which the error already shows.
  return line.startsWith(`${file}: `) ? line.slice(file.length + 2) : line;
}

function loadError(root: string, where: AddonLocations, forceSource: boolean, failed: { file: string; reason: string } | undefined): TrackerError {
  const status = (file: string): string =>
    failed?.file === file ? `failed to load: ${failed.reason}` : fs.existsSync(file) ? 'present' : 'not found';
  const prebuild = failed && path.dirname(failed.file) === where.prebuildDir ? failed.file : path.join(where.prebuildDir, PREBUILD_FILE);
  const lines = [
    `tt-alloc-tracker: cannot load the native addon for ${process.platform}-${process.arch} (Node ${process.version}, Node-API ${process.versions.napi}).`,
    'Looked for:',
    `  - source build: ${where.sourceBuild}: ${status(where.sourceBuild)}`,
    `  - prebuild:     ${prebuild}: ${forceSource ? `skipped (${ENV_FORCE_SOURCE_BUILD}=1)` : status(prebuild)}`,
  ];
  if (failed && failed.file !== where.sourceBuild && failed.file !== prebuild) {
    lines.push(`  - ${failed.file}: failed to load: ${failed.reason}`);
  }
  lines.push(
    'To build it from source (needs python3, make and g++ 10 or newer):',
    // The install script compiles only when no binary loads, unless told to build from source.
    forceSource ? '  npm_config_build_from_source=true npm rebuild tt-alloc-tracker' : '  npm rebuild tt-alloc-tracker',
    `or, in ${root}:`,
    '  npx node-gyp rebuild',
  );
  return new TrackerError('ERR_NATIVE_LOAD', lines.join('\n'));
}
