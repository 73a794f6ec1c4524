import { parseConfig } from '../../src/config/load.js';
import { type AppContext, createContext } from '../../src/context.js';
import { createLogger } from '../../src/core/logger.js';
import type { PublishJobData } from '../../src/queue/job-data.js';
import { redisUrl } from '../helpers/redis.js';

export type LogLine = Record<string, unknown> & { msg: string; level: string };

export interface TestApp {
  ctx: AppContext;
  /** Every line the context's logger wrote, parsed. */
  lines: LogLine[];
}

/** Facebook credentials only: the accounts of these tests exist but never call anything. */
export const FAKE_FACEBOOK_ENV = { FACEBOOK_PAGE_ID: '1234', FACEBOOK_PAGE_TOKEN: 'page-token' };

/** A real AppContext (real Redis, real queues) on the test's prefix, from a YAML config, with logs captured. */
export async function testApp(prefix: string, yaml: string): Promise<TestApp> {
  const lines: LogLine[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) },
  });
  const ctx = await createContext({
    config: parseConfig(yaml, '/srv/crier/config/crier.yaml'),
    env: { REDIS_URL: redisUrl(), CRIER_PREFIX: prefix, ...FAKE_FACEBOOK_ENV },
    logger,
    forWorker: false,
  });
  return { ctx, lines };
}

/** The lines of one event (`event` field). */
export const linesOf = (lines: LogLine[], event: string) => lines.filter((l) => l.event === event);

/** What the compose job puts in a slot queue for a Facebook account. */
export const waitingItem = (
  articleId: string,
  account = 'fb-news',
  correlationId = `c-${articleId}`,
): PublishJobData => ({
  articleId,
  articleKey: `https://example.org/${articleId}`,
  platform: 'facebook',
  account,
  correlationId,
});
