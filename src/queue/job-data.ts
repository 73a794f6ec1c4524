import type { FullTextMode, SourceKind } from '../articles/read.js';
import type { PlatformName } from '../core/platform.js';

/** Job payloads carry ids, not whole articles: the data lives in Redis (article store, ledger). */
export interface IngestJobData {
  /** Absolute path or URL. */
  location: string;
  kind: SourceKind;
  /** Article link for sources without one (plain text). */
  url?: string;
  sourceId?: string;
  /** Feeds: complete items from their pages (default: the source's `fullText`, else auto). */
  fullText?: FullTextMode;
  platforms?: PlatformName[];
  /** ISO-8601: publish at this time instead of per the accounts' schedules. */
  at?: string;
  correlationId: string;
  /** Read and compose only: log the posts that would be sent; nothing is stored, queued or posted. */
  dryRun?: boolean;
  /** Compose even when the article was seen before (explicit `crier publish`); the ledger still dedupes. */
  force?: boolean;
}

export interface ComposeJobData {
  articleId: string;
  platforms?: PlatformName[];
  at?: string;
  correlationId: string;
}

export interface PublishJobData {
  articleId: string;
  articleKey: string;
  platform: PlatformName;
  account: string;
  correlationId: string;
  /** The posting slot that sent it (ISO), for posts of `slots`-mode accounts. */
  slot?: string;
}

export type JobOutcome =
  | 'posted'
  | 'reconciled'
  | 'duplicate'
  | 'already-posted'
  | 'dry-run'
  | 'skipped'
  | 'composed'
  | 'ingested'
  | 'cancelled'
  | 'held';

export interface JobResult {
  outcome: JobOutcome;
  postId?: string;
  postUrl?: string;
  detail?: string;
  [k: string]: unknown;
}
