/**
 * The publish pipeline against raw BullMQ with the same queue shape (ingest → compose → publish-twitter,
 * publish-facebook, publish-linkedin), the same concurrency, the same job options and the same kind of Redis
 * (a private redis-server per run, so its counters are ours alone).
 *
 * One drain: start the worker process (`crier worker`, or scripts/bench/raw-worker.mjs), wait until it is
 * idle, enqueue N/3 articles at once, wait until the N posts are on the fake platforms. Measured from outside
 * the worker: wall time (posts/s), the worker's CPU time and RSS (/proc), Redis commands (INFO
 * commandstats), read events on client sockets (INFO stats total_reads_processed: one per request burst,
 * a pipeline or a MULTI counts once; this is the round-trip count) and Redis memory after the drain (INFO
 * used_memory: what the finished jobs, the ledger and the article store keep for the retention period).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config/load.js';
import { CrierQueues } from '../../src/queue/queues.js';
import { type Child, cpuSeconds, rssBytes, sleep, startNode } from './proc.js';
import type { MonitorLine } from './profile.js';
import { commandDelta, counters, type PrivateRedis, startPrivateRedis, total } from './redis.js';

export type Variant = 'crier' | 'raw';

export interface DrainOptions {
  variant: Variant;
  posts: number;
  concurrency: number;
  latencyMs: number;
  certPath: string;
  keyPath: string;
  workDir: string;
  /** Record a V8 CPU profile of the worker during the drain into this file (.cpuprofile). */
  cpuProfile?: string;
  /** Keep every command the workers send (MONITOR), to classify them. */
  monitor?: boolean;
  /** Wall-time budget of the drain. */
  timeoutMs?: number;
  /** The queues the worker runs (`crier worker --queues`); default all five. */
  queues?: string[];
}

export interface DrainResult {
  variant: Variant;
  posts: number;
  articles: number;
  concurrency: number;
  latencyMs: number;
  seconds: number;
  postsPerSecond: number;
  workerCpuSeconds: number;
  cpuMsPerPost: number;
  commandsPerPost: number;
  /** Requests the worker wrote to Redis (a pipeline or MULTI block is one), per post. */
  roundTripsPerPost: number;
  /** Read events on Redis's side (all clients; concurrent requests share one), per post. */
  readEventsPerPost: number;
  commandsByName: Record<string, number>;
  /** MEMORY USAGE of every key the run left, per post (what the retention keeps). */
  bytesPerPost: number;
  /** INFO used_memory growth over the drain (includes the script cache and buffers), per post. */
  usedMemoryPerPost: number;
  rss: { idle: number; end: number; peak: number; samples: Array<{ posts: number; rss: number }> };
  /** Growth of RSS per 1,000 posts after warm-up (the last 70 % of the drain), least squares. */
  rssSlopePer1000: number;
  fakesCpuSeconds: number;
  /** Redis memory by kind of key after the drain (MEMORY USAGE), bytes per post. */
  keyBytesPerPost: Record<string, number>;
  monitorLines?: MonitorLine[];
}

const ROOT = resolve(import.meta.dirname, '../..');
export const SAMPLE_ARTICLE = join(ROOT, 'config/sample-article.txt');
const UNBUNDLED = join(ROOT, 'dist/src/cli/main.js');
export const PREFIX = 'bench';
/** The queue shape of issue 9: three publish queues (Crier has more platforms; the bench posts to these). */
const PLATFORMS = ['twitter', 'facebook', 'linkedin'] as const;

/**
 * The configuration of the Crier runs: the three accounts of config/crier.yaml, posting at once. LinkedIn's
 * text carries the link so that the fakes' duplicate-content rules never see two equal posts.
 */
const BENCH_CONFIG = `
site: { name: Crier bench, url: https://example.org }
accounts:
  - { id: x-bench, platform: twitter, template: tweet, hashtags: { max: 2 } }
  - { id: fb-bench, platform: facebook, template: facebook, hashtags: { max: 0 } }
  - { id: li-bench, platform: linkedin, template: linkedin, hashtags: { max: 3 } }
templates:
  tweet: "{summary}\\n\\n{hashtags}\\n{link}"
  facebook: "{summary}\\n\\n{hashtags}"
  linkedin: "{summary}\\n\\n{link}\\n\\n{hashtags}"
summaries: { engine: offline }
publishing: { attempts: 5, backoffMs: 5000, retentionDays: 30 }
`;

interface Fakes {
  child: Child;
  env: Record<string, string>;
  rawUrl: string;
}

async function startFakes(o: DrainOptions): Promise<Fakes> {
  const child = startNode(
    [
      join(ROOT, 'bin/run.js'),
      join(ROOT, 'scripts/bench/fakes.ts'),
      o.certPath,
      o.keyPath,
      '--latency',
      String(o.latencyMs),
    ],
    { ...process.env, NODE_EXTRA_CA_CERTS: o.certPath },
  );
  const line = await child.waitForLine((l) => l.startsWith('{"env"'));
  const { env, rawUrl } = JSON.parse(line) as { env: Record<string, string>; rawUrl: string };
  return { child, env, rawUrl };
}

/** Requests the worker has written to Redis so far (scripts/bench/probe.mjs). */
async function redisWrites(worker: Child): Promise<number> {
  const answer = worker.waitForLine((l) => l.startsWith('{"benchRedisWrites"'), 10_000);
  worker.proc.kill('SIGUSR2');
  return (JSON.parse(await answer) as { benchRedisWrites: number }).benchRedisWrites;
}

async function fakeCounts(fakes: Fakes): Promise<Record<string, number>> {
  const answer = fakes.child.waitForLine((l) => l.startsWith('{"counts"'), 10_000);
  fakes.child.proc.stdin!.write('counts\n');
  return (JSON.parse(await answer) as { counts: Record<string, number> }).counts;
}

async function startWorker(
  o: DrainOptions,
  redis: PrivateRedis,
  fakes: Fakes,
  configFile: string,
): Promise<Child> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...fakes.env,
    REDIS_URL: redis.url,
    BENCH_REDIS_PORT: String(redis.port),
    NODE_EXTRA_CA_CERTS: o.certPath,
  };
  if (o.cpuProfile) env.BENCH_CPU_PROFILE = o.cpuProfile;
  const nodeOptions = ['--import', pathToFileURL(join(ROOT, 'scripts/bench/probe.mjs')).href];
  if (o.variant === 'crier') {
    // The profile runs the same compiled code unbundled (dist/src), so that its frames name Crier's files and
    // the packages instead of bundle chunks.
    const entry = o.cpuProfile && existsSync(UNBUNDLED) ? UNBUNDLED : join(ROOT, 'bin/crier.js');
    const child = startNode(
      [
        entry,
        'worker',
        '--queues',
        (o.queues ?? ['ingest', 'compose', ...PLATFORMS]).join(','),
        '--concurrency',
        String(o.concurrency),
      ],
      { ...env, CRIER_PREFIX: PREFIX, CRIER_CONFIG: configFile, LOG_FORMAT: 'json', LOG_LEVEL: 'info' },
      nodeOptions,
    );
    await child.waitForLine((l) => l.includes('"crier started"'));
    return child;
  }
  const child = startNode(
    [join(ROOT, 'scripts/bench/raw-worker.mjs')],
    {
      ...env,
      BENCH_PREFIX: PREFIX,
      BENCH_CONCURRENCY: String(o.concurrency),
      BENCH_RAW_URL: fakes.rawUrl,
      BENCH_RETENTION_S: String(30 * 86_400),
      BENCH_QUEUES: (o.queues ?? []).join(','),
    },
    nodeOptions,
  );
  await child.waitForLine((l) => l === 'ready');
  return child;
}

async function enqueue(o: DrainOptions, connection: Redis, configFile: string, articles: number) {
  const runId = randomUUID().slice(0, 8);
  const url = (i: number) => `https://example.org/bench/${runId}/article-${i}`;
  const ids = Array.from({ length: articles }, (_, i) => i);
  if (o.variant === 'crier') {
    // Crier's own queue facade: the job options `crier publish` gives an ingest job.
    const queues = new CrierQueues(connection, PREFIX, loadConfig(configFile).publishing);
    for (let i = 0; i < ids.length; i += 500) {
      await queues.ingest.addBulk(
        ids.slice(i, i + 500).map((n) => ({
          name: 'ingest',
          data: { location: SAMPLE_ARTICLE, kind: 'text' as const, url: url(n), correlationId: randomUUID() },
        })),
      );
    }
    await queues.close();
    return;
  }
  const { Queue } = await import('bullmq');
  const ingest = new Queue('ingest', {
    connection,
    prefix: PREFIX,
    defaultJobOptions: {
      attempts: 3,
      backoff: { type: 'exponential', delay: 5000 },
      removeOnComplete: { age: 30 * 86_400 },
      removeOnFail: { age: 30 * 86_400 },
    },
  });
  for (let i = 0; i < ids.length; i += 500) {
    await ingest.addBulk(
      ids.slice(i, i + 500).map((n) => ({ name: 'ingest', data: { location: SAMPLE_ARTICLE, url: url(n) } })),
    );
  }
  await ingest.close();
}

/**
 * Posts delivered (the fakes count them: what a user sees, whatever the queues keep of finished jobs: Crier
 * trims them by count) and failed publish jobs (one pipeline of three ZCARDs: one read event, subtracted from
 * the worker's count).
 */
async function publishCounts(
  r: Redis,
  fakes: Fakes,
  variant: Variant,
): Promise<{ done: number; failed: number }> {
  const p = r.pipeline();
  for (const platform of PLATFORMS) p.zcard(`${PREFIX}:publish-${platform}:failed`);
  const res = (await p.exec()) ?? [];
  const failed = res.reduce((sum, [, v]) => sum + Number(v), 0);
  return { done: delivered(await fakeCounts(fakes), variant), failed };
}

function delivered(counts: Record<string, number>, variant: Variant): number {
  return variant === 'raw' ? (counts.raw ?? 0) : PLATFORMS.reduce((sum, p) => sum + (counts[p] ?? 0), 0);
}

/** A key's kind: the BullMQ queue it belongs to, else Crier's first name segment (ledger, articles, …). */
export function keyKind(key: string): string {
  const rest = key.slice(PREFIX.length + 1);
  const [first, second] = rest.split(':');
  if (first === 'ingest' || first === 'compose' || first?.startsWith('publish-')) {
    const queue = first.startsWith('publish-') ? 'publish' : first;
    if (second === 'events') return `bullmq ${queue} events stream`;
    if (
      second &&
      /^(completed|failed|wait|active|delayed|prioritized|paused|meta|id|marker|stalled-check|pc|limiter|de)$/.test(
        second,
      )
    )
      return `bullmq ${queue} queue structures`;
    return `bullmq ${queue} jobs`;
  }
  return first ?? rest;
}

async function keyBytes(r: Redis): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  let cursor = '0';
  do {
    const [next, keys] = await r.scan(cursor, 'MATCH', `${PREFIX}:*`, 'COUNT', 1000);
    cursor = next;
    const p = r.pipeline();
    for (const k of keys) p.memory('USAGE', k, 'SAMPLES', '0');
    const sizes = (await p.exec()) ?? [];
    keys.forEach((k, i) => {
      const kind = keyKind(k);
      out.set(kind, (out.get(kind) ?? 0) + Number(sizes[i]?.[1] ?? 0));
    });
  } while (cursor !== '0');
  return out;
}

function slope(points: Array<{ x: number; y: number }>): number {
  if (points.length < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / points.length;
  const my = points.reduce((s, p) => s + p.y, 0) / points.length;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return den ? num / den : 0;
}

/** What a drain runs in: its config file, a private Redis and the fake platforms; `stop` tears them down. */
async function surroundings(o: Omit<DrainOptions, 'queues'>) {
  mkdirSync(o.workDir, { recursive: true });
  const configFile = join(o.workDir, 'crier-bench.yaml');
  writeFileSync(configFile, BENCH_CONFIG);
  const redis = await startPrivateRedis();
  const fakes = await startFakes(o);
  return {
    configFile,
    articles: Math.ceil(o.posts / PLATFORMS.length),
    redis,
    fakes,
    async stop() {
      fakes.child.proc.stdin!.end();
      await fakes.child.stop('SIGTERM', 10_000);
      await redis.stop();
    },
  };
}

export interface StageResult {
  variant: Variant;
  stage: 'ingest' | 'compose' | 'publish';
  articles: number;
  /** The stage's worker CPU time per article (publishing: its three posts). */
  cpuMsPerArticle: number;
  seconds: number;
}

/**
 * Where a worker's CPU time goes, stage by stage: the articles are queued, then one worker process per stage
 * runs alone on the same private Redis until its stage is done (ingest: every compose job queued; compose:
 * every publish job queued; publishing: every post on the fakes), and its CPU time is read from /proc.
 */
export async function stages(o: Omit<DrainOptions, 'queues'>): Promise<StageResult[]> {
  const run = await surroundings(o);
  const { configFile, articles, redis, fakes } = run;
  const r = new Redis(redis.url, { maxRetriesPerRequest: null });
  const waiting = async (queues: string[]) => {
    const p = r.pipeline();
    for (const q of queues) p.llen(`${PREFIX}:${q}:wait`);
    return ((await p.exec()) ?? []).reduce((sum, [, n]) => sum + Number(n), 0);
  };
  const plan: Array<{ stage: StageResult['stage']; queues: string[]; done: () => Promise<boolean> }> = [
    { stage: 'ingest', queues: ['ingest'], done: async () => (await waiting(['compose'])) >= articles },
    {
      stage: 'compose',
      queues: ['compose'],
      done: async () => (await waiting(PLATFORMS.map((p) => `publish-${p}`))) >= articles * PLATFORMS.length,
    },
    {
      stage: 'publish',
      queues: [...PLATFORMS],
      done: async () => delivered(await fakeCounts(fakes), o.variant) >= articles * PLATFORMS.length,
    },
  ];
  const out: StageResult[] = [];
  try {
    await enqueue(o, r, configFile, articles);
    for (const { stage, queues, done } of plan) {
      const worker = await startWorker({ ...o, queues }, redis, fakes, configFile);
      try {
        const cpu0 = cpuSeconds(worker.pid);
        const started = performance.now();
        const deadline = Date.now() + (o.timeoutMs ?? 600_000);
        while (!(await done())) {
          if (Date.now() > deadline)
            throw new Error(`${o.variant}: the ${stage} stage did not finish in time`);
          await sleep(50);
        }
        const seconds = (performance.now() - started) / 1000;
        const cpu = cpuSeconds(worker.pid) - cpu0;
        out.push({ variant: o.variant, stage, articles, cpuMsPerArticle: (cpu * 1000) / articles, seconds });
      } finally {
        await worker.stop('SIGTERM', 60_000);
      }
    }
    return out;
  } finally {
    r.disconnect();
    await run.stop();
  }
}

/** Runs one drain in fresh processes (Redis, fakes, worker) and tears them down. */
export async function drain(o: DrainOptions): Promise<DrainResult> {
  const run = await surroundings(o);
  const { configFile, articles, redis, fakes } = run;
  const posts = articles * PLATFORMS.length;
  let worker: Child | undefined;
  let monitor: Redis | undefined;
  try {
    worker = await startWorker(o, redis, fakes, configFile);
    await sleep(1000); // let start-up work settle: the measurement starts idle
    // The bench's own connections: their commands are not the worker's.
    const poll = new Redis(redis.url, { maxRetriesPerRequest: null });
    const enqueuer = new Redis(redis.url, { maxRetriesPerRequest: null });
    await Promise.all([poll.ping(), enqueuer.ping(), redis.client.ping()]);
    const ours = new Set(
      [poll, enqueuer, redis.client].map(
        (c) => `127.0.0.1:${(c as unknown as { stream: Socket }).stream.localPort}`,
      ),
    );
    const monitorLines: MonitorLine[] = [];
    if (o.monitor) {
      // Commands the worker sends: not the bench's own, not those its Lua scripts run inside Redis.
      monitor = new Redis(redis.url, { lazyConnect: true });
      monitor = await monitor.monitor(); // a connection of its own; the lazy one never connects
      monitor.on('monitor', (_t: string, args: string[], source: string) => {
        if (!ours.has(source) && source !== 'lua') monitorLines.push({ source, args });
      });
    }
    const before = await counters(redis.client);
    const writes0 = await redisWrites(worker);
    const cpu0 = cpuSeconds(worker.pid);
    const fakesCpu0 = cpuSeconds(fakes.child.pid);
    const idle = rssBytes(worker.pid).rss;
    const started = performance.now();
    await enqueue(o, enqueuer, configFile, articles);
    const samples: Array<{ posts: number; rss: number }> = [];
    let polls = 0;
    const deadline = Date.now() + (o.timeoutMs ?? 1_800_000);
    let last = { done: 0, failed: 0 };
    for (;;) {
      last = await publishCounts(poll, fakes, o.variant);
      polls += 1;
      samples.push({ posts: last.done, rss: rssBytes(worker.pid).rss });
      if (last.done >= posts) break;
      if (last.failed > 0)
        throw new Error(`${o.variant}: ${last.failed} publish job(s) failed:\n${worker.tail()}`);
      if (Date.now() > deadline) throw new Error(`${o.variant}: only ${last.done} of ${posts} posts in time`);
      await sleep(posts > 3000 ? 500 : 100);
    }
    const seconds = (performance.now() - started) / 1000;
    const workerCpuSeconds = cpuSeconds(worker.pid) - cpu0;
    const fakesCpuSeconds = cpuSeconds(fakes.child.pid) - fakesCpu0;
    const { rss: end, peak } = rssBytes(worker.pid);
    const writes = (await redisWrites(worker)) - writes0;
    const after = await counters(redis.client);
    poll.disconnect();
    enqueuer.disconnect();
    if (monitor) {
      monitor.disconnect();
      monitor = undefined;
    }
    const onFakes = delivered(await fakeCounts(fakes), o.variant);
    if (onFakes !== posts)
      throw new Error(`${o.variant}: the fakes hold ${onFakes} posts, expected ${posts}`);

    const byName = commandDelta(before, after);
    const kinds = await keyBytes(redis.client);
    const sorted = Object.fromEntries(
      [...byName].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v / posts]),
    );
    const warm = samples.filter((s) => s.posts >= posts * 0.3);
    return {
      variant: o.variant,
      posts,
      articles,
      concurrency: o.concurrency,
      latencyMs: o.latencyMs,
      seconds,
      postsPerSecond: posts / seconds,
      workerCpuSeconds,
      cpuMsPerPost: (workerCpuSeconds * 1000) / posts,
      commandsPerPost: (total(byName) - polls * PLATFORMS.length) / posts,
      roundTripsPerPost: writes / posts,
      readEventsPerPost: (after.reads - before.reads) / posts,
      commandsByName: sorted,
      bytesPerPost: total(kinds) / posts,
      usedMemoryPerPost: (after.usedMemory - before.usedMemory) / posts,
      rss: { idle, end, peak, samples },
      rssSlopePer1000: slope(warm.map((s) => ({ x: s.posts, y: s.rss }))) * 1000,
      fakesCpuSeconds,
      keyBytesPerPost: Object.fromEntries(
        [...kinds].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v / posts]),
      ),
      ...(o.monitor ? { monitorLines } : {}),
    };
  } finally {
    monitor?.disconnect();
    await worker?.stop('SIGTERM', 60_000);
    await run.stop();
  }
}
