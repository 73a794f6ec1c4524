import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { enqueueIngest } from '../../src/queue/enqueue.js';
import { until, useRunningHarness } from '../helpers/pipeline.js';
import { scaled } from '../helpers/wait.js';

const seedText = readFileSync(resolve('tests/fixtures/articles/furnished.txt'), 'utf8');

describe('articles corrected or withdrawn after their posts were scheduled', () => {
  const t = useRunningHarness();
  let site: Server | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'crier-corr-'));
  afterEach(async () => {
    await new Promise((r) => (site ? site.close(r) : r(undefined)));
    site = undefined;
  });

  const ingest = (location: string, extra: { url?: string; at?: string; sourceId?: string } = {}) =>
    enqueueIngest(t.h.ctx, { location, kind: 'auto', correlationId: randomUUID(), ...extra });
  const ledgerStates = async () => (await t.h.ctx.ledger.recent(20)).map((e) => e.state);

  it('posts the corrected text of an article corrected before its slot', async () => {
    const file = join(dir, 'story.txt');
    writeFileSync(file, seedText);
    // The correction must be read before the slot: room for a loaded machine (CRIER_TEST_SLOWDOWN scales it).
    const at = new Date(Date.now() + scaled(6000)).toISOString();
    await ingest(file, { url: 'https://example.org/macron-putin', at });
    await until(async () => (await ledgerStates()).length === 3);
    // The desk corrects the very sentence the pending posts quote.
    const [pending] = await t.h.ctx.ledger.recent(1);
    const quoted = pending!.post.summary.split(/(?<=[.!?])\s/)[0]!;
    expect(seedText).toContain(quoted);
    const corrected = seedText.replace(quoted, quoted.replace(/^(\S+ \S+)/, '$1, corrected by our desk,'));
    writeFileSync(file, corrected);
    await ingest(file, { url: 'https://example.org/macron-putin', at });
    await until(
      () => t.h.fakes.facebook.posts().length === 1 && t.h.fakes.linkedin.posts().length === 1,
      20_000,
    );
    await until(() => t.h.fakes.twitter.posts().length === 1);
    const all = [
      t.h.fakes.facebook.posts()[0]?.message,
      t.h.fakes.linkedin.posts()[0]?.visibleText,
      t.h.fakes.twitter.posts()[0]?.text,
    ];
    expect(all.join('\n')).not.toContain(quoted);
    expect(t.h.log.lines.some((l) => l.msg === 'pending post updated with corrected article')).toBe(true);
  });

  it('does not post an article whose page answers 410 by the time its posts are due', async () => {
    let status = 200;
    site = createServer((_req, res) => {
      res.statusCode = status;
      res.end();
    });
    await new Promise<void>((r) => site!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(site.address() as AddressInfo).port}/2026/macron-putin`;
    const file = join(dir, 'gone.txt');
    writeFileSync(file, seedText);
    await ingest(file, { url, at: new Date(Date.now() + scaled(4000)).toISOString() });
    await until(async () => (await ledgerStates()).length === 3);
    status = 410;
    await until(async () => (await ledgerStates()).every((s) => s === 'cancelled'), 20_000);
    expect(
      t.h.fakes.twitter.posts().length +
        t.h.fakes.facebook.posts().length +
        t.h.fakes.linkedin.posts().length,
    ).toBe(0);
    const warn = t.h.log.lines.find(
      (l) => l.msg === 'article withdrawn from the site: its posts were not sent',
    );
    expect(warn?.reason).toMatch(/HTTP 410/);
  });

  it('cancels the waiting posts of an item that left its feed while newer than the oldest item listed', async () => {
    const item = (
      n: number,
      day: number,
    ) => `<item><title>Story ${n}</title><link>https://example.org/story-${n}</link>
      <guid>https://example.org/story-${n}</guid><pubDate>${new Date(Date.UTC(2026, 10, day, 9)).toUTCString()}</pubDate>
      <description>Story ${n} happened on day ${day}. Officials confirmed the details on Tuesday. More reports are expected.</description></item>`;
    const feed = (items: string[]) =>
      `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title><link>https://example.org</link>
      <description>d</description>${items.join('')}</channel></rss>`;
    const file = join(dir, 'feed.xml');
    writeFileSync(file, feed([item(3, 23), item(2, 22), item(1, 21)]));
    const at = new Date(Date.now() + 3_600_000).toISOString();
    await ingest(file, { sourceId: 'wire', at });
    await until(async () => (await ledgerStates()).length === 9);
    writeFileSync(file, feed([item(3, 23), item(1, 21)])); // story 2 taken down
    await ingest(file, { sourceId: 'wire', at });
    await until(async () => (await ledgerStates()).filter((s) => s === 'cancelled').length === 3);
    const cancelled = (await t.h.ctx.ledger.recent(20)).filter((e) => e.state === 'cancelled');
    expect(new Set(cancelled.map((e) => e.post.article.url))).toEqual(
      new Set(['https://example.org/story-2']),
    );
    expect(cancelled[0]?.error).toMatch(/no longer in source "wire"/);
  });
});
