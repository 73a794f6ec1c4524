import type { ChainableCommander, Redis } from 'ioredis';
import type { ComposeJobData } from '../queue/job-data.js';
import { redisKeys } from '../queue/keys.js';

/** An article ingest stored (or is about to store) whose compose job may not be queued yet. */
export interface ComposeDue {
  articleId: string;
  /** The compose job's id (idempotent: queueing it twice queues it once). */
  jobId: string;
  data: ComposeJobData;
  /** The ingest job that is queueing it. */
  ingestJobId: string;
  /** Epoch ms when it was marked. */
  since: number;
}

/**
 * Ingest's progress per item. An article is marked due BEFORE it is stored, and unmarked once its compose job
 * is queued: an ingest job killed in between leaves the mark, so its re-run queues the compose job of an
 * article it now finds "unchanged", and the reconciler does the same when the ingest job is gone.
 * One Redis hash, `<prefix>:compose-due` (article id → JSON); it holds only the items in flight.
 */
export class ComposeDueList {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private get key() {
    return redisKeys(this.prefix).composeDue;
  }

  async mark(items: ComposeDue[]): Promise<void> {
    if (items.length === 0) return;
    const multi = this.redis.multi();
    this.markIn(multi, items);
    await multi.exec();
  }

  /** `mark` as a command of the caller's MULTI block (e.g. before the articles it marks are stored). */
  markIn(multi: ChainableCommander, items: ComposeDue[]): void {
    if (items.length === 0) return;
    multi.hset(this.key, Object.fromEntries(items.map((i) => [i.articleId, JSON.stringify(i)])));
  }

  /** The marks of these articles, by article id. */
  async get(articleIds: string[]): Promise<Map<string, ComposeDue>> {
    if (articleIds.length === 0) return new Map();
    return this.parse(articleIds, await this.redis.hmget(this.key, ...articleIds));
  }

  /** `get` as one command of the caller's pipeline: its reply goes to `parse`. */
  queueGet(pipeline: ChainableCommander, articleIds: string[]): void {
    pipeline.hmget(this.key, ...articleIds);
  }

  parse(articleIds: string[], values: Array<string | null>): Map<string, ComposeDue> {
    const out = new Map<string, ComposeDue>();
    values.forEach((v, i) => {
      if (v) out.set(articleIds[i]!, JSON.parse(v) as ComposeDue);
    });
    return out;
  }

  async done(articleIds: string[]): Promise<void> {
    if (articleIds.length) await this.redis.hdel(this.key, ...articleIds);
  }

  /** Every mark, oldest first. */
  async all(): Promise<ComposeDue[]> {
    const h = await this.redis.hgetall(this.key);
    return Object.values(h)
      .map((v) => JSON.parse(v) as ComposeDue)
      .sort((a, b) => a.since - b.since);
  }
}
