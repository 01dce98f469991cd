import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = path.join(__dirname, '..');
const { checkPackedFiles, PREBUILD } = require('../scripts/pack-rules.js') as {
  checkPackedFiles(files: string[], options?: { requirePrebuild?: boolean }): string[];
  PREBUILD: string;
};

// What `npm pack` would put in the tarball, from package.json "files" (scripts skipped: no rebuild here;
// scripts/pack-install-test.sh checks the real tarball, prebuild included, with the same rules).
function packedFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
  return (JSON.parse(out) as [{ files: { path: string }[] }])[0].files.map((f) => f.path);
}

describe('npm pack file set', () => {
  const files = packedFiles();

  it('holds only allowed files and every required one', () => {
    expect(checkPackedFiles(files)).toEqual([]);
  });

  it('holds every file that a packed markdown file links to (README.md, BENCHMARKS.md, docs/)', () => {
    const markdown = files.filter((f) => f.endsWith('.md'));
    expect(markdown).toEqual(expect.arrayContaining(['README.md', 'BENCHMARKS.md', 'docs/api.md']));
    const broken: string[] = [];
    for (const doc of markdown) {
      const text = fs.readFileSync(path.join(repo, doc), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target) || target.startsWith('#')) continue; // a URL, or an anchor in the same file
        const file = path.posix.normalize(path.posix.join(path.posix.dirname(doc), target.replace(/#.*$/, '')));
        if (!files.includes(file)) broken.push(`${doc} -> ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('holds every source the source-build fallback compiles', () => {
    const sources = execFileSync(process.execPath, ['scripts/native-manifest.js', 'sources', 'addon-sim'], { cwd: repo, encoding: 'utf8' }).trim().split(' ');
    expect(sources).toContain('native/napi/addon.cpp');
    expect(sources.filter((s) => !files.includes(s))).toEqual([]);
  });

  it('rejects tests, build outputs, CI files, sources maps and TypeScript sources; names what is missing', () => {
    const hostile = [
      ...files.filter((f) => f !== 'dist/index.js' && f !== 'native/ring.hpp'),
      'test/options.validate.test.ts', 'native/test/stress.cpp', 'native/bench/ring.cpp', 'build/Release/tt_alloc_tracker.node',
      'build-cmake/Release/tt_alloc_tracker.node', '.ci/run', 'dist/index.js.map', 'lib/index.ts', 'tt-alloc-tracker-0.1.0.tgz',
    ];
    expect(checkPackedFiles(hostile)).toEqual([
      'not allowed in the package: .ci/run',
      'not allowed in the package: build-cmake/Release/tt_alloc_tracker.node',
      'not allowed in the package: build/Release/tt_alloc_tracker.node',
      'not allowed in the package: dist/index.js.map',
      'not allowed in the package: lib/index.ts',
      'not allowed in the package: native/bench/ring.cpp',
      'not allowed in the package: native/test/stress.cpp',
      'not allowed in the package: test/options.validate.test.ts',
      'not allowed in the package: tt-alloc-tracker-0.1.0.tgz',
      'missing from the package: dist/index.js',
      'missing from the package: native/ring.hpp',
    ]);
  });

  it('requires the prebuild for this platform when asked (a real pack)', () => {
    expect(PREBUILD).toBe(`prebuilds/${process.platform}-${process.arch}/tt-alloc-tracker.node`);
    expect(checkPackedFiles(files.filter((f) => f !== PREBUILD), { requirePrebuild: true })).toEqual([`missing from the package: ${PREBUILD}`]);
  });

  it('rejects a stale compiled file that the checkout no longer has', () => {
    expect(checkPackedFiles([...files, 'dist/old-module.js'])).toEqual(['packed but not in the checkout: dist/old-module.js']);
  });
});
