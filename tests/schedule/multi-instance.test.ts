import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/context.js';
import { type RunningScheduler, startScheduler } from '../../src/schedule/scheduler.js';
import { deletePrefix, uniquePrefix } from '../helpers/redis.js';
import { waitFor } from '../helpers/wait.js';
import { type LogLine, testApp } from './context.js';

const CONFIG = `
site: { name: Test, url: https://example.org }
sources:
  - id: tick
    kind: text
    location: tick.txt
    url: https://example.org/t
    schedule: { cron: "* * * * * *", timezone: Europe/Paris }
accounts:
  - id: fb-news
    platform: facebook
`;

/** Ingest job ids this process's enqueue calls logged ("job queued"): what this scheduler really added. */
const queuedBy = (lines: LogLine[]) =>
  lines.filter((l) => l.event === 'queued' && l.queue === 'ingest').map((l) => String(l.jobId));

describe('two scheduler instances over per-second slots (real Redis, real node-cron)', () => {
  const prefix = uniquePrefix();
  let a: { ctx: AppContext; lines: LogLine[] };
  let b: { ctx: AppContext; lines: LogLine[] };
  beforeAll(async () => {
    a = await testApp(prefix, CONFIG);
    b = await testApp(prefix, CONFIG);
  });
  afterAll(async () => {
    await a.ctx.close();
    await b.ctx.close();
    await deletePrefix(prefix);
  });

  it('queues every slot exactly once, also while one instance is stopped and after it comes back', async () => {
    const running: Record<'a' | 'b', RunningScheduler | undefined> = {
      a: await startScheduler(a.ctx, { instanceId: 'inst-a' }),
      b: await startScheduler(b.ctx, { instanceId: 'inst-b' }),
    };
    const queued = async () => (await a.ctx.queues.ingest.getJobCounts('waiting')).waiting ?? 0;
    const moreSlots = async (n: number) => {
      const from = await queued();
      await waitFor(async () => (await queued()) >= from + n, { what: `${n} more slots` });
    };
    // Which instance wins a slot's lease is a race (in one process, often the same one every time), so stop
    // whichever has won: the other must then run the slots alone, and both will have done part of the work.
    await waitFor(() => queuedBy(a.lines).length > 0 || queuedBy(b.lines).length > 0, {
      what: 'a first slot',
    });
    const winner = queuedBy(a.lines).length > 0 ? 'a' : 'b';
    await running[winner]?.stop();
    running[winner] = undefined;
    await moreSlots(2);
    running[winner] = await startScheduler((winner === 'a' ? a : b).ctx, { instanceId: `inst-${winner}2` });
    await moreSlots(2);
    await Promise.all([running.a?.stop(), running.b?.stop()]);

    const fromA = queuedBy(a.lines);
    const fromB = queuedBy(b.lines);
    // No slot was queued by both instances: the lease let one of them run it.
    expect(fromA.filter((id) => fromB.includes(id))).toEqual([]);

    const jobs = await a.ctx.queues.ingest.getJobs(['waiting']);
    const ids = jobs.map((j) => String(j.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...fromA, ...fromB].sort()).toEqual([...ids].sort());
    // Every second from the first slot to the last has its job: none lost while A was stopped or restarting.
    const seconds = ids.map((id) => Number(id.replace('poll-tick-', ''))).sort((x, y) => x - y);
    expect(seconds.length).toBeGreaterThanOrEqual(4);
    seconds.forEach((s, i) => {
      expect(s % 1000).toBe(0);
      if (i > 0) expect(s - seconds[i - 1]!).toBe(1000);
    });
    // Both instances did part of the work.
    expect(fromA.length).toBeGreaterThan(0);
    expect(fromB.length).toBeGreaterThan(0);
  });
});
