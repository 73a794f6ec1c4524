import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enqueueIngest } from '../../src/queue/enqueue.js';
import { collectStatus } from '../../src/status/status.js';
import { twitterText } from '../../src/summaries/twitter-text.js';
import { until, useRunningHarness } from '../helpers/pipeline.js';

const SEED = resolve('tests/fixtures/articles/furnished.txt');
const SAMPLE = resolve('config/sample-article.txt');
const URL_SEED = 'https://example.org/macron-putin';

describe('article → three published posts through BullMQ (real Redis, HTTPS fakes)', () => {
  const t = useRunningHarness({}, { each: false });

  const ingest = (location: string, url?: string, force = false) =>
    enqueueIngest(t.h.ctx, { location, kind: 'auto', url, correlationId: randomUUID(), force });

  const allPosted = async (articleId: string) => {
    const states = await Promise.all(
      [...t.h.ctx.accounts.values()].map((rt) =>
        t.h.ctx.ledger.get({ articleId, platform: rt.config.platform, account: rt.config.id }),
      ),
    );
    return states.every((e) => e?.state === 'posted');
  };

  it('publishes the seed article once to each platform, well formed', async () => {
    await ingest(SEED, URL_SEED);
    await until(
      () =>
        t.h.fakes.twitter.posts().length +
          t.h.fakes.facebook.posts().length +
          t.h.fakes.linkedin.posts().length >=
        3,
    );
    const [tweet] = t.h.fakes.twitter.posts();
    const [fb] = t.h.fakes.facebook.posts();
    const [li] = t.h.fakes.linkedin.posts();
    expect(t.h.fakes.twitter.posts()).toHaveLength(1);
    expect(t.h.fakes.facebook.posts()).toHaveLength(1);
    expect(t.h.fakes.linkedin.posts()).toHaveLength(1);

    expect(twitterText().parseTweet(tweet!.text).valid).toBe(true);
    expect(tweet!.text).toContain('example.org/macron-putin');
    expect(fb!.link).toContain('example.org/macron-putin');
    expect(fb!.message).not.toMatch(/Skip to content|Leave a comment|kousdas@gmail\.com/);
    expect(li!.cutAt).toBe(-1); // nothing was cut by an unescaped reserved character
    expect(li!.article?.source).toContain('example.org/macron-putin');
    expect(li!.article?.title).toBe(
      'Mayor Okafor Asks Rail Unions Back To Talks, Commuters Brace For Strike',
    );
    for (const text of [tweet!.text, fb!.message ?? '', li!.visibleText]) {
      expect(text).not.toMatch(
        /Skip to content|Leave a comment|Contact us|@gmail|on Facebook|With inputs from/,
      );
    }

    const articleId = (await t.h.ctx.ledger.recent(1))[0]!.articleId;
    await until(() => allPosted(articleId));
    const status = await collectStatus(t.h.ctx);
    const posted = status.posts.filter((p) => p.articleId === articleId);
    expect(posted.map((p) => p.platform).sort()).toEqual(['facebook', 'linkedin', 'twitter']);
    expect(posted.find((p) => p.platform === 'twitter')?.url).toBe(`https://x.com/i/web/status/${tweet!.id}`);
    expect(posted.find((p) => p.platform === 'linkedin')?.url).toBe(
      `https://www.linkedin.com/feed/update/${li!.id}`,
    );

    // One log line per transition, with the fields admins filter on.
    const completed = t.h.log.events('completed').filter((l) => String(l.queue).startsWith('publish-'));
    expect(completed).toHaveLength(3);
    for (const l of completed) {
      expect(l).toMatchObject({ articleId, attempt: 1, outcome: 'posted' });
      expect(l.postUrl).toMatch(/^https:\/\//);
      expect(typeof l.durationMs).toBe('number');
    }
    expect(
      new Set(t.h.log.lines.filter((l) => l.articleId === articleId).map((l) => l.correlationId)).size,
    ).toBe(1);
    expect(JSON.stringify(t.h.log.lines)).not.toContain(t.h.fakes.env().FACEBOOK_PAGE_TOKEN);
  });

  it('posts nothing when the same article is ingested again, even when forced', async () => {
    await ingest(SEED, URL_SEED);
    await ingest(SEED, URL_SEED, true);
    await until(async () => ((await t.h.ctx.queues.compose.getJobCounts('completed')).completed ?? 0) >= 2);
    await until(async () => {
      const c = await Promise.all(
        Object.values(t.h.ctx.queues.publish).map((q) => q.getJobCounts('waiting', 'active', 'delayed')),
      );
      return c.every((x) => (x.waiting ?? 0) + (x.active ?? 0) + (x.delayed ?? 0) === 0);
    });
    expect(t.h.fakes.twitter.posts()).toHaveLength(1);
    expect(t.h.fakes.facebook.posts()).toHaveLength(1);
    expect(t.h.fakes.linkedin.posts()).toHaveLength(1);
  });

  it('publishes the bundled sample article as its own set of posts', async () => {
    await ingest(SAMPLE, 'https://example.org/2026/11/europe-energy-grid-storm');
    await until(
      () =>
        t.h.fakes.linkedin.posts().length === 2 &&
        t.h.fakes.twitter.posts().length === 2 &&
        t.h.fakes.facebook.posts().length === 2,
    );
    expect(t.h.fakes.facebook.posts()[1]?.message).not.toContain('newsroom@example.org');
  });
});
