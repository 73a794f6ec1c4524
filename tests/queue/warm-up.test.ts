import { describe, expect, it } from 'vitest';
import { warmUp } from '../../jobs/workers.js';
import type { AppContext } from '../../src/context.js';
import type { PlatformName } from '../../src/core/platform.js';

/** An account whose adapter records its loads (and can refuse to load). */
function account(id: string, platform: PlatformName, loads: string[], fails = false) {
  return {
    config: { id, platform },
    adapter: {
      load: async () => {
        if (fails) throw new Error('Cannot find module ./adapter.js');
        loads.push(id);
      },
    },
  };
}

function context(accounts: ReturnType<typeof account>[]) {
  const warnings: Array<{ fields: Record<string, unknown>; msg: string }> = [];
  const ctx = {
    accounts: new Map(accounts.map((a) => [a.config.id, a])),
    logger: { warn: (fields: Record<string, unknown>, msg: string) => warnings.push({ fields, msg }) },
  } as unknown as Pick<AppContext, 'accounts' | 'logger'>;
  return { ctx, warnings };
}

describe('warmUp: a worker loads the code of its roles before its first job', () => {
  it('loads the adapters of the platforms it publishes to, and only theirs', async () => {
    const loads: string[] = [];
    const { ctx, warnings } = context([
      account('x-main', 'twitter', loads),
      account('fb-page', 'facebook', loads),
      account('li-org', 'linkedin', loads),
    ]);
    await warmUp(ctx, ['compose', 'twitter', 'linkedin']);
    expect(loads.sort()).toEqual(['li-org', 'x-main']);
    expect(warnings).toEqual([]);
  });

  it('an ingest or compose worker loads no adapter', async () => {
    const loads: string[] = [];
    const { ctx } = context([account('x-main', 'twitter', loads)]);
    await warmUp(ctx, ['ingest', 'compose']);
    expect(loads).toEqual([]);
  });

  it('an adapter that cannot load is one warning, and the worker starts (its first post tries again)', async () => {
    const loads: string[] = [];
    const { ctx, warnings } = context([
      account('x-main', 'twitter', loads, true),
      account('fb-page', 'facebook', loads),
    ]);
    await expect(warmUp(ctx, ['twitter', 'facebook'])).resolves.toBeUndefined();
    expect(loads).toEqual(['fb-page']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.fields).toMatchObject({ account: 'x-main', platform: 'twitter' });
    expect(warnings[0]?.fields.error).toContain('Cannot find module');
  });
});
