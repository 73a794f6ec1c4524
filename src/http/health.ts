import { type HeartbeatSource, newestBeat } from './heartbeats.js';
import { withTimeout } from './timeout.js';

/** A scheduler that has not beaten for this long is considered down. */
export const HEARTBEAT_MAX_AGE_MS = 120_000;
const CHECK_TIMEOUT_MS = 1500;

export interface HealthDeps {
  /** Resolves when Redis answers PING. */
  ping: () => Promise<unknown>;
  heartbeats: HeartbeatSource;
  now?: () => number;
}

export interface SchedulerHealth {
  lastBeat: number | null;
  ageSeconds?: number;
  /** Set when the check failed: what is wrong. */
  error?: string;
}

export type HealthBody =
  | { status: 'ok'; redis: 'ok'; scheduler: SchedulerHealth }
  | {
      status: 'fail';
      failed: Array<'redis' | 'scheduler'>;
      redis: 'ok' | 'unreachable';
      redisError?: string;
      scheduler: SchedulerHealth;
    };

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function checkRedis(ping: HealthDeps['ping']): Promise<string | undefined> {
  try {
    await withTimeout(ping(), CHECK_TIMEOUT_MS, 'Redis PING');
    return undefined;
  } catch (e) {
    return messageOf(e);
  }
}

async function checkScheduler(heartbeats: HeartbeatSource, now: number): Promise<SchedulerHealth> {
  let beats: Awaited<ReturnType<HeartbeatSource>>;
  try {
    beats = await withTimeout(heartbeats(), CHECK_TIMEOUT_MS, 'scheduler heartbeats');
  } catch (e) {
    return { lastBeat: null, error: `heartbeats unreadable: ${messageOf(e)}` };
  }
  const lastBeat = newestBeat(beats);
  if (lastBeat === undefined) return { lastBeat: null, error: 'no scheduler heartbeat found' };
  const ageSeconds = Math.max(0, Math.round((now - lastBeat) / 1000));
  if (now - lastBeat > HEARTBEAT_MAX_AGE_MS) {
    return {
      lastBeat,
      ageSeconds,
      error: `last beat ${ageSeconds} s ago (more than ${HEARTBEAT_MAX_AGE_MS / 1000} s)`,
    };
  }
  return { lastBeat, ageSeconds };
}

/** Runs both checks concurrently, each bounded by a short timeout so a probe never hangs. */
export async function checkHealth(deps: HealthDeps): Promise<HealthBody> {
  const now = (deps.now ?? Date.now)();
  const [redisError, scheduler] = await Promise.all([
    checkRedis(deps.ping),
    checkScheduler(deps.heartbeats, now),
  ]);
  if (redisError === undefined && scheduler.error === undefined) {
    return { status: 'ok', redis: 'ok', scheduler };
  }
  const failed: Array<'redis' | 'scheduler'> = [];
  if (redisError !== undefined) failed.push('redis');
  if (scheduler.error !== undefined) failed.push('scheduler');
  return {
    status: 'fail',
    failed,
    redis: redisError === undefined ? 'ok' : 'unreachable',
    redisError,
    scheduler,
  };
}
