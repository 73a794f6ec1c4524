import type { Redis } from 'ioredis';
import { redisKeys } from '../queue/keys.js';

export interface Heartbeat {
  /** Epoch ms of the scheduler's last beat. */
  lastBeat: number;
}

export type HeartbeatSource = () => Promise<Heartbeat[]>;

/** At most this many scheduler keys are read; there is one per scheduler process, so this is generous. */
const MAX_KEYS = 1000;

/**
 * Default heartbeat source: every `<prefix>:scheduler:*` key whose value is JSON with a `lastBeat`.
 * Other keys under that pattern (locks, hashes, anything not JSON) are ignored rather than failing the check.
 */
export async function readSchedulerHeartbeats(redis: Redis, prefix: string): Promise<Heartbeat[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', redisKeys(prefix).schedulerPattern, 'COUNT', 200);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0' && keys.length < MAX_KEYS);
  if (keys.length === 0) return [];

  const pipeline = redis.pipeline();
  for (const k of keys.slice(0, MAX_KEYS)) pipeline.get(k);
  const replies = (await pipeline.exec()) ?? [];
  const beats: Heartbeat[] = [];
  for (const [err, value] of replies) {
    // A WRONGTYPE error means a non-string key under the pattern: not a heartbeat.
    if (err || typeof value !== 'string') continue;
    const lastBeat = parseLastBeat(value);
    if (lastBeat !== undefined) beats.push({ lastBeat });
  }
  return beats;
}

/** `lastBeat` as epoch ms, or as an ISO-8601 string (what src/schedule/heartbeat.ts writes). */
function parseLastBeat(json: string): number | undefined {
  let lastBeat: unknown;
  try {
    lastBeat = (JSON.parse(json) as { lastBeat?: unknown } | null)?.lastBeat;
  } catch {
    return undefined;
  }
  const ms = typeof lastBeat === 'string' ? Date.parse(lastBeat) : lastBeat;
  return typeof ms === 'number' && Number.isFinite(ms) ? ms : undefined;
}

/** The newest beat, or undefined when there is none. */
export function newestBeat(beats: Heartbeat[]): number | undefined {
  let newest: number | undefined;
  for (const b of beats) {
    if (Number.isFinite(b.lastBeat) && (newest === undefined || b.lastBeat > newest)) newest = b.lastBeat;
  }
  return newest;
}
