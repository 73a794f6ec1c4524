import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Gauge, Registry } from 'prom-client';
import type { AppContext } from '../context.js';
import { redisKeys } from '../queue/keys.js';
import { type HeartbeatSource, newestBeat } from './heartbeats.js';
import { withTimeout } from './timeout.js';

/** BullMQ job states reported per queue (BullMQ 6 has no separate "paused" list). */
export const JOB_STATES = [
  'waiting',
  'prioritized',
  'waiting-children',
  'active',
  'delayed',
  'completed',
  'failed',
] as const;

const HEALTH_VALUES = ['ok', 'rate-limited', 'needs-attention', 'paused', 'disabled'] as const;

/** Newest ledger entries counted per scrape; older ones have usually expired anyway (retention). */
export const LEDGER_SCAN_LIMIT = 10_000;
const PIPELINE_CHUNK = 500;
const COLLECT_TIMEOUT_MS = 3000;

export interface RedisMetricSources {
  ctx: Pick<AppContext, 'accounts' | 'accountStates' | 'settings'> & { queues: { all(): Queue[] } };
  /** A connection that fails fast when Redis is down (no offline queue). */
  ops: Redis;
  heartbeats: HeartbeatSource;
  logger: Logger;
}

interface RedisGaugeDef<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
  fill: (gauge: Gauge<L>) => Promise<void>;
}

/**
 * Gauges computed from Redis at scrape time, so they tell the truth across every worker process.
 * When Redis is not connected they are left empty (and crier_redis_up says 0) rather than failing the scrape
 * or queueing commands behind a dead connection.
 */
export function createRedisRegistry(src: RedisMetricSources): Registry {
  const registry = new Registry();
  const { ctx, ops, logger } = src;
  const ready = () => ops.status === 'ready';

  /** A gauge refilled on every scrape; a failure empties it and is logged, the rest of the scrape goes on. */
  const redisGauge = <L extends string>(def: RedisGaugeDef<L>) =>
    new Gauge<L>({
      name: def.name,
      help: def.help,
      labelNames: def.labelNames ?? [],
      registers: [registry],
      async collect() {
        this.reset();
        if (!ready()) return;
        try {
          await withTimeout(def.fill(this), COLLECT_TIMEOUT_MS, def.name);
        } catch (e) {
          this.reset();
          logger.warn({ metric: def.name, error: (e as Error).message }, 'metrics collection failed');
        }
      },
    });

  new Gauge({
    name: 'crier_redis_up',
    help: '1 when Redis answered PING during this scrape.',
    registers: [registry],
    async collect() {
      if (!ready()) return this.set(0);
      const up = await withTimeout(ops.ping(), 1000, 'PING').then(
        () => 1,
        () => 0,
      );
      this.set(up);
    },
  });

  redisGauge({
    name: 'crier_jobs',
    help: 'Jobs per BullMQ queue and state (all processes, from Redis).',
    labelNames: ['queue', 'state'],
    fill: async (gauge) => {
      await Promise.all(
        ctx.queues.all().map(async (q) => {
          const counts = await q.getJobCounts(...JOB_STATES);
          for (const state of JOB_STATES) gauge.set({ queue: q.name, state }, counts[state] ?? 0);
        }),
      );
    },
  });

  redisGauge({
    name: 'crier_ledger_posts',
    help: `Ledger entries (one per article, platform and account) by state, newest ${LEDGER_SCAN_LIMIT} (all processes, from Redis).`,
    labelNames: ['platform', 'state'],
    fill: async (gauge) => {
      for (const c of await ledgerStateCounts(ops, ctx.settings.prefix)) {
        gauge.set({ platform: c.platform, state: c.state }, c.count);
      }
    },
  });

  redisGauge({
    name: 'crier_account_health',
    help: '1 for the current health of each configured account, 0 for the others (from Redis).',
    labelNames: ['account', 'platform', 'health'],
    fill: async (gauge) => {
      const now = Date.now();
      for (const rt of ctx.accounts.values()) {
        const s = await ctx.accountStates.get(rt.config.id, now);
        const current = rt.disabled && s.health === 'ok' ? 'disabled' : s.health;
        for (const health of HEALTH_VALUES) {
          gauge.set(
            { account: rt.config.id, platform: rt.config.platform, health },
            health === current ? 1 : 0,
          );
        }
      }
    },
  });

  redisGauge({
    name: 'crier_platform_quota_used_percent',
    help: "Share of each account's platform quota used, as the platform's latest answer reported it (X rate-limit headers, Graph usage).",
    labelNames: ['account', 'platform'],
    fill: async (gauge) => {
      for (const rt of ctx.accounts.values()) {
        const quota = (await ctx.accountStates.get(rt.config.id)).quota;
        if (quota) gauge.set({ account: rt.config.id, platform: rt.config.platform }, quota.usedPercent);
      }
    },
  });

  redisGauge({
    name: 'crier_scheduler_last_beat_timestamp_seconds',
    help: 'Unix time of the newest scheduler heartbeat (absent when there is none).',
    fill: async (gauge) => {
      const newest = newestBeat(await src.heartbeats());
      if (newest !== undefined) gauge.set(newest / 1000);
    },
  });

  return registry;
}

export interface LedgerStateCount {
  platform: string;
  state: string;
  count: number;
}

/**
 * Counts ledger entries by platform and state, reading the ledger's recency index (a sorted set of entry
 * keys kept by src/ledger/ledger.ts as `<prefix>:ledger-index`) and each entry's state, pipelined; the
 * platform is the key's (`<prefix>:ledger:<article>:<platform>:<account>`). Keys whose entry expired are skipped.
 */
export async function ledgerStateCounts(redis: Redis, prefix: string): Promise<LedgerStateCount[]> {
  const keys = await redis.zrevrange(redisKeys(prefix).ledgerIndex, 0, LEDGER_SCAN_LIMIT - 1);
  const ledgerKeys = `${prefix}:ledger:`;
  const byPlatform = new Map<string, Map<string, number>>();
  // Chunks are sent together (one round trip's wait, not one per chunk) yet each reply array stays small.
  const chunks: string[][] = [];
  for (let i = 0; i < keys.length; i += PIPELINE_CHUNK) chunks.push(keys.slice(i, i + PIPELINE_CHUNK));
  const replies = await Promise.all(
    chunks.map((chunk) => {
      const pipeline = redis.pipeline();
      for (const k of chunk) pipeline.hget(k, 'state');
      return pipeline.exec();
    }),
  );
  const platformOf = (key: string) => key.slice(ledgerKeys.length).split(':')[1];
  replies
    .flatMap((r) => r ?? [])
    .forEach(([err, field], i) => {
      const state = err ? null : (field as string | null);
      const platform = platformOf(keys[i]!);
      if (!platform || !state) return;
      const states = byPlatform.get(platform) ?? new Map<string, number>();
      states.set(state, (states.get(state) ?? 0) + 1);
      byPlatform.set(platform, states);
    });
  return [...byPlatform].flatMap(([platform, states]) =>
    [...states].map(([state, count]) => ({ platform, state, count })),
  );
}
