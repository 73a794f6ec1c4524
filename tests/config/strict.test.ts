import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';

interface Def {
  type: string;
  catchall?: { _zod: { def: Def } };
  checks?: Array<{ _zod: { def: { check: string } } }>;
  [k: string]: unknown;
}

/** Every schema node reachable from the root, with the config path it validates. */
function nodes(root: unknown): Array<{ path: string; def: Def }> {
  const out: Array<{ path: string; def: Def }> = [];
  const seen = new Set<unknown>();
  const walk = (node: unknown, path: string) => {
    const def = (node as { _zod?: { def?: Def } })?._zod?.def;
    // Checks (min, max, format) are nodes too: only schemas are walked.
    if (!def || 'check' in def || seen.has(node)) return;
    seen.add(node);
    out.push({ path, def });
    if (def.type === 'object')
      for (const [k, v] of Object.entries(def.shape as Record<string, unknown>)) walk(v, `${path}.${k}`);
    for (const [k, v] of Object.entries(def)) {
      if (k === 'shape' || k === 'catchall') continue;
      if (Array.isArray(v)) for (const x of v) walk(x, path);
      else if (v && typeof v === 'object') walk(v, k === 'element' ? `${path}[]` : path);
    }
  };
  walk(root, '');
  return out;
}

describe('the configuration schema, whoever adds to it', () => {
  const all = nodes(configSchema);

  it('is walked whole (objects, arrays, unions, defaults)', () => {
    expect(all.filter((n) => n.def.type === 'object').length).toBeGreaterThan(10);
    expect(all.some((n) => n.path === '.publishing.requestTimeoutMs')).toBe(true);
    expect(all.some((n) => n.path === '.accounts[].utm.campaign')).toBe(true);
  });

  it('has no object that lets an unknown (misspelt) key through, at any depth', () => {
    const loose = all
      .filter((n) => n.def.type === 'object' && n.def.catchall?._zod.def.type !== 'never')
      .map((n) => n.path || '(root)');
    expect(loose).toEqual([]);
  });

  it('has no number without a minimum and a maximum', () => {
    const unbounded = all
      .filter((n) => n.def.type === 'number')
      .filter((n) => {
        const checks = (n.def.checks ?? []).map((c) => c._zod.def.check);
        return !checks.includes('greater_than') || !checks.includes('less_than');
      })
      .map((n) => n.path);
    expect(unbounded).toEqual([]);
  });
});
