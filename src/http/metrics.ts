import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** One finished job attempt, as seen by the worker that ran it (jobs/workers.ts `instrument`). */
export interface JobFinishedEvent {
  queue: string;
  platform?: string;
  /** A JobOutcome (posted, reconciled, duplicate, ...) or failed | retrying | delayed. */
  outcome: string;
  /** Failure kind (rate-limited, auth, invalid, transient, unconfirmed, error ...) when the attempt failed. */
  errorKind?: string;
  durationMs: number;
  /** Publish jobs that posted: time from article ingest/compose to the post being live. */
  latencyMs?: number;
}

const FAILED_OUTCOMES = new Set(['failed', 'retrying']);
/** Outcomes after which the post is live on the platform (reconciled: found there after a crash). */
const POSTED_OUTCOMES = new Set(['posted', 'reconciled']);

// These metrics live in this process only: a Prometheus server scraping several worker processes sums them.
// Cross-process truth computed from Redis at scrape time is in redis-metrics.ts.
const registry = new Registry();

const latency = new Histogram({
  name: 'crier_post_latency_seconds',
  help: 'Time from article ingest/compose to the post being live, per platform (this process).',
  labelNames: ['platform'] as const,
  buckets: [1, 5, 15, 30, 60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 24 * 3600],
  registers: [registry],
});

const failures = new Counter({
  name: 'crier_failures_total',
  help: 'Failed job attempts (retried or given up), per platform and failure kind (this process).',
  labelNames: ['platform', 'kind'] as const,
  registers: [registry],
});

const duration = new Histogram({
  name: 'crier_job_duration_seconds',
  help: 'Wall-clock time of one job attempt, per queue and outcome (this process).',
  labelNames: ['queue', 'outcome'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  registers: [registry],
});

const isDuration = (ms: number | undefined): ms is number =>
  typeof ms === 'number' && Number.isFinite(ms) && ms >= 0;

export const metrics = {
  jobFinished(e: JobFinishedEvent): void {
    const platform = e.platform || 'none';
    if (isDuration(e.durationMs))
      duration.observe({ queue: e.queue, outcome: e.outcome }, e.durationMs / 1000);
    if (FAILED_OUTCOMES.has(e.outcome) || e.errorKind) {
      failures.inc({ platform, kind: e.errorKind || 'error' });
    }
    if (POSTED_OUTCOMES.has(e.outcome) && e.platform && isDuration(e.latencyMs)) {
      latency.observe({ platform: e.platform }, e.latencyMs / 1000);
    }
  },
};

let defaultsCollected = false;

/**
 * The registry of this process's own metrics: the recorder above plus Node's default process metrics
 * (collected on first use, once per process, so several servers in one process share them).
 */
export function processRegistry(): Registry {
  if (!defaultsCollected) {
    collectDefaultMetrics({ register: registry });
    defaultsCollected = true;
  }
  return registry;
}
