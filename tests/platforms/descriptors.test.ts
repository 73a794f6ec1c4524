import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLATFORM_DESCRIPTORS, platformOf } from '../../src/platforms/descriptors.js';
import { isPlatform, PLATFORM_LIST, PLATFORMS, platformLabel } from '../../src/platforms/registry.js';

/** The light registry (names and labels) and the descriptors list say the same platforms, in the same order. */
describe('platform registry and descriptors', () => {
  it('list the same platforms in the same order', () => {
    expect(PLATFORM_DESCRIPTORS.map((d) => d.name)).toEqual([...PLATFORMS]);
    expect(PLATFORM_LIST.map((p) => p.name)).toEqual([...PLATFORMS]);
    for (const name of PLATFORMS) expect(platformOf(name).name).toBe(name);
  });

  it('every folder of src/platforms with a descriptor is registered', () => {
    const folders = readdirSync('src/platforms', { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join('src/platforms', d.name, 'descriptor.ts')))
      .map((d) => d.name)
      .sort();
    expect(folders).toEqual([...PLATFORMS].sort());
  });

  it('names are lower case and labels distinct; the label is looked up by name', () => {
    for (const p of PLATFORM_LIST) {
      expect(p.name).toMatch(/^[a-z][a-z0-9]*$/);
      expect(platformLabel(p.name)).toBe(p.label);
    }
    expect(new Set(PLATFORM_LIST.map((p) => p.label.toLowerCase())).size).toBe(PLATFORM_LIST.length);
    expect(platformLabel('twitter')).toBe('X');
    expect(isPlatform('linkedin')).toBe(true);
    expect(isPlatform('myspace')).toBe(false);
    expect(() => platformOf('myspace' as never)).toThrow(/unknown platform "myspace"/);
  });
});
