import type { Redis } from 'ioredis';
import type { RunCoordinator } from 'node-cron';
import { redisKeys } from '../queue/keys.js';
import { wallClockText } from './zone-time.js';

/**
 * How long a slot's key is kept. Keys are never deleted on completion (a scheduler whose clock runs late, or
 * one starting up, must see that the slot already ran), and they must outlive the catch-up look-back so a
 * restart does not run the last slot again.
 */
export const SLOT_KEY_RETENTION_MS = 48 * 3_600_000;

/**
 * One slot runs once across every scheduler process: the first `SET key NX PX` wins.
 *
 * The key is the schedule name plus the slot's WALL-CLOCK time in the schedule's zone, not its UTC instant. On
 * the autumn DST night 02:30 happens twice; node-cron fires one of the two, the catch-up scan may find the
 * other: keyed by wall clock they are the same slot and only one runs.
 *
 * It is node-cron's run coordinator (`shouldRun("<name>:<slotISO>", lease)`), and `claim` serves the runs that
 * node-cron does not coordinate (catch-up at start, executions node-cron reports as missed).
 */
export class SlotLease implements RunCoordinator {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly owner: string,
    /** The node-cron task name: every task of one schedule shares it. */
    readonly name: string,
    readonly zone: string,
    private readonly retentionMs = SLOT_KEY_RETENTION_MS,
  ) {}

  /**
   * The slot's key. `wall` defaults to the wall-clock reading of `slot`; a slot whose wall-clock time does not
   * exist (a daylight-saving gap, see gap-slots.ts) runs at another instant and passes its own wall time.
   */
  key(slot: Date, wall: string = wallClockText(slot, this.zone)): string {
    return redisKeys(this.prefix).scheduleSlot(this.name, wall);
  }

  private closed = false;
  private readonly claims = new Set<Promise<boolean>>();

  /**
   * Takes the slot for this process; false when another process (or an earlier run) has it, or when this
   * lease is closed (the process is stopping: the slot is left to the others, or to the catch-up at start).
   */
  claim(slot: Date, wall?: string): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    const value = `${this.owner} ${slot.toISOString()}`;
    const p = this.redis
      .set(this.key(slot, wall), value, 'PX', this.retentionMs, 'NX')
      .then((r) => r === 'OK');
    this.claims.add(p);
    const forget = () => this.claims.delete(p);
    p.then(forget, forget);
    return p;
  }

  /** Takes no more slots, and waits for the claims already asked (their slots still run here). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.claims]);
  }

  /** Has the slot been taken already (by anyone)? */
  async taken(slot: Date, wall?: string): Promise<boolean> {
    return (await this.redis.exists(this.key(slot, wall))) === 1;
  }

  /** Who took the slot: "<instanceId> <slot ISO>", or null. */
  holder(slot: Date, wall?: string): Promise<string | null> {
    return this.redis.get(this.key(slot, wall));
  }

  /**
   * node-cron's hook. Its `ttlMs` (distributedLease) is ignored on purpose: the key must be kept for
   * SLOT_KEY_RETENTION_MS, not for the length of one run. A key that is not ours (another name) throws, which
   * node-cron treats as "skip" (fail-closed).
   */
  shouldRun(key: string, _ttlMs: number): Promise<boolean> {
    const head = `${this.name}:`;
    const slot = key.startsWith(head) ? new Date(key.slice(head.length)) : new Date(Number.NaN);
    if (Number.isNaN(slot.getTime())) throw new Error(`slot key "${key}" is not "${head}<ISO time>"`);
    return this.claim(slot);
  }

  /** Deliberately keeps the key: deleting it would let a late scheduler run the slot a second time. */
  onComplete(_key: string): void {}
}
