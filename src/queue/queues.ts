import { type ConnectionOptions, Queue } from 'bullmq';
import type { CrierConfig } from '../config/schema.js';
import type { PlatformName } from '../core/platform.js';
import { PLATFORMS } from '../platforms/registry.js';
import type { ComposeJobData, IngestJobData, PublishJobData } from './job-data.js';
import { COMPOSE_QUEUE, INGEST_QUEUE, publishQueueName } from './names.js';

export const BACKOFF_TYPE = 'crier';

/** Events kept in each queue's event stream. */
export const EVENTS_KEPT = 1000;

/** A small typed facade over the BullMQ queues Crier uses. */
export class CrierQueues {
  readonly ingest: Queue<IngestJobData>;
  readonly compose: Queue<ComposeJobData>;
  readonly publish: Record<PlatformName, Queue<PublishJobData>>;

  constructor(connection: ConnectionOptions, prefix: string, publishing: CrierConfig['publishing']) {
    const retention = Math.round(publishing.retentionDays * 86_400);
    // Completed jobs: the most recent `keepFinishedJobs` within the retention (a post's record is its ledger
    // entry); failed ones for the whole retention (the operator's to look at and retry).
    const base = {
      removeOnComplete: { age: retention, count: publishing.keepFinishedJobs },
      removeOnFail: { age: retention },
    };
    const opts = (attempts: number) => ({
      connection,
      prefix,
      // Each queue's event stream (nothing in Crier reads it) keeps its last thousand events, not ten thousand.
      streams: { events: { maxLen: EVENTS_KEPT } },
      defaultJobOptions: { ...base, attempts, backoff: { type: BACKOFF_TYPE, delay: publishing.backoffMs } },
    });
    this.ingest = new Queue<IngestJobData>(INGEST_QUEUE, opts(3));
    this.compose = new Queue<ComposeJobData>(COMPOSE_QUEUE, opts(3));
    this.publish = Object.fromEntries(
      PLATFORMS.map((p) => [p, new Queue<PublishJobData>(publishQueueName(p), opts(publishing.attempts))]),
    ) as Record<PlatformName, Queue<PublishJobData>>;
  }

  all(): Queue[] {
    return [this.ingest, this.compose, ...Object.values(this.publish)] as Queue[];
  }

  async close(): Promise<void> {
    await Promise.all(this.all().map((q) => q.close()));
  }
}
