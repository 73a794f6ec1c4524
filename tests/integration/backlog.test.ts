import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enqueueIngest } from '../../src/queue/enqueue.js';
import { until, useRunningHarness } from '../helpers/pipeline.js';

const dir = mkdtempSync(join(tmpdir(), 'crier-backlog-'));
const FEED = join(dir, 'wire.xml');

const YAML = `
site: { name: Test, url: https://example.org }
sources:
  - { id: wire, location: ${JSON.stringify(FEED)}, backlog: 1 }
accounts:
  - { id: x-main, platform: twitter }
publishing: { attempts: 3, backoffMs: 200, requestTimeoutMs: 3000, retentionDays: 1 }
`;

function writeFeed(items: { n: number; hoursAgo: number; title?: string }[]) {
  const body = items
    .map(({ n, hoursAgo, title }) => {
      const d = new Date(Date.now() - hoursAgo * 3_600_000).toUTCString();
      return `<item><title>${title ?? `Council story ${n}`}</title><link>https://example.org/council-${n}</link>
        <guid>https://example.org/council-${n}</guid><pubDate>${d}</pubDate>
        <description>${title ?? `The council approved plan number ${n} on Monday.`} Residents will see the first changes next spring.</description></item>`;
    })
    .join('');
  writeFileSync(
    FEED,
    `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Wire</title>
     <link>https://example.org</link><description>d</description>${body}</channel></rss>`,
  );
}

describe('a newly added feed source', () => {
  const t = useRunningHarness({ yaml: YAML });
  const poll = () =>
    enqueueIngest(t.h.ctx, { location: FEED, kind: 'auto', sourceId: 'wire', correlationId: randomUUID() });
  const links = () => t.h.fakes.twitter.posts().map((p) => p.urls[0]?.expanded_url?.split('?')[0]);

  it('posts only its newest article at the first look, then every new one, never the old backlog', async () => {
    writeFeed([
      { n: 3, hoursAgo: 1 },
      { n: 2, hoursAgo: 30 },
      { n: 1, hoursAgo: 60 },
    ]);
    await poll();
    await until(() => t.h.fakes.twitter.posts().length === 1);
    expect(links()).toEqual(['https://example.org/council-3']);
    expect(
      t.h.log.lines.some((l) => l.backlog === 2 && String(l.msg).startsWith('first look at source "wire"')),
    ).toBe(true);

    // Next poll: one new article, and a correction of one the first look held back.
    writeFeed([
      { n: 4, hoursAgo: 0.5 },
      { n: 3, hoursAgo: 1 },
      { n: 2, hoursAgo: 30, title: 'Council story 2, corrected' },
      { n: 1, hoursAgo: 60 },
    ]);
    await poll();
    await until(() => t.h.fakes.twitter.posts().length === 2);
    // The corrected backlog article got no compose job (an ingest queues its compose jobs before it completes).
    await until(async () => (await t.h.ctx.queues.ingest.getCompletedCount()) === 2);
    const composed = await t.h.ctx.queues.compose.getJobs(['completed', 'active', 'waiting', 'delayed']);
    expect(composed).toHaveLength(2);
    expect(links()).toEqual(['https://example.org/council-3', 'https://example.org/council-4']);
  });
});
