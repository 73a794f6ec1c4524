import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enqueueIngest } from '../../src/queue/enqueue.js';
import { collectStatus } from '../../src/status/status.js';
import { until, useRunningHarness } from '../helpers/pipeline.js';

describe("the platforms' own quota counters", () => {
  const t = useRunningHarness();
  const ingest = (location: string, url: string) =>
    enqueueIngest(t.h.ctx, { location: resolve(location), kind: 'auto', url, correlationId: randomUUID() });

  it('are shown in status, and a quota X reports used up holds the account without a refused call', async () => {
    t.h.fakes.twitter.setState({ limits: { userDay: 1 } }); // this user may post once a day
    await ingest('tests/fixtures/articles/furnished.txt', 'https://example.org/macron-putin');
    await until(
      () =>
        t.h.fakes.twitter.posts().length === 1 &&
        t.h.fakes.facebook.posts().length === 1 &&
        t.h.fakes.linkedin.posts().length === 1,
    );
    await until(async () => (await t.h.ctx.accountStates.get('x-main')).health === 'rate-limited');

    const status = await collectStatus(t.h.ctx);
    const x = status.accounts.find((a) => a.account === 'x-main')!;
    expect(x.quota).toMatchObject({ usedPercent: 100 });
    expect(x.quota?.detail).toContain('user 24 h 0/1 left');
    expect(Date.parse(x.until!) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    expect(x.reason).toMatch(/^quota used up/);
    // Facebook reports its Graph usage on every answer.
    const fb = status.accounts.find((a) => a.account === 'fb-page')!;
    expect(fb.quota?.detail).toMatch(/^Graph usage at \d+%/);
    expect(fb.health).toBe('ok');

    // The next post waits for the quota to come back; X is not asked only to refuse.
    await ingest('config/sample-article.txt', 'https://example.org/grid-storm');
    await until(() =>
      t.h.log
        .events('delayed')
        .some((l) => l.platform === 'twitter' && String(l.reason).includes('quota used up')),
    );
    expect(t.h.fakes.twitter.requestsTo('POST', '/2/tweets')).toHaveLength(1);
    await until(() => t.h.fakes.facebook.posts().length === 2 && t.h.fakes.linkedin.posts().length === 2);
  });
});
