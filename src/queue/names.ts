import type { PlatformName } from '../core/platform.js';

export const INGEST_QUEUE = 'ingest';
export const COMPOSE_QUEUE = 'compose';
/** One publish queue per platform, so one platform's limits never stall another. */
export const publishQueueName = (platform: PlatformName) => `publish-${platform}`;

/** Job ids must not contain ':' nor be all digits. */
export const composeJobId = (articleId: string, version: string) => `compose-${articleId}-${version}`;
export const publishJobId = (articleId: string, account: string) => `post-${articleId}-${account}`;
