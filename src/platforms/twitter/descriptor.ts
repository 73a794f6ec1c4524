import * as z from 'zod';
import type { PlatformDescriptor } from '../descriptor.js';
import { lazyAdapter } from '../lazy-adapter.js';
import type { Operation } from '../verdict.js';
import { classifyTwitterError, type TwitterOperation } from './classify.js';
import { readTwitterCredentials, TWITTER_VARIABLES, type TwitterCredentials } from './credentials.js';
import { type TwitterSettings, twitterRules } from './rules.js';

const OPERATIONS: Record<Operation, TwitterOperation> = {
  create: 'create-post',
  read: 'read',
  delete: 'delete',
  upload: 'media',
  session: 'token',
};

/** X (API v2 through twitter-api-v2): OAuth 1.0a or OAuth 2.0 user context, threads, images. */
export const twitter: PlatformDescriptor<TwitterCredentials, TwitterSettings, 'twitter'> = {
  name: 'twitter',
  api: { env: 'TWITTER_API_URL', default: 'https://api.x.com' },
  credentials: { variables: TWITTER_VARIABLES, read: (env, prefix) => readTwitterCredentials(env, prefix) },
  settings: {
    /** Up to this many replies continuing the summary as a thread. */
    thread: z.strictObject({ maxReplies: z.number().int().min(0).max(10) }).default({ maxReplies: 0 }),
  },
  rules: twitterRules,
  createAdapter: (a) =>
    lazyAdapter('twitter', a.account, async () =>
      (await import('./adapter.js')).createTwitterAdapter({
        account: a.account,
        credentials: a.credentials,
        options: a.options,
        tokens: a.tokens,
        onImageSkipped: a.onImageSkipped,
      }),
    ),
  classify: (answer, operation) =>
    classifyTwitterError({
      operation: OPERATIONS[operation],
      authKind: 'oauth1',
      now: answer.at.getTime(),
      status: answer.status,
      headers: answer.headers,
      body: answer.body,
    }),
  preview: async () => (await import('./preview.js')).twitterPreview,
  startFake: async (tls, opts) => (await import('./fake-platform.js')).startTwitterFake(tls, opts),
};
