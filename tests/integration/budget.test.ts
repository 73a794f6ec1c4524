import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enqueueIngest } from '../../src/queue/enqueue.js';
import { collectStatus } from '../../src/status/status.js';
import { until, useRunningHarness } from '../helpers/pipeline.js';

const YAML = `
site: { name: Test, url: https://example.org }
accounts:
  - { id: x-main, platform: twitter, budget: { posts: 1, windowHours: 24 } }
publishing: { attempts: 3, backoffMs: 200, requestTimeoutMs: 3000, retentionDays: 1 }
`;

describe('per-account posting budget', () => {
  const t = useRunningHarness({ yaml: YAML }, { each: false });

  it('is enforced before any API call: the post over budget waits for the window, nothing fails', async () => {
    const ingest = (location: string, url: string) =>
      enqueueIngest(t.h.ctx, { location: resolve(location), kind: 'auto', url, correlationId: randomUUID() });
    await ingest('tests/fixtures/articles/furnished.txt', 'https://example.org/macron-putin');
    await until(() => t.h.fakes.twitter.posts().length === 1);
    await ingest('config/sample-article.txt', 'https://example.org/grid-storm');
    await until(() =>
      t.h.log.events('delayed').some((l) => String(l.reason).startsWith('posting budget of 1 per 24 h')),
    );
    const delayed = t.h.log.events('delayed').find((l) => String(l.reason).startsWith('posting budget'));
    expect(Date.parse(String(delayed?.until)) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    expect(t.h.fakes.twitter.requestsTo('POST', '/2/tweets')).toHaveLength(1); // no call was made for the second
    const status = await collectStatus(t.h.ctx);
    expect(status.accounts[0]?.budget).toEqual({ used: 1, max: 1, windowHours: 24, remaining: 0 });
    expect(
      status.scheduled.some((s) => s.account === 'x-main' && Date.parse(s.at) > Date.now() + 23 * 3_600_000),
    ).toBe(true);
  });
});
