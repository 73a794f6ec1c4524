import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_DESCRIPTORS } from '../../src/platforms/descriptors.js';
import type { FakePlatform } from '../../src/platforms/fake/platform.js';
import { PLATFORMS } from '../../src/platforms/registry.js';
import { fakeTls } from '../helpers/fake-tls.js';

/** docs/adding-a-platform.md stays true to the code: what it names exists, and what exists is named. */
const DOC = readFileSync('docs/adding-a-platform.md', 'utf8');
/** The files the doc's table says every platform module has (api.ts is optional). */
const MODULE_FILES = [
  'descriptor.ts',
  'credentials.ts',
  'rules.ts',
  'classify.ts',
  'adapter.ts',
  'fake.ts',
  'fake-platform.ts',
];
/** Platforms from before the registry: named across the composers' helpers (twitter-text) and elsewhere. */
const BEFORE_THE_REGISTRY = new Set(['twitter', 'facebook', 'linkedin']);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(p) ? [p] : [];
  });
}

describe('docs/adding-a-platform.md', () => {
  const fakes: FakePlatform[] = [];
  beforeAll(async () => {
    for (const d of PLATFORM_DESCRIPTORS) fakes.push(await d.startFake(fakeTls()));
  });
  afterAll(() => Promise.all(fakes.map((f) => f.close())));

  it('names every field of the descriptors and every fake scenario', () => {
    const fields = new Set(PLATFORM_DESCRIPTORS.flatMap((d) => Object.keys(d)));
    for (const f of fields) expect(DOC, `descriptor field ${f}`).toContain(f);
    const scenarios = new Set(fakes.flatMap((f) => Object.keys(f.scenarios)));
    for (const s of scenarios) expect(DOC, `scenario ${s}`).toContain(s);
    const hooks = new Set(PLATFORM_DESCRIPTORS.flatMap((d) => Object.keys(d.rules)));
    for (const h of hooks) expect(DOC, `rules field ${h}`).toContain(h);
  });

  it('every platform module has the files the doc lists', () => {
    for (const name of PLATFORMS)
      for (const f of MODULE_FILES)
        expect(existsSync(join('src/platforms', name, f)), `src/platforms/${name}/${f}`).toBe(true);
  });

  it('every path the doc names exists', () => {
    const paths = [...DOC.matchAll(/`((?:src|tests|docs|config)\/[^`<>*\s]+)`/g)].map((m) => m[1]!);
    expect(paths.length).toBeGreaterThan(10);
    for (const p of paths) expect(existsSync(p), p).toBe(true);
  });

  it('outside its folder, src/ and jobs/ name a platform only in the registry and the descriptors list', () => {
    const code = [...files('src'), ...files('jobs')];
    for (const name of PLATFORMS.filter((p) => !BEFORE_THE_REGISTRY.has(p))) {
      const naming = code
        .filter((f) => !relative('src/platforms', f).startsWith(`${name}/`))
        .filter((f) => readFileSync(f, 'utf8').toLowerCase().includes(name))
        .sort();
      // registry.ts: its name and label (light, for --help); descriptors.ts: the import of its descriptor.
      expect(naming, name).toEqual(['src/platforms/descriptors.ts', 'src/platforms/registry.ts']);
    }
  });
});
