import { pino } from 'pino';
import type { Counter, Histogram } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { type AppContext, createContext } from '../../src/context.js';
import type { Post } from '../../src/core/post.js';
import { type RunningHttpServer, startHttpServer } from '../../src/http/http.js';
import { metrics, processRegistry } from '../../src/http/metrics.js';
import { ADMIN_ENV, asAdmin } from '../helpers/admin.js';
import { deletePrefix, redisUrl, uniquePrefix } from '../helpers/redis.js';

const CONFIG = `
site: { name: Test News, url: https://news.example.org }
accounts:
  - { id: x-main, platform: twitter }
  - { id: fb-page, platform: facebook, enabled: false }
`;

const post = (articleId: string): Post => ({
  platform: 'twitter',
  account: 'x-main',
  articleId,
  articleKey: `https://news.example.org/${articleId}`,
  text: 'Hello.',
  summary: 'Hello.',
  link: `https://news.example.org/${articleId}`,
  hashtags: [],
  article: { url: `https://news.example.org/${articleId}`, title: 'A' },
});

interface Sample {
  labels: Partial<Record<string, string | number>>;
  value: number;
  /** Histograms: which series (_bucket, _sum, _count). */
  metricName?: string;
}

async function valuesOf(name: string): Promise<Sample[]> {
  const metric = processRegistry().getSingleMetric(name) as Counter | Histogram | undefined;
  return (await metric?.get())?.values ?? [];
}

describe('metrics recorder (in-process)', () => {
  it('counts failed attempts per platform and kind, and observes latency only for live posts', async () => {
    metrics.jobFinished({
      queue: 'publish-facebook',
      platform: 'facebook',
      outcome: 'retrying',
      errorKind: 'transient',
      durationMs: 120,
    });
    metrics.jobFinished({
      queue: 'publish-facebook',
      platform: 'facebook',
      outcome: 'failed',
      errorKind: 'auth',
      durationMs: 80,
    });
    metrics.jobFinished({
      queue: 'publish-facebook',
      platform: 'facebook',
      outcome: 'failed',
      errorKind: 'auth',
      durationMs: 90,
    });
    metrics.jobFinished({ queue: 'ingest', outcome: 'failed', durationMs: 5 });
    metrics.jobFinished({
      queue: 'publish-twitter',
      platform: 'twitter',
      outcome: 'posted',
      durationMs: 300,
      latencyMs: 42_000,
    });
    metrics.jobFinished({
      queue: 'publish-twitter',
      platform: 'twitter',
      outcome: 'dry-run',
      durationMs: 3,
      latencyMs: 1000,
    });
    metrics.jobFinished({ queue: 'publish-twitter', platform: 'twitter', outcome: 'delayed', durationMs: 2 });

    const failures = await valuesOf('crier_failures_total');
    const count = (platform: string, kind: string) =>
      failures.find((v) => v.labels.platform === platform && v.labels.kind === kind)?.value;
    expect(count('facebook', 'transient')).toBe(1);
    expect(count('facebook', 'auth')).toBe(2);
    expect(count('none', 'error')).toBe(1);
    expect(failures.filter((v) => v.labels.platform === 'twitter')).toEqual([]);

    const latency = await valuesOf('crier_post_latency_seconds');
    const twitterCount = latency.find(
      (v) => v.metricName === 'crier_post_latency_seconds_count' && v.labels.platform === 'twitter',
    );
    const twitterSum = latency.find(
      (v) => v.metricName === 'crier_post_latency_seconds_sum' && v.labels.platform === 'twitter',
    );
    expect(twitterCount?.value).toBe(1);
    expect(twitterSum?.value).toBe(42);

    const durations = await valuesOf('crier_job_duration_seconds');
    const delayed = durations.find(
      (v) => v.metricName === 'crier_job_duration_seconds_count' && v.labels.outcome === 'delayed',
    );
    expect(delayed?.value).toBe(1);
  });
});

describe('GET /metrics (real Redis)', () => {
  const prefix = uniquePrefix();
  let ctx: AppContext;
  let server: RunningHttpServer;
  beforeAll(async () => {
    const env = { REDIS_URL: redisUrl(), CRIER_PREFIX: prefix, ...ADMIN_ENV };
    ctx = await createContext({ config: parseConfig(CONFIG, 'x'), env, logger: pino({ level: 'silent' }) });
    server = await startHttpServer(ctx, '127.0.0.1:0', {
      heartbeats: async () => [{ lastBeat: 1_700_000_000_000 }],
    });
  });
  afterAll(async () => {
    await server?.close();
    await ctx?.close();
    await deletePrefix(prefix);
  });

  it('reports job counts per queue and state, ledger states, account health and process metrics', async () => {
    await ctx.queues.ingest.add('ingest', { location: '/tmp/a.txt', kind: 'text', correlationId: 'c1' });
    await ctx.queues.ingest.add('ingest', { location: '/tmp/b.txt', kind: 'text', correlationId: 'c2' });
    const data = {
      articleId: 'a1',
      articleKey: 'k',
      platform: 'twitter' as const,
      account: 'x-main',
      correlationId: 'c3',
    };
    await ctx.queues.publish.twitter.add('publish', data, { delay: 3_600_000 });
    await ctx.ledger.createPending(post('a1'));
    await ctx.ledger.createPending(post('a2'));
    await ctx.ledger.createPending(post('a3'));
    await ctx.ledger.markPosted(
      { articleId: 'a3', platform: 'twitter', account: 'x-main' },
      { postId: '1', url: 'u' },
    );
    await ctx.accountStates.setRateLimited('x-main', Date.now() + 600_000, 'test limit');
    await ctx.accountStates.recordQuota('x-main', {
      usedPercent: 42,
      at: new Date().toISOString(),
      detail: '15-min window 58/100 left',
    });
    metrics.jobFinished({
      queue: 'publish-linkedin',
      platform: 'linkedin',
      outcome: 'posted',
      durationMs: 10,
      latencyMs: 5000,
    });

    const res = await fetch(`${server.url}/metrics`, asAdmin);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const lines = new Set(text.split('\n'));

    expect(lines).toContain('crier_jobs{queue="ingest",state="waiting"} 2');
    expect(lines).toContain('crier_jobs{queue="publish-twitter",state="delayed"} 1');
    expect(lines).toContain('crier_jobs{queue="compose",state="failed"} 0');
    for (const q of ctx.queues.all())
      expect(text).toContain(`crier_jobs{queue="${q.name}",state="active"} 0`);

    expect(lines).toContain('crier_ledger_posts{platform="twitter",state="pending"} 2');
    expect(lines).toContain('crier_ledger_posts{platform="twitter",state="posted"} 1');

    expect(lines).toContain(
      'crier_account_health{account="x-main",platform="twitter",health="rate-limited"} 1',
    );
    expect(lines).toContain('crier_account_health{account="x-main",platform="twitter",health="ok"} 0');
    expect(lines).toContain(
      'crier_account_health{account="fb-page",platform="facebook",health="disabled"} 1',
    );

    expect(lines).toContain('crier_platform_quota_used_percent{account="x-main",platform="twitter"} 42');
    expect(text).not.toContain('crier_platform_quota_used_percent{account="fb-page"');

    expect(lines).toContain('crier_redis_up 1');
    expect(lines).toContain('crier_scheduler_last_beat_timestamp_seconds 1700000000');
    expect(lines).toContain('crier_post_latency_seconds_count{platform="linkedin"} 1');
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
  });

  it('serves two servers in one process without clashing registries', async () => {
    const second = await startHttpServer(ctx, '127.0.0.1:0');
    try {
      const [a, b] = await Promise.all([
        fetch(`${server.url}/metrics`, asAdmin),
        fetch(`${second.url}/metrics`, asAdmin),
      ]);
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(await b.text()).toContain('crier_jobs{queue="ingest",state="waiting"} 2');
    } finally {
      await second.close();
    }
  });
});
