import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSource } from '../../src/articles/read.js';
import { enqueueIngest } from '../../src/queue/enqueue.js';
import { until, useRunningHarness } from '../helpers/pipeline.js';

const dir = mkdtempSync(join(tmpdir(), 'crier-moved-'));
const FEED = join(dir, 'site.xml');

/** A WordPress-style feed: permalink as link, "?p=<id>" as the GUID. */
function writeFeed(items: { id: number; slug: string; title: string }[]) {
  const body = items
    .map(
      ({ id, slug, title }) => `<item><title>${title}</title><link>https://example.org/2026/11/${slug}/</link>
        <guid isPermaLink="false">https://example.org/?p=${id}</guid>
        <pubDate>${new Date().toUTCString()}</pubDate>
        <description>${title}. The council approved the plan on Monday and residents will see changes in spring.</description></item>`,
    )
    .join('');
  writeFileSync(
    FEED,
    `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Site</title>
     <link>https://example.org</link><description>d</description>${body}</channel></rss>`,
  );
}

const YAML = `
site: { name: Test, url: https://example.org }
sources:
  - { id: site, location: ${JSON.stringify(FEED)} }
accounts:
  - { id: x-main, platform: twitter }
  - { id: fb-page, platform: facebook }
publishing: { attempts: 3, backoffMs: 200, requestTimeoutMs: 3000, retentionDays: 1 }
`;

describe('an article whose address changes (an edited slug)', () => {
  const t = useRunningHarness({ yaml: YAML });
  const poll = () =>
    enqueueIngest(t.h.ctx, { location: FEED, kind: 'auto', sourceId: 'site', correlationId: randomUUID() });

  it('keeps its GUID as a second identity', async () => {
    writeFeed([{ id: 41, slug: 'council-plan', title: 'Council approves plan' }]);
    const [a] = await readSource(FEED);
    expect(a?.aliases).toEqual(['guid:example.org:https://example.org/?p=41']);
  });

  it('is known by its GUID: no second post, nothing withdrawn, the move is logged', async () => {
    writeFeed([{ id: 41, slug: 'council-plan', title: 'Council approves plan' }]);
    await poll();
    await until(() => t.h.fakes.twitter.posts().length === 1 && t.h.fakes.facebook.posts().length === 1);
    const [first] = await t.h.ctx.ledger.recent(1);

    // The editor fixes the slug; the feed now lists a new link for the same post, and a new article.
    writeFeed([
      { id: 42, slug: 'budget-vote', title: 'Budget vote set for Friday' },
      { id: 41, slug: 'council-approves-plan', title: 'Council approves plan' },
    ]);
    await poll();
    await until(() => t.h.fakes.twitter.posts().length === 2 && t.h.fakes.facebook.posts().length === 2);
    await until(async () => (await t.h.ctx.queues.ingest.getCompletedCount()) === 2);
    // Everything the second poll queued has run.
    await until(async () => {
      for (const q of t.h.ctx.queues.all()) {
        const c = await q.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        if (Object.values(c).some((n) => n > 0)) return false;
      }
      return true;
    });
    expect(t.h.fakes.twitter.posts()).toHaveLength(2);
    const moved = t.h.log.lines.find((l) => String(l.msg).startsWith('article moved to a new address'));
    expect(moved).toMatchObject({
      articleId: first!.articleId,
      to: 'https://example.org/2026/11/council-approves-plan/',
    });
    const links = t.h.fakes.twitter.posts().map((p) => p.urls[0]?.expanded_url?.split('?')[0]);
    expect(links).toEqual([
      'https://example.org/2026/11/council-plan/',
      'https://example.org/2026/11/budget-vote/',
    ]);
    const ingest = await t.h.ctx.queues.ingest.getJobs(['completed']);
    expect(ingest.map((j) => j.returnvalue?.withdrawn)).toEqual([0, 0]);
  });
});
