import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningWorkers, startWorkers } from '../../jobs/workers.js';
import { enqueueIngest } from '../../src/queue/enqueue.js';
import { publishJobId } from '../../src/queue/names.js';
import { type RunningScheduler, startScheduler } from '../../src/schedule/scheduler.js';
import { SlotQueue } from '../../src/schedule/slot-queue.js';
import { type Harness, startHarness } from '../helpers/pipeline.js';
import { ARTICLE, ARTICLE_URL, feedXml, useCrierProcesses } from '../helpers/processes.js';
import { scaled, waitFor } from '../helpers/wait.js';

/**
 * A process killed at the worst moment of each stage (src/core/failpoint.ts), then the work taken up by
 * another: every post still goes out, once.
 */
const PUBLISHING =
  'publishing: { attempts: 3, backoffMs: 200, requestTimeoutMs: 5000, retentionDays: 1, lockDurationMs: 1500 }';
const TWO_ACCOUNTS = `
site: { name: Test, url: https://example.org }
accounts:
  - { id: x-main, platform: twitter }
  - { id: fb-page, platform: facebook }
${PUBLISHING}
`;
const ONE_ACCOUNT = `
site: { name: Test, url: https://example.org }
accounts:
  - { id: x-main, platform: twitter }
${PUBLISHING}
`;

describe('a process killed at each stage of the pipeline', { timeout: scaled(120_000) }, () => {
  const procs = useCrierProcesses();
  let h: Harness | undefined;
  const workers: RunningWorkers[] = [];
  let scheduler: RunningScheduler | undefined;
  afterEach(async () => {
    await scheduler?.stop();
    scheduler = undefined;
    for (const w of workers.splice(0)) await w.close();
    await h?.close();
    h = undefined;
  });

  /** Starts a `crier` child that kills itself at `point`, and waits until it has. */
  async function killedAt(hh: Harness, yaml: string, args: string[], point: string) {
    const child = procs.spawn(hh, procs.config(`${point.replace(':', '-')}.yaml`, yaml), args, {
      CRIER_FAILPOINTS: point,
    });
    await waitFor(() => child.signalCode !== null || child.exitCode !== null, {
      timeoutMs: 60_000,
      what: `the process to reach ${point}`,
    });
    expect(child.signalCode).toBe('SIGKILL');
  }

  const tweets = (hh: Harness) => hh.fakes.twitter.posts().map((p) => p.urls[0]?.expanded_url?.split('?')[0]);

  it('ingest killed after storing an article, before queueing its compose job: the re-run queues it', async () => {
    h = await startHarness({ yaml: ONE_ACCOUNT });
    const feed = join(procs.dir, 'ingest-feed.xml');
    writeFileSync(feed, feedXml(3));
    await enqueueIngest(h.ctx, { location: feed, kind: 'auto', correlationId: randomUUID() });
    await killedAt(h, ONE_ACCOUNT, ['worker', '--queues', 'ingest'], 'ingest:after-store');
    expect(await h.ctx.queues.compose.count()).toBe(0); // the article is stored, nothing carries it further

    workers.push(startWorkers(h.ctx));
    const hh = h;
    await waitFor(() => hh.fakes.twitter.posts().length === 3, { timeoutMs: 30_000, what: 'three tweets' });
    expect(new Set(tweets(h)).size).toBe(3);
  });

  it('compose killed between the ledger entries and their publish jobs: the re-run queues them', async () => {
    h = await startHarness({ yaml: TWO_ACCOUNTS });
    await enqueueIngest(h.ctx, {
      location: ARTICLE,
      kind: 'auto',
      url: ARTICLE_URL,
      correlationId: randomUUID(),
    });
    await killedAt(h, TWO_ACCOUNTS, ['worker', '--queues', 'ingest,compose'], 'compose:after-ledger');
    // The article's entries are created in one step, its jobs in the next: both entries, no job.
    const entries = await h.ctx.ledger.recent(5);
    expect(entries.map((e) => e.state)).toEqual(['pending', 'pending']);
    for (const e of entries)
      expect(
        await h.ctx.queues.publish[e.platform].getJob(publishJobId(e.articleId, e.account)),
      ).toBeUndefined();

    workers.push(startWorkers(h.ctx));
    const hh = h;
    await waitFor(() => hh.fakes.twitter.posts().length === 1 && hh.fakes.facebook.posts().length === 1, {
      timeoutMs: 30_000,
      what: 'one post per account',
    });
    await waitFor(async () => (await hh.ctx.ledger.recent(5)).every((x) => x.state === 'posted'));
    expect(h.fakes.twitter.posts()).toHaveLength(1);
    expect(h.fakes.facebook.posts()).toHaveLength(1);
  });

  it("a publish job whose workers die twice is not failed by BullMQ's stall rule: it is sent, once", async () => {
    h = await startHarness({ yaml: ONE_ACCOUNT });
    workers.push(startWorkers(h.ctx, ['ingest', 'compose']));
    await enqueueIngest(h.ctx, {
      location: ARTICLE,
      kind: 'auto',
      url: ARTICLE_URL,
      correlationId: randomUUID(),
    });
    await killedAt(h, ONE_ACCOUNT, ['worker', '--queues', 'twitter'], 'publish:after-claim');
    await killedAt(h, ONE_ACCOUNT, ['worker', '--queues', 'twitter'], 'publish:after-claim');
    expect((await h.ctx.ledger.recent(1))[0]?.state).toBe('sending');

    workers.push(startWorkers(h.ctx, ['twitter']));
    const hh = h;
    await waitFor(async () => (await hh.ctx.ledger.recent(1))[0]?.state === 'posted', {
      timeoutMs: 30_000,
      what: 'the post recorded as posted',
    });
    expect(h.fakes.twitter.posts()).toHaveLength(1);
    expect(await h.ctx.queues.publish.twitter.getJobCounts('failed')).toEqual({ failed: 0 });
    expect(h.log.events('stalled').length).toBeGreaterThan(0); // each stall is a logged transition
  });

  it(
    'a scheduler killed between taking a post for a slot and queueing it: the post still goes, once',
    async () => {
      const yaml = `
site: { name: Test, url: https://example.org }
accounts:
  - id: x-main
    platform: twitter
    schedule: { mode: slots, slots: ["* * * * * *"], timezone: UTC }
${PUBLISHING}
`;
      h = await startHarness({ yaml });
      const slots = new SlotQueue(h.ctx.redis, h.prefix);
      workers.push(startWorkers(h.ctx, ['ingest', 'compose']));
      const feed = join(procs.dir, 'slot-feed.xml');
      writeFileSync(feed, feedXml(3));
      await enqueueIngest(h.ctx, { location: feed, kind: 'auto', correlationId: randomUUID() });
      const hh = h;
      await waitFor(async () => (await slots.count('x-main')) === 3, {
        what: 'three posts waiting for slots',
      });
      await killedAt(h, yaml, ['scheduler'], 'slot:after-take');
      expect(await slots.count('x-main')).toBe(2);
      expect(await h.ctx.queues.publish.twitter.count()).toBe(0);

      workers.push(startWorkers(h.ctx, ['twitter']));
      scheduler = await startScheduler(h.ctx);
      await waitFor(() => hh.fakes.twitter.posts().length === 3, { timeoutMs: 30_000, what: 'three tweets' });
      expect(new Set(tweets(h)).size).toBe(3);
    },
    scaled(120_000),
  );
});
